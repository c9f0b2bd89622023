-- Operators and backup records (issue: nothing lost)
--
-- Backups themselves are files (backups/*.ddbak beside the database, and an
-- optional second folder or USB drive): each carries its own header, so the
-- list survives a restore and a file restores on another machine. The
-- database only keeps local settings (second folder, the office key wrapped
-- by the office passphrase, the file fingerprint that tells a copy) in
-- local_state.

-- 操作员: who is working at this PC. Local to the office, never synced (a
-- password hash must not travel on a USB stick), so no origin_office; written
-- with an audit entry each, without the password hash.
CREATE TABLE operators (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  password_hash TEXT,            -- scrypt$N$r$p$salt$hash (base64), NULL: no password
  note          TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  deleted_at    TEXT
);
CREATE UNIQUE INDEX operators_name ON operators (name) WHERE deleted_at IS NULL;

-- The audit log screen filters by these.
CREATE INDEX audit_log_operator ON audit_log (operator, at);
CREATE INDEX audit_log_action ON audit_log (action, at);
CREATE INDEX audit_log_entity_id ON audit_log (entity_id);
