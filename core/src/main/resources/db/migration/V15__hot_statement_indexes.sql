-- Issue 16, item 1: indexes that keep hot statements on an index range whatever the statistics
-- (local: realty.local.plans.HotPathPlansTest, docs/operations.md "Hot statement plans").

-- Every refused request drops its source's day-old windows (RefusalWindowRepository.dropBefore): by age,
-- not by reading the table.
CREATE INDEX refusal_windows_start ON refusal_windows (window_start);
-- ... and claims that source's windows owing a summary (lockOwing, markSummarized with a source): the
-- source's own range. Without it the planner may read every source's unsummarised windows and sort them.
CREATE INDEX refusal_windows_owing_source ON refusal_windows (source, window_start) WHERE summarized_at IS NULL;

-- An agent's "own" scope (RowScope.own: properties, sales, commissions and rules listed, assigned or
-- sold through their agent records) looks the user's agent records up by user on every request.
CREATE INDEX agents_user ON agents (user_id);
