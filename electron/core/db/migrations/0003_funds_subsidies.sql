-- Activity funds, spending, subsidy standards and payout batches (issue: funds and subsidies)
-- Money is INTEGER fen; dates are ISO 'YYYY-MM-DD'. Every table is synced
-- (UUID id, origin_office, timestamps, tombstones).

-- 代表活动经费: one budget line of one year.
CREATE TABLE funds (
  id              TEXT PRIMARY KEY,
  year            INTEGER NOT NULL,
  name            TEXT NOT NULL,
  -- per_deputy 按代表人数, per_station 按联络站, training 培训, special 专项 (e.g. 微建议), other
  kind            TEXT NOT NULL CHECK (kind IN ('per_deputy', 'per_station', 'training', 'special', 'other')),
  -- per_deputy: the level whose seats are counted
  deputy_level    TEXT CHECK (deputy_level IN ('national', 'province', 'city', 'county', 'township')),
  unit_amount_fen INTEGER CHECK (unit_amount_fen >= 0),
  unit_count      INTEGER CHECK (unit_count >= 0),
  budget_fen      INTEGER NOT NULL CHECK (budget_fen >= 0),
  note            TEXT,
  origin_office   TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  deleted_at      TEXT
);
CREATE INDEX funds_year ON funds (year, deleted_at);

-- 经费支出: one spending entry against a fund.
CREATE TABLE fund_entries (
  id              TEXT PRIMARY KEY,
  fund_id         TEXT NOT NULL REFERENCES funds (id),
  date            TEXT NOT NULL,
  amount_fen      INTEGER NOT NULL CHECK (amount_fen > 0),
  purpose         TEXT NOT NULL,
  payee           TEXT NOT NULL,
  voucher_no      TEXT,
  -- optional links to a 履职活动 (0002), a liaison station or a deputy group
  activity_id     TEXT REFERENCES activities (id),
  station_id      TEXT REFERENCES liaison_stations (id),
  group_id        TEXT REFERENCES deputy_groups (id),
  -- 超预算审批: set when the entry took its fund (or station share) over budget
  over_budget     INTEGER NOT NULL DEFAULT 0 CHECK (over_budget IN (0, 1)),
  approval_reason TEXT,
  approved_by     TEXT,
  note            TEXT,
  origin_office   TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  deleted_at      TEXT
);
CREATE INDEX fund_entries_fund ON fund_entries (fund_id, deleted_at, date);
CREATE INDEX fund_entries_station ON fund_entries (station_id);

-- 履职补贴标准: who qualifies (levels, condition) and how it is paid (monthly / yearly).
CREATE TABLE subsidy_standards (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('monthly', 'yearly')),
  levels        TEXT NOT NULL,   -- comma-separated level codes, e.g. 'national,province,city,county'
  condition     TEXT NOT NULL CHECK (condition IN ('no_fixed_income', 'all')),
  note          TEXT,
  origin_office TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  deleted_at    TEXT
);

-- The amount of a standard from a date (always the 1st of a month) until the next rate.
CREATE TABLE subsidy_standard_rates (
  id             TEXT PRIMARY KEY,
  standard_id    TEXT NOT NULL REFERENCES subsidy_standards (id),
  effective_from TEXT NOT NULL,
  amount_fen     INTEGER NOT NULL CHECK (amount_fen >= 0),
  note           TEXT,
  origin_office  TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  deleted_at     TEXT
);
CREATE INDEX subsidy_standard_rates_standard ON subsidy_standard_rates (standard_id, deleted_at);

-- 发放规则 (one live row; defaults apply while there is none).
CREATE TABLE subsidy_policy (
  id              TEXT PRIMARY KEY,
  dual_seat_rule  TEXT NOT NULL CHECK (dual_seat_rule IN ('higher', 'both')),
  month_rule      TEXT NOT NULL CHECK (month_rule IN ('inclusive', 'cutoff', 'full')),
  cutoff_day      INTEGER NOT NULL CHECK (cutoff_day BETWEEN 1 AND 31),
  pay_suspended   INTEGER NOT NULL CHECK (pay_suspended IN (0, 1)),
  prorate_yearly  INTEGER NOT NULL CHECK (prorate_yearly IN (0, 1)),
  origin_office   TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  deleted_at      TEXT
);

