import type { Level } from '../../../shared/dictionaries.js';
import {
  compileRules,
  competitionRanks,
  computeScore,
  flatGrade,
  flatTotal,
  SUGGESTION_TYPE,
  type Adjustment,
  type CompiledRules,
  type Period,
  type RuleSetSpec,
  type ScoreResult,
  type SeatCounts,
  type TypeCounts,
} from '../../../shared/scoring/index.js';
import type { CoreContext } from '../context.js';
import { activeRuleSets, periodOrThrow, ruleSetSpec, type RuleSetDbRow } from './ruleSets.js';

/**
 * A period's scores: the records counted in SQL over small integer keys,
 * then one pass over the seats that computes each total and grade from a flat
 * count array, then ranks with one numeric sort per group. The explained
 * result (items, lines) is built only for the seats someone reads. Closed rule
 * sets read the counts frozen when they closed.
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

/** Fields every scored seat has; the subclasses say where its counts come from. */
abstract class ScoredBase implements ScoredSeat {
  rankInTownship = 0;
  rankInLevel = 0;
  protected resultCache: ScoreResult | null = null;

  constructor(
    public seatId: string,
    public name: string,
    public certificateNo: string | null,
    public level: Level,
    public township: string | null,
    public groupId: string | null,
    public groupName: string | null,
    public ruleSetId: string,
    public total: number,
    public grade: string | null,
    protected readonly spec: RuleSetSpec,
    public frozen: boolean,
  ) {}

  abstract get counts(): SeatCounts;

  get result(): ScoreResult {
    return (this.resultCache ??= computeScore(this.spec, this.counts));
  }
}

/** Scored from a closed rule set's snapshot. */
class FrozenSeat extends ScoredBase {
  constructor(z: SnapshotDbRow, ruleSetId: string, spec: RuleSetSpec, private readonly frozenCounts: SeatCounts, result: ScoreResult) {
    super(z.seat_id, z.name, z.certificate_no, z.level, z.township, z.group_id, z.group_name, ruleSetId, result.total, result.grade, spec, true);
    this.resultCache = result;
  }

  get counts(): SeatCounts {
    return this.frozenCounts;
  }
}

/** Scored from the records; its counts are read back from the flat arrays when asked. */
class LiveSeat extends ScoredBase {
  private countsCache: SeatCounts | null = null;

  constructor(
    seatId: string,
    name: string,
    certificateNo: string | null,
    level: Level,
    township: string | null,
    groupId: string | null,
    groupName: string | null,
    ruleSetId: string,
    total: number,
    grade: string | null,
    spec: RuleSetSpec,
    private readonly records: LiveRecords,
    private readonly key: number,
    private readonly led: number,
    private readonly cosigned: number,
  ) {
    super(seatId, name, certificateNo, level, township, groupId, groupName, ruleSetId, total, grade, spec, false);
  }

  get counts(): SeatCounts {
    return (this.countsCache ??= this.records.countsOf(this.seatId, this.key, this.led, this.cosigned));
  }
}

export interface PeriodScores {
  period: Period;
  ruleSets: RuleSetDbRow[];
  specs: Map<string, RuleSetSpec>;
  /**
   * Frozen seats first (by level, township, name), then live ones in the
   * seats table's storage order: no meaningful order, so whatever shows a
   * list sorts it (rankedSeats, the summary's sort, the alerts' order).
   */
  seats: ScoredSeat[];
  /** Seats per township+level and per level, for "rank n of m". */
  groupSizes: Map<string, number>;
}

const ATT_FACTOR = 3;

/** [seatN][type][出席, 请假, 缺席] */
type AttendanceCounts = Uint16Array | Int32Array;

/** Which review states count: with review on, only confirmed records. */
function reviewSql(ruleSets: RuleSetDbRow[]): string {
  return ruleSets.some((r) => r.require_review === 1) ? `IN ('confirmed')` : `IN ('confirmed', 'pending')`;
}

