-- Refused requests (401, 403, 404-by-scope) counted per source address and time window. The first
-- refusals of a window are audited one by one; beyond the limit they are only counted here and
-- audited as one summary per source and window (targets.md R5: junk tokens cannot flood the log).
CREATE TABLE refusal_windows (
    source        text        NOT NULL,
    window_start  timestamptz NOT NULL,
    refusals      int         NOT NULL,
    summarized_at timestamptz,
    PRIMARY KEY (source, window_start)
);
-- The sweep looks only at windows still owing a summary.
CREATE INDEX refusal_windows_owing ON refusal_windows (window_start) WHERE summarized_at IS NULL;
