-- After the session (issue 16): what became of each appointment, whether it was billable when it was booked, and
-- who exported which month for invoicing. Instants are INTEGER milliseconds since the Unix epoch, in UTC.

-- Whether the shop pays for the appointment, decided once at booking (Billing.Reason) and never again: a shop that
-- signs or ends its support contract later does not change what was booked before, so an export of a past month
-- stays the same. reason is NULL for appointments booked before this table existed (see the backfill below).
CREATE TABLE appointment_billing (
    appointment_id INTEGER PRIMARY KEY REFERENCES appointments (id),
    billable       INTEGER NOT NULL CHECK (billable IN (0, 1)),
    reason         TEXT        NULL CHECK (reason IS NULL OR reason IN ('covered', 'billable-type', 'no-support-contract'))
);

-- Booking has always refused billable work without the cost acknowledgment, and set it only for billable work:
-- for the appointments booked so far, acknowledged means billable.
INSERT INTO appointment_billing (appointment_id, billable, reason)
SELECT id, cost_acknowledged, NULL FROM appointments;

-- The technician's outcome of an appointment that has begun: one row per appointment, the latest word; every
-- change leaves a line in appointment_audit. minutes is what the session took (done only); follow_up_id the
-- appointment booked to continue the work.
CREATE TABLE appointment_outcomes (
    appointment_id INTEGER PRIMARY KEY REFERENCES appointments (id),
    outcome        TEXT    NOT NULL CHECK (outcome IN ('done', 'no-show', 'follow-up')),
    minutes        INTEGER     NULL CHECK (minutes IS NULL OR (minutes BETWEEN 1 AND 1440)),
    note           TEXT        NULL CHECK (note IS NULL OR length(note) <= 4000),
    follow_up_id   INTEGER     NULL REFERENCES appointments (id),
    recorded_at    INTEGER NOT NULL,
    recorded_by    TEXT    NOT NULL,
    CHECK ((outcome = 'done') = (minutes IS NOT NULL)),
    CHECK (outcome = 'follow-up' OR follow_up_id IS NULL)
);

CREATE INDEX appointment_outcomes_outcome ON appointment_outcomes (outcome, appointment_id);
CREATE INDEX appointment_outcomes_follow_up ON appointment_outcomes (follow_up_id);

-- The dispatcher's "past their end without an outcome" reads booked appointments by their end.
CREATE INDEX appointments_booked_end ON appointments (ends_at) WHERE status = 'booked';

-- Every billing export: who, when, which month, how many lines, and the file's SHA-256 (the same month exported
-- twice gives the same file, and this shows it).
CREATE TABLE billing_exports (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor       TEXT    NOT NULL,
    month       TEXT    NOT NULL,                       -- yyyy-MM in Scheduler:TimeZone
    format      TEXT    NOT NULL CHECK (format IN ('csv', 'json')),
    lines       INTEGER NOT NULL CHECK (lines >= 0),
    sha256      TEXT    NOT NULL
);

CREATE INDEX billing_exports_month ON billing_exports (month, id);
