/**
 * A rule set (积分规则) as data: everything a county's published table says,
 * in a shape an office edits without a code change. Points are hundredths.
 */

export const RULE_CATEGORIES = ['会议期间', '闭会期间', '加分', '扣分'] as const;
export type RuleCategory = (typeof RULE_CATEGORIES)[number];

export const RULE_SET_STATUSES = ['draft', 'in_force', 'closed'] as const;
export type RuleSetStatus = (typeof RULE_SET_STATUSES)[number];
export const RULE_SET_STATUS_LABELS: Record<RuleSetStatus, string> = {
  draft: '草稿',
  in_force: '执行中',
  closed: '已结束',
};

/** One line of the table: 项目. */
export interface RuleItemSpec {
  /** Stable across periods and edits (results and exports refer to it). */
  code: string;
  name: string;
  category: RuleCategory;
  /** Activity types counted together under one cap (e.g. 视察 + 调研 + 执法检查); 代表建议 counts suggestions. */
  activityTypes: string[];
  /** 首次 */
  firstPoints: number;
  /** 每增加一次 */
  furtherPoints: number;
  /** 本期上限 (of the item's magnitude); null: 上不封顶. */
  cap: number | null;
  /** Per 请假 occurrence (a deduction is negative). */
  leavePoints: number;
  /** Per 缺席 occurrence (未经批准). */
  absentPoints: number;
  /** Per co-signed suggestion (附议), for items that count 代表建议. */
  cosignPoints: number;
  /** Cap of the co-sign points, inside the item cap; null: none. */
  cosignCap: number | null;
  note?: string | null;
}

/** 好 ≥ 80: min in hundredths; null min = everyone below the others (差). */
export interface GradeSpec {
  name: string;
  min: number | null;
}

/** Alerts the office configures; the app only shows them. */
export interface AlertSettings {
  /** Flag the lowest N of the level … */
  bottomN: number | null;
  /** … when they were among the lowest N this many periods running (2: this and the previous). */
  bottomRuns: number;
  /** Flag totals below this (hundredths). */
  below: number | null;
}

export interface RuleSetSpec {
  /** 基础分 */
  base: number;
  /** 总分下限 (e.g. never below 0); null: none. */
  floor: number | null;
  /** Sorted or not: the engine takes the highest min a total reaches. Empty: no grades. */
  grades: GradeSpec[];
  items: RuleItemSpec[];
}

export const DEFAULT_ALERTS: AlertSettings = { bottomN: null, bottomRuns: 2, below: null };

/** Grades as one line: "好≥80；较好≥60；差". */
export function formatGrades(grades: GradeSpec[], format: (x100: number) => string): string {
  return sortGrades(grades)
    .map((g) => (g.min === null ? g.name : `${g.name}≥${format(g.min)}`))
    .join('；');
}

/** Highest minimum first; the catch-all (no minimum) last. */
export function sortGrades(grades: GradeSpec[]): GradeSpec[] {
  return [...grades].sort((a, b) => (b.min ?? -Infinity) - (a.min ?? -Infinity));
}
