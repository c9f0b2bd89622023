-- Performance scoring: activities, attendance, suggestions, adjustments, rule sets (issue: scoring)
-- Points are INTEGER hundredths of a point (*_x100) so totals add up exactly.

-- 积分规则: one rule set per period (2025, 2025H1, 2025Q3, 2025-03) and level
-- (NULL: every level the office scores). draft → in_force → closed.
CREATE TABLE rule_sets (
  id                TEXT PRIMARY KEY,
  period            TEXT NOT NULL,
  level             TEXT CHECK (level IN ('national', 'province', 'city', 'county', 'township')),
  name              TEXT NOT NULL,
  status            TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_force', 'closed')),
  preset            TEXT,
  base_x100         INTEGER NOT NULL DEFAULT 0,
  floor_x100        INTEGER,                 -- NULL: no floor
  grades_json       TEXT NOT NULL DEFAULT '[]',  -- [{"name":"好","min":8000},{"name":"差","min":null}]
  require_review    INTEGER NOT NULL DEFAULT 0 CHECK (require_review IN (0, 1)),
  alert_bottom_n    INTEGER,                 -- lowest N …
  alert_bottom_runs INTEGER NOT NULL DEFAULT 2, -- … this many periods running
  alert_below_x100  INTEGER,                 -- totals below this
  closed_at         TEXT,
  note              TEXT,
  origin_office     TEXT NOT NULL,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  deleted_at        TEXT
);
CREATE UNIQUE INDEX rule_sets_period_level ON rule_sets (period, coalesce(level, '')) WHERE deleted_at IS NULL;

-- 积分项目: first occurrence, each further, cap; several activity types may be pooled.
CREATE TABLE rule_items (
  id              TEXT PRIMARY KEY,
  rule_set_id     TEXT NOT NULL REFERENCES rule_sets (id),
  code            TEXT NOT NULL,
  name            TEXT NOT NULL,
  category        TEXT NOT NULL CHECK (category IN ('会议期间', '闭会期间', '加分', '扣分')),
  activity_types  TEXT NOT NULL,           -- JSON array of activity type names; 代表建议 counts suggestions
  first_x100      INTEGER NOT NULL DEFAULT 0,
  further_x100    INTEGER NOT NULL DEFAULT 0,
  cap_x100        INTEGER,                 -- NULL: 上不封顶
  leave_x100      INTEGER NOT NULL DEFAULT 0,
  absent_x100     INTEGER NOT NULL DEFAULT 0,
  cosign_x100     INTEGER NOT NULL DEFAULT 0,
  cosign_cap_x100 INTEGER,
  sort_order      INTEGER NOT NULL DEFAULT 0,
  note            TEXT,
  origin_office   TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  deleted_at      TEXT
);
CREATE INDEX rule_items_set ON rule_items (rule_set_id);
CREATE UNIQUE INDEX rule_items_code ON rule_items (rule_set_id, code) WHERE deleted_at IS NULL;

-- 履职活动: meetings, inspections, receptions, training; 人代会 is a type of its own.
CREATE TABLE activities (
  id             TEXT PRIMARY KEY,
  type           TEXT NOT NULL,
  date           TEXT NOT NULL,
  title          TEXT NOT NULL,
  organiser      TEXT,
  place          TEXT,
  level          TEXT CHECK (level IN ('national', 'province', 'city', 'county', 'township')), -- which congress organised it
  township       TEXT,
  review_status  TEXT NOT NULL DEFAULT 'confirmed' CHECK (review_status IN ('confirmed', 'pending', 'rejected')),
  reviewed_by    TEXT,
  reviewed_at    TEXT,
  note           TEXT,
  origin_office  TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  deleted_at     TEXT
);
CREATE INDEX activities_date ON activities (date, deleted_at, review_status, type);

-- Who took part and how: 出席 / 请假 / 缺席.
CREATE TABLE activity_participants (
  id             TEXT PRIMARY KEY,
  activity_id    TEXT NOT NULL REFERENCES activities (id),
  seat_id        TEXT NOT NULL REFERENCES seats (id),
  attendance     TEXT NOT NULL DEFAULT '出席' CHECK (attendance IN ('出席', '请假', '缺席')),
  note           TEXT,
  origin_office  TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  deleted_at     TEXT
);
CREATE UNIQUE INDEX activity_participants_once ON activity_participants (activity_id, seat_id) WHERE deleted_at IS NULL;
CREATE INDEX activity_participants_seat ON activity_participants (seat_id);

-- 代表建议 as scoring input: the leading deputy (领衔) and co-signers (附议).
CREATE TABLE suggestions (
  id             TEXT PRIMARY KEY,
  title          TEXT NOT NULL,
  date           TEXT NOT NULL,
  lead_seat_id   TEXT NOT NULL REFERENCES seats (id),
  number         TEXT,                    -- 建议编号
  review_status  TEXT NOT NULL DEFAULT 'confirmed' CHECK (review_status IN ('confirmed', 'pending', 'rejected')),
  reviewed_by    TEXT,
  reviewed_at    TEXT,
  note           TEXT,
  origin_office  TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  deleted_at     TEXT
);
CREATE INDEX suggestions_date ON suggestions (date);
CREATE INDEX suggestions_lead ON suggestions (lead_seat_id);

