import type { ScoreFilter, ScoreList, ScoreRow, SeatScoreDetail } from '../../../shared/contract/scoring.js';
import type { Level } from '../../../shared/dictionaries.js';
import { AppError } from '../../../shared/errors.js';
import { explainScore, pointsNumber } from '../../../shared/scoring/index.js';
import type { CoreContext } from '../context.js';
import { computePeriod, townshipKey, type PeriodScores, type ScoredSeat } from './compute.js';
import { toSummary } from './ruleSets.js';

/** The ranking screen, the CLI's `scores` and a deputy's explanation. */

export type ScoreQuery = {
  period: string;
  level?: Level;
  township?: string;
  groupId?: string;
  grade?: string;
  q?: string;
};

export function noRulesError(periodLabel: string): AppError {
  return new AppError(
    'NOT_FOUND',
    `${periodLabel}还没有执行中或已结束的积分规则。请先在“积分规则”中新建规则并设为“执行中”。`,
  );
}

/** The seats of the period that pass the filters, highest score first (see rankedSeats). */
export function filterScores(scores: PeriodScores, q: ScoreQuery): ScoredSeat[] {
  const needle = q.q?.trim();
  return rankedSeats(scores).filter(
    (s) =>
      (!q.level || s.level === q.level) &&
      (!q.township || s.township === q.township) &&
      (!q.groupId || s.groupId === q.groupId) &&
      (!q.grade || (q.grade === '无等级' ? s.grade === null : s.grade === q.grade)) &&
      (!needle || s.name.includes(needle) || (s.certificateNo ?? '').includes(needle)),
  );
}

const zh = new Intl.Collator('zh-CN');
const ranked = new WeakMap<PeriodScores, ScoredSeat[]>();

/**
 * Highest first; ties by level, township and name so pages are stable.
 * Sorted once per computed period and kept beside it: a filter keeps this
 * order, so paging through 140,000 seats does not sort them again per page.
 */
export function rankedSeats(scores: PeriodScores): ScoredSeat[] {
  let order = ranked.get(scores);
  if (!order) {
    order = [...scores.seats].sort(
      (a, b) =>
        b.total - a.total ||
        a.level.localeCompare(b.level) ||
        zh.compare(a.township ?? '', b.township ?? '') ||
        zh.compare(a.name, b.name) ||
        a.seatId.localeCompare(b.seatId),
    );
    ranked.set(scores, order);
  }
  return order;
}

function toRow(s: ScoredSeat): ScoreRow {
  return {
    seatId: s.seatId,
    name: s.name,
    certificateNo: s.certificateNo,
    level: s.level,
    township: s.township,
    groupName: s.groupName,
    ruleSetId: s.ruleSetId,
    total: s.total,
    grade: s.grade,
    rankInTownship: s.rankInTownship,
    rankInLevel: s.rankInLevel,
    items: s.result.items.map((i) => ({ code: i.code, count: i.count, points: i.points })),
    frozen: s.frozen,
  };
}

export function listScores(ctx: CoreContext, q: ScoreFilter & { page: number; pageSize: number }): ScoreList {
  const scores = computePeriod(ctx, q.period);
  const summaries = scores.ruleSets.map(toSummary);
  const filtered = filterScores(scores, q as ScoreQuery);
  const gradeCounts = new Map<string, number>();
  for (const s of filtered) {
    const g = s.grade ?? '无等级';
    gradeCounts.set(g, (gradeCounts.get(g) ?? 0) + 1);
  }
  const used = new Set(filtered.map((s) => s.ruleSetId));
  const sets = scores.ruleSets.filter((r) => used.has(r.id) || used.size === 0);
  const items: ScoreList['items'] = [];
  const seen = new Set<string>();
  for (const r of sets) {
    for (const i of scores.specs.get(r.id)!.items) {
      if (seen.has(i.code)) continue;
      seen.add(i.code);
      items.push({ code: i.code, name: i.name, category: i.category });
    }
  }
  const grades = [...new Set(sets.flatMap((r) => scores.specs.get(r.id)!.grades.map((g) => g.name)))];
  const start = (q.page - 1) * q.pageSize;
  return {
    period: scores.period.id,
    periodLabel: scores.period.label,
    ruleSets: summaries,
    items,
    gradeCounts: [...gradeCounts].map(([grade, count]) => ({ grade, count })),
    grades,
    rows: filtered.slice(start, start + q.pageSize).map(toRow),
    total: filtered.length,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** What `deputy-desk scores --json` prints, exactly the shape; points as numbers. */
export interface CliScoreRow {
  seatId: string;
  name: string;
  certificateNo: string | null;
  total: number;
  grade: string | null;
  rank: number;
  items: { code: string; count: number; points: number }[];
}

export function scoresForCli(ctx: CoreContext, q: ScoreQuery): { rows: CliScoreRow[]; periodLabel: string } {
  const scores = computePeriod(ctx, q.period);
  if (scores.ruleSets.length === 0) throw noRulesError(scores.period.label);
  const rows = filterScores(scores, q);
  // Within a township the township rank is the one a clerk compares; county-wide, the level rank.
  const byTownship = Boolean(q.township);
  return {
    periodLabel: scores.period.label,
    rows: rows.map((s) => ({
      seatId: s.seatId,
      name: s.name,
      certificateNo: s.certificateNo,
      total: pointsNumber(s.total),
      grade: s.grade,
      rank: byTownship ? s.rankInTownship : s.rankInLevel,
      items: s.result.items.map((i) => ({ code: i.code, count: i.count, points: pointsNumber(i.points) })),
    })),
  };
}

export function explainSeat(ctx: CoreContext, periodId: string, seatId: string): SeatScoreDetail {
  const scores = computePeriod(ctx, periodId);
  if (scores.ruleSets.length === 0) throw noRulesError(scores.period.label);
  const s = scores.seats.find((x) => x.seatId === seatId);
  if (!s) {
    throw new AppError('NOT_FOUND', `该代表不在${scores.period.label}的积分范围内（席位不在任或所属层级没有积分规则）。`);
  }
  const ruleSet = scores.ruleSets.find((r) => r.id === s.ruleSetId)!;
  const spec = scores.specs.get(ruleSet.id)!;
  return {
    seatId: s.seatId,
    name: s.name,
    certificateNo: s.certificateNo,
    level: s.level,
    township: s.township,
    groupName: s.groupName,
    period: scores.period.id,
    periodLabel: scores.period.label,
    ruleSet: toSummary(ruleSet),
    result: s.result,
    lines: explainScore(s.result, spec.items, { includeEmpty: true }),
    rankInTownship: s.rankInTownship,
    townshipCount: scores.groupSizes.get(townshipKey(s)) ?? 0,
    rankInLevel: s.rankInLevel,
    levelCount: scores.groupSizes.get(s.level) ?? 0,
    frozen: s.frozen,
  };
}
