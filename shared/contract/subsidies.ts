import { z } from 'zod';
import { LEVELS, type Level } from '../dictionaries.js';
import {
  DUAL_SEAT_RULES,
  MONTH_RULES,
  PERIOD_FORMAT_HINT,
  STANDARD_CONDITIONS,
  STANDARD_KINDS,
  parsePeriod,
  type StandardCondition,
  type StandardKind,
  type SubsidyPolicy,
} from '../subsidies/index.js';
import { method, noInput, type FileOutput } from './define.js';
import { fen } from './funds.js';

/** A rate applies from the 1st of a month: months are the unit of payment. */
const monthStart = z
  .string()
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-01$/, '标准按月执行，生效日期应为某月1日，例如 2025-07-01');

export const policyInput = z.object({
  dualSeatRule: z.enum(DUAL_SEAT_RULES, { error: '请选择兼任两级代表时的发放规则' }),
  monthRule: z.enum(MONTH_RULES, { error: '请选择不足整月的计算规则' }),
  cutoffDay: z.number().int('日期应为整数').min(1, '分界日应在 1–31 之间').max(31, '分界日应在 1–31 之间').default(15),
  paySuspended: z.boolean({ error: '请选择暂停执行职务期间是否发放' }),
  prorateYearly: z.boolean({ error: '请选择年度补贴是否按在任月数折算' }),
});

const standardMeta = {
  name: z.string().trim().min(1, '请填写标准名称').max(40, '标准名称不超过40个字'),
  levels: z.array(z.enum(LEVELS, { error: '请选择代表层级' })).min(1, '请至少选择一个代表层级').max(LEVELS.length),
  condition: z.enum(STANDARD_CONDITIONS, { error: '请选择发放对象' }),
  note: z
    .string()
    .trim()
    .max(300, '备注不超过300个字')
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .optional(),
};

export const standardCreateInput = z.object({
  ...standardMeta,
  kind: z.enum(STANDARD_KINDS, { error: '请选择按月或按年' }),
  amountFen: fen('金额'),
  effectiveFrom: monthStart,
});

export interface StandardRateRecord {
  id: string;
  effectiveFrom: string;
  amountFen: number;
  note: string | null;
}

export interface StandardRecord {
  id: string;
  name: string;
  kind: StandardKind;
  levels: Level[];
  condition: StandardCondition;
  note: string | null;
  /** Oldest first. */
  rates: StandardRateRecord[];
}

export const periodInput = z
  .string({ error: `请填写发放期间：${PERIOD_FORMAT_HINT}` })
  .trim()
  .refine((s) => parsePeriod(s) !== null, PERIOD_FORMAT_HINT);

export const EXCEPTION_KINDS = [
  'missing_bank_account',
  'seat_ended',
  'seat_suspended',
  'fixed_income_changed',
  'incomplete_seat',
  'negative_net',
] as const;
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];
export const EXCEPTION_KIND_LABELS: Record<ExceptionKind, string> = {
  missing_bank_account: '缺少银行账号',
  seat_ended: '本期资格终止',
  seat_suspended: '本期暂停执行职务',
  fixed_income_changed: '固定收入情况有变更',
  incomplete_seat: '席位信息不完整',
  negative_net: '调整后应发为负数',
};

/** Something the clerk should look at before issuing (the line may still be right). */
export interface BatchException {
  personId: string;
  name: string;
  kind: ExceptionKind;
  message: string;
}

export type LineKind = 'regular' | 'adjustment';

/** The CLI's `subsidies run --json` line; the first five keys are the issue's. */
export interface RunLine {
  personId: string;
  name: string;
  level: Level;
  months: number;
  amountFen: number;
  kind: LineKind;
  levels: Level[];
  township: string | null;
  standardText: string;
  /** Adjusting lines: the earlier period they correct. */
  adjustsPeriod?: string;
  note?: string;
}

export interface RunResult {
  /** null for a dry run. */
  batchId: string | null;
  period: string;
  periodLabel: string;
  dryRun: boolean;
  /** A draft for the same period was replaced. */
  replacedDraft: boolean;
  lines: RunLine[];
  totalFen: number;
  exceptions: BatchException[];
}

