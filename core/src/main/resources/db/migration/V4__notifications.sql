-- Notifications (issue 5): outbound webhook subscriptions and what was delivered to them, and the
-- e-mail ledger that makes sending idempotent and rate-limited per recipient.

-- A company's webhook subscriptions. The secret signs every delivery (HMAC-SHA256), so it has to be
-- kept; the API shows it once, at creation. Deleting a subscription deactivates it, so that its
-- delivery history stays readable.
CREATE TABLE webhook_subscriptions (
    id            uuid PRIMARY KEY,
    company_id    uuid        NOT NULL REFERENCES companies (id),
    url           text        NOT NULL CHECK (length(url) BETWEEN 8 AND 2000),
    event_types   text[]      NOT NULL CHECK (cardinality(event_types) > 0),
    secret        text        NOT NULL,
    description   text        CHECK (length(description) <= 500),
    active        boolean     NOT NULL DEFAULT true,
    failure_count int         NOT NULL DEFAULT 0, -- failed attempts since the last successful delivery
    created_by    text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    deleted_at    timestamptz,
    UNIQUE (id, company_id)
);
CREATE INDEX webhook_subscriptions_company ON webhook_subscriptions (company_id) WHERE active;

-- One row per (event, subscription): the outcome of delivering that event to that subscriber.
-- Written in a transaction of its own right after each attempt, so that a retry of the event
-- skips the subscribers already DELIVERED even though the failing one rolls the handler back.
CREATE TABLE webhook_deliveries (
    event_id           uuid        NOT NULL,
    subscription_id    uuid        NOT NULL,
    company_id         uuid        NOT NULL,
    event_type         text        NOT NULL,
    status             text        NOT NULL CHECK (status IN ('DELIVERED', 'FAILED', 'DEAD')),
    attempts           int         NOT NULL DEFAULT 0,
    last_response_code int,
    last_error         text,
    first_attempt_at   timestamptz NOT NULL DEFAULT now(),
    last_attempt_at    timestamptz NOT NULL DEFAULT now(),
    delivered_at       timestamptz,
    PRIMARY KEY (event_id, subscription_id),
    FOREIGN KEY (subscription_id, company_id) REFERENCES webhook_subscriptions (id, company_id)
);
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, last_attempt_at DESC);

-- The e-mail ledger: one row per (event, recipient) and one per summary. SENT rows in the last
-- window are the per-recipient rate-limit state; HELD rows are mails over the limit, waiting to be
-- listed in one summary mail (then SUMMARIZED, pointing at it).
CREATE TABLE sent_notifications (
    id                bigserial PRIMARY KEY,
    event_id          uuid,                 -- null for summaries
    event_type        text,
    company_id        uuid,
    recipient_user_id uuid,
    recipient_email   text        NOT NULL, -- lower-case: the rate-limit key
    recipient_name    text        NOT NULL,
    locale            text        NOT NULL,
    template          text        NOT NULL,
    subject           text        NOT NULL,
    status            text        NOT NULL CHECK (status IN ('SENT', 'HELD', 'SUMMARIZED')),
    summary_id        bigint REFERENCES sent_notifications (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    sent_at           timestamptz,
    UNIQUE (event_id, recipient_email)
);
CREATE INDEX sent_notifications_recent ON sent_notifications (recipient_email, sent_at) WHERE status = 'SENT';
CREATE INDEX sent_notifications_held ON sent_notifications (recipient_email, id) WHERE status = 'HELD';
