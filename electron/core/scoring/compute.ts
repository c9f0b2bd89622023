import type { Level } from '../../../shared/dictionaries.js';
import {
  compileRules,
  computeScore,
  rankWithin,
  totalFromFlat,
  SUGGESTION_TYPE,
  type Adjustment,
  type Period,
  type RuleSetSpec,
  type ScoreResult,
  type SeatCounts,
  type TypeCounts,
} from '../../../shared/scoring/index.js';
import type { CoreContext } from '../context.js';
import { activeRuleSets, periodOrThrow, ruleSetSpec, type RuleSetDbRow } from './ruleSets.js';

/**
 * A period's scores: the records counted in SQL (over small integer keys, so
 * a province's year is counted in about a second), then the pure engine per
 * seat, then ranks. Closed rule sets read the counts frozen when they closed.
 */

export interface ScoredSeat {
  seatId: string;
  name: string;
  certificateNo: string | null;
  level: Level;
  township: string | null;
  groupId: string | null;
  groupName: string | null;
  ruleSetId: string;
  /** Eager: ranks, filters and lists need them for every seat. */
  total: number;
  grade: string | null;
  /** Built on demand (a province ranks 140,000 seats; a clerk reads a page of them). */
  readonly counts: SeatCounts;
  readonly result: ScoreResult;
  rankInTownship: number;
  rankInLevel: number;
  frozen: boolean;
}

interface SeatMeta {
  seatId: string;
  name: string;
  certificateNo: string | null;
  level: Level;
  township: string | null;
  groupId: string | null;
  groupName: string | null;
  ruleSetId: string;
}

class Scored implements ScoredSeat {
  seatId: string;
  name: string;
  certificateNo: string | null;
  level: Level;
  township: string | null;
  groupId: string | null;
  groupName: string | null;
  ruleSetId: string;
  rankInTownship = 0;
  rankInLevel = 0;
  private countsCache: SeatCounts | null;
  private resultCache: ScoreResult | null = null;

  constructor(
    meta: SeatMeta,
    public total: number,
    public grade: string | null,
    private readonly spec: RuleSetSpec,
    counts: SeatCounts | null,
    private readonly makeCounts: (() => SeatCounts) | null,
    public frozen: boolean,
  ) {
    this.seatId = meta.seatId;
    this.name = meta.name;
    this.certificateNo = meta.certificateNo;
    this.level = meta.level;
    this.township = meta.township;
    this.groupId = meta.groupId;
    this.groupName = meta.groupName;
    this.ruleSetId = meta.ruleSetId;
    this.countsCache = counts;
  }

  get counts(): SeatCounts {
    return (this.countsCache ??= this.makeCounts!());
  }

  get result(): ScoreResult {
    return (this.resultCache ??= computeScore(this.spec, this.counts));
  }
}

export interface PeriodScores {
  period: Period;
  ruleSets: RuleSetDbRow[];
  specs: Map<string, RuleSetSpec>;
  seats: ScoredSeat[];
  /** Seats per township+level and per level, for "rank n of m". */
  groupSizes: Map<string, number>;
}

interface SeatDbRow {
  id: string;
  name: string;
  certificate_no: string | null;
  level: Level;
  township: string | null;
  group_id: string | null;
  group_name: string | null;
  n: number | null;
}

const ATT_FACTOR = 3;

/** The rule set a seat is scored by: its level's, else the one for every level. */
function ruleSetFor(ruleSets: RuleSetDbRow[], level: Level): RuleSetDbRow | undefined {
  return ruleSets.find((r) => r.level === level) ?? ruleSets.find((r) => r.level === null);
}

/** Seats in office for part of the period at least, of the levels the rule sets cover. */
function seatsInScope(ctx: CoreContext, period: Period, ruleSets: RuleSetDbRow[]): SeatDbRow[] {
  const all = ruleSets.some((r) => r.level === null);
  const levels = [...new Set(ruleSets.map((r) => r.level).filter((l): l is Level => l !== null))];
  const levelSql = all ? '' : `AND s.level IN (${levels.map(() => '?').join(', ')})`;
  // Arrays, not objects, and no ORDER BY: a province is 140,000 rows (ranks do not need an order).
  const rows = ctx.db
    .prepare(
      `SELECT s.id, p.name, s.certificate_no, s.level, s.township, s.group_id, k.n
         FROM seats s
         JOIN persons p ON p.id = s.person_id
         LEFT JOIN score_seat_keys k ON k.seat_id = s.id
        WHERE s.deleted_at IS NULL ${levelSql}
          AND (s.start_date IS NULL OR s.start_date <= ?)
          AND (s.end_date IS NULL OR s.end_date >= ?)
          AND NOT (s.status = 'ended' AND s.end_date IS NULL)`,
    )
    .raw()
    .all(...(all ? [] : levels), period.end, period.start) as [string, string, string | null, Level, string | null, string | null, number | null][];
  const groups = new Map(
    ctx.db.prepare('SELECT id, name FROM deputy_groups WHERE deleted_at IS NULL').raw().all() as [string, string][],
  );
  return rows.map(([id, name, certificate_no, level, township, group_id, n]) => ({
    id,
    name,
    certificate_no,
    level,
    township,
    group_id,
    group_name: group_id ? (groups.get(group_id) ?? null) : null,
    n,
  }));
}

