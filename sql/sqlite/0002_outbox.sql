-- The transactional outbox: every email is written here in the same transaction as the change
-- that causes it, as a snapshot of everything it says (payload, JSON), and a dispatcher renders and
-- delivers it afterwards. Rendering MIME and iCalendar (~10 KB) outside the booking transaction keeps
-- SQLite's single writer lock short; the snapshot fixes the content, so a re-send is byte-identical.

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    message_id      TEXT    NOT NULL UNIQUE,            -- deterministic RFC 5322 Message-ID, without <>
    appointment_id  INTEGER     NULL REFERENCES appointments (id),
    kind            TEXT    NOT NULL,                   -- invitation, update, cancellation, reminder, agenda
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    payload         TEXT    NOT NULL,                   -- JSON: template, language, recipient, the values it shows
    status          TEXT    NOT NULL DEFAULT 'pending'
                            CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,                   -- when pending: not before; when sending: claim expires
    last_error      TEXT        NULL,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER     NULL
);

CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_appointment ON outbox (appointment_id);
