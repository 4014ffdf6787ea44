-- PostgreSQL twin of sql/sqlite/0017_technician_version.sql: each edit of a technician raises the version, which
-- a booking compares after taking its turn (it read the technician before, at READ COMMITTED).
ALTER TABLE technicians ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
