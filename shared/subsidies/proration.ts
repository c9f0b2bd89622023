import { LEVELS, type Level } from '../dictionaries.js';
import { dayNumber, daysInMonth, monthNumber, monthYear, yearMonths } from './period.js';
import type { Payee, SeatSpan, SubsidyPolicy, SubsidyStandard } from './rules.js';

/**
 * What one person is due for a period: months in office under the office's
 * month rule, suspensions paid or not, the rate in force each month, the
 * dual-seat rule, and yearly allowances settled with the period that holds
 * December (月计年结). Pure and exact: integer fen throughout.
 */

export interface StandardShare {
  standardId: string;
  amountFen: number;
}

export interface MonthDue {
  month: string;
  amountFen: number;
  /** The standards paid this month (one under 就高不就低 unless tied at zero). */
  shares: StandardShare[];
}

export interface YearlyDue {
  standardId: string;
  name: string;
  year: number;
  /** Months of the year that qualify. */
  months: number;
  amountFen: number;
  /** True when the amount is months/12 of the full year. */
  prorated: boolean;
}

export interface Due {
  amountFen: number;
  /** Months paid at a monthly standard; a yearly-only line shows its qualifying months. */
  months: number;
  monthly: MonthDue[];
  yearly: YearlyDue[];
  /** Levels of the seats that earned what is paid, highest first. */
  levels: Level[];
  /** For the 标准 column: 300元/月；1-6月200元/月，7-12月300元/月；年度履职补贴1,200元 */
  standardText: string;
}

type Interval = [number, number];

/** The days of `month` on which the seat counts (after suspensions, unless they are paid). */
function seatDays(seat: SeatSpan, month: string, policy: SubsidyPolicy): Interval[] {
  const y = monthYear(month);
  const m = monthNumber(month);
  const first = dayNumber(`${month}-01`);
  const last = first + daysInMonth(y, m) - 1;
  const from = Math.max(first, seat.start ? dayNumber(seat.start) : first);
  const to = Math.min(last, seat.end ? dayNumber(seat.end) : last);
  if (from > to) return [];
  let pieces: Interval[] = [[from, to]];
  if (!policy.paySuspended) {
    for (const s of seat.suspensions) {
      const a = dayNumber(s.from);
      const b = s.until ? dayNumber(s.until) - 1 : Number.POSITIVE_INFINITY;
      pieces = pieces.flatMap(([p, q]): Interval[] => {
        if (b < p || a > q) return [[p, q]];
        const out: Interval[] = [];
        if (a > p) out.push([p, a - 1]);
        if (b < q) out.push([b + 1, q]);
        return out;
      });
    }
  }
  return pieces;
}

/** Does the month count, given the days held in it (any seat of the qualifying levels)? */
export function monthCounts(days: Interval[], month: string, policy: SubsidyPolicy): boolean {
  if (days.length === 0) return false;
  const y = monthYear(month);
  const m = monthNumber(month);
  const length = daysInMonth(y, m);
  const first = dayNumber(`${month}-01`);
  if (policy.monthRule === 'inclusive') return true;
  if (policy.monthRule === 'cutoff') {
    const day = first + Math.min(Math.max(1, policy.cutoffDay), length) - 1;
    return days.some(([a, b]) => a <= day && day <= b);
  }
  // full: the union of the pieces must cover the whole month
  const sorted = [...days].sort((p, q) => p[0] - q[0]);
  let covered = first - 1;
  for (const [a, b] of sorted) {
    if (a > covered + 1) return false;
    covered = Math.max(covered, b);
  }
  return covered >= first + length - 1;
}

/** The amount in force on the first day of the month (0 before the first rate). */
export function rateForMonth(standard: SubsidyStandard, month: string): number {
  const day = `${month}-01`;
  let amount = 0;
  let since = '';
  for (const r of standard.rates) {
    if (r.from <= day && r.from >= since) {
      amount = r.amountFen;
      since = r.from;
    }
  }
  return amount;
}

function qualifies(payee: Payee, standard: SubsidyStandard): boolean {
  return standard.condition === 'all' || payee.hasFixedIncome === false;
}

/** For one standard and month: the levels of the seats that count (empty: the month does not count). */
function eligibleLevels(payee: Payee, standard: SubsidyStandard, month: string, policy: SubsidyPolicy): Level[] {
  const days: Interval[] = [];
  const levels = new Set<Level>();
  for (const seat of payee.seats) {
    if (!standard.levels.includes(seat.level)) continue;
    const d = seatDays(seat, month, policy);
    if (d.length > 0) levels.add(seat.level);
    days.push(...d);
  }
  return monthCounts(days, month, policy) ? [...levels] : [];
}

const LEVEL_RANK = new Map(LEVELS.map((l, i) => [l, i]));
function byRank(levels: Iterable<Level>): Level[] {
  return [...new Set(levels)].sort((a, b) => LEVEL_RANK.get(a)! - LEVEL_RANK.get(b)!);
}

