-- PostgreSQL twin of sql/sqlite/0004_outbox_claims.sql (same tables and meanings; bigint milliseconds, bytea, identity keys).
-- Who holds a message that is being sent: a lease, not a blanket lock. A claim lasts until
-- next_attempt_at; after that any dispatcher may take the message over. At start a service puts back
-- only what it claimed itself before it stopped, never another node's message in flight.
ALTER TABLE outbox ADD COLUMN claimed_by text    NULL;