export type BatchStatus = 'draft' | 'issued';

export interface BatchSummary {
  id: string;
  period: string;
  periodLabel: string;
  title: string;
  status: BatchStatus;
  totalFen: number;
  lineCount: number;
  adjustmentCount: number;
  exceptionCount: number;
  generatedAt: string;
  issuedAt: string | null;
  issuedBy: string | null;
}

/** A line on screen: the bank account masked. */
export interface BatchLine {
  id: string;
  seq: number;
  kind: LineKind;
  personId: string;
  name: string;
  level: Level;
  levels: Level[];
  township: string | null;
  groupName: string | null;
  standardText: string;
  months: number;
  amountFen: number;
  adjustsPeriod: string | null;
  bankName: string | null;
  bankAccountMasked: string;
  note: string | null;
}

export interface BatchDetail {
  batch: BatchSummary;
  policy: SubsidyPolicy;
  lines: BatchLine[];
  exceptions: BatchException[];
  townships: string[];
}

/** The printed 签领表 (HTML view): rows already in print order. */
export interface SignSheet {
  title: string;
  officeName: string;
  periodLabel: string;
  dateText: string;
  status: BatchStatus;
  rows: {
    seq: number;
    name: string;
    levelText: string;
    place: string;
    standardText: string;
    months: number;
    amountFen: number;
    note: string;
  }[];
  totalFen: number;
  /** 合计（大写）, e.g. 壹仟贰佰元整 */
  totalCapitals: string;
}

const batchId = z.object({ batchId: z.string().uuid('批次编号无效') });
const sheetInput = batchId.extend({ township: z.string().trim().max(40).optional() });

export const subsidiesContract = {
  'subsidies.policy': method(noInput, '补贴发放规则').returns<SubsidyPolicy>(),
  'subsidies.policySet': method(policyInput, '修改补贴发放规则').returns<SubsidyPolicy>(),
  'subsidies.standards': method(noInput, '补贴标准及各时期金额').returns<StandardRecord[]>(),
  'subsidies.standardCreate': method(standardCreateInput, '新增补贴标准').returns<{ id: string }>(),
  'subsidies.standardUpdate': method(
    z.object({ id: z.string().uuid('编号无效'), ...standardMeta }),
    '修改补贴标准（名称、层级、发放对象）',
  ).returns<{ id: string }>(),
  'subsidies.standardRemove': method(z.object({ id: z.string().uuid('编号无效') }), '删除补贴标准').returns<{ id: string }>(),
  'subsidies.rateAdd': method(
    z.object({ standardId: z.string().uuid('编号无效'), effectiveFrom: monthStart, amountFen: fen('金额'), note: standardMeta.note }),
    '调整标准：自某月起按新金额',
  ).returns<{ id: string }>(),
  'subsidies.rateRemove': method(z.object({ rateId: z.string().uuid('编号无效') }), '删除一条标准金额').returns<{ id: string }>(),
  'subsidies.run': method(
    z.object({ period: periodInput, dryRun: z.boolean().default(false) }),
    '按名册和标准生成发放批次（草稿）；dryRun 只计算不保存',
  ).returns<RunResult>(),
  'subsidies.batches': method(noInput, '发放批次列表').returns<BatchSummary[]>(),
  'subsidies.batch': method(batchId, '发放批次详情（账号已隐藏）').returns<BatchDetail>(),
  'subsidies.lineNote': method(
    z.object({ lineId: z.string().uuid('编号无效'), note: standardMeta.note }),
    '修改发放行备注（仅限草稿）',
  ).returns<{ id: string }>(),
  'subsidies.issue': method(batchId, '确认发放：批次锁定，不能再修改').returns<BatchSummary>(),
  'subsidies.removeBatch': method(batchId, '删除草稿批次').returns<{ id: string }>(),
  'subsidies.sheet': method(sheetInput, '签领表（打印）').returns<SignSheet>(),
  'subsidies.sheetWorkbook': method(sheetInput, '签领表（Excel）').returns<FileOutput>(),
  'subsidies.bankWorkbook': method(batchId, '银行代发清单（Excel，含完整账号）').returns<FileOutput>(),
};
