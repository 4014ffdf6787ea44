-- The booking core: technicians, shops, appointments and their audit trail.
-- Every instant is an INTEGER of milliseconds since the Unix epoch, in UTC.
-- Wall-clock questions are answered in code with the IANA zone stored beside the data.

CREATE TABLE technicians (
    id                INTEGER PRIMARY KEY,
    name              TEXT    NOT NULL,
    email             TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    time_zone         TEXT    NOT NULL,                 -- IANA id, e.g. Europe/Berlin
    federal_state     TEXT    NOT NULL,                 -- ISO 3166-2:DE without "DE-", for holidays
    working_hours     TEXT    NOT NULL,                 -- "Mon-Fri 08:00-17:00" in time_zone
    appointment_types TEXT    NOT NULL,                 -- comma-separated type keys
    daily_cap         INTEGER     NULL CHECK (daily_cap IS NULL OR daily_cap > 0),
    active            INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at        INTEGER NOT NULL
);

CREATE TABLE time_off (
    id            INTEGER PRIMARY KEY,
    technician_id INTEGER NOT NULL REFERENCES technicians (id),
    starts_at     INTEGER NOT NULL,
    ends_at       INTEGER NOT NULL,
    reason        TEXT        NULL,
    CHECK (ends_at > starts_at)
);

CREATE INDEX time_off_technician ON time_off (technician_id, ends_at);

CREATE TABLE customers (
    id               INTEGER PRIMARY KEY,
    number           TEXT    NOT NULL UNIQUE,           -- the support team's customer number (Kundennummer)
    company          TEXT    NOT NULL,
    branch           TEXT        NULL,
    city             TEXT        NULL,
    federal_state    TEXT    NOT NULL,
    contact_name     TEXT    NOT NULL,
    emails           TEXT    NOT NULL,                  -- one or more addresses, comma-separated
    phone            TEXT        NULL,
    rustdesk_id      TEXT        NULL,                  -- digits without spaces, or a custom id
    language         TEXT    NOT NULL DEFAULT 'de' CHECK (language IN ('de', 'en')),
    support_contract INTEGER NOT NULL CHECK (support_contract IN (0, 1)),
    opening_hours    TEXT        NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);

CREATE TABLE appointments (
    id                INTEGER PRIMARY KEY,
    uid               TEXT    NOT NULL UNIQUE,          -- calendar UID, stable for the appointment's life
    technician_id     INTEGER NOT NULL REFERENCES technicians (id),
    customer_id       INTEGER NOT NULL REFERENCES customers (id),
    type_key          TEXT    NOT NULL,
    starts_at         INTEGER NOT NULL,
    ends_at           INTEGER NOT NULL,
    blocked_from      INTEGER NOT NULL,                 -- starts_at minus the type's buffer before
    blocked_until     INTEGER NOT NULL,                 -- ends_at plus the type's buffer after
    status            TEXT    NOT NULL CHECK (status IN ('booked', 'cancelled')),
    response          TEXT    NOT NULL DEFAULT 'needs-action'
                              CHECK (response IN ('needs-action', 'accepted', 'tentative', 'declined')),
    sequence          INTEGER NOT NULL DEFAULT 0,       -- iCalendar SEQUENCE
    rustdesk_id       TEXT        NULL,                 -- as on file when booked
    notes             TEXT        NULL,
    cost_acknowledged INTEGER NOT NULL DEFAULT 0 CHECK (cost_acknowledged IN (0, 1)),
    booked_by         TEXT    NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1,       -- optimistic concurrency
    CHECK (ends_at > starts_at),
    CHECK (blocked_from <= starts_at AND blocked_until >= ends_at),
    -- The overlap triggers only look one day back; no blocked span may be longer.
    CHECK (blocked_until - blocked_from <= 86400000)
);

CREATE INDEX appointments_technician_blocked ON appointments (technician_id, blocked_from) WHERE status = 'booked';
CREATE INDEX appointments_customer_start ON appointments (customer_id, starts_at) WHERE status = 'booked';
CREATE INDEX appointments_blocked ON appointments (blocked_from) WHERE status = 'booked';

-- The database itself refuses overlapping bookings, whatever code writes them.
-- A technician's blocked spans (with buffers) never overlap.
CREATE TRIGGER appointments_technician_overlap_insert
BEFORE INSERT ON appointments
WHEN NEW.status = 'booked'
BEGIN
    SELECT RAISE(ABORT, 'technician_overlap')
    WHERE EXISTS (
        SELECT 1 FROM appointments a
        WHERE a.technician_id = NEW.technician_id
          AND a.status = 'booked'
          AND a.blocked_from >= NEW.blocked_from - 86400000
          AND a.blocked_from < NEW.blocked_until
          AND a.blocked_until > NEW.blocked_from);
END;

CREATE TRIGGER appointments_technician_overlap_update
BEFORE UPDATE OF technician_id, blocked_from, blocked_until, status ON appointments
WHEN NEW.status = 'booked'
BEGIN
    SELECT RAISE(ABORT, 'technician_overlap')
    WHERE EXISTS (
        SELECT 1 FROM appointments a
        WHERE a.technician_id = NEW.technician_id
          AND a.id <> NEW.id
          AND a.status = 'booked'
          AND a.blocked_from >= NEW.blocked_from - 86400000
          AND a.blocked_from < NEW.blocked_until
          AND a.blocked_until > NEW.blocked_from);
END;

-- A shop's till hosts one remote session at a time.
CREATE TRIGGER appointments_shop_overlap_insert
BEFORE INSERT ON appointments
WHEN NEW.status = 'booked'
BEGIN
    SELECT RAISE(ABORT, 'shop_overlap')
    WHERE EXISTS (
        SELECT 1 FROM appointments a
        WHERE a.customer_id = NEW.customer_id
          AND a.status = 'booked'
          AND a.starts_at >= NEW.starts_at - 86400000
          AND a.starts_at < NEW.ends_at
          AND a.ends_at > NEW.starts_at);
END;

CREATE TRIGGER appointments_shop_overlap_update
BEFORE UPDATE OF customer_id, starts_at, ends_at, status ON appointments
WHEN NEW.status = 'booked'
BEGIN
    SELECT RAISE(ABORT, 'shop_overlap')
    WHERE EXISTS (
        SELECT 1 FROM appointments a
        WHERE a.customer_id = NEW.customer_id
          AND a.id <> NEW.id
          AND a.status = 'booked'
          AND a.starts_at >= NEW.starts_at - 86400000
          AND a.starts_at < NEW.ends_at
          AND a.ends_at > NEW.starts_at);
END;

CREATE TABLE appointment_audit (
    id             INTEGER PRIMARY KEY,
    appointment_id INTEGER NOT NULL REFERENCES appointments (id),
    at             INTEGER NOT NULL,
    actor          TEXT    NOT NULL,
    action         TEXT    NOT NULL,                    -- booked, rescheduled, cancelled, ...
    details        TEXT    NOT NULL                     -- JSON: what changed
);

CREATE INDEX appointment_audit_appointment ON appointment_audit (appointment_id, id);
