-- Foundation: office identity, the audit and change logs every write feeds,
-- and the roster (persons hold seats). Never edit this file once shipped:
-- add a new numbered migration instead.

-- The office that owns this database. One row.
CREATE TABLE office_identity (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  office_type   TEXT NOT NULL CHECK (office_type IN ('county', 'township')),
  office_code   TEXT NOT NULL,
  office_name   TEXT NOT NULL,
  -- Random; changes when the database is created, restored or copied, so the
  -- handoff never mistakes new changes for old ones.
  epoch         TEXT NOT NULL,
  created_at    TEXT NOT NULL
);

-- Local, never synced: settings and clocks.
CREATE TABLE local_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Who did what, when, with before/after. Append-only: the app has no way to edit it.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  at          TEXT NOT NULL,
  operator    TEXT NOT NULL,
  action      TEXT NOT NULL,   -- create | update | delete | reveal | import | export | …
  entity      TEXT,            -- table name
  entity_id   TEXT,
  summary     TEXT,            -- Chinese, human-readable
  before_json TEXT,
  after_json  TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Every change to a synced row, in order, for the USB handoff. The sequence is
-- gap-free per origin office and epoch (a restored or copied database starts a
-- new epoch, so it never reuses numbers the other offices have already seen);
-- hlc is a hybrid logical clock (sortable text). Changes received from other
-- offices are kept here too, under their own origin.
CREATE TABLE change_log (
  origin_office TEXT NOT NULL,
  seq           INTEGER NOT NULL,
  epoch         TEXT NOT NULL,
  hlc           TEXT NOT NULL,
  entity        TEXT NOT NULL,
  entity_id     TEXT NOT NULL,
  op            TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
  fields_json   TEXT NOT NULL,  -- the changed columns and their new values
  at            TEXT NOT NULL,
  PRIMARY KEY (origin_office, epoch, seq)
) WITHOUT ROWID;
CREATE INDEX change_log_entity ON change_log (entity, entity_id);

-- 代表小组
CREATE TABLE deputy_groups (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  level         TEXT,
  township      TEXT,
  leader        TEXT,
  note          TEXT,
  origin_office TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  deleted_at    TEXT
);

-- 代表联络站
CREATE TABLE liaison_stations (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  township      TEXT,
  address       TEXT,
  reception_day TEXT,
  note          TEXT,
  origin_office TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  deleted_at    TEXT
);

CREATE TABLE persons (
  id                    TEXT PRIMARY KEY,
  name                  TEXT NOT NULL,
  gender                TEXT CHECK (gender IN ('男', '女')),
  ethnicity             TEXT,
  birth_date            TEXT,            -- YYYY-MM or YYYY-MM-DD
  native_place          TEXT,
  political_affiliation TEXT,
  education             TEXT,
  degree                TEXT,
  work_unit             TEXT,
  composition           TEXT,            -- 代表构成
  phone                 TEXT,
  address               TEXT,
  id_number             TEXT,            -- 公民身份号码, shown masked
  has_fixed_income      INTEGER CHECK (has_fixed_income IN (0, 1)),
  bank_name             TEXT,
  bank_account          TEXT,
  note                  TEXT,
  origin_office         TEXT NOT NULL,
  created_at            TEXT NOT NULL,
  updated_at            TEXT NOT NULL,
  deleted_at            TEXT
);
CREATE INDEX persons_name ON persons (name);
CREATE UNIQUE INDEX persons_id_number ON persons (id_number) WHERE id_number IS NOT NULL AND deleted_at IS NULL;

CREATE TABLE seats (
  id             TEXT PRIMARY KEY,
  person_id      TEXT NOT NULL REFERENCES persons (id),
  level          TEXT NOT NULL CHECK (level IN ('national', 'province', 'city', 'county', 'township')),
  term           TEXT NOT NULL,          -- 届次, e.g. 第十九届
  constituency   TEXT,                   -- 选区/原选举单位
  township       TEXT,                   -- 所属乡镇(街道)
  certificate_no TEXT,                   -- 代表证号
  group_id       TEXT REFERENCES deputy_groups (id),
  station_id     TEXT REFERENCES liaison_stations (id),
  is_reelected   INTEGER CHECK (is_reelected IN (0, 1)),
  start_date     TEXT,
  start_method   TEXT CHECK (start_method IN ('general', 'by_election')),
  status         TEXT NOT NULL DEFAULT 'current' CHECK (status IN ('current', 'suspended', 'ended')),
  end_date       TEXT,
  end_reason     TEXT,
  note           TEXT,
  origin_office  TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  deleted_at     TEXT
);
CREATE INDEX seats_person ON seats (person_id);
CREATE INDEX seats_filter ON seats (deleted_at, status, level, township, term);
CREATE INDEX seats_township ON seats (township);
CREATE INDEX seats_certificate ON seats (certificate_no);

-- Lifecycle of a seat: election, by-election, suspension, restoration, end.
CREATE TABLE seat_events (
  id            TEXT PRIMARY KEY,
  seat_id       TEXT NOT NULL REFERENCES seats (id),
  kind          TEXT NOT NULL CHECK (kind IN ('elected', 'by_election', 'suspended', 'restored', 'ended', 'resigned')),
  date          TEXT NOT NULL,
  document_no   TEXT,
  reason        TEXT,
  note          TEXT,
  origin_office TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  deleted_at    TEXT
);
CREATE INDEX seat_events_seat ON seat_events (seat_id);
