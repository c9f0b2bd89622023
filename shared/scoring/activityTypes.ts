/**
 * Activity types (活动类型) as offices name them. Stored values are these
 * Chinese names; an office may use other names too (rule items and records
 * just carry the text), which file under 其他履职活动 in the 履职档案.
 */

/** The parts of the 代表履职档案, in print order (after 基本信息). */
export const DOSSIER_SECTIONS = [
  { key: 'meetings', label: '参加会议' },
  { key: 'inspections', label: '视察调研与执法检查' },
  { key: 'training', label: '学习培训' },
  { key: 'group', label: '小组活动与联系选民' },
  { key: 'suggestions', label: '提出建议' },
  { key: 'reports', label: '向选民述职' },
  { key: 'awards', label: '获得表彰' },
  { key: 'other', label: '其他履职活动' },
] as const;
export type DossierSection = (typeof DOSSIER_SECTIONS)[number]['key'];

/** 人民代表大会会议: the type whose unapproved absences the law counts. */
export const CONGRESS_SESSION_TYPE = '人代会';

/** Not an activity: a rule item that lists it counts 代表建议 (领衔 and 附议). */
export const SUGGESTION_TYPE = '代表建议';

export const ACTIVITY_TYPES: readonly { name: string; section: DossierSection; hint: string }[] = [
  { name: CONGRESS_SESSION_TYPE, section: 'meetings', hint: '出席本级人民代表大会会议' },
  { name: '大会发言', section: 'meetings', hint: '人代会期间大会发言、审议发言' },
  { name: '列席常委会会议', section: 'meetings', hint: '列席人大常委会（主席团）会议' },
  { name: '其他会议', section: 'meetings', hint: '座谈会、评议会等其他会议' },
  { name: '学习培训', section: 'training', hint: '代表履职学习培训' },
  { name: '视察', section: 'inspections', hint: '集中视察、专题视察' },
  { name: '调研', section: 'inspections', hint: '调研活动' },
  { name: '专题调研', section: 'inspections', hint: '专题调研' },
  { name: '执法检查', section: 'inspections', hint: '执法检查' },
  { name: '撰写调研报告', section: 'inspections', hint: '撰写视察、调研报告' },
  { name: '代表小组活动', section: 'group', hint: '代表小组集中活动' },
  { name: '接待选民', section: 'group', hint: '进站（家、点）接待选民' },
  { name: '化解矛盾纠纷', section: 'group', hint: '参与化解矛盾纠纷' },
  { name: '扶弱济困', section: 'group', hint: '扶弱济困' },
  { name: '办好事实事', section: 'group', hint: '为群众办好事实事' },
  { name: '公益慈善', section: 'group', hint: '公益慈善活动' },
  { name: '社情民意', section: 'group', hint: '反映社情民意（含12345平台）' },
  { name: '向选民述职', section: 'reports', hint: '向原选区选民述职' },
  { name: '获得表彰', section: 'awards', hint: '履职获得表彰奖励' },
  { name: '其他履职活动', section: 'other', hint: '其他履职活动' },
];

const SECTION_BY_TYPE = new Map(ACTIVITY_TYPES.map((t) => [t.name, t.section]));

export function sectionOfType(type: string): DossierSection {
  return SECTION_BY_TYPE.get(type) ?? 'other';
}

export const ATTENDANCE_STATUSES = ['出席', '请假', '缺席'] as const;
export type Attendance = (typeof ATTENDANCE_STATUSES)[number];

/** What sign-in sheets say, normalised. */
export function parseAttendance(text: string | null | undefined): Attendance | null {
  if (text === null || text === undefined) return null;
  const key = String(text).replace(/[\s\u3000]/g, '');
  if (key === '') return null;
  if (['出席', '到', '已到', '参加', '签到', '√', '✓', '是', '出勤', '到会', '列席'].includes(key)) return '出席';
  if (['请假', '假', '事假', '病假', '公假', '请假（批准）', '经批准缺席'].includes(key)) return '请假';
  if (['缺席', '未到', '缺', '旷会', '×', '✗', '否', '未经批准缺席', '无故缺席'].includes(key)) return '缺席';
  return null;
}

/** Review of records entered at a township (待审核 until confirmed). */
export const REVIEW_STATUSES = ['confirmed', 'pending', 'rejected'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const REVIEW_STATUS_LABELS: Record<ReviewStatus, string> = {
  confirmed: '已确认',
  pending: '待审核',
  rejected: '已退回',
};