-- 发放批次: draft → issued. An issued batch is never edited again.
CREATE TABLE subsidy_batches (
  id              TEXT PRIMARY KEY,
  period          TEXT NOT NULL,   -- 2025-03, 2025Q1, 2025H1, 2025
  period_start    TEXT NOT NULL,
  period_end      TEXT NOT NULL,
  title           TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('draft', 'issued')),
  total_fen       INTEGER NOT NULL,
  line_count      INTEGER NOT NULL,
  policy_json     TEXT NOT NULL,   -- the policy the batch was computed with (adjustments recompute with it)
  exceptions_json TEXT NOT NULL,   -- for the clerk to review before issuing
  basis_json      TEXT NOT NULL,   -- ids of the earlier issued batches its adjusting lines were computed against
  generated_at    TEXT NOT NULL,
  issued_at       TEXT,
  issued_by       TEXT,
  note            TEXT,
  origin_office   TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  deleted_at      TEXT
);
CREATE INDEX subsidy_batches_period ON subsidy_batches (deleted_at, period_start);

-- One line of the 签领表: a person's regular payment, or an adjusting line
-- (补发/扣回) for an earlier issued batch.
CREATE TABLE subsidy_batch_lines (
  id               TEXT PRIMARY KEY,
  batch_id         TEXT NOT NULL REFERENCES subsidy_batches (id),
  seq              INTEGER NOT NULL,   -- 序号
  kind             TEXT NOT NULL CHECK (kind IN ('regular', 'adjustment')),
  person_id        TEXT NOT NULL REFERENCES persons (id),
  name             TEXT NOT NULL,
  level            TEXT NOT NULL,      -- highest level paid
  levels           TEXT NOT NULL,      -- all levels paid, comma-separated
  township         TEXT,
  group_name       TEXT,
  standard_text    TEXT NOT NULL,
  months           INTEGER NOT NULL,
  amount_fen       INTEGER NOT NULL,
  adjusts_batch_id TEXT REFERENCES subsidy_batches (id),
  adjusts_period   TEXT,
  bank_name        TEXT,
  bank_account     TEXT,               -- full number for the bank list; masked on screen
  detail_json      TEXT NOT NULL,      -- months and standards behind the amount
  note             TEXT,
  origin_office    TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  deleted_at       TEXT
);
CREATE INDEX subsidy_batch_lines_batch ON subsidy_batch_lines (batch_id, deleted_at, seq);
CREATE INDEX subsidy_batch_lines_adjusts ON subsidy_batch_lines (adjusts_batch_id);
CREATE INDEX subsidy_batch_lines_person ON subsidy_batch_lines (person_id);

-- Last line of defence behind the service's checks: an issued batch and its
-- lines cannot be changed, not even by raw SQL.
CREATE TRIGGER subsidy_batches_issued_locked BEFORE UPDATE ON subsidy_batches
WHEN OLD.status = 'issued'
BEGIN SELECT RAISE(ABORT, '该补贴发放批次已发放，不能修改；更正请在以后的批次中以调整行处理。'); END;

CREATE TRIGGER subsidy_batch_lines_issued_locked BEFORE UPDATE ON subsidy_batch_lines
WHEN (SELECT status FROM subsidy_batches WHERE id = OLD.batch_id) = 'issued'
BEGIN SELECT RAISE(ABORT, '该补贴发放批次已发放，不能修改；更正请在以后的批次中以调整行处理。'); END;

CREATE TRIGGER subsidy_batch_lines_issued_no_insert BEFORE INSERT ON subsidy_batch_lines
WHEN (SELECT status FROM subsidy_batches WHERE id = NEW.batch_id) = 'issued'
BEGIN SELECT RAISE(ABORT, '该补贴发放批次已发放，不能再添加发放行。'); END;

CREATE TRIGGER subsidy_batch_lines_no_delete BEFORE DELETE ON subsidy_batch_lines
BEGIN SELECT RAISE(ABORT, '补贴发放行不能删除。'); END;

CREATE TRIGGER subsidy_batches_no_delete BEFORE DELETE ON subsidy_batches
BEGIN SELECT RAISE(ABORT, '补贴发放批次不能删除（草稿以删除标记处理）。'); END;