CREATE TABLE suggestion_cosigners (
  id             TEXT PRIMARY KEY,
  suggestion_id  TEXT NOT NULL REFERENCES suggestions (id),
  seat_id        TEXT NOT NULL REFERENCES seats (id),
  origin_office  TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  deleted_at     TEXT
);
CREATE INDEX suggestion_cosigners_suggestion ON suggestion_cosigners (suggestion_id);
CREATE INDEX suggestion_cosigners_seat ON suggestion_cosigners (seat_id);

-- 加分 / 扣分 by hand, with the reason and who approved it.
CREATE TABLE score_adjustments (
  id             TEXT PRIMARY KEY,
  seat_id        TEXT NOT NULL REFERENCES seats (id),
  date           TEXT NOT NULL,
  points_x100    INTEGER NOT NULL,
  reason         TEXT NOT NULL,
  approved_by    TEXT NOT NULL,
  review_status  TEXT NOT NULL DEFAULT 'confirmed' CHECK (review_status IN ('confirmed', 'pending', 'rejected')),
  reviewed_by    TEXT,
  reviewed_at    TEXT,
  origin_office  TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  deleted_at     TEXT
);
CREATE INDEX score_adjustments_date ON score_adjustments (date);
CREATE INDEX score_adjustments_seat ON score_adjustments (seat_id);

-- Scores of a closed period, frozen when it closed: later rule or record edits leave them alone.
CREATE TABLE score_snapshots (
  id             TEXT PRIMARY KEY,
  rule_set_id    TEXT NOT NULL REFERENCES rule_sets (id),
  seat_id        TEXT NOT NULL REFERENCES seats (id),
  level          TEXT NOT NULL,
  township       TEXT,
  group_id       TEXT,
  total_x100     INTEGER NOT NULL,
  grade          TEXT,
  -- The records counted when it closed (the engine's SeatCounts). The closed rule set
  -- is frozen too, so the explained score is recomputed from these exactly.
  counts_json    TEXT NOT NULL,
  origin_office  TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  deleted_at     TEXT
);
CREATE INDEX score_snapshots_set ON score_snapshots (rule_set_id, seat_id);

-- Local, never synced, derived: small integer keys and one row per live
-- participation, so a year's scores (2,000,000 participations) are counted
-- without joining UUID text row by row. Triggers keep them in step on every
-- write path (the app, a handoff import); the scoring service can rebuild them
-- from activity_participants at any time.
CREATE TABLE score_seat_keys (
  n       INTEGER PRIMARY KEY,
  seat_id TEXT NOT NULL UNIQUE
);
CREATE TABLE score_activity_keys (
  n           INTEGER PRIMARY KEY,
  activity_id TEXT NOT NULL UNIQUE
);
-- att: 0 出席, 1 请假, 2 缺席
CREATE TABLE score_attendance (
  activity_n INTEGER NOT NULL,
  seat_n     INTEGER NOT NULL,
  att        INTEGER NOT NULL,
  PRIMARY KEY (activity_n, seat_n)
) WITHOUT ROWID;

CREATE TRIGGER score_attendance_insert AFTER INSERT ON activity_participants WHEN NEW.deleted_at IS NULL
BEGIN
  INSERT OR IGNORE INTO score_seat_keys (seat_id) VALUES (NEW.seat_id);
  INSERT OR IGNORE INTO score_activity_keys (activity_id) VALUES (NEW.activity_id);
  INSERT OR REPLACE INTO score_attendance (activity_n, seat_n, att) VALUES (
    (SELECT n FROM score_activity_keys WHERE activity_id = NEW.activity_id),
    (SELECT n FROM score_seat_keys WHERE seat_id = NEW.seat_id),
    CASE NEW.attendance WHEN '出席' THEN 0 WHEN '请假' THEN 1 ELSE 2 END);
END;

CREATE TRIGGER score_attendance_update AFTER UPDATE OF attendance, deleted_at, activity_id, seat_id ON activity_participants
BEGIN
  DELETE FROM score_attendance
   WHERE OLD.deleted_at IS NULL
     AND activity_n = (SELECT n FROM score_activity_keys WHERE activity_id = OLD.activity_id)
     AND seat_n = (SELECT n FROM score_seat_keys WHERE seat_id = OLD.seat_id);
  INSERT OR IGNORE INTO score_seat_keys (seat_id) SELECT NEW.seat_id WHERE NEW.deleted_at IS NULL;
  INSERT OR IGNORE INTO score_activity_keys (activity_id) SELECT NEW.activity_id WHERE NEW.deleted_at IS NULL;
  INSERT OR REPLACE INTO score_attendance (activity_n, seat_n, att)
    SELECT (SELECT n FROM score_activity_keys WHERE activity_id = NEW.activity_id),
           (SELECT n FROM score_seat_keys WHERE seat_id = NEW.seat_id),
           CASE NEW.attendance WHEN '出席' THEN 0 WHEN '请假' THEN 1 ELSE 2 END
     WHERE NEW.deleted_at IS NULL;
END;
