-- Reads that stay as fast with a million appointments (a big vendor after a few years) as with ten thousand:
-- each is bounded by what it shows, on an index (the benchmark's `scale` verb measures both files).

-- A shop's history, newest first a page at a time: the existing (customer_id, starts_at) index holds booked
-- appointments only, and the history shows cancelled ones too.
CREATE INDEX appointments_customer_history ON appointments (customer_id, starts_at, id);

-- The time off of many technicians at once (a slot search for "any" technician) is read by its window.
CREATE INDEX time_off_ends ON time_off (ends_at);

-- A slot search for "any" of many technicians reads the booked blocks of its window whoever they belong to: the
-- window's index now carries every column that read needs (status too, so that SQLite sees the index covers it),
-- so its thousands of rows need no visit to the table (~5 ms of a 14-day search over 1,000 technicians). It
-- replaces the plain (blocked_from) index, whose readers it serves as well.
DROP INDEX appointments_blocked;
CREATE INDEX appointments_blocked_window ON appointments (blocked_from, blocked_until, technician_id, starts_at, ends_at, status) WHERE status = 'booked';
