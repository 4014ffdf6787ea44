-- The shops' personal links to their appointment's page (/s/{token}): one active link per appointment and
-- recipient. The token is HMAC-SHA256(link key, seed); the link key lives outside the database
-- (SelfService:LinkKey, or keys/shop-links.key beside it), so neither the seed nor the stored hash opens
-- the page on its own. Issuing a new link for the same recipient revokes the old one.
CREATE TABLE shop_links (
    id             INTEGER PRIMARY KEY,
    appointment_id INTEGER NOT NULL REFERENCES appointments (id),
    recipient      TEXT    NOT NULL,                    -- the address the link was mailed to (lower case)
    seed           BLOB    NOT NULL,                    -- 16 random bytes; the token is HMAC(key, seed)
    token_hash     BLOB    NOT NULL UNIQUE,             -- SHA-256 of the token's bytes: what a request is looked up by
    issued_at      INTEGER NOT NULL,
    revoked_at     INTEGER     NULL,
    revoked_why    TEXT        NULL                     -- replaced, cancelled
);

CREATE UNIQUE INDEX shop_links_active ON shop_links (appointment_id, recipient) WHERE revoked_at IS NULL;

-- Proof for invoicing that the shop accepted the cost notice of a billable appointment itself.
CREATE TABLE cost_acknowledgments (
    id              INTEGER PRIMARY KEY,
    appointment_id  INTEGER NOT NULL REFERENCES appointments (id),
    acknowledged_at INTEGER NOT NULL,
    how             TEXT    NOT NULL CHECK (how IN ('shop-link')),
    link_id         INTEGER     NULL REFERENCES shop_links (id),
    recipient       TEXT        NULL,
    notice          TEXT    NOT NULL                    -- the cost notice exactly as the shop was shown it
);

CREATE INDEX cost_acknowledgments_appointment ON cost_acknowledgments (appointment_id);