/** Which review states count: with review on, only confirmed records. */
function reviewSql(ruleSets: RuleSetDbRow[]): string {
  return ruleSets.some((r) => r.require_review === 1) ? `IN ('confirmed')` : `IN ('confirmed', 'pending')`;
}

/** Attendance per seat key and counted type: a flat Int32Array [seatN][type][att]. */
function countAttendance(ctx: CoreContext, period: Period, types: string[], review: string, maxN: number): Int32Array {
  const T = types.length;
  const counts = new Int32Array((maxN + 1) * T * ATT_FACTOR);
  if (T === 0 || maxN === 0) return counts;
  const typeCode = new Map(types.map((t, i) => [t, i]));
  const activities = ctx.db
    .prepare(
      `SELECT k.n, a.type FROM activities a JOIN score_activity_keys k ON k.activity_id = a.id
        WHERE a.deleted_at IS NULL AND a.date BETWEEN ? AND ? AND a.review_status ${review}`,
    )
    .raw()
    .all(period.start, period.end) as [number, string][];
  // One pass over the compact attendance table, one short string per activity
  // ("seat*4+att,…"), instead of a JS row per participation.
  let lo = Infinity;
  let hi = -Infinity;
  const codeOf = new Map<number, number>();
  for (const [n, type] of activities) {
    const code = typeCode.get(type);
    if (code === undefined) continue;
    codeOf.set(n, code);
    if (n < lo) lo = n;
    if (n > hi) hi = n;
  }
  if (codeOf.size === 0) return counts;
  const lists = ctx.db
    .prepare('SELECT activity_n, group_concat(seat_n * 4 + att) FROM score_attendance WHERE activity_n BETWEEN ? AND ? GROUP BY activity_n')
    .raw()
    .iterate(lo, hi) as Iterable<[number, string]>;
  for (const [n, list] of lists) {
    const code = codeOf.get(n);
    if (code === undefined) continue;
    let v = 0;
    for (let i = 0, len = list.length; i <= len; i++) {
      const ch = i < len ? list.charCodeAt(i) : 44;
      if (ch === 44) {
        const seat = v >> 2;
        if (seat <= maxN) counts[(seat * T + code) * ATT_FACTOR + (v & 3)]!++;
        v = 0;
      } else v = v * 10 + ch - 48;
    }
  }
  return counts;
}

function countBySeat(ctx: CoreContext, sql: string, params: unknown[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const [seat, n] of ctx.db.prepare(sql).raw().iterate(...params) as Iterable<[string, number]>) out.set(seat, n);
  return out;
}

function adjustmentsBySeat(ctx: CoreContext, period: Period, review: string): Map<string, Adjustment[]> {
  const out = new Map<string, Adjustment[]>();
  const rows = ctx.db
    .prepare(
      `SELECT seat_id, points_x100, reason, approved_by, date FROM score_adjustments
        WHERE deleted_at IS NULL AND date BETWEEN ? AND ? AND review_status ${review} ORDER BY date, created_at`,
    )
    .raw()
    .all(period.start, period.end) as [string, number, string, string, string][];
  for (const [seat, points, reason, approvedBy, date] of rows) {
    let list = out.get(seat);
    if (!list) out.set(seat, (list = []));
    list.push({ points, reason, approvedBy, date });
  }
  return out;
}

