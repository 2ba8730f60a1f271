-- Operator actions on dead letters (replay, discard). A row is written STARTED before the broker is
-- touched and finished afterwards, so an action interrupted by a crash stays visible as STARTED
-- instead of vanishing; each message replayed or discarded also gets an audit_logs row.
CREATE TABLE dead_letter_actions (
    id           uuid PRIMARY KEY,
    action       text        NOT NULL CHECK (action IN ('REPLAY', 'DISCARD')),
    queue        text        NOT NULL,
    message_id   text,
    filter       jsonb,
    actor        text        NOT NULL,
    request_id   text,
    status       text        NOT NULL CHECK (status IN ('STARTED', 'DONE', 'NOT_FOUND', 'FAILED')),
    affected     int         NOT NULL DEFAULT 0,
    detail       text,
    started_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at  timestamptz
);
CREATE INDEX dead_letter_actions_recent ON dead_letter_actions (started_at DESC);
