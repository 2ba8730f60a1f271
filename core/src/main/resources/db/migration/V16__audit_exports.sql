-- Issue 15, item 3: the asynchronous audit export. POST /audit-logs/exports records a request here
-- (PENDING); the housekeeping function's audit-export task claims it (RUNNING), writes the range of
-- the company's audit rows to the archive (S3 exports/<company>/<id>.<ext>, a folder locally) and
-- marks it READY with where it lies, or FAILED with a reason fit to show the requester.
CREATE TABLE audit_exports (
    id           uuid PRIMARY KEY,
    company_id   uuid        NOT NULL REFERENCES companies (id),
    -- Null for the platform admin, who is not a user row and gets no mail.
    requested_by uuid        REFERENCES users (id),
    range_from   timestamptz NOT NULL,
    range_to     timestamptz NOT NULL,
    format       text        NOT NULL CHECK (format IN ('ndjson', 'csv')),
    status       text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'RUNNING', 'READY', 'FAILED')),
    -- How many times a worker claimed it; a row whose worker died is claimed again until a limit.
    attempts     int         NOT NULL DEFAULT 0,
    -- When the current worker claimed it: the claim's token, and the start of its timeout.
    claimed_at   timestamptz,
    object_key   text,
    bytes        bigint,
    row_count    bigint,
    error        text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    -- When the file is gone (the bucket's 7-day lifecycle rule on exports/); no download after it.
    expires_at   timestamptz,
    CHECK (range_to > range_from)
);
-- The worker's two claims, each the head of a small partial index whatever the table's size or
-- statistics: the oldest PENDING request, and the RUNNING row claimed longest ago (a dead worker's).
CREATE INDEX audit_exports_pending ON audit_exports (created_at, id) WHERE status = 'PENDING';
CREATE INDEX audit_exports_running ON audit_exports (claimed_at, id) WHERE status = 'RUNNING';
-- A company's unfinished exports, which POST counts (at most 5 at once), without reading its finished ones.
CREATE INDEX audit_exports_open ON audit_exports (company_id) WHERE status IN ('PENDING', 'RUNNING');
