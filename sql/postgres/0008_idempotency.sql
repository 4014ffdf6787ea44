-- PostgreSQL twin of sql/sqlite/0008_idempotency.sql (same tables and meanings; bigint milliseconds, bytea, identity keys).
-- Idempotency-Key of POST /api/v1/appointments: the first answer to a key, replayed for 24 hours.
-- A key belongs to the account that sent it. body_hash is SHA-256 of the request body: the same key with
-- another body is refused. status is NULL while the first request is still being answered.
CREATE TABLE idempotency_keys (
    account_id   bigint  NOT NULL,
    key          text       NOT NULL,
    body_hash    bytea      NOT NULL,
    created_at   bigint  NOT NULL,
    status       bigint      NULL,
    response     text           NULL,
    PRIMARY KEY (account_id, key)
);

CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
