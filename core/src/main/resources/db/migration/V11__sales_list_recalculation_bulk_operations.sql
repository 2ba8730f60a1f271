-- Issue 15, items 1 and 2: the sales list, recalculating a split, the staff view of failing
-- background work and the tracking of bulk operations until every consumer has finished them.

-- GET /sales pages newest sale first by (sale_date, id) within the caller's companies; the date
-- range is a range of this index too (a backward scan gives the descending order).
CREATE INDEX sales_company_date ON sales (company_id, sale_date, id);
-- The same order for one status: cancelled sales are few, and without it the planner scans the
-- company's sales and sorts them to find a page of them.
CREATE INDEX sales_company_status_date ON sales (company_id, status, sale_date, id);

-- A recalculation cancels a sale's pending transactions and writes new ones for the same roles:
-- one LIVE (pending or paid) transaction per (sale, role) instead of one ever. The split's insert
-- names this index in its ON CONFLICT, so a redelivered split still writes nothing twice.
ALTER TABLE commission_transactions DROP CONSTRAINT commission_transactions_sale_id_role_key;
CREATE UNIQUE INDEX commission_transactions_live_role ON commission_transactions (sale_id, role)
    WHERE payment_status <> 'cancelled';
-- A sale's transactions, cancelled ones included (the unique constraint's index served this before).
CREATE INDEX commission_transactions_sale ON commission_transactions (sale_id, role);

-- GET /events?status=RETRYING|DEAD drives from the few failing outcomes, never from the whole table.
CREATE INDEX consumer_outcomes_failing ON consumer_outcomes (event_id, status) WHERE status IN ('RETRYING', 'DEAD');

-- A bulk import or bulk sale until every consumer has finished with it. `outstanding` counts the
-- (event, consumer) deliveries of the bulk's events (same company and correlation id) not yet
-- PROCESSED or DEAD: the API sets it with the bulk's events, each consumer batch adds the
-- deliveries of the events it emitted and takes off those it settled, in its own transaction.
-- The batch that brings it to zero sets finished_at (once: only open rows are updated) and emits
-- bulk_operation.finished, whose notification mails the user who started it.
CREATE TABLE bulk_operations (
    id                uuid PRIMARY KEY,
    company_id        uuid        NOT NULL REFERENCES companies (id),
    kind              text        NOT NULL CHECK (kind IN ('property_import', 'sale_bulk')),
    correlation_id    text        NOT NULL,
    started_by        uuid        REFERENCES users (id),
    item_count        int         NOT NULL CHECK (item_count > 0),
    outstanding       int         NOT NULL,
    failed_deliveries int         NOT NULL DEFAULT 0,
    failed_items      int,
    created_at        timestamptz NOT NULL DEFAULT now(),
    finished_at       timestamptz
);
-- The open bulk of an event is found by (company, correlation id): at most one at a time.
CREATE UNIQUE INDEX bulk_operations_open ON bulk_operations (company_id, correlation_id) WHERE finished_at IS NULL;
CREATE INDEX bulk_operations_company ON bulk_operations (company_id, id);