/**
 * Attendance per seat key and counted type: a flat array [seatN][type][att]
 * sized for every seat key, so the seats need not be read first. SQLite picks
 * the period's activities of the counted types and hands over each one's
 * attendance as one short string ("seat*4+att,…", from the compact
 * score_attendance table by its primary key): 40,000 rows instead of a JS row
 * per participation (2,000,000).
 */
function countAttendance(ctx: CoreContext, period: Period, types: string[], review: string): AttendanceCounts {
  const T = types.length;
  const maxN = T === 0 ? 0 : ((ctx.db.prepare('SELECT max(n) FROM score_seat_keys').pluck().get() as number | null) ?? 0);
  if (T === 0 || maxN === 0) return new Uint16Array((maxN + 1) * T * ATT_FACTOR);
  const typeCode = new Map(types.map((t, i) => [t, i]));
  const lists = ctx.db
    .prepare(
      `SELECT a.type, (SELECT group_concat(x.seat_n * 4 + x.att) FROM score_attendance x WHERE x.activity_n = k.n)
         FROM activities a JOIN score_activity_keys k ON k.activity_id = a.id
        WHERE a.deleted_at IS NULL AND a.date BETWEEN ? AND ? AND a.review_status ${review}
          AND a.type IN (${types.map(() => '?').join(', ')})`,
    )
    .raw()
    .all(period.start, period.end, ...types) as [string, string | null][];
  // 16-bit counters halve the memory a province's 2,000,000 increments jump
  // around in; should one ever pass 65,535 the count is done again in 32 bits.
  const size = (maxN + 1) * T * ATT_FACTOR;
  return tally(new Uint16Array(size), lists, typeCode, T) ?? tally(new Int32Array(size), lists, typeCode, T)!;
}

/** Adds up "seat*4+att,…" lists; null when a counter overflowed. */
function tally<C extends AttendanceCounts>(counts: C, lists: [string, string | null][], typeCode: Map<string, number>, T: number): C | null {
  const limit = counts instanceof Uint16Array ? 0xffff : 0x7fffffff;
  let overflow = false;
  for (const [type, list] of lists) {
    if (list === null) continue;
    const code = typeCode.get(type)!;
    let v = 0;
    for (let i = 0, len = list.length; i <= len; i++) {
      const ch = i < len ? list.charCodeAt(i) : 44;
      if (ch === 44) {
        const o = ((v >> 2) * T + code) * ATT_FACTOR + (v & 3);
        if (counts[o] === limit) overflow = true;
        else counts[o]!++;
        v = 0;
      } else v = v * 10 + ch - 48;
    }
  }
  return overflow ? null : counts;
}

/**
 * Occurrences per seat id: the query returns one JSON array of seat ids (one
 * per record), counted here; a GROUP BY on UUID text costs SQLite a sort and
 * better-sqlite3 a row per seat.
 */
