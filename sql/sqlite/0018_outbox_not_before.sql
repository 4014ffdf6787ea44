-- A message queued ahead of its time (a reminder, up to Reminders:QueueAhead before it is due) says when it may go.
-- Until then it is not sent (next_attempt_at holds the same instant) and is not counted as waiting by the health
-- checks and the backlog gauges, which measure a message's wait from here when it is set, else from created_at.
ALTER TABLE outbox ADD COLUMN not_before INTEGER;
