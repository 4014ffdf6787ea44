-- The payload (~8 KB of JSON) moves out of the outbox row into a table of its own. SQLite rewrites a changed
-- record together with its overflow pages, so with the payload inline every claim, "sent" mark, retry and
-- requeue rewrote the whole 8 KB; now they change a narrow row and the payload is written once, when the
-- message is queued, and only read after that (by the claim, which joins it). Every row's payload moves
-- with it, so a message queued before the upgrade is still sent; the two tables are written together.

CREATE TABLE outbox_payloads (
    outbox_id INTEGER PRIMARY KEY REFERENCES outbox (id),
    payload   TEXT    NOT NULL              -- JSON: template, language, recipient, the values it shows
);

INSERT INTO outbox_payloads (outbox_id, payload) SELECT id, payload FROM outbox;

ALTER TABLE outbox DROP COLUMN payload;
