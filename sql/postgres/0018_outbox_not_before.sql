-- PostgreSQL twin of sql/sqlite/0018_outbox_not_before.sql: a message queued ahead of its time (a reminder) is not
-- sent and not counted as waiting before not_before (milliseconds since the epoch, as next_attempt_at).
ALTER TABLE outbox ADD COLUMN not_before bigint;
