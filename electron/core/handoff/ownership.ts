import type { Db } from '../db/connection.js';

/**
 * Which tables travel in a handoff package, where their rows go, and which
 * side owns which field (字段归属). Both offices read the same registry, so
 * both decide every conflict the same way and converge.
 */
export type Side = 'county' | 'township';

/**
 * Where a table's rows go:
 * - 'all': every paired office gets every row (roster): the county relays
 *   one township's rows to the others.
 * - 'home': a township's own business records (activities, spending,
 *   payout batches …) go to the county and back to that township only, never
 *   to another township; rows the county makes there stay at the county.
 * - 'down': the county's rows (rule sets, subsidy standards) go to every
 *   township; a township's own rows in such a table stay with it.
 * - 'none': each office's own (settings, frozen results it computes itself).
 * A change follows its row, whoever made it: a township's edit of a county
 * rule set goes up, the county's review of a township activity goes home.
 */
export type Relay = 'all' | 'home' | 'down' | 'none';

export interface TableRule {
  relay: Relay;
  /** Fields whose owner's write wins a conflict; the rest go by the later clock. */
  owners: Record<string, Side>;
}

const COUNTY = 'county' as const;
const TOWNSHIP = 'township' as const;

/** 代表席位的分配 (roster assignment) is the county's. */
const SEAT_ASSIGNMENT: Record<string, Side> = Object.fromEntries(
  [
    'level', 'term', 'constituency', 'township', 'certificate_no', 'group_id', 'station_id', 'is_reelected',
    'start_date', 'start_method', 'status', 'end_date', 'end_reason',
  ].map((f) => [f, COUNTY]),
);

const all = (side: Side, fields: string[]) => Object.fromEntries(fields.map((f) => [f, side])) as Record<string, Side>;
/** Township records the county reviews (审核): the review is the county's, the record the township's. */
const REVIEWED = { review_status: COUNTY, reviewed_by: COUNTY, reviewed_at: COUNTY } as const;

export const TABLE_RULES: Record<string, TableRule> = {
  // 0001 roster. Local contact details are the township's, seat assignment the county's, the rest by clock.
  persons: { relay: 'all', owners: { phone: TOWNSHIP, address: TOWNSHIP } },
  seats: { relay: 'all', owners: SEAT_ASSIGNMENT },
  seat_events: { relay: 'all', owners: {} },
  deputy_groups: { relay: 'all', owners: {} },
  // A station's 负责人 and 联系电话 are local contact details (0007): the township's.
  liaison_stations: { relay: 'all', owners: { leader: TOWNSHIP, phone: TOWNSHIP } },
  // 0002 scoring. Rules are the county's; activities and what hangs on them the township's.
  rule_sets: {
    relay: 'down',
    owners: all(COUNTY, ['period', 'level', 'name', 'status', 'preset', 'base_x100', 'floor_x100', 'grades_json', 'require_review',
      'alert_bottom_n', 'alert_bottom_runs', 'alert_below_x100', 'closed_at', 'note']),
  },
  rule_items: {
    relay: 'down',
    owners: all(COUNTY, ['rule_set_id', 'code', 'name', 'category', 'activity_types', 'first_x100', 'further_x100', 'cap_x100',
      'leave_x100', 'absent_x100', 'cosign_x100', 'cosign_cap_x100', 'sort_order', 'note']),
  },
  activities: {
    relay: 'home',
    owners: { ...all(TOWNSHIP, ['type', 'date', 'title', 'organiser', 'place', 'level', 'township', 'note']), ...REVIEWED },
  },
  activity_participants: { relay: 'home', owners: all(TOWNSHIP, ['activity_id', 'seat_id', 'attendance', 'note']) },
  suggestions: {
    relay: 'home',
    owners: { ...all(TOWNSHIP, ['title', 'date', 'lead_seat_id', 'number', 'note']), ...REVIEWED },
  },
  suggestion_cosigners: { relay: 'home', owners: all(TOWNSHIP, ['suggestion_id', 'seat_id']) },
  score_adjustments: {
    relay: 'home',
    owners: { ...all(TOWNSHIP, ['seat_id', 'date', 'points_x100', 'reason', 'approved_by']), ...REVIEWED },
  },
  // Frozen when each office closes its own period; recomputed, never sent.
  score_snapshots: { relay: 'none', owners: {} },
  // 0003 funds and subsidies. Spending and payout batches are the township's; standards the county's.
  funds: { relay: 'home', owners: {} },
  fund_entries: {
    relay: 'home',
    owners: all(TOWNSHIP, ['fund_id', 'date', 'amount_fen', 'purpose', 'payee', 'voucher_no', 'activity_id', 'station_id', 'group_id',
      'over_budget', 'approval_reason', 'approved_by', 'note']),
  },
  subsidy_standards: { relay: 'down', owners: all(COUNTY, ['name', 'kind', 'levels', 'condition', 'note']) },
  subsidy_standard_rates: { relay: 'down', owners: all(COUNTY, ['standard_id', 'effective_from', 'amount_fen', 'note']) },
  // One live row per office: each office's own payment rules.
  subsidy_policy: { relay: 'none', owners: {} },
  subsidy_batches: {
    relay: 'home',
    owners: all(TOWNSHIP, ['period', 'period_start', 'period_end', 'title', 'status', 'total_fen', 'line_count', 'policy_json',
      'exceptions_json', 'basis_json', 'generated_at', 'issued_at', 'issued_by', 'note']),
  },
  subsidy_batch_lines: { relay: 'home', owners: {} },
  // 0005 handoff: what each office had seen, needed by every office.
  handoff_knowledge: { relay: 'all', owners: {} },
};

