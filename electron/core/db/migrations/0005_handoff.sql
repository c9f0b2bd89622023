-- USB handoff: office keys, trusted offices, acknowledgements, package history, conflicts (issue: handoff)
--
-- Everything here is local to this database (never travels) except
-- handoff_knowledge, which is synced like any data table.

-- This office's signing key (Ed25519), made on the first identity export.
-- The private key never leaves this database.
CREATE TABLE handoff_keys (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  public_key  TEXT NOT NULL,   -- SPKI DER, base64
  private_key TEXT NOT NULL,   -- PKCS#8 DER, base64
  key_id      TEXT NOT NULL,   -- first 16 bytes of sha256(SPKI DER), hex
  created_at  TEXT NOT NULL
);

-- Offices paired with this one (配对): their public keys, checked by phone.
CREATE TABLE trusted_offices (
  office_code TEXT PRIMARY KEY,
  office_name TEXT NOT NULL,
  office_type TEXT NOT NULL CHECK (office_type IN ('county', 'township')),
  public_key  TEXT NOT NULL,
  key_id      TEXT NOT NULL,
  trusted_at  TEXT NOT NULL,
  operator    TEXT NOT NULL
);

-- How far this database holds each (origin office, epoch) change sequence:
-- every change up to seq that is meant for this office has been received.
-- This office's own changes are counted from change_log instead.
CREATE TABLE handoff_holdings (
  origin_office TEXT NOT NULL,
  epoch         TEXT NOT NULL,
  seq           INTEGER NOT NULL,
  PRIMARY KEY (origin_office, epoch)
) WITHOUT ROWID;

-- What each paired office said it holds (the acknowledgements in the header
-- of its newest package): the next package to it starts after these.
CREATE TABLE handoff_peer_acks (
  peer_office   TEXT NOT NULL,
  origin_office TEXT NOT NULL,
  epoch         TEXT NOT NULL,
  seq           INTEGER NOT NULL,
  PRIMARY KEY (peer_office, origin_office, epoch)
) WITHOUT ROWID;

-- The package the acknowledgements above came from, so an older stick
-- delivered late never moves them back.
CREATE TABLE handoff_peer_state (
  peer_office TEXT PRIMARY KEY,
  sender_hlc  TEXT NOT NULL,
  package_id  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

-- 交换记录: every package written or applied here, with its readable report.
CREATE TABLE handoff_history (
  id          TEXT PRIMARY KEY,
  direction   TEXT NOT NULL CHECK (direction IN ('export', 'import')),
  package_id  TEXT NOT NULL,
  peer_office TEXT NOT NULL,
  peer_name   TEXT,
  file_name   TEXT NOT NULL,
  file_path   TEXT,
  at          TEXT NOT NULL,
  operator    TEXT NOT NULL,
  changes     INTEGER NOT NULL,
  summary     TEXT NOT NULL,   -- Chinese, one line
  report_json TEXT NOT NULL
);
CREATE UNIQUE INDEX handoff_history_imported ON handoff_history (package_id) WHERE direction = 'import';
CREATE INDEX handoff_history_at ON handoff_history (at);

-- 冲突记录: a field two offices changed without seeing each other's change.
-- Both values are kept; the loser can be applied again as a new change.
-- Op ids are "origin/epoch/seq" of the change_log rows.
CREATE TABLE handoff_conflicts (
  id            TEXT PRIMARY KEY,
  entity        TEXT NOT NULL,
  entity_id     TEXT NOT NULL,
  field         TEXT NOT NULL,
  rule          TEXT NOT NULL CHECK (rule IN ('owner', 'clock', 'office-code tie', 'delete')),
  winner_value  TEXT,           -- JSON
  winner_office TEXT NOT NULL,
  winner_hlc    TEXT NOT NULL,
  winner_op     TEXT NOT NULL,
  loser_value   TEXT,           -- JSON
  loser_office  TEXT NOT NULL,
  loser_hlc     TEXT NOT NULL,
  loser_op      TEXT NOT NULL,
  package_id    TEXT,
  detected_at   TEXT NOT NULL,
  reapplied_at  TEXT,
  reapplied_by  TEXT
);
CREATE UNIQUE INDEX handoff_conflicts_pair ON handoff_conflicts (entity, entity_id, field, loser_op, winner_op);
CREATE INDEX handoff_conflicts_detected ON handoff_conflicts (detected_at);

-- Rows whose changes arrived but could not be written here (a rule of this
-- database refused them: a unique index, an issued batch's lock). Their
-- changes are kept in change_log; every import tries them again.
CREATE TABLE handoff_blocked (
  entity     TEXT NOT NULL,
  entity_id  TEXT NOT NULL,
  reason     TEXT NOT NULL,
  since      TEXT NOT NULL,
  PRIMARY KEY (entity, entity_id)
) WITHOUT ROWID;

-- Synced. What an office held when it applied a package (a version vector:
-- {"origin:epoch": seq}), written as one of its own changes. A later change
-- of that office has seen exactly what its newest earlier knowledge row lists,
-- so every office can tell an edit made after seeing another (an ordinary
-- overwrite) from two edits made without seeing each other (a conflict).
CREATE TABLE handoff_knowledge (
  id            TEXT PRIMARY KEY,
  office_code   TEXT NOT NULL,
  epoch         TEXT NOT NULL,
  vv_json       TEXT NOT NULL,
  origin_office TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  deleted_at    TEXT
);

-- Duplicate persons merged at the county: the merged one is tombstoned and
-- points at the one kept, and the merge travels as ordinary changes.
ALTER TABLE persons ADD COLUMN merged_into TEXT;

-- Two townships may register the same person (same ID number) before the
-- county merges them, and the county must hold both registrations to show
-- them side by side. A unique index would make the second one impossible to
-- receive, so it becomes a plain lookup index; the roster still refuses a
-- duplicate typed in on this PC.
DROP INDEX persons_id_number;
CREATE INDEX persons_id_number ON persons (id_number) WHERE id_number IS NOT NULL AND deleted_at IS NULL;