/** The records of every in-scope seat of live (in-force) rule sets. */
function liveCounts(ctx: CoreContext, period: Period, ruleSets: RuleSetDbRow[], specs: Map<string, RuleSetSpec>, seats: SeatDbRow[]) {
  const types = [...new Set(ruleSets.flatMap((r) => specs.get(r.id)!.items.flatMap((i) => i.activityTypes)))].filter((t) => t !== SUGGESTION_TYPE);
  const review = reviewSql(ruleSets);
  let maxN = 0;
  for (const s of seats) if (s.n !== null && s.n > maxN) maxN = s.n;
  const attendance = countAttendance(ctx, period, types, review, maxN);
  const led = countBySeat(
    ctx,
    `SELECT lead_seat_id, count(*) FROM suggestions WHERE deleted_at IS NULL AND date BETWEEN ? AND ? AND review_status ${review} GROUP BY lead_seat_id`,
    [period.start, period.end],
  );
  const cosigned = countBySeat(
    ctx,
    `SELECT c.seat_id, count(*) FROM suggestion_cosigners c JOIN suggestions s ON s.id = c.suggestion_id
      WHERE c.deleted_at IS NULL AND s.deleted_at IS NULL AND s.date BETWEEN ? AND ? AND s.review_status ${review}
        AND c.seat_id <> s.lead_seat_id
      GROUP BY c.seat_id`,
    [period.start, period.end],
  );
  const adjustments = adjustmentsBySeat(ctx, period, review);
  const T = types.length;
  const countsOf = (seat: SeatDbRow): SeatCounts => {
    const activities: Record<string, TypeCounts> = {};
    if (seat.n !== null) {
      const base = seat.n * T * ATT_FACTOR;
      for (let t = 0; t < T; t++) {
        const o = base + t * ATT_FACTOR;
        const attended = attendance[o]!;
        const leave = attendance[o + 1]!;
        const absent = attendance[o + 2]!;
        if (attended || leave || absent) activities[types[t]!] = { attended, leave, absent };
      }
    }
    return {
      activities,
      suggestionsLed: led.get(seat.id) ?? 0,
      suggestionsCosigned: cosigned.get(seat.id) ?? 0,
      adjustments: adjustments.get(seat.id) ?? [],
    };
  };
  const adjustmentTotal = (seatId: string) => {
    let sum = 0;
    for (const a of adjustments.get(seatId) ?? []) sum += a.points;
    return sum;
  };
  return { types, attendance, led, cosigned, adjustmentTotal, countsOf };
}

interface SnapshotDbRow {
  seat_id: string;
  level: Level;
  township: string | null;
  group_id: string | null;
  counts_json: string;
  name: string;
  certificate_no: string | null;
  group_name: string | null;
}

function frozenSeats(ctx: CoreContext, ruleSet: RuleSetDbRow): SnapshotDbRow[] {
  return ctx.db
    .prepare(
      `SELECT z.seat_id, z.level, z.township, z.group_id, z.counts_json, p.name, s.certificate_no, g.name AS group_name
         FROM score_snapshots z
         JOIN seats s ON s.id = z.seat_id
         JOIN persons p ON p.id = s.person_id
         LEFT JOIN deputy_groups g ON g.id = z.group_id
        WHERE z.rule_set_id = ? AND z.deleted_at IS NULL
        ORDER BY z.level, z.township, p.name, z.seat_id`,
    )
    .all(ruleSet.id) as SnapshotDbRow[];
}

/** Computes from the records, ignoring snapshots: what closing a rule set freezes. */
export function computeLive(ctx: CoreContext, period: Period, ruleSets: RuleSetDbRow[], specs: Map<string, RuleSetSpec>): ScoredSeat[] {
  if (ruleSets.length === 0) return [];
  const seats = seatsInScope(ctx, period, ruleSets);
  const live = liveCounts(ctx, period, ruleSets, specs, seats);
  const compiled = new Map(ruleSets.map((r) => [r.id, compileRules(specs.get(r.id)!, live.types)]));
  const out: ScoredSeat[] = [];
  for (const seat of seats) {
    const ruleSet = ruleSetFor(ruleSets, seat.level);
    if (!ruleSet) continue;
    const { total, grade } = totalFromFlat(
      compiled.get(ruleSet.id)!,
      live.attendance,
      seat.n,
      live.led.get(seat.id) ?? 0,
      live.cosigned.get(seat.id) ?? 0,
      live.adjustmentTotal(seat.id),
    );
    const meta: SeatMeta = {
      seatId: seat.id,
      name: seat.name,
      certificateNo: seat.certificate_no,
      level: seat.level,
      township: seat.township,
      groupId: seat.group_id,
      groupName: seat.group_name,
      ruleSetId: ruleSet.id,
    };
    out.push(new Scored(meta, total, grade, specs.get(ruleSet.id)!, null, () => live.countsOf(seat), false));
  }
  return out;
}

export const townshipKey = (s: { level: string; township: string | null }) => `${s.level}|${s.township ?? ''}`;

function rank(seats: ScoredSeat[]): Map<string, number> {
  const inTownship = rankWithin(seats, (s) => s.total, townshipKey);
  const inLevel = rankWithin(seats, (s) => s.total, (s) => s.level);
  const sizes = new Map<string, number>();
  seats.forEach((s, i) => {
    s.rankInTownship = inTownship[i]!;
    s.rankInLevel = inLevel[i]!;
    sizes.set(townshipKey(s), (sizes.get(townshipKey(s)) ?? 0) + 1);
    sizes.set(s.level, (sizes.get(s.level) ?? 0) + 1);
  });
  return sizes;
}

/** Scores of every seat a period's rule sets cover: live for in-force rule sets, frozen for closed ones. */
export function computePeriodUncached(ctx: CoreContext, periodId: string): PeriodScores {
  return withPageCache(ctx, () => computeWithCache(ctx, periodId));
}

