-- The shops' answers, read from the support mailbox (iTIP REPLY, COUNTER, REFRESH).
-- An answer is applied in the same transaction that records its message, so a message read twice
-- (a mailbox showing it again, a reader that died before moving it) changes nothing the second time.

-- The appointment's answer: who answered, and when (the response column holds what).
ALTER TABLE appointments ADD COLUMN responded_at INTEGER NULL;
ALTER TABLE appointments ADD COLUMN responded_by TEXT NULL;
-- When the shop confirmed its RustDesk ID for this appointment (the self-service page sets it).
ALTER TABLE appointments ADD COLUMN rustdesk_confirmed_at INTEGER NULL;

-- Every calendar answer the service has read, once: applied, recorded without effect, or kept for review.
CREATE TABLE inbound_messages (
    id             INTEGER PRIMARY KEY,
    message_key    TEXT    NOT NULL UNIQUE,            -- Message-ID and a hash of the calendar: one per answer
    message_id     TEXT        NULL,                   -- the Message-ID header, without <>
    source         TEXT    NOT NULL,                   -- where it was read: imap:INBOX/<uidvalidity>/<uid>, file:…, import:…
    received_at    INTEGER NOT NULL,
    sender         TEXT    NOT NULL,                   -- From (and Sender), as written
    method         TEXT        NULL,                   -- REPLY, COUNTER, REFRESH; null if no calendar could be read
    uid            TEXT        NULL,
    sequence       INTEGER     NULL,
    attendee       TEXT        NULL,
    answer         TEXT        NULL,                   -- accepted, tentative, declined (REPLY)
    appointment_id INTEGER     NULL REFERENCES appointments (id),
    outcome        TEXT    NOT NULL CHECK (outcome IN ('applied', 'recorded', 'review')),
    reason         TEXT        NULL                    -- why recorded only, or why kept for review
);

CREATE INDEX inbound_messages_outcome ON inbound_messages (outcome, id);
CREATE INDEX inbound_messages_appointment ON inbound_messages (appointment_id);

-- A shop's counter-proposal: a reschedule request a dispatcher accepts (the normal reschedule) or declines.
CREATE TABLE reschedule_requests (
    id                 INTEGER PRIMARY KEY,
    appointment_id     INTEGER NOT NULL REFERENCES appointments (id),
    inbound_message_id INTEGER NOT NULL REFERENCES inbound_messages (id),
    sequence           INTEGER NOT NULL,               -- the SEQUENCE the shop answered
    proposed_start     INTEGER NOT NULL,
    proposed_end       INTEGER NOT NULL,
    proposed_by        TEXT    NOT NULL,               -- the attendee's address
    comment            TEXT        NULL,
    free_when_received INTEGER NOT NULL CHECK (free_when_received IN (0, 1)),
    status             TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'declined', 'superseded')),
    created_at         INTEGER NOT NULL,
    decided_at         INTEGER     NULL,
    decided_by         TEXT        NULL,
    CHECK (proposed_end > proposed_start)
);

CREATE INDEX reschedule_requests_open ON reschedule_requests (status, appointment_id);

-- How far a mailbox has been read: messages after last_uid are new. A new UIDVALIDITY starts over
-- (the recorded message keys keep that from applying anything twice).
CREATE TABLE mailbox_cursors (
    mailbox      TEXT    PRIMARY KEY,                  -- user@host/folder
    uid_validity INTEGER NOT NULL,
    last_uid     INTEGER NOT NULL
);

-- Work that one node at a time may do (reading the support mailbox): held until expires_at, renewed while alive.
CREATE TABLE leases (
    name       TEXT    PRIMARY KEY,
    holder     TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
);
