import { z } from 'zod';
import { LEVELS, type Level } from '../dictionaries.js';
import type { ScoreResult } from '../scoring/engine.js';
import type { ExplainedLine } from '../scoring/explain.js';
import { PERIOD_FORMAT_HINT, parsePeriod } from '../scoring/period.js';
import { RULE_CATEGORIES, type AlertSettings, type GradeSpec, type RuleItemSpec, type RuleSetStatus } from '../scoring/rules.js';
import { fileInput, method, noInput, pageInput, type FileOutput, type Page } from './define.js';

/**
 * Performance scoring (履职积分): rule sets an office edits, explained scores,
 * alerts and the reports. Every number of points crossing this contract is an
 * integer in hundredths of a point (650 = 6.5 points); screens format it.
 */

export const periodId = z
  .string({ error: PERIOD_FORMAT_HINT })
  .trim()
  .refine((s) => parsePeriod(s) !== null, PERIOD_FORMAT_HINT)
  .transform((s) => parsePeriod(s)!.id);

const points = (label: string) =>
  z.number({ error: `${label}应为数字` }).int(`${label}最多两位小数`).min(-100_000_00, `${label}过小`).max(100_000_00, `${label}过大`);

const uuid = (label: string) => z.string().uuid(`${label}无效`);

export const gradeInput = z.object({
  name: z.string().trim().min(1, '请填写等级名称').max(10, '等级名称不超过10个字'),
  min: points('等级最低分').nullable(),
});

export const alertInput = z.object({
  bottomN: z.number().int().min(1, '末位人数至少为1').max(1000).nullable(),
  bottomRuns: z.number().int().min(1).max(10).default(2),
  below: points('预警分数线').nullable(),
});

export const ruleItemInput = z.object({
  code: z
    .string()
    .trim()
    .min(1, '请填写项目编码')
    .max(20, '项目编码不超过20个字符')
    .regex(/^[A-Za-z0-9_.\-]+$/, '项目编码只能由字母、数字、点、横线组成，例如 H06'),
  name: z.string().trim().min(1, '请填写项目名称').max(60, '项目名称不超过60个字'),
  category: z.enum(RULE_CATEGORIES, { error: '类别应为：会议期间、闭会期间、加分或扣分' }),
  activityTypes: z
    .array(z.string().trim().min(1).max(30, '活动类型不超过30个字'))
    .min(1, '请至少选择一种计分的活动类型')
    .max(30),
  firstPoints: points('首次分值').default(0),
  furtherPoints: points('每增加一次分值').default(0),
  cap: points('本期上限').min(0, '本期上限不能为负数').nullable().default(null),
  leavePoints: points('每次请假分值').default(0),
  absentPoints: points('每次缺席分值').default(0),
  cosignPoints: points('附议每件分值').default(0),
  cosignCap: points('附议上限').min(0, '附议上限不能为负数').nullable().default(null),
  note: z.string().trim().max(200, '说明不超过200个字').nullable().optional(),
});
export type RuleItemInput = z.input<typeof ruleItemInput>;

export interface RuleItem extends RuleItemSpec {
  id: string;
  sortOrder: number;
}

export interface RuleSetSummary {
  id: string;
  period: string;
  periodLabel: string;
  /** null: every level the office scores. */
  level: Level | null;
  name: string;
  status: RuleSetStatus;
  preset: string | null;
  base: number;
  floor: number | null;
  grades: GradeSpec[];
  requireReview: boolean;
  alerts: AlertSettings;
  itemCount: number;
  closedAt: string | null;
  note: string | null;
  updatedAt: string;
}

export interface RuleSetDetail extends RuleSetSummary {
  items: RuleItem[];
  /** Things worth a second look (a type counted by two items …); never blocking. */
  warnings: string[];
}

export interface RulePresetInfo {
  key: string;
  name: string;
  description: string;
  itemCount: number;
}