/** Half-up rounding of a non-negative fraction of fen: Σ monthly rates / 12. */
function twelfths(sumFen: number): number {
  return Math.floor((2 * sumFen + 12) / 24);
}

export function computeDue(payee: Payee, standards: SubsidyStandard[], policy: SubsidyPolicy, months: string[]): Due {
  const monthlyStandards = standards.filter((s) => s.kind === 'monthly' && qualifies(payee, s));
  const yearlyStandards = standards.filter((s) => s.kind === 'yearly' && qualifies(payee, s));
  const levels: Level[] = [];

  const monthly: MonthDue[] = [];
  for (const month of months) {
    const candidates: (StandardShare & { levels: Level[] })[] = [];
    for (const s of monthlyStandards) {
      const amountFen = rateForMonth(s, month);
      if (amountFen <= 0) continue;
      const lv = eligibleLevels(payee, s, month, policy);
      if (lv.length > 0) candidates.push({ standardId: s.id, amountFen, levels: lv });
    }
    if (candidates.length === 0) continue;
    const chosen =
      policy.dualSeatRule === 'both'
        ? candidates
        : [candidates.reduce((best, c) => (c.amountFen > best.amountFen ? c : best))];
    for (const c of chosen) levels.push(...c.levels);
    monthly.push({
      month,
      amountFen: chosen.reduce((sum, c) => sum + c.amountFen, 0),
      shares: chosen.map(({ standardId, amountFen }) => ({ standardId, amountFen })),
    });
  }

  // Yearly allowances are settled in the period that holds December of their year.
  const yearly: YearlyDue[] = [];
  for (const year of [...new Set(months.filter((m) => monthNumber(m) === 12).map(monthYear))]) {
    const candidates: (YearlyDue & { levels: Level[] })[] = [];
    for (const s of yearlyStandards) {
      let sum = 0;
      let count = 0;
      let lastRate = 0;
      const lv: Level[] = [];
      for (const month of yearMonths(year)) {
        const rate = rateForMonth(s, month);
        if (rate <= 0) continue;
        const l = eligibleLevels(payee, s, month, policy);
        if (l.length === 0) continue;
        sum += rate;
        count += 1;
        lastRate = rate;
        lv.push(...l);
      }
      if (count === 0) continue;
      const amountFen = policy.prorateYearly ? twelfths(sum) : lastRate;
      if (amountFen <= 0) continue;
      candidates.push({ standardId: s.id, name: s.name, year, months: count, amountFen, prorated: policy.prorateYearly && count < 12, levels: lv });
    }
    if (candidates.length === 0) continue;
    const chosen =
      policy.dualSeatRule === 'both'
        ? candidates
        : [candidates.reduce((best, c) => (c.amountFen > best.amountFen ? c : best))];
    for (const { levels: lv, ...due } of chosen) {
      levels.push(...lv);
      yearly.push(due);
    }
  }

  const amountFen = monthly.reduce((s, m) => s + m.amountFen, 0) + yearly.reduce((s, y) => s + y.amountFen, 0);
  const monthsPaid = monthly.length > 0 ? monthly.length : Math.max(0, ...yearly.map((y) => y.months));
  return {
    amountFen,
    months: monthsPaid,
    monthly,
    yearly,
    levels: byRank(levels),
    standardText: describeDue(monthly, yearly),
  };
}

/** 300 or 300.5: yuan as the 标准 column writes them. */
export function shortYuan(fen: number): string {
  const yuan = Math.floor(Math.abs(fen) / 100);
  const cents = Math.abs(fen) % 100;
  const text = yuan.toLocaleString('en-US') + (cents ? '.' + String(cents).padStart(2, '0').replace(/0$/, '') : '');
  return fen < 0 ? '-' + text : text;
}

/** [1,2,3,5,6] → 1-3、5-6月 */
function monthRuns(months: number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < months.length; ) {
    let j = i;
    while (j + 1 < months.length && months[j + 1] === months[j]! + 1) j++;
    runs.push(i === j ? `${months[i]}` : `${months[i]}-${months[j]}`);
    i = j + 1;
  }
  return runs.join('、') + '月';
}

function describeDue(monthly: MonthDue[], yearly: YearlyDue[]): string {
  const parts: string[] = [];
  const byAmount = new Map<number, number[]>();
  for (const m of monthly) {
    const list = byAmount.get(m.amountFen) ?? [];
    list.push(monthNumber(m.month));
    byAmount.set(m.amountFen, list);
  }
  if (byAmount.size === 1) {
    parts.push(`${shortYuan(monthly[0]!.amountFen)}元/月`);
  } else if (byAmount.size > 1) {
    parts.push([...byAmount].map(([fen, ms]) => `${monthRuns(ms)}${shortYuan(fen)}元/月`).join('，'));
  }
  for (const y of yearly) {
    parts.push(`${y.name}${shortYuan(y.amountFen)}元${y.prorated ? `（按${y.months}个月折算）` : ''}`);
  }
  return parts.join('；');
}
