-- Staff accounts for the web pages and the HTTP API: technicians, dispatchers, admins.
-- Passwords are stored as ASP.NET Core Identity's PasswordHasher output (PBKDF2, salted, versioned);
-- API keys only as SHA-256 hashes. Neither is ever readable back.
CREATE TABLE staff_accounts (
    id              INTEGER PRIMARY KEY,
    login           TEXT    NOT NULL UNIQUE,            -- the email address, lower case
    name            TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('technician', 'dispatcher', 'admin')),
    technician_id   INTEGER     NULL UNIQUE REFERENCES technicians (id),
    password_hash   TEXT    NOT NULL,
    security_stamp  TEXT    NOT NULL,                   -- changes on password reset and "sign out everywhere"
    language        TEXT        NULL CHECK (language IN ('de', 'en')),  -- null: the browser's
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER     NULL,
    created_at      INTEGER NOT NULL,
    CHECK (role <> 'technician' OR technician_id IS NOT NULL)
);

CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES staff_accounts (id),
    name         TEXT    NOT NULL,
    key_hash     BLOB    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER     NULL,
    revoked_at   INTEGER     NULL
);

CREATE INDEX api_keys_account ON api_keys (account_id, id);

-- Who did what to the accounts (created, password reset, signed out everywhere, key created or revoked, locked out).
CREATE TABLE staff_audit (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES staff_accounts (id),
    at         INTEGER NOT NULL,
    action     TEXT    NOT NULL,
    actor      TEXT    NOT NULL,
    detail     TEXT        NULL
);