export interface RulesImportIssue {
  sheet: string;
  row: number | null;
  column: string;
  message: string;
}

export interface RulesImportReport {
  /** Written: false when there were errors (nothing is written then) or on a dry run. */
  imported: boolean;
  ruleSetId: string | null;
  period: string;
  level: Level | null;
  name: string;
  items: number;
  /** A draft or in-force rule set of the period was replaced (its scores are recomputed). */
  replaced: boolean;
  errors: RulesImportIssue[];
  warnings: RulesImportIssue[];
}

export const scoreFilter = z.object({
  period: periodId,
  level: z.enum(LEVELS).optional(),
  township: z.string().trim().max(40).optional(),
  groupId: z.string().uuid().optional(),
  grade: z.string().trim().max(10).optional(),
  q: z.string().trim().max(50).optional(),
});
export type ScoreFilter = z.input<typeof scoreFilter>;

export interface ScoreItemCell {
  code: string;
  count: number;
  points: number;
}

export interface ScoreRow {
  seatId: string;
  name: string;
  certificateNo: string | null;
  level: Level;
  township: string | null;
  groupName: string | null;
  ruleSetId: string;
  total: number;
  grade: string | null;
  /** Among seats of the same level in the same township. */
  rankInTownship: number;
  /** Among seats of the same level. */
  rankInLevel: number;
  items: ScoreItemCell[];
  /** From the snapshot taken when the period closed. */
  frozen: boolean;
}

export interface ScoreList extends Page<ScoreRow> {
  period: string;
  periodLabel: string;
  ruleSets: RuleSetSummary[];
  /** Columns: the items of the rule set(s) in the result, in order. */
  items: { code: string; name: string; category: string }[];
  /** Of the filtered rows, before paging. */
  gradeCounts: { grade: string; count: number }[];
  grades: string[];
}

export interface SeatScoreDetail {
  seatId: string;
  name: string;
  certificateNo: string | null;
  level: Level;
  township: string | null;
  groupName: string | null;
  period: string;
  periodLabel: string;
  ruleSet: RuleSetSummary;
  result: ScoreResult;
  lines: ExplainedLine[];
  rankInTownship: number;
  townshipCount: number;
  rankInLevel: number;
  levelCount: number;
  frozen: boolean;
}

export type ScoreAlertKind = 'congress_absence' | 'bottom' | 'below';

export interface ScoreAlert {
  kind: ScoreAlertKind;
  seatId: string;
  name: string;
  level: Level;
  township: string | null;
  message: string;
}

export interface DossierEntry {
  date: string;
  type: string;
  title: string;
  organiser: string | null;
  attendance: string;
}

/** 代表履职档案: one deputy, one period. */
export interface Dossier {
  seatId: string;
  period: string;
  periodLabel: string;
  officeName: string;
  basic: { label: string; value: string }[];
  sections: { key: string; label: string; entries: DossierEntry[] }[];
  suggestions: { date: string; title: string; role: '领衔' | '附议'; number: string | null }[];
  adjustments: { date: string; points: number; reason: string; approvedBy: string }[];
  score: { total: number; grade: string | null; rankInTownship: number; townshipCount: number; lines: ExplainedLine[]; frozen: boolean } | null;
}

export const dossierInput = z
  .object({
    period: periodId,
    seatId: z.string().uuid().optional(),
    township: z.string().trim().max(40).optional(),
    level: z.enum(LEVELS).optional(),
  })
  .refine((v) => v.seatId || v.township || v.level, '请选择一名代表，或选择乡镇/层级以批量生成');

const ruleSetId = z.object({ id: uuid('规则编号') });

