-- Foundation schema: tenants, users, the outbox (also the event store), consumer outcomes, audit log.

CREATE TABLE companies (
    id          uuid PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    legal_name  text,
    cnpj        char(14)    UNIQUE CHECK (cnpj ~ '^[0-9]{14}$'),
    creci       text,
    active      boolean     NOT NULL DEFAULT true,
    prospector_share_percent numeric(5, 2) NOT NULL DEFAULT 30
        CHECK (prospector_share_percent BETWEEN 0 AND 100),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text        NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    password_hash text        NOT NULL,
    locale        text        NOT NULL DEFAULT 'pt-BR',
    active        boolean     NOT NULL DEFAULT true,
    created_by    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_unique ON users (lower(email));

CREATE TABLE user_profiles (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    profile text NOT NULL CHECK (profile IN ('owner', 'director', 'manager', 'agent', 'prospector',
                                             'receptionist', 'financial', 'legal', 'portal')),
    PRIMARY KEY (user_id, profile)
);

CREATE TABLE user_companies (
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    company_id uuid NOT NULL REFERENCES companies (id),
    PRIMARY KEY (user_id, company_id)
);
CREATE INDEX user_companies_company ON user_companies (company_id);

-- The transactional outbox. Rows are kept after publishing: this table is the event store.
CREATE TABLE outbox_events (
    seq              bigserial   NOT NULL UNIQUE,
    id               uuid PRIMARY KEY,
    type             text        NOT NULL,
    version          int         NOT NULL,
    company_id       uuid,
    aggregate_type   text        NOT NULL,
    aggregate_id     text        NOT NULL,
    correlation_id   text,
    priority         smallint    NOT NULL,
    body             json        NOT NULL, -- the exact envelope that is published
    status           text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'PUBLISHED')),
    occurred_at      timestamptz NOT NULL,
    published_at     timestamptz,
    publish_attempts int         NOT NULL DEFAULT 0,
    last_publish_error text
);
CREATE INDEX outbox_events_pending ON outbox_events (seq) WHERE status = 'PENDING';
CREATE INDEX outbox_events_aggregate ON outbox_events (aggregate_type, aggregate_id, seq);
CREATE INDEX outbox_events_company ON outbox_events (company_id, seq);

-- One row per (event, consumer): the idempotency record, written in the same transaction as the
-- consumer's effect.
CREATE TABLE consumer_outcomes (
    event_id         uuid        NOT NULL,
    consumer         text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('RECEIVED', 'PROCESSED', 'RETRYING', 'DEAD')),
    attempts         int         NOT NULL DEFAULT 0,
    first_attempt_at timestamptz NOT NULL DEFAULT now(),
    processed_at     timestamptz,
    last_error       text,
    duration_micros  bigint,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, consumer)
);
CREATE INDEX consumer_outcomes_recent ON consumer_outcomes (consumer, updated_at);

-- LGPD audit log: append-only, enforced by the database below.
CREATE TABLE audit_logs (
    id             uuid PRIMARY KEY,
    company_id     uuid,
    event_id       uuid        NOT NULL UNIQUE,
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
    data           jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_logs_company_time ON audit_logs (company_id, occurred_at);
CREATE INDEX audit_logs_resource ON audit_logs (resource_type, resource_id);

CREATE FUNCTION audit_logs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_logs is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_logs_no_update_delete BEFORE UPDATE OR DELETE ON audit_logs
    FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only();
CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON audit_logs
    FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_append_only();
