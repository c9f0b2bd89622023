import { z } from 'zod';
import { LEVELS, type Level } from '../dictionaries.js';
import { method, pageInput, type FileOutput, optionalText, type Page } from './define.js';
import { isoDate } from './roster.js';

/** 代表活动经费: kinds of budget line. */
export const FUND_KINDS = ['per_deputy', 'per_station', 'training', 'special', 'other'] as const;
export type FundKind = (typeof FUND_KINDS)[number];
export const FUND_KIND_LABELS: Record<FundKind, string> = {
  per_deputy: '按代表人数',
  per_station: '按联络站',
  training: '培训经费',
  special: '专项经费',
  other: '其他经费',
};

/** Money crosses every door as integer fen; screens convert yuan at the edge. */
export const fen = (label: string) =>
  z
    .number({ error: `请填写${label}` })
    .int(`${label}最多两位小数（以分为单位的整数）`)
    .min(0, `${label}不能为负数`)
    .max(100_000_000_000, `${label}过大，请核对`);

export const fundYear = z
  .number({ error: '请填写年度' })
  .int('年度应为整数，例如 2025')
  .min(2000, '年度应在 2000–2100 之间')
  .max(2100, '年度应在 2000–2100 之间');

/**
 * A fund (budget line). per_deputy: unit amount × seats of `deputyLevel`
 * (the count defaults to the roster's current seats); per_station: unit amount
 * × stations; the other kinds take the budget as typed.
 */
export const fundFields = z.object({
  year: fundYear,
  name: z.string().trim().min(1, '请填写经费名称').max(60, '经费名称不超过60个字'),
  kind: z.enum(FUND_KINDS, { error: '请选择经费类别' }),
  deputyLevel: z.enum(LEVELS, { error: '请选择按哪一级代表计算' }).nullable().optional(),
  unitAmountFen: fen('每人（每站）金额').nullable().optional(),
  unitCount: z.number().int('人数（站数）应为整数').min(0, '人数（站数）不能为负数').nullable().optional(),
  budgetFen: fen('预算金额').nullable().optional(),
  note: optionalText(500, '备注'),
});
export type FundFields = z.input<typeof fundFields>;

export interface FundSummary {
  id: string;
  year: number;
  name: string;
  kind: FundKind;
  deputyLevel: Level | null;
  unitAmountFen: number | null;
  unitCount: number | null;
  budgetFen: number;
  spentFen: number;
  /** budget − spent; negative when over budget with approval. */
  balanceFen: number;
  entryCount: number;
  overBudgetCount: number;
  note: string | null;
}

/** 经费支出 */
export const fundEntryFields = z.object({
  fundId: z.string().uuid('请选择经费'),
  date: isoDate,
  amountFen: fen('金额').min(1, '金额应大于 0'),
  purpose: z.string().trim().min(1, '请填写用途').max(200, '用途不超过200个字'),
  payee: z.string().trim().min(1, '请填写收款人（单位）').max(60, '收款人不超过60个字'),
  voucherNo: optionalText(40, '凭证号'),
  activityId: z.string().uuid('履职活动编号无效').nullable().optional(),
  stationId: z.string().uuid('联络站编号无效').nullable().optional(),
  groupId: z.string().uuid('代表小组编号无效').nullable().optional(),
  /** Only needed, and only kept, when the entry goes beyond the budget. */
  approvalReason: optionalText(300, '超预算审批事由'),
  approvedBy: optionalText(40, '审批人'),
  note: optionalText(500, '备注'),
});
export type FundEntryFields = z.input<typeof fundEntryFields>;

export interface FundEntryRow {
  id: string;
  fundId: string;
  fundName: string;
  date: string;
  amountFen: number;
  purpose: string;
  payee: string;
  voucherNo: string | null;
  activityId: string | null;
  /** 2025-03-12 视察农村饮水安全工程 */
  activityTitle: string | null;
  stationId: string | null;
  stationName: string | null;
  groupId: string | null;
  groupName: string | null;
  overBudget: boolean;
  approvalReason: string | null;
  approvedBy: string | null;
  note: string | null;
}

export const fundEntryFilter = z.object({
  year: fundYear,
  fundId: z.string().uuid().optional(),
  stationId: z.string().uuid().optional(),
  q: z.string().trim().max(50).optional(),
  /** Only the entries recorded with an over-budget approval. */
  overBudgetOnly: z.boolean().default(false),
});

/** Per liaison station: its share of the per-station funds and what it spent. */
export interface StationBalance {
  stationId: string;
  stationName: string;
  township: string | null;
  budgetFen: number;
  /** Spent from per-station funds. */
  spentFen: number;
  balanceFen: number;
  /** Spent for the station from other funds (not counted against its share). */
  otherSpentFen: number;
}

export interface FundChoices {
  years: number[];
  stations: { id: string; name: string; township: string | null }[];
  groups: { id: string; name: string; township: string | null }[];
  /** Current seats per level, for per-deputy budgets. */
  seatCounts: Record<Level, number>;
  stationCount: number;
}

const idInput = z.object({ id: z.string().uuid('编号无效') });

export const fundsContract = {
  'funds.list': method(z.object({ year: fundYear }), '某年度的经费：预算、已支出、结余').returns<FundSummary[]>(),
  'funds.choices': method(z.object({}).default({}), '经费页面的选项：年度、联络站、代表小组、人数').returns<FundChoices>(),
  'funds.create': method(fundFields, '新增经费（预算）').returns<{ id: string }>(),
  'funds.update': method(fundFields.extend({ id: z.string().uuid('编号无效') }), '修改经费（预算）').returns<{ id: string }>(),
  'funds.remove': method(idInput, '删除经费（仅限没有支出记录的）').returns<{ id: string }>(),
  'funds.entries': method(fundEntryFilter.extend(pageInput), '经费支出明细（分页）').returns<Page<FundEntryRow> & { totalFen: number }>(),
  'funds.entryCreate': method(fundEntryFields, '登记一笔支出（超预算须填写审批事由）').returns<{ id: string; overBudget: boolean }>(),
  'funds.entryUpdate': method(fundEntryFields.extend({ id: z.string().uuid('编号无效') }), '修改一笔支出').returns<{
    id: string;
    overBudget: boolean;
  }>(),
  'funds.entryRemove': method(idInput, '删除一笔支出（保留删除记录）').returns<{ id: string }>(),
  'funds.activities': method(
    z.object({ year: fundYear, q: z.string().trim().max(50).optional() }),
    '可关联的履职活动（按名称查找，最多 30 条）',
  ).returns<{ id: string; date: string; title: string }[]>(),
  'funds.stations': method(z.object({ year: fundYear }), '各联络站经费：预算、已支出、结余').returns<StationBalance[]>(),
  'funds.reportWorkbook': method(z.object({ year: fundYear }), '年度经费报表（Excel）').returns<FileOutput>(),
};
