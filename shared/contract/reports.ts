import { z } from 'zod';
import { LEVELS, SEAT_STATUSES, type Level } from '../dictionaries.js';
import { method, type FileOutput } from './define.js';
import { isoDate } from './roster.js';

/** One level or several (`--level 县 --level 乡镇`). */
const levelsInput = z
  .union([z.enum(LEVELS, { error: '请选择代表层级' }), z.array(z.enum(LEVELS, { error: '请选择代表层级' })).max(LEVELS.length)])
  .optional();

/** Which seats go into the 代表名册 (export and print): the roster screen's filters. */
export const rosterSheetFilter = z.object({
  q: z.string().trim().max(50).optional(),
  level: levelsInput,
  term: z.string().trim().max(20).optional(),
  township: z.string().trim().max(40).optional(),
  groupId: z.string().uuid().optional(),
  stationId: z.string().uuid().optional(),
  status: z.enum([...SEAT_STATUSES, 'all', 'active'] as const).default('active'),
  /** Overrides the generated title (e.g. 青山镇第十九届人民代表大会代表名册). */
  title: z.string().trim().max(60).optional(),
});
export type RosterSheetFilter = z.input<typeof rosterSheetFilter>;

export const rosterWorkbookInput = rosterSheetFilter.extend({
  /** Full ID numbers and phones; the export is audited as unmasked. */
  unmasked: z.boolean().default(false),
});
export type RosterWorkbookInput = z.input<typeof rosterWorkbookInput>;

/** The printable roster: the same columns and rows as the workbook, always masked. */
export interface RosterSheet {
  title: string;
  officeName: string;
  /** 制表日期, e.g. 2025年1月15日 */
  dateText: string;
  columns: string[];
  rows: (string | number)[][];
  /** Rows (seats). */
  total: number;
  /** Different people among them: fewer when someone holds seats at two levels or terms. */
  persons: number;
}

/** 共 N 人 above a roster; a list of seats says so when one person appears on two rows. */
export function headcountText(seats: number, persons: number): string {
  return seats === persons ? `共 ${seats} 人` : `共 ${persons} 人（${seats} 个席位）`;
}

export const compositionInput = z.object({
  /** Default: the office's own level (county office → 县, township office → 乡镇). */
  level: levelsInput,
  term: z.string().trim().max(20).optional(),
  /** Ages are counted as of this date; default today. */
  asOf: isoDate.optional(),
});
export type CompositionInput = z.input<typeof compositionInput>;

/** The counted columns of the 代表结构统计表, in table order. */
export const COMPOSITION_MEASURES = [
  { key: 'female', label: '女性', group: '性别民族' },
  { key: 'minority', label: '少数民族', group: '性别民族' },
  { key: 'cpc', label: '中共党员', group: '政治面貌' },
  { key: 'otherParties', label: '民主党派', group: '政治面貌' },
  { key: 'nonPartisan', label: '无党派人士', group: '政治面貌' },
  { key: 'masses', label: '群众', group: '政治面貌' },
  { key: 'workers', label: '一线工人', group: '代表构成' },
  { key: 'farmers', label: '农民', group: '代表构成' },
  { key: 'professionals', label: '专业技术人员', group: '代表构成' },
  { key: 'leaders', label: '党政领导干部', group: '代表构成' },
  { key: 'entrepreneurs', label: '企业负责人', group: '代表构成' },
  { key: 'military', label: '解放军', group: '代表构成' },
  { key: 'otherComposition', label: '其他', group: '代表构成' },
  { key: 'grassroots', label: '基层代表', group: '代表构成' },
  { key: 'collegeOrAbove', label: '大专及以上', group: '学历' },
  { key: 'age35Under', label: '35岁及以下', group: '年龄' },
  { key: 'age36To45', label: '36至45岁', group: '年龄' },
  { key: 'age46To55', label: '46至55岁', group: '年龄' },
  { key: 'age56Over', label: '56岁及以上', group: '年龄' },
  { key: 'newlyElected', label: '新当选', group: '连任情况' },
  { key: 'reelected', label: '连任', group: '连任情况' },
] as const;
export type CompositionMeasure = (typeof COMPOSITION_MEASURES)[number]['key'];

/** Seats whose field was left empty: not in any band of that field (shown as a note). */
export interface CompositionUnknowns {
  gender: number;
  ethnicity: number;
  politicalAffiliation: number;
  composition: number;
  education: number;
  birthDate: number;
  reelected: number;
}

/**
 * One row per township plus 合计: counts, and each count's share of `total`
 * in percent with one decimal (`femalePct` …).
 */
export type CompositionRow = { scope: string; total: number } & Record<CompositionMeasure, number> &
  Record<`${CompositionMeasure}Pct`, number> & { unknown: CompositionUnknowns };

export interface CompositionReport {
  title: string;
  officeName: string;
  levels: Level[];
  term: string | null;
  asOf: string;
  rows: CompositionRow[];
  /** Chinese notes for the foot of the table (fields left empty …). */
  notes: string[];
}

export const reportsContract = {
  'reports.rosterWorkbook': method(rosterWorkbookInput, '导出代表名册（Excel）').returns<FileOutput>(),
  'reports.rosterSheet': method(rosterSheetFilter, '打印代表名册：表头与各行（隐藏身份证号和电话）').returns<RosterSheet>(),
  'reports.composition': method(compositionInput, '代表结构统计表').returns<CompositionReport>(),
  'reports.compositionWorkbook': method(compositionInput, '导出代表结构统计表（Excel）').returns<FileOutput>(),
};
