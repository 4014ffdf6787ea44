-- PostgreSQL twin of sql/sqlite/0007_feeds.sql (same tables and meanings; bigint milliseconds, bytea, identity keys).
-- The technicians' personal calendar feeds (webcal): one secret token per technician, stored only as
-- its SHA-256 hash. Rotating replaces the row, so the old URL finds nothing from then on.
CREATE TABLE feed_tokens (
    technician_id bigint  PRIMARY KEY REFERENCES technicians (id),
    token_hash    bytea      NOT NULL UNIQUE,              -- SHA-256 of the token's bytes; the token itself is never stored
    created_at    bigint  NOT NULL
);