function countBySeat(ctx: CoreContext, sql: string, params: unknown[]): Map<string, number> {
  const out = new Map<string, number>();
  const json = ctx.db.prepare(sql).pluck().get(...params) as string;
  for (const seat of JSON.parse(json) as string[]) out.set(seat, (out.get(seat) ?? 0) + 1);
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

/** The counted records of a period under live rule sets, shared by its seats. */
class LiveRecords {
  constructor(
    readonly types: string[],
    readonly attendance: AttendanceCounts,
    readonly adjustments: Map<string, Adjustment[]>,
  ) {}

  countsOf(seatId: string, key: number, led: number, cosigned: number): SeatCounts {
    const activities: Record<string, TypeCounts> = {};
    if (key >= 0) {
      const T = this.types.length;
      const base = key * T * ATT_FACTOR;
      for (let t = 0; t < T; t++) {
        const o = base + t * ATT_FACTOR;
        const attended = this.attendance[o]!;
        const leave = this.attendance[o + 1]!;
        const absent = this.attendance[o + 2]!;
        if (attended || leave || absent) activities[this.types[t]!] = { attended, leave, absent };
      }
    }
    return { activities, suggestionsLed: led, suggestionsCosigned: cosigned, adjustments: this.adjustments.get(seatId) ?? [] };
  }
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

/**
 * Computes from the records, ignoring snapshots: what closing a rule set
 * freezes. One pass over the seats in scope; the per-seat work is a few array
 * reads and one object.
 */
export function computeLive(ctx: CoreContext, period: Period, ruleSets: RuleSetDbRow[], specs: Map<string, RuleSetSpec>): ScoredSeat[] {
  if (ruleSets.length === 0) return [];
  const types = [...new Set(ruleSets.flatMap((r) => specs.get(r.id)!.items.flatMap((i) => i.activityTypes)))].filter((t) => t !== SUGGESTION_TYPE);
  const T = types.length;
  const review = reviewSql(ruleSets);
  const attendance = countAttendance(ctx, period, types, review);
  const led = countBySeat(
    ctx,
    `SELECT json_group_array(lead_seat_id) FROM suggestions WHERE deleted_at IS NULL AND date BETWEEN ? AND ? AND review_status ${review}`,
    [period.start, period.end],
  );
  const cosigned = countBySeat(
    ctx,
    `SELECT json_group_array(c.seat_id) FROM suggestion_cosigners c JOIN suggestions s ON s.id = c.suggestion_id
      WHERE c.deleted_at IS NULL AND s.deleted_at IS NULL AND s.date BETWEEN ? AND ? AND s.review_status ${review}
        AND c.seat_id <> s.lead_seat_id`,
    [period.start, period.end],
  );
  const adjustments = adjustmentsBySeat(ctx, period, review);
  const records = new LiveRecords(types, attendance, adjustments);

  // The rule set a seat is scored by: its level's, else the one for every level.
  const compiled = ruleSets.map((r) => ({ ruleSetId: r.id, rules: compileRules(specs.get(r.id)!, types) }));
  const forAll = compiled.find((_, i) => ruleSets[i]!.level === null);
  const byLevel = new Map<Level | null, { ruleSetId: string; rules: CompiledRules }>(ruleSets.map((r, i) => [r.level, compiled[i]!]));
  const all = forAll !== undefined;
  const levels = [...new Set(ruleSets.map((r) => r.level).filter((l): l is Level => l !== null))];
  const levelSql = all ? '' : `AND s.level IN (${levels.map(() => '?').join(', ')})`;
  const groups = new Map(ctx.db.prepare('SELECT id, name FROM deputy_groups WHERE deleted_at IS NULL').raw().all() as [string, string][]);
  // Seats in office for part of the period at least, of the levels the rule
  // sets cover. One row of JSON arrays, a column each: better-sqlite3 builds
  // a JS array per row value by value, JSON.parse builds them far faster.
  const columns = ctx.db
    .prepare(
      `SELECT json_group_array(s.id), json_group_array(p.name), json_group_array(s.certificate_no), json_group_array(s.level),
              json_group_array(s.township), json_group_array(s.group_id), json_group_array(k.n)
         FROM seats s NOT INDEXED
         JOIN persons p ON p.id = s.person_id
         LEFT JOIN score_seat_keys k ON k.seat_id = s.id
        WHERE s.deleted_at IS NULL ${levelSql}
          AND (s.start_date IS NULL OR s.start_date <= ?)
          AND (s.end_date IS NULL OR s.end_date >= ?)
          AND NOT (s.status = 'ended' AND s.end_date IS NULL)`,
    )
    .raw()
    .get(...(all ? [] : levels), period.end, period.start) as string[];
  const [ids, names, certificates, seatLevels, townships, groupIds, keys] = columns.map((c) => JSON.parse(c) as unknown[]) as [
    string[],
    string[],
    (string | null)[],
    Level[],
    (string | null)[],
    (string | null)[],
    (number | null)[],
  ];
  const noAdjustments = adjustments.size === 0;
  const out: ScoredSeat[] = [];
  for (let i = 0; i < ids.length; i++) {
    const level = seatLevels[i]!;
    const scoredBy = byLevel.get(level) ?? forAll;
    if (!scoredBy) continue;
    const c = scoredBy.rules;
    const seatId = ids[i]!;
    const key = keys[i] ?? -1;
    const ledN = led.get(seatId) ?? 0;
    const cosignedN = cosigned.get(seatId) ?? 0;
    let adjustmentTotal = 0;
    if (!noAdjustments) for (const a of adjustments.get(seatId) ?? []) adjustmentTotal += a.points;
    const total = flatTotal(c, attendance, key >= 0 ? key * T * ATT_FACTOR : -1, ledN, cosignedN, adjustmentTotal);
    const groupId = groupIds[i]!;
    const groupName = groupId ? (groups.get(groupId) ?? null) : null;
    out.push(
      new LiveSeat(seatId, names[i]!, certificates[i]!, level, townships[i]!, groupId, groupName, scoredBy.ruleSetId, total, flatGrade(c, total), c.spec, records, key, ledN, cosignedN),
    );
  }
  return out;
}

export const townshipKey = (s: { level: string; township: string | null }) => `${s.level}|${s.township ?? ''}`;

/**
 * Ranks within township+level and within level, with one numeric sort per
 * group (competitionRanks); returns the group sizes for "rank n of m".
 */
function rank(seats: ScoredSeat[]): Map<string, number> {
  const n = seats.length;
  const townshipOf = new Int32Array(n);
  const levelOf = new Int32Array(n);
  const totals = new Float64Array(n);
  const townshipIndex = new Map<string, Map<string, number>>();
  const levelIndex = new Map<string, number>();
  const townshipKeys: string[] = [];
  const levelKeys: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = seats[i]!;
    let byTownship = townshipIndex.get(s.level);
    if (!byTownship) townshipIndex.set(s.level, (byTownship = new Map()));
    const township = s.township ?? '';
    let t = byTownship.get(township);
    if (t === undefined) {
      byTownship.set(township, (t = townshipKeys.length));
      townshipKeys.push(townshipKey(s));
    }
    let l = levelIndex.get(s.level);
    if (l === undefined) {
      levelIndex.set(s.level, (l = levelKeys.length));
      levelKeys.push(s.level);
    }
    townshipOf[i] = t;
    levelOf[i] = l;
    totals[i] = s.total;
  }
  const inTownship = competitionRanks(townshipOf, totals, townshipKeys.length);
  const inLevel = competitionRanks(levelOf, totals, levelKeys.length);
  const townshipSizes = new Int32Array(townshipKeys.length);
  const levelSizes = new Int32Array(levelKeys.length);
  for (let i = 0; i < n; i++) {
    const s = seats[i]!;
    s.rankInTownship = inTownship[i]!;
    s.rankInLevel = inLevel[i]!;
    townshipSizes[townshipOf[i]!]!++;
    levelSizes[levelOf[i]!]!++;
  }
  const sizes = new Map<string, number>();
  townshipKeys.forEach((k, g) => sizes.set(k, townshipSizes[g]!));
  levelKeys.forEach((k, g) => sizes.set(k, levelSizes[g]!));
  return sizes;
}

/** Scores of every seat a period's rule sets cover: live for in-force rule sets, frozen for closed ones. */
export function computePeriodUncached(ctx: CoreContext, periodId: string): PeriodScores {
  // One read transaction: seats, records and keys come from one snapshot even
  // while another process (the CLI, the desktop app) writes to the file.
  return withPageCache(ctx, () => ctx.db.transaction(() => computeWithCache(ctx, periodId))());
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
  let seats: ScoredSeat[] = [];
  const frozenIds = new Set<string>();
  for (const ruleSet of closed) {
    const spec = specs.get(ruleSet.id)!;
    for (const z of frozenSeats(ctx, ruleSet)) {
      const counts = JSON.parse(z.counts_json) as SeatCounts;
      frozenIds.add(z.seat_id);
      seats.push(new FrozenSeat(z, ruleSet.id, spec, counts, computeScore(spec, counts)));
    }
  }
  if (live.length > 0) {
    const closedLevels = new Set(closed.map((r) => r.level));
    const scored = computeLive(ctx, period, live, specs);
    if (closed.length === 0) seats = scored;
    else {
      for (const s of scored) {
        // A level sealed by its own closed rule set is not scored again by an all-levels one.
        if (frozenIds.has(s.seatId) || closedLevels.has(s.level)) continue;
        seats.push(s);
      }
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
