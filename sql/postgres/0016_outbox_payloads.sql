-- PostgreSQL twin of sql/sqlite/0016_outbox_payloads.sql (same tables and meanings; bigint milliseconds, bytea, identity keys).
-- The payload (~8 KB of JSON) moves out of the outbox row into a table of its own, so that claims, "sent"
-- marks, retries and requeues update a narrow row (a new row version each time) and the payload is written
-- once, when the message is queued. Every row's payload moves with it: a message queued before the upgrade is
-- still sent.

CREATE TABLE outbox_payloads (
    outbox_id bigint  PRIMARY KEY REFERENCES outbox (id),
    payload   text    NOT NULL              -- JSON: template, language, recipient, the values it shows
);

INSERT INTO outbox_payloads (outbox_id, payload) SELECT id, payload FROM outbox;

ALTER TABLE outbox DROP COLUMN payload;
