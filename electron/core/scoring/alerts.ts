import type { ScoreAlert } from '../../../shared/contract/scoring.js';
import { LEVEL_LABELS, type Level } from '../../../shared/dictionaries.js';
import { CONGRESS_SESSION_TYPE, formatPoints, previousPeriod, type Period } from '../../../shared/scoring/index.js';
import type { CoreContext } from '../context.js';
import { computePeriod, type PeriodScores } from './compute.js';
import { noRulesError } from './scores.js';

/**
 * What the clerk must see and decide on; the app never acts on it (no seat is
 * ended, no warning sent). Legal ground: two unapproved absences from the
 * congress session end the seat (Deputies Law); other thresholds are the
 * office's own (lowest N periods running, a minimum score).
 */

interface AbsenceDbRow {
  seat_id: string;
  name: string;
  level: Level;
  township: string | null;
  n: number;
  dates: string;
}

function congressAbsences(ctx: CoreContext, seatIds: Set<string>): ScoreAlert[] {
  // Over the whole seat (a term), not just the period: the law counts sessions of the term.
  const rows = ctx.db
    .prepare(
      `SELECT s.id AS seat_id, pr.name, s.level, s.township, count(*) AS n, group_concat(a.date, '、') AS dates
         FROM activity_participants p
         JOIN activities a ON a.id = p.activity_id
         JOIN seats s ON s.id = p.seat_id
         JOIN persons pr ON pr.id = s.person_id
        WHERE a.type = ? AND p.attendance = '缺席' AND p.deleted_at IS NULL AND a.deleted_at IS NULL
          AND a.review_status <> 'rejected' AND (a.level IS NULL OR a.level = s.level) AND s.deleted_at IS NULL
        GROUP BY s.id HAVING count(*) >= 2`,
    )
    .all(CONGRESS_SESSION_TYPE) as AbsenceDbRow[];
  return rows
    .filter((r) => seatIds.size === 0 || seatIds.has(r.seat_id))
    .map((r) => ({
      kind: 'congress_absence' as const,
      seatId: r.seat_id,
      name: r.name,
      level: r.level,
      township: r.township,
      message: `未经批准 ${r.n} 次不出席本级人民代表大会会议（${r.dates}）。依照代表法，属代表资格终止的情形，请核实并按程序办理。`,
    }));
}

/** Seats among the lowest N of their level (ties at the border included). */
function lowest(scores: PeriodScores, n: number): Set<string> {
  const out = new Set<string>();
  const byLevel = new Map<string, { seatId: string; total: number }[]>();
  for (const s of scores.seats) {
    let list = byLevel.get(s.level);
    if (!list) byLevel.set(s.level, (list = []));
    list.push({ seatId: s.seatId, total: s.total });
  }
  for (const list of byLevel.values()) {
    list.sort((a, b) => a.total - b.total);
    const border = list[Math.min(n, list.length) - 1]?.total;
    if (border === undefined) continue;
    for (const e of list) if (e.total <= border) out.add(e.seatId);
  }
  return out;
}

export function scoreAlerts(ctx: CoreContext, periodId: string, township?: string): ScoreAlert[] {
  const scores = computePeriod(ctx, periodId);
  if (scores.ruleSets.length === 0) throw noRulesError(scores.period.label);
  const inScope = scores.seats.filter((s) => !township || s.township === township);
  const alerts: ScoreAlert[] = congressAbsences(ctx, new Set(inScope.map((s) => s.seatId)));

  for (const ruleSet of scores.ruleSets) {
    const seats = inScope.filter((s) => s.ruleSetId === ruleSet.id);
    if (ruleSet.alert_below_x100 !== null) {
      const below: ScoreAlert[] = [];
      for (const s of seats) {
        if (s.total < ruleSet.alert_below_x100) {
          below.push({
            kind: 'below',
            seatId: s.seatId,
            name: s.name,
            level: s.level,
            township: s.township,
            message: `${scores.period.label}积分 ${formatPoints(s.total)} 分，低于预警线 ${formatPoints(ruleSet.alert_below_x100)} 分。`,
          });
        }
      }
      for (const a of sortByPlace(below)) alerts.push(a);
    }
    const n = ruleSet.alert_bottom_n;
    if (n !== null && n > 0) {
      const runs = Math.max(1, ruleSet.alert_bottom_runs);
      let flagged = lowest(scores, n);
      const periods: Period[] = [scores.period];
      let p = scores.period;
      for (let i = 1; i < runs && flagged.size > 0; i++) {
        p = previousPeriod(p);
        const earlier = computePeriod(ctx, p.id);
        if (earlier.ruleSets.length === 0) {
          flagged = new Set();
          break;
        }
        const low = lowest(earlier, n);
        flagged = new Set([...flagged].filter((id) => low.has(id)));
        periods.push(p);
      }
      const span = periods.reverse().map((x) => x.label).join('、');
      const bottom: ScoreAlert[] = [];
      for (const s of seats) {
        if (!flagged.has(s.seatId)) continue;
        bottom.push({
          kind: 'bottom',
          seatId: s.seatId,
          name: s.name,
          level: s.level,
          township: s.township,
          message:
            runs > 1
              ? `${span}连续 ${runs} 期积分列${LEVEL_LABELS[s.level]}人大代表末 ${n} 名（本期 ${formatPoints(s.total)} 分）。`
              : `${span}积分列${LEVEL_LABELS[s.level]}人大代表末 ${n} 名（${formatPoints(s.total)} 分）。`,
        });
      }
      for (const a of sortByPlace(bottom)) alerts.push(a);
    }
  }
  return alerts;
}

/** SQLite's order for text (UTF-8 bytes): code points, which JS's < on UTF-16 units is not beyond U+FFFF. */
function compareCodePoints(a: string, b: string): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/**
 * Alerts of one kind by level, then township (none first), then roster order
 * (a stable sort): the computed seat list itself has no meaningful order.
 */
function sortByPlace(list: ScoreAlert[]): ScoreAlert[] {
  const places = new Map<string, { level: string; township: string | null; order: number }>();
  const placeOf = (a: ScoreAlert) => `${a.level}|${a.township === null ? '' : `=${a.township}`}`;
  for (const a of list) if (!places.has(placeOf(a))) places.set(placeOf(a), { level: a.level, township: a.township, order: 0 });
  [...places.values()]
    .sort(
      (a, b) =>
        compareCodePoints(a.level, b.level) ||
        (a.township === null ? (b.township === null ? 0 : -1) : b.township === null ? 1 : compareCodePoints(a.township, b.township)),
    )
    .forEach((p, i) => (p.order = i));
  return list
    .map((alert) => ({ alert, order: places.get(placeOf(alert))!.order }))
    .sort((a, b) => a.order - b.order)
    .map((x) => x.alert);
}
