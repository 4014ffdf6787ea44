-- Shops booking their own appointment (/buchen) sign in without a password: the customer number and an address
-- on file get a one-time link. Only the SHA-256 of the link's token is stored; the token is HMAC-SHA256 of a
-- random seed under the link key (SelfService:LinkKey or keys/shop-links.key), and the outbox keeps only the seed.
-- A link works once (used_at) and until expires_at. A request whose pair did not match writes a row too (no customer,
-- no address, expired when made): the answer then costs the same write, so its time tells nothing.
CREATE TABLE shop_sign_ins (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER     NULL REFERENCES customers (id), -- NULL: a request whose number and address did not match
    email       TEXT    NOT NULL,                    -- the address on file the link was mailed to (lower case); '' when none
    token_hash  BLOB    NOT NULL UNIQUE,             -- SHA-256 of the token's bytes: what a request is looked up by
    issued_at   INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER     NULL                     -- set by the one confirmation that signs the shop in
);

CREATE INDEX shop_sign_ins_customer ON shop_sign_ins (customer_id, issued_at);

-- A shop that books a billable type on the booking page acknowledges the cost notice there: 'shop-booking'
-- (recipient is the signed-in address, no link). SQLite cannot change a CHECK, so the table is rebuilt.
CREATE TABLE cost_acknowledgments_new (
    id              INTEGER PRIMARY KEY,
    appointment_id  INTEGER NOT NULL REFERENCES appointments (id),
    acknowledged_at INTEGER NOT NULL,
    how             TEXT    NOT NULL CHECK (how IN ('shop-link', 'shop-booking')),
    link_id         INTEGER     NULL REFERENCES shop_links (id),
    recipient       TEXT        NULL,
    notice          TEXT    NOT NULL                    -- the cost notice exactly as the shop was shown it
);

INSERT INTO cost_acknowledgments_new (id, appointment_id, acknowledged_at, how, link_id, recipient, notice)
SELECT id, appointment_id, acknowledged_at, how, link_id, recipient, notice FROM cost_acknowledgments;

DROP TABLE cost_acknowledgments;
ALTER TABLE cost_acknowledgments_new RENAME TO cost_acknowledgments;
CREATE INDEX cost_acknowledgments_appointment ON cost_acknowledgments (appointment_id);
