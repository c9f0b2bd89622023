/**
 * Payout periods (发放期间) and calendar helpers for subsidies. A period is
 * written the way clerks say it: 2025-03 (a month), 2025Q1 (a quarter),
 * 2025H1 (a half year) or 2025 (a year). Pure: no Node imports.
 */

export type PeriodKind = 'month' | 'quarter' | 'half' | 'year';

export interface Period {
  /** Normalised code: 2025-03, 2025Q1, 2025H1, 2025. */
  code: string;
  kind: PeriodKind;
  /** First day, YYYY-MM-DD. */
  start: string;
  /** Last day, YYYY-MM-DD. */
  end: string;
  /** The months it covers, YYYY-MM, in order. */
  months: string[];
  /** 2025年3月, 2025年第一季度, 2025年上半年, 2025年度 */
  label: string;
}

const QUARTER_NAMES = ['第一季度', '第二季度', '第三季度', '第四季度'];

export const PERIOD_FORMAT_HINT = '发放期间应写成 2025-03（月）、2025Q1（季度）、2025H1（半年）或 2025（年度）';

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function monthCode(year: number, month: number): string {
  return `${year}-${pad2(month)}`;
}

function range(year: number, fromMonth: number, toMonth: number): string[] {
  const out: string[] = [];
  for (let m = fromMonth; m <= toMonth; m++) out.push(monthCode(year, m));
  return out;
}

/** Parses a period code; null when it is not one of the four forms. */
export function parsePeriod(text: string): Period | null {
  const s = text.trim().toUpperCase().replace(/\s+/g, '');
  let m: RegExpExecArray | null;
  let year: number;
  let kind: PeriodKind;
  let from: number;
  let to: number;
  let label: string;
  let code: string;
  if ((m = /^(\d{4})-?(0[1-9]|1[0-2])$/.exec(s))) {
    year = Number(m[1]);
    from = to = Number(m[2]);
    kind = 'month';
    code = monthCode(year, from);
    label = `${year}年${from}月`;
  } else if ((m = /^(\d{4})Q([1-4])$/.exec(s))) {
    year = Number(m[1]);
    const q = Number(m[2]);
    from = q * 3 - 2;
    to = q * 3;
    kind = 'quarter';
    code = `${year}Q${q}`;
    label = `${year}年${QUARTER_NAMES[q - 1]}`;
  } else if ((m = /^(\d{4})H([12])$/.exec(s))) {
    year = Number(m[1]);
    const h = Number(m[2]);
    from = h === 1 ? 1 : 7;
    to = h === 1 ? 6 : 12;
    kind = 'half';
    code = `${year}H${h}`;
    label = `${year}年${h === 1 ? '上半年' : '下半年'}`;
  } else if ((m = /^(\d{4})$/.exec(s))) {
    year = Number(m[1]);
    from = 1;
    to = 12;
    kind = 'year';
    code = String(year);
    label = `${year}年度`;
  } else {
    return null;
  }
  if (year < 1990 || year > 2100) return null;
  return {
    code,
    kind,
    start: `${monthCode(year, from)}-01`,
    end: `${monthCode(year, to)}-${pad2(daysInMonth(year, to))}`,
    months: range(year, from, to),
    label,
  };
}

/** Months of one calendar year. */
export function yearMonths(year: number): string[] {
  return range(year, 1, 12);
}

/** 2025-03 → 3 */
export function monthNumber(month: string): number {
  return Number(month.slice(5, 7));
}

export function monthYear(month: string): number {
  return Number(month.slice(0, 4));
}

/** Do two periods share a month? */
export function periodsOverlap(a: Pick<Period, 'start' | 'end'>, b: Pick<Period, 'start' | 'end'>): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** Days since 1970-01-01 for an ISO date (UTC, so no daylight-saving surprises). */
export function dayNumber(iso: string): number {
  return Math.floor(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000);
}
