import { SUGGESTION_TYPE } from './activityTypes.js';
import { sortGrades, type GradeSpec, type RuleCategory, type RuleItemSpec, type RuleSetSpec } from './rules.js';

/**
 * The scoring engine: a rule set and one seat's counted records in, an
 * explained score out. Pure and deterministic — the same inputs give the same
 * result on every door and machine. All points are integers in hundredths.
 */

export interface TypeCounts {
  attended: number;
  leave: number;
  absent: number;
}

export interface Adjustment {
  /** Signed hundredths: + 加分, − 扣分. */
  points: number;
  reason: string;
  approvedBy?: string | null;
  date?: string | null;
}

export interface SeatCounts {
  /** By activity type. */
  activities: Record<string, TypeCounts>;
  /** 领衔 */
  suggestionsLed: number;
  /** 附议 */
  suggestionsCosigned: number;
  adjustments: Adjustment[];
}

export interface ItemResult {
  code: string;
  name: string;
  category: RuleCategory;
  /** Occurrences the item counted (see `countOf`). */
  count: number;
  attended: number;
  led: number;
  cosigned: number;
  leave: number;
  absent: number;
  /** First + further occurrences. */
  occurrencePoints: number;
  cosignRaw: number;
  cosignCounted: number;
  beforeCap: number;
  afterCap: number;
  /** Leave and absence deductions (negative). */
  deductions: number;
  points: number;
}

export interface ScoreResult {
  base: number;
  items: ItemResult[];
  adjustments: Adjustment[];
  adjustmentTotal: number;
  /** Base + items + adjustments, before the floor. */
  sum: number;
  floor: number | null;
  floorApplied: boolean;
  total: number;
  grade: string | null;
  /** The grade's minimum (null: the catch-all grade or no grade). */
  gradeMin: number | null;
}

export function emptyCounts(): SeatCounts {
  return { activities: {}, suggestionsLed: 0, suggestionsCosigned: 0, adjustments: [] };
}

/** Limits the magnitude, keeping the sign (a 扣分 item capped at 10 stops at −10). */
export function capMagnitude(points: number, cap: number | null): number {
  if (cap === null) return points;
  const limit = Math.abs(cap);
  return points > limit ? limit : points < -limit ? -limit : points;
}

export function scoreItem(item: RuleItemSpec, counts: SeatCounts): ItemResult {
  let attended = 0;
  let leave = 0;
  let absent = 0;
  let led = 0;
  let cosigned = 0;
  for (const type of item.activityTypes) {
    if (type === SUGGESTION_TYPE) {
      led += counts.suggestionsLed;
      cosigned += counts.suggestionsCosigned;
      continue;
    }
    const c = counts.activities[type];
    if (!c) continue;
    attended += c.attended;
    leave += c.leave;
    absent += c.absent;
  }
  const occurrences = attended + led;
  const occurrencePoints = occurrences === 0 ? 0 : item.firstPoints + (occurrences - 1) * item.furtherPoints;
  const cosignRaw = cosigned * item.cosignPoints;
  const cosignCounted = capMagnitude(cosignRaw, item.cosignCap);
  const beforeCap = occurrencePoints + cosignCounted;
  const afterCap = capMagnitude(beforeCap, item.cap);
  const deductions = leave * item.leavePoints + absent * item.absentPoints;
  return {
    code: item.code,
    name: item.name,
    category: item.category,
    count: countOf(item, occurrences, cosigned, leave, absent),
    attended,
    led,
    cosigned,
    leave,
    absent,
    occurrencePoints,
    cosignRaw,
    cosignCounted,
    beforeCap,
    afterCap,
    deductions,
    points: afterCap + deductions,
  };
}

/**
 * What "count" means for an item: the occurrences it awards points for
 * (attended + led + co-signed); for a pure deduction item (no points per
 * occurrence), the leave and absence occurrences that cost points.
 */
function countOf(item: RuleItemSpec, occurrences: number, cosigned: number, leave: number, absent: number): number {
  const awards = item.firstPoints !== 0 || item.furtherPoints !== 0 || item.cosignPoints !== 0;
  if (awards) return occurrences + (item.cosignPoints !== 0 ? cosigned : 0);
  return (item.leavePoints !== 0 ? leave : 0) + (item.absentPoints !== 0 ? absent : 0);
}

/** Sorted once per rule set, not once per seat (a province is 140,000 seats). */
const sortedGrades = new WeakMap<GradeSpec[], GradeSpec[]>();

export function gradeOf(total: number, grades: GradeSpec[]): GradeSpec | null {
  let sorted = sortedGrades.get(grades);
  if (!sorted) sortedGrades.set(grades, (sorted = sortGrades(grades)));
  for (const g of sorted) {
    if (g.min === null || total >= g.min) return g;
  }
  return null;
}

export function computeScore(rules: RuleSetSpec, counts: SeatCounts): ScoreResult {
  const items = rules.items.map((item) => scoreItem(item, counts));
  let sum = rules.base;
  for (const i of items) sum += i.points;
  let adjustmentTotal = 0;
  for (const a of counts.adjustments) adjustmentTotal += a.points;
  sum += adjustmentTotal;
  const floorApplied = rules.floor !== null && sum < rules.floor;
  const total = floorApplied ? (rules.floor as number) : sum;
  const grade = gradeOf(total, rules.grades);
  return {
    base: rules.base,
    items,
    adjustments: counts.adjustments,
    adjustmentTotal,
    sum,
    floor: rules.floor,
    floorApplied,
    total,
    grade: grade?.name ?? null,
    gradeMin: grade?.min ?? null,
  };
}