export const scoringContract = {
  'scoring.presets': method(noInput, '积分规则预设').returns<RulePresetInfo[]>(),
  'scoring.ruleSets': method(z.object({ period: periodId.optional() }).default({}), '积分规则列表').returns<RuleSetSummary[]>(),
  'scoring.ruleSet': method(ruleSetId, '积分规则详情').returns<RuleSetDetail>(),
  'scoring.ruleSetCreate': method(
    z.object({
      period: periodId,
      level: z.enum(LEVELS).nullable().default(null),
      name: z.string().trim().max(60, '规则名称不超过60个字').optional(),
      preset: z.string().trim().max(40).optional(),
      copyFromId: z.string().uuid().optional(),
    }),
    '新建积分规则（从预设或已有规则复制）',
  ).returns<{ id: string }>(),
  'scoring.ruleSetUpdate': method(
    z.object({
      id: uuid('规则编号'),
      name: z.string().trim().min(1, '请填写规则名称').max(60, '规则名称不超过60个字').optional(),
      base: points('基础分').optional(),
      floor: points('总分下限').nullable().optional(),
      grades: z.array(gradeInput).max(10, '等级最多10个').optional(),
      requireReview: z.boolean().optional(),
      alerts: alertInput.optional(),
      note: z.string().trim().max(500).nullable().optional(),
    }),
    '修改积分规则（基础分、下限、等级、审核、预警）',
  ).returns<{ id: string }>(),
  'scoring.ruleSetStatus': method(
    z.object({ id: uuid('规则编号'), status: z.enum(['draft', 'in_force', 'closed'], { error: '状态应为草稿、执行中或已结束' }) }),
    '规则状态：草稿 → 执行中 → 已结束（结束时封存积分）',
  ).returns<RuleSetSummary>(),
  'scoring.ruleSetRemove': method(ruleSetId, '删除草稿规则').returns<{ id: string }>(),
  'scoring.ruleItemSave': method(
    ruleItemInput.extend({ ruleSetId: uuid('规则编号'), id: z.string().uuid().optional() }),
    '新增或修改积分项目',
  ).returns<{ id: string }>(),
  'scoring.ruleItemRemove': method(z.object({ id: uuid('项目编号') }), '删除积分项目').returns<{ id: string }>(),
  'scoring.ruleItemsReorder': method(
    z.object({ ruleSetId: uuid('规则编号'), itemIds: z.array(z.string().uuid()).max(200) }),
    '调整积分项目顺序',
  ).returns<{ id: string }>(),
  'scoring.rulesImport': method(
    z.object({
      file: fileInput,
      period: periodId,
      level: z.enum(LEVELS).nullable().optional(),
      /** in_force: the table is the period's rules from now on (the usual case); draft: to look over first. */
      status: z.enum(['draft', 'in_force']).default('in_force'),
      dryRun: z.boolean().default(false),
    }),
    '从 Excel 积分规则表导入',
  ).returns<RulesImportReport>(),
  'scoring.rulesExport': method(
    z.object({ id: z.string().uuid().optional(), period: periodId.optional(), preset: z.string().trim().max(40).optional() }),
    '导出积分规则表（Excel）',
  ).returns<FileOutput>(),
  'scoring.scores': method(scoreFilter.extend(pageInput), '履职积分排名（筛选、分页）').returns<ScoreList>(),
  'scoring.explain': method(z.object({ period: periodId, seatId: uuid('席位') }), '一名代表的积分明细').returns<SeatScoreDetail>(),
  'scoring.alerts': method(
    z.object({ period: periodId, township: z.string().trim().max(40).optional() }),
    '需要关注的提示（只提示，不自动处理）',
  ).returns<ScoreAlert[]>(),
  'scoring.summaryWorkbook': method(
    z.object({ period: periodId, township: z.string().trim().max(40).optional(), level: z.enum(LEVELS).optional() }),
    '履职积分汇总表（Excel）',
  ).returns<FileOutput>(),
  'scoring.dossiers': method(dossierInput, '代表履职档案（一名代表或一个乡镇）').returns<Dossier[]>(),
  'scoring.dossierWorkbook': method(dossierInput, '代表履职档案（Excel）').returns<FileOutput>(),
};
