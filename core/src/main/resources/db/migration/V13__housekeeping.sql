-- Housekeeping (issue 15): the indexes its prunes walk, so each batch is an index range scan
-- however large the tables grow (targets.md P9).

-- OutboxPrune: published rows, oldest first, with a (published_at, id) cursor.
CREATE INDEX outbox_events_published ON outbox_events (published_at, id) WHERE status = 'PUBLISHED';

-- MailLedgerPrune: sent rows by age across recipients, and the held mails a summary listed (also what
-- the summary_id foreign key checks when a summary row is deleted).
CREATE INDEX sent_notifications_sent_at ON sent_notifications (sent_at) WHERE status = 'SENT';
CREATE INDEX sent_notifications_summary ON sent_notifications (summary_id) WHERE summary_id IS NOT NULL;

-- WebhookLedgerPrune: deliveries by the time of their last attempt.
CREATE INDEX webhook_deliveries_last_attempt ON webhook_deliveries (last_attempt_at);
