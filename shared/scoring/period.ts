/**
 * Scoring periods (考核期间) as short identifiers: "2025" (year), "2025H1"
 * (half-year), "2025Q3" (quarter), "2025-03" (month).
 */

export const PERIOD_KINDS = ['year', 'half', 'quarter', 'month'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export interface Period {
  id: string;
  kind: PeriodKind;
  year: number;
  /** 1-based index within the year (half 1–2, quarter 1–4, month 1–12; 1 for a year). */
  index: number;
  start: string;
  end: string;
  /** 2025年度, 2025年上半年, 2025年第三季度, 2025年3月 */
  label: string;
}

const QUARTER_WORDS = ['一', '二', '三', '四'];
const pad2 = (n: number) => String(n).padStart(2, '0');

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function build(kind: PeriodKind, year: number, index: number): Period {
  const months: Record<PeriodKind, number> = { year: 12, half: 6, quarter: 3, month: 1 };
  const span = months[kind];
  const firstMonth = (index - 1) * span + 1;
  const lastMonth = firstMonth + span - 1;
  const id =
    kind === 'year' ? `${year}` : kind === 'half' ? `${year}H${index}` : kind === 'quarter' ? `${year}Q${index}` : `${year}-${pad2(index)}`;
  const label =
    kind === 'year'
      ? `${year}年度`
      : kind === 'half'
        ? `${year}年${index === 1 ? '上' : '下'}半年`
        : kind === 'quarter'
          ? `${year}年第${QUARTER_WORDS[index - 1]}季度`
          : `${year}年${index}月`;
  return {
    id,
    kind,
    year,
    index,
    start: `${year}-${pad2(firstMonth)}-01`,
    end: `${year}-${pad2(lastMonth)}-${pad2(lastDayOfMonth(year, lastMonth))}`,
    label,
  };
}

/** Null when the text is not a period identifier. */
export function parsePeriod(text: string): Period | null {
  const s = text.trim().toUpperCase();
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})$/.exec(s))) return build('year', Number(m[1]), 1);
  if ((m = /^(\d{4})H([12])$/.exec(s))) return build('half', Number(m[1]), Number(m[2]));
  if ((m = /^(\d{4})Q([1-4])$/.exec(s))) return build('quarter', Number(m[1]), Number(m[2]));
  if ((m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(s))) return build('month', Number(m[1]), Number(m[2]));
  return null;
}

export const PERIOD_FORMAT_HINT = '考核期间应写作 2025（年度）、2025H1（半年）、2025Q3（季度）或 2025-03（月度）';

/** The period of the same kind just before (2025Q1 → 2024Q4). */
export function previousPeriod(p: Period): Period {
  const per: Record<PeriodKind, number> = { year: 1, half: 2, quarter: 4, month: 12 };
  return p.index > 1 ? build(p.kind, p.year, p.index - 1) : build(p.kind, p.year - 1, per[p.kind]);
}

export function periodContains(p: Period, date: string): boolean {
  const day = date.slice(0, 10);
  return day >= p.start && day <= p.end;
}

/** The period of a kind that holds a date. */
export function periodOf(kind: PeriodKind, date: string): Period {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const index = kind === 'year' ? 1 : kind === 'half' ? Math.ceil(month / 6) : kind === 'quarter' ? Math.ceil(month / 3) : month;
  return build(kind, year, index);
}

/** The first of the periods that holds a date, or null. */
export function closedPeriodContaining(periods: Period[], date: string): Period | null {
  return periods.find((p) => periodContains(p, date)) ?? null;
}
