-- Sign-in rows hold an address and when it asked for a link: personal data with no use once the link is dead.
-- A new request deletes the rows that expired more than a week before it (ShopSignInService); this index keeps
-- that delete a range search instead of a scan of every request ever made.
CREATE INDEX shop_sign_ins_expires ON shop_sign_ins (expires_at);