/** Never travel, whatever their columns look like. */
export const LOCAL_TABLES = new Set([
  'office_identity', 'local_state', 'audit_log', 'change_log', 'operators',
  'handoff_keys', 'trusted_offices', 'handoff_holdings', 'handoff_peer_acks', 'handoff_peer_state',
  'handoff_history', 'handoff_conflicts', 'handoff_blocked',
]);

/** A synced table not yet in TABLE_RULES travels everywhere and is decided by clock: nothing is ever left behind. */
const DEFAULT_RULE: TableRule = { relay: 'all', owners: {} };

export function ruleFor(table: string): TableRule {
  return TABLE_RULES[table] ?? DEFAULT_RULE;
}

/** 6-digit codes are counties; 9 or 12 digits are townships (GB/T 2260 and its township extension). */
export function officeTypeOf(code: string): Side {
  return code.length === 6 ? COUNTY : TOWNSHIP;
}

/** 1 when the office that wrote the change owns the field. */
export function ownerWrite(table: string, field: string, writerOffice: string): 0 | 1 {
  const owner = ruleFor(table).owners[field];
  return owner !== undefined && owner === officeTypeOf(writerOffice) ? 1 : 0;
}

export function ownerOf(table: string, field: string): Side | null {
  return ruleFor(table).owners[field] ?? null;
}

const SYSTEM = ['id', 'origin_office', 'created_at', 'updated_at', 'deleted_at'];

/** Tables shaped for sync (id, origin_office, timestamps, tombstone) that are not local: these travel. */
export function syncedTables(db: Db): string[] {
  const names = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  return names.filter((name) => {
    if (LOCAL_TABLES.has(name)) return false;
    const cols = new Set((db.prepare(`PRAGMA table_info(${JSON.stringify(name)})`).all() as { name: string }[]).map((c) => c.name));
    return SYSTEM.every((c) => cols.has(c));
  });
}

/**
 * Whether a change to a row of `table` (born at `rowOrigin()`) goes to
 * `addressee` (see Relay). Only a county and its townships exchange packages.
 */
export function routes(table: string, addressee: string, rowOrigin: () => string | null): boolean {
  if (LOCAL_TABLES.has(table)) return false;
  const { relay } = ruleFor(table);
  if (relay === 'all') return true;
  if (relay === 'none') return false;
  if (relay === 'down') {
    const origin = rowOrigin();
    return origin === null || officeTypeOf(origin) === COUNTY;
  }
  return officeTypeOf(addressee) === COUNTY || rowOrigin() === addressee;
}
