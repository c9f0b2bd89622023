import type { Level } from '../dictionaries.js';

/**
 * The office's subsidy policies (履职补贴发放规则) and standards as data. Every
 * figure and choice here is a setting the office edits, never a constant:
 * places differ (桂东: 县级及以上 300 元/月、乡镇 200 元/月、县代表年度 1,200 元;
 * 舟曲: 500/300 元, 就高不就低).
 */

/** How a month in which the seat starts, ends or is suspended part-way counts. */
export const MONTH_RULES = ['inclusive', 'cutoff', 'full'] as const;
export type MonthRule = (typeof MONTH_RULES)[number];
export const MONTH_RULE_LABELS: Record<MonthRule, string> = {
  inclusive: '到任当月和终止当月均按整月计',
  cutoff: '以每月指定日为界：该日在任的月份计发',
  full: '仅计整月在任的月份',
};

/** A person with seats at two levels: the higher rate only (就高不就低) or both. */
export const DUAL_SEAT_RULES = ['higher', 'both'] as const;
export type DualSeatRule = (typeof DUAL_SEAT_RULES)[number];
export const DUAL_SEAT_RULE_LABELS: Record<DualSeatRule, string> = {
  higher: '就高不就低（只发较高一级的标准）',
  both: '两级标准都发',
};

export interface SubsidyPolicy {
  dualSeatRule: DualSeatRule;
  monthRule: MonthRule;
  /** For the cutoff rule: the day of the month (1–31; short months use their last day). */
  cutoffDay: number;
  /** Whether months while 暂停执行代表职务 are paid. */
  paySuspended: boolean;
  /** Yearly allowances: by months in office (×n/12), or in full for any month in office. */
  prorateYearly: boolean;
}

/** The domain brief's defaults: months from the month of election to the month the seat ends. */
export const DEFAULT_POLICY: SubsidyPolicy = {
  dualSeatRule: 'higher',
  monthRule: 'inclusive',
  cutoffDay: 15,
  paySuspended: false,
  prorateYearly: true,
};

/** Paid per month in office, or once a year at the year-end settlement (月计年结). */
export const STANDARD_KINDS = ['monthly', 'yearly'] as const;
export type StandardKind = (typeof STANDARD_KINDS)[number];
export const STANDARD_KIND_LABELS: Record<StandardKind, string> = { monthly: '按月', yearly: '按年' };

/** Who qualifies besides the level: deputies without fixed income (无固定收入), or all. */
export const STANDARD_CONDITIONS = ['no_fixed_income', 'all'] as const;
export type StandardCondition = (typeof STANDARD_CONDITIONS)[number];
export const STANDARD_CONDITION_LABELS: Record<StandardCondition, string> = {
  no_fixed_income: '无固定收入的代表',
  all: '全部代表',
};

/** One amount and the day from which it applies (always the 1st of a month). */
export interface StandardRate {
  from: string;
  amountFen: number;
}

/** 补贴标准: e.g. 乡镇人大代表 200 元/月 from 2025-01-01, 300 元/月 from 2025-07-01. */
export interface SubsidyStandard {
  id: string;
  name: string;
  kind: StandardKind;
  levels: Level[];
  condition: StandardCondition;
  rates: StandardRate[];
}

/** A seat as proration needs it. */
export interface SeatSpan {
  level: Level;
  /** First day held; null: held since before any period in question. */
  start: string | null;
  /** Last day held (资格终止日期), inclusive; null: still held. */
  end: string | null;
  /** 暂停执行代表职务: from the day suspended until the day restored (exclusive; null: not yet restored). */
  suspensions: { from: string; until: string | null }[];
}

export interface Payee {
  /** null: not recorded, which qualifies for no "without fixed income" standard. */
  hasFixedIncome: boolean | null;
  seats: SeatSpan[];
}
