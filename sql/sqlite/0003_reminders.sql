-- Reminders before each appointment. Planned in the same transaction as the booking change that
-- causes them: a reschedule replaces them, a cancellation cancels them, atomically with the change.
-- A sweep turns due reminders into outbox messages (or skips them, with the reason, when the
-- appointment has already begun because the service was down).

CREATE TABLE reminders (
    id             INTEGER PRIMARY KEY,
    appointment_id INTEGER NOT NULL REFERENCES appointments (id),
    sequence       INTEGER NOT NULL,                    -- the appointment's SEQUENCE it was planned for
    offset_minutes INTEGER NOT NULL,                    -- elapsed minutes before the start
    due_at         INTEGER NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'pending'
                           CHECK (status IN ('pending', 'queued', 'skipped', 'cancelled')),
    decided_at     INTEGER     NULL,
    note           TEXT        NULL,
    UNIQUE (appointment_id, sequence, offset_minutes)
);

CREATE INDEX reminders_due ON reminders (due_at) WHERE status = 'pending';
CREATE INDEX reminders_appointment ON reminders (appointment_id);
