-- PostgreSQL twin of sql/sqlite/0015_shop_sign_ins_expiry.sql: sign-in rows are deleted a week after they expired,
-- by range on this index.
CREATE INDEX shop_sign_ins_expires ON shop_sign_ins (expires_at);
