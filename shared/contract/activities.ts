import { z } from 'zod';
import { LEVELS, type Level } from '../dictionaries.js';
import { ATTENDANCE_STATUSES, type Attendance, type DossierSection, type ReviewStatus } from '../scoring/activityTypes.js';
import { fileInput, method, noInput, pageInput, type FileOutput, optionalText, type Page } from './define.js';
import { isoDate } from './roster.js';
import { periodId } from './scoring.js';

/**
 * The records scores are counted from: activities with attendance (出席 /
 * 请假 / 缺席), sign-in sheets, suggestions (领衔 / 附议), and manual
 * adjustments (加分 / 扣分), with optional review (待审核 → 已确认).
 */

const attendance = z.enum(ATTENDANCE_STATUSES, { error: '出勤情况应为出席、请假或缺席' });

export const activityFields = z.object({
  type: z.string().trim().min(1, '请选择活动类型').max(30, '活动类型不超过30个字'),
  date: isoDate,
  title: z.string().trim().min(1, '请填写活动名称').max(100, '活动名称不超过100个字'),
  organiser: optionalText(60, '组织单位'),
  place: optionalText(60, '活动地点'),
  level: z.enum(LEVELS, { error: '请选择组织层级' }).nullable().optional(),
  township: optionalText(40, '所属乡镇'),
  note: optionalText(500, '备注'),
});
export type ActivityFields = z.input<typeof activityFields>;

export const activityFilter = z.object({
  period: periodId.optional(),
  type: z.string().trim().max(30).optional(),
  level: z.enum(LEVELS).optional(),
  township: z.string().trim().max(40).optional(),
  q: z.string().trim().max(50).optional(),
  reviewStatus: z.enum(['confirmed', 'pending', 'rejected']).optional(),
});

export interface ActivityRow {
  id: string;
  type: string;
  date: string;
  title: string;
  organiser: string | null;
  place: string | null;
  level: Level | null;
  township: string | null;
  note: string | null;
  reviewStatus: ReviewStatus;
  participants: number;
  attended: number;
  leave: number;
  absent: number;
}

export interface ParticipantRow {
  seatId: string;
  name: string;
  certificateNo: string | null;
  level: Level;
  township: string | null;
  groupName: string | null;
  attendance: Attendance;
  note: string | null;
}

export interface ActivityDetail {
  activity: ActivityRow;
  participants: ParticipantRow[];
}

export interface ActivityTypeInfo {
  name: string;
  section: DossierSection;
  hint: string;
  builtIn: boolean;
}

/** Who to add: any mix of a group, a station, a township, a level, listed seats, pasted names or certificate numbers. */
export const participantSelection = z
  .object({
    activityId: z.string().uuid('活动编号无效'),
    groupId: z.string().uuid().optional(),
    stationId: z.string().uuid().optional(),
    township: z.string().trim().max(40).optional(),
    level: z.enum(LEVELS).optional(),
    seatIds: z.array(z.string().uuid()).max(200_000).optional(),
    /** Names, certificate numbers or ID numbers, separated by line breaks, commas, 、 or spaces. */
    text: z.string().max(200_000).optional(),
    attendance: attendance.default('出席'),
  })
  .refine((v) => v.groupId || v.stationId || v.township || v.level || v.seatIds?.length || v.text?.trim(), '请选择要加入的代表：代表小组、联络站、乡镇、层级，或粘贴姓名/代表证号');

export interface ParticipantsAdded {
  added: number;
  alreadyIn: number;
}

export interface SignInIssue {
  sheet: string;
  row: number | null;
  column: string;
  message: string;
}

export interface SignInImportReport {
  /** false when there were errors (nothing written) or on a dry run. */
  imported: boolean;
  activities: { sheet: string; activityId: string | null; title: string; date: string | null; type: string; attended: number; leave: number; absent: number }[];
  rows: number;
  participants: number;
  errors: SignInIssue[];
  warnings: SignInIssue[];
  errorRows: number;
}

export interface SuggestionRow {
  id: string;
  title: string;
  date: string;
  number: string | null;
  leadSeatId: string;
  leadName: string;
  leadTownship: string | null;
  cosigners: { seatId: string; name: string }[];
  reviewStatus: ReviewStatus;
  note: string | null;
}

