-- The LGPD audit log becomes a table partitioned by month of occurred_at (issue 15, item 3), so that
-- retention removes whole months (DETACH + DROP, done by realty.core.audit.AuditRetention) while
-- UPDATE, DELETE and TRUNCATE of rows stay refused for everyone, as before.
--
-- The partition key is occurred_at, the event's own time, not recorded_at: a unique constraint of a
-- partitioned table must contain the partition key, and (event_id, occurred_at) keeps "one row per
-- event" enforced by the database (an event carries the same occurred_at on every delivery), which
-- (event_id, recorded_at) would not. It is also the time the Marco Civil's retention counts from.

ALTER TABLE audit_logs RENAME TO audit_logs_v1;
ALTER INDEX audit_logs_pkey RENAME TO audit_logs_v1_pkey;
ALTER INDEX audit_logs_event_id_key RENAME TO audit_logs_v1_event_id_key;
ALTER INDEX audit_logs_company_time RENAME TO audit_logs_v1_company_time;
ALTER INDEX audit_logs_resource RENAME TO audit_logs_v1_resource;

CREATE TABLE audit_logs (
    id             uuid        NOT NULL,
    company_id     uuid,
    event_id       uuid        NOT NULL,
    event_type     text        NOT NULL,
    actor_user_id  text,
    actor_profiles text[]      NOT NULL DEFAULT '{}',
    actor_system   text,
    resource_type  text        NOT NULL,
    resource_id    text        NOT NULL,
    occurred_at    timestamptz NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    request_id     text,
    source_ip      text,
    user_agent     text,
    data           jsonb       NOT NULL DEFAULT '{}',
    PRIMARY KEY (id, occurred_at),
    UNIQUE (event_id, occurred_at)
) PARTITION BY RANGE (occurred_at);

-- Time order: the platform admin's list and the export walk (occurred_at, id); a company's list
-- walks (company_id, occurred_at, id), one index range per company (AuditLogRepository).
CREATE INDEX audit_logs_time ON audit_logs (occurred_at, id);
CREATE INDEX audit_logs_company_time ON audit_logs (company_id, occurred_at, id);
CREATE INDEX audit_logs_resource ON audit_logs (resource_type, resource_id);
-- A user's personal-data export lists the rows where they are the actor.
CREATE INDEX audit_logs_actor ON audit_logs (actor_user_id, occurred_at);

-- Row triggers of a partitioned table are cloned onto every partition, present and future.
CREATE TRIGGER audit_logs_no_update_delete BEFORE UPDATE OR DELETE ON audit_logs
    FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only();
CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON audit_logs
    FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_append_only();

-- The partition of the month (UTC) that starts on month_start, created if missing: audit_logs_pYYYYMM.
-- Statement triggers are not cloned, so each partition gets its own TRUNCATE refusal.
CREATE FUNCTION audit_logs_ensure_partition(month_start date) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    first date := date_trunc('month', month_start)::date;
    name  text := 'audit_logs_p' || to_char(first, 'YYYYMM');
BEGIN
    IF to_regclass(name) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF audit_logs FOR VALUES FROM (%L) TO (%L)', name,
                       first::timestamp AT TIME ZONE 'UTC', (first + interval '1 month')::timestamp AT TIME ZONE 'UTC');
        EXECUTE format('CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_append_only()', name);
    END IF;
    RETURN name;
END;
$$;

-- One partition per month that has rows, and the current month with the next three.
SELECT audit_logs_ensure_partition(m::date)
FROM generate_series(
        date_trunc('month', LEAST((SELECT min(occurred_at) FROM audit_logs_v1), now()) AT TIME ZONE 'UTC'),
        date_trunc('month', GREATEST((SELECT max(occurred_at) FROM audit_logs_v1), now()) AT TIME ZONE 'UTC') + interval '3 months',
        interval '1 month') AS m;

INSERT INTO audit_logs SELECT id, company_id, event_id, event_type, actor_user_id, actor_profiles, actor_system, resource_type,
                              resource_id, occurred_at, recorded_at, request_id, source_ip, user_agent, data
                       FROM audit_logs_v1;
-- DROP TABLE is not refused by the row and TRUNCATE triggers; the rows live on in audit_logs.
DROP TABLE audit_logs_v1;