/**
 * The default 2 MiB page cache thrashes when 140,000 seats join persons by
 * UUID; a larger one for the length of the computation (then the
 * connection's own setting again). SQLite only takes pages it uses.
 */
const COMPUTE_CACHE_KIB = 256 * 1024;

function withPageCache<T>(ctx: CoreContext, fn: () => T): T {
  const before = ctx.db.pragma('cache_size', { simple: true }) as number;
  const pageSize = ctx.db.pragma('page_size', { simple: true }) as number;
  const kib = before < 0 ? -before : (before * pageSize) / 1024;
  if (kib >= COMPUTE_CACHE_KIB) return fn();
  ctx.db.pragma(`cache_size = -${COMPUTE_CACHE_KIB}`);
  try {
    return fn();
  } finally {
    ctx.db.pragma(`cache_size = ${before}`);
  }
}

function computeWithCache(ctx: CoreContext, periodId: string): PeriodScores {
  const period = periodOrThrow(periodId);
  const ruleSets = activeRuleSets(ctx, period.id);
  const specs = new Map(ruleSets.map((r) => [r.id, ruleSetSpec(ctx, r)]));
  const live = ruleSets.filter((r) => r.status === 'in_force');
  const closed = ruleSets.filter((r) => r.status === 'closed');
  // A closed rule set keeps its seats; live ones score the others.
  const seats: ScoredSeat[] = [];
  const frozenIds = new Set<string>();
  for (const ruleSet of closed) {
    const spec = specs.get(ruleSet.id)!;
    for (const z of frozenSeats(ctx, ruleSet)) {
      const counts = JSON.parse(z.counts_json) as SeatCounts;
      const result = computeScore(spec, counts);
      frozenIds.add(z.seat_id);
      const meta: SeatMeta = {
        seatId: z.seat_id,
        name: z.name,
        certificateNo: z.certificate_no,
        level: z.level,
        township: z.township,
        groupId: z.group_id,
        groupName: z.group_name,
        ruleSetId: ruleSet.id,
      };
      seats.push(new Scored(meta, result.total, result.grade, spec, counts, null, true));
    }
  }
  if (live.length > 0) {
    const closedLevels = new Set(closed.map((r) => r.level));
    for (const s of computeLive(ctx, period, live, specs)) {
      // A level sealed by its own closed rule set is not scored again by an all-levels one.
      if (frozenIds.has(s.seatId) || closedLevels.has(s.level)) continue;
      seats.push(s);
    }
  }
  const groupSizes = rank(seats);
  return { period, ruleSets, specs, seats, groupSizes };
}

/**
 * Cached per database state: total_changes() moves with every write through
 * this connection, data_version with every write by another process.
 */
const cache = new WeakMap<CoreContext, Map<string, PeriodScores>>();

export function computePeriod(ctx: CoreContext, periodId: string): PeriodScores {
  const version = ctx.db.prepare('SELECT total_changes()').pluck().get() as number;
  const dataVersion = ctx.db.pragma('data_version', { simple: true }) as number;
  const key = `${periodOrThrow(periodId).id}|${version}|${dataVersion}`;
  let byKey = cache.get(ctx);
  if (!byKey) cache.set(ctx, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) return hit;
  const computed = computePeriodUncached(ctx, periodId);
  if (byKey.size >= 4) byKey.delete(byKey.keys().next().value as string);
  byKey.set(key, computed);
  return computed;
}

/**
 * Rebuilds the derived, local scoring keys and attendance facts from
 * activity_participants (after a restore from an old backup, or a bulk load
 * with the triggers off). Keys already given keep their numbers.
 */
export function rebuildScoringKeys(ctx: CoreContext): { participations: number } {
  return ctx.db.transaction(() => {
    ctx.db.exec(`
      INSERT OR IGNORE INTO score_seat_keys (seat_id) SELECT DISTINCT seat_id FROM activity_participants WHERE deleted_at IS NULL;
      INSERT OR IGNORE INTO score_activity_keys (activity_id) SELECT DISTINCT activity_id FROM activity_participants WHERE deleted_at IS NULL;
      DELETE FROM score_attendance;
      INSERT OR REPLACE INTO score_attendance (activity_n, seat_n, att)
        SELECT ak.n, sk.n, CASE p.attendance WHEN '出席' THEN 0 WHEN '请假' THEN 1 ELSE 2 END
          FROM activity_participants p
          JOIN score_activity_keys ak ON ak.activity_id = p.activity_id
          JOIN score_seat_keys sk ON sk.seat_id = p.seat_id
         WHERE p.deleted_at IS NULL
         ORDER BY 1, 2;`);
    return { participations: ctx.db.prepare('SELECT count(*) FROM score_attendance').pluck().get() as number };
  })();
}