export const suggestionInput = z.object({
  id: z.string().uuid().optional(),
  title: z.string().trim().min(1, '请填写建议标题').max(200, '建议标题不超过200个字'),
  date: isoDate,
  number: optionalText(30, '建议编号'),
  leadSeatId: z.string({ error: '请选择领衔代表' }).uuid('请选择领衔代表'),
  cosignerSeatIds: z.array(z.string().uuid()).max(500).default([]),
  note: optionalText(500, '备注'),
});

export interface AdjustmentRow {
  id: string;
  seatId: string;
  name: string;
  township: string | null;
  date: string;
  points: number;
  reason: string;
  approvedBy: string;
  reviewStatus: ReviewStatus;
}

export const adjustmentInput = z.object({
  id: z.string().uuid().optional(),
  seatId: z.string({ error: '请选择代表' }).uuid('请选择代表'),
  date: isoDate,
  points: z
    .number({ error: '分值应为数字' })
    .int('分值最多两位小数')
    .refine((n) => n !== 0, '加减分不能为0')
    .refine((n) => Math.abs(n) <= 100_000, '分值过大'),
  reason: z.string().trim().min(1, '请填写加减分理由').max(200, '理由不超过200个字'),
  approvedBy: z.string().trim().min(1, '请填写批准人').max(30, '批准人不超过30个字'),
});

export type ReviewEntity = 'activity' | 'suggestion' | 'adjustment';

export interface PendingRecord {
  entity: ReviewEntity;
  id: string;
  date: string;
  title: string;
  township: string | null;
  originOffice: string;
  detail: string;
}

const id = (label: string) => z.object({ id: z.string().uuid(`${label}编号无效`) });

export const activitiesContract = {
  'activities.types': method(noInput, '活动类型（内置与已使用的）').returns<ActivityTypeInfo[]>(),
  'activities.list': method(activityFilter.extend(pageInput), '履职活动列表').returns<Page<ActivityRow>>(),
  'activities.get': method(id('活动'), '活动详情与参加人员').returns<ActivityDetail>(),
  'activities.create': method(activityFields, '新增履职活动').returns<{ id: string }>(),
  'activities.update': method(activityFields.extend({ id: z.string().uuid('活动编号无效') }), '修改履职活动').returns<{ id: string }>(),
  'activities.remove': method(id('活动'), '删除履职活动').returns<{ id: string }>(),
  'activities.addParticipants': method(participantSelection, '批量加入参加人员').returns<ParticipantsAdded>(),
  'activities.setAttendance': method(
    z.object({ activityId: z.string().uuid(), seatIds: z.array(z.string().uuid()).min(1, '请选择人员').max(200_000), attendance }),
    '登记出勤：出席、请假、缺席',
  ).returns<{ changed: number }>(),
  'activities.removeParticipants': method(
    z.object({ activityId: z.string().uuid(), seatIds: z.array(z.string().uuid()).min(1, '请选择人员').max(200_000) }),
    '移出参加人员',
  ).returns<{ removed: number }>(),
  'activities.importSignIn': method(
    z.object({ file: fileInput, dryRun: z.boolean().default(false) }),
    '导入签到表（Excel，每个工作表一次活动）',
  ).returns<SignInImportReport>(),
  'activities.signInTemplate': method(noInput, '签到表模板（Excel）').returns<FileOutput>(),
  'activities.suggestions': method(
    z.object({ period: periodId.optional(), q: z.string().trim().max(50).optional(), ...pageInput }),
    '代表建议列表',
  ).returns<Page<SuggestionRow>>(),
  'activities.suggestionSave': method(suggestionInput, '登记或修改代表建议').returns<{ id: string }>(),
  'activities.suggestionRemove': method(id('建议'), '删除代表建议').returns<{ id: string }>(),
  'activities.adjustments': method(
    z.object({ period: periodId.optional(), seatId: z.string().uuid().optional(), ...pageInput }),
    '加减分记录',
  ).returns<Page<AdjustmentRow>>(),
  'activities.adjustmentSave': method(adjustmentInput, '登记或修改加减分').returns<{ id: string }>(),
  'activities.adjustmentRemove': method(id('加减分'), '删除加减分').returns<{ id: string }>(),
  'activities.pending': method(noInput, '待审核的记录').returns<PendingRecord[]>(),
  'activities.review': method(
    z.object({
      items: z.array(z.object({ entity: z.enum(['activity', 'suggestion', 'adjustment']), id: z.string().uuid() })).min(1, '请选择记录').max(10_000),
      decision: z.enum(['confirmed', 'rejected'], { error: '请选择确认或退回' }),
    }),
    '审核记录：确认或退回',
  ).returns<{ changed: number }>(),
};
