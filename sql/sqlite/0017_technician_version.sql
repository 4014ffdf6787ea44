-- A technician can be edited (technician edit, the dispatcher's page, PATCH /api/v1/technicians/{id}). Each edit
-- raises the version: an edit from a stale form is refused, and on PostgreSQL a booking that read the technician
-- before it took its turn sees that they changed meanwhile and runs again on what was saved.
ALTER TABLE technicians ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