/**
 * Competition ranking (1, 2, 2, 4) by total, highest first, within each group.
 * Returns the rank of each input position.
 */
export function rankWithin<T>(entries: T[], total: (e: T) => number, group: (e: T) => string): number[] {
  const index = new Map<string, number>();
  const groupOf = new Int32Array(entries.length);
  const totals = new Float64Array(entries.length);
  entries.forEach((e, i) => {
    const key = group(e);
    let g = index.get(key);
    if (g === undefined) index.set(key, (g = index.size));
    groupOf[i] = g;
    totals[i] = total(e);
  });
  return Array.from(competitionRanks(groupOf, totals, index.size));
}

/**
 * Competition ranks for many entries in many groups at once: entry i is in
 * group groupOf[i] (0 … groupCount − 1) with totals[i]; its rank is 1 + the
 * number of entries of its group with a higher total. One numeric sort of each
 * group's totals and a binary search per entry: no comparator callbacks and no
 * objects, so a province's 140,000 seats rank in a few milliseconds.
 */
export function competitionRanks(groupOf: Int32Array, totals: Float64Array, groupCount: number): Int32Array {
  const n = groupOf.length;
  const end = new Int32Array(groupCount + 1);
  for (let i = 0; i < n; i++) end[groupOf[i]! + 1]!++;
  for (let g = 0; g < groupCount; g++) end[g + 1]! += end[g]!;
  // end[g] is now where group g starts; fill each group's slice of `sorted`.
  const next = end.slice(0, groupCount);
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) sorted[next[groupOf[i]!]!++] = totals[i]!;
  for (let g = 0; g < groupCount; g++) sorted.subarray(end[g]!, end[g + 1]!).sort();
  const ranks = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const g = groupOf[i]!;
    const t = totals[i]!;
    // First position in the group's ascending slice holding a total above t.
    let lo = end[g]!;
    let hi = end[g + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! > t) hi = mid;
      else lo = mid + 1;
    }
    ranks[i] = end[g + 1]! - lo + 1;
  }
  return ranks;
}

/**
 * The same arithmetic as computeScore, over a flat count array, for ranking a
 * province without building an explained result per seat (that is built on
 * demand). `attendance` holds [seat][type][出席, 请假, 缺席] for `types`.
 */
export interface CompiledRules {
  spec: RuleSetSpec;
  T: number;
  items: { typeIdx: number[]; suggestions: boolean; item: RuleItemSpec }[];
  /** Grades sorted once, highest minimum first. */
  grades: GradeSpec[];
}

export function compileRules(spec: RuleSetSpec, types: readonly string[]): CompiledRules {
  const index = new Map(types.map((t, i) => [t, i]));
  return {
    spec,
    T: types.length,
    items: spec.items.map((item) => ({
      item,
      suggestions: item.activityTypes.includes(SUGGESTION_TYPE),
      typeIdx: item.activityTypes.filter((t) => t !== SUGGESTION_TYPE && index.has(t)).map((t) => index.get(t)!),
    })),
    grades: sortGrades(spec.grades),
  };
}

/** The total (hundredths) of the seat whose counts start at `base` in `attendance` (−1: no records). */
export function flatTotal(c: CompiledRules, attendance: Int32Array | Uint16Array, base: number, led: number, cosigned: number, adjustmentTotal: number): number {
  let sum = c.spec.base + adjustmentTotal;
  const items = c.items;
  for (let k = 0; k < items.length; k++) {
    const { item, typeIdx, suggestions } = items[k]!;
    let attended = 0;
    let leave = 0;
    let absent = 0;
    if (base >= 0) {
      for (let j = 0; j < typeIdx.length; j++) {
        const o = base + typeIdx[j]! * 3;
        attended += attendance[o]!;
        leave += attendance[o + 1]!;
        absent += attendance[o + 2]!;
      }
    }
    const occurrences = attended + (suggestions ? led : 0);
    const occurrencePoints = occurrences === 0 ? 0 : item.firstPoints + (occurrences - 1) * item.furtherPoints;
    const cosignCounted = capMagnitude((suggestions ? cosigned : 0) * item.cosignPoints, item.cosignCap);
    sum += capMagnitude(occurrencePoints + cosignCounted, item.cap) + leave * item.leavePoints + absent * item.absentPoints;
  }
  return c.spec.floor !== null && sum < c.spec.floor ? c.spec.floor : sum;
}

/** The grade's name for a total, as gradeOf gives it. */
export function flatGrade(c: CompiledRules, total: number): string | null {
  for (const g of c.grades) {
    if (g.min === null || total >= g.min) return g.name;
  }
  return null;
}

export function totalFromFlat(
  c: CompiledRules,
  attendance: Int32Array | Uint16Array,
  seatN: number | null,
  led: number,
  cosigned: number,
  adjustmentTotal: number,
): { total: number; grade: string | null } {
  const total = flatTotal(c, attendance, seatN === null ? -1 : seatN * c.T * 3, led, cosigned, adjustmentTotal);
  return { total, grade: flatGrade(c, total) };
}
