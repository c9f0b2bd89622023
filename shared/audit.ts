/**
 * How the audit log (操作日志) reads to a clerk: action and record-type names,
 * field labels, and masking of personal data in before/after values. Pure:
 * the core uses it for the screen and the Excel export.
 */
import { LEVEL_LABELS, OFFICE_TYPE_LABELS, SEAT_STATUS_LABELS, START_METHOD_LABELS } from './dictionaries.js';
import { maskBankAccount, maskIdNumber, maskPhone } from './idcard.js';
import { fenToYuanString } from './money.js';
import { FIELD_LABELS } from './validation.js';

/** Action codes other domains write; an unknown code is shown as written. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  create: '新增',
  update: '修改',
  delete: '删除',
  reveal: '查看完整个人信息',
  import: '导入',
  export: '导出',
  'batch-issue': '发放批次',
  issue: '发放',
  restore: '恢复备份',
  backup: '备份',
  setup: '设置本单位',
  settings: '更改设置',
  login: '开始工作',
  logout: '退出',
  epoch: '更换交接标识',
  'handoff-export': '生成交换包',
  'handoff-import': '导入交换包',
  trust: '配对',
  untrust: '取消配对',
  key: '生成交换密钥',
  merge: '合并人员',
  review: '审核',
  demo: '生成演示数据',
};

/** Tables and other record kinds, in the clerk's words; extend as domains add tables. */
export const AUDIT_ENTITY_LABELS: Record<string, string> = {
  office_identity: '本单位',
  persons: '人员',
  seats: '代表席位',
  seat_events: '任职变动',
  deputy_groups: '代表小组',
  liaison_stations: '代表联络站',
  operators: '操作员',
  backup: '备份',
  roster: '代表名册',
  activities: '履职活动',
  activity: '履职活动',
  activity_participants: '活动参加人员',
  suggestions: '代表建议',
  suggestion: '代表建议',
  score_adjustments: '积分调整',
  adjustment: '积分调整',
  rule_sets: '积分规则',
  rule_items: '积分项目',
  score_summary: '履职积分汇总表',
  dossier: '履职档案',
  funds: '活动经费',
  fund_entries: '经费支出',
  subsidy_standards: '补贴标准',
  subsidy_standard_rates: '补贴金额',
  subsidy_policy: '补贴政策',
  subsidy_batches: '补贴发放批次',
  subsidy_batch_lines: '补贴发放行',
  handoff: '数据交换',
  handoff_keys: '交换密钥',
  trusted_offices: '配对单位',
  handoff_conflicts: '冲突记录',
  audit_log: '操作日志',
};

/** Column names (snake_case) that FIELD_LABELS does not cover. */
const EXTRA_LABELS: Record<string, string> = {
  status: '状态',
  kind: '类别',
  epoch: '交接标识',
  has_password: '密码',
  deleted_at: '删除时间',
  mirror_dir: '第二备份位置',
  group_leader: '组长',
  leader: '组长/负责人',
  reception_day: '接待日',
  backup: '备份文件',
  counts: '数据条数',
};

/** Never shown in a diff: the repository's own stamps. */
const HIDDEN_FIELDS = new Set(['id', 'origin_office', 'created_at', 'updated_at']);

const snakeToCamel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
const camelToSnake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function auditFieldLabel(field: string): string {
  return EXTRA_LABELS[camelToSnake(field)] ?? FIELD_LABELS[snakeToCamel(field)] ?? field;
}

export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? action;
}

export function auditEntityLabel(entity: string | null): string {
  if (!entity) return '';
  return AUDIT_ENTITY_LABELS[entity] ?? entity;
}

/** Personal data stays masked in the log screen and its export. */
const MASKS: Record<string, (v: string) => string> = {
  id_number: maskIdNumber,
  phone: maskPhone,
  bank_account: maskBankAccount,
};

const VALUE_LABELS: Record<string, Record<string, string>> = {
  level: LEVEL_LABELS,
  status: SEAT_STATUS_LABELS,
  start_method: START_METHOD_LABELS,
  office_type: OFFICE_TYPE_LABELS,
};

const BOOLEAN_FIELDS = /^(is_|has_)/;

/** One value as the clerk reads it. */
export function auditValueText(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '（空）';
  const key = camelToSnake(field);
  const mask = MASKS[key];
  if (mask) return mask(String(value));
  if (BOOLEAN_FIELDS.test(key) && (value === 0 || value === 1 || typeof value === 'boolean')) return value ? '是' : '否';
  if (key.endsWith('_fen') && typeof value === 'number' && Number.isInteger(value)) return `${fenToYuanString(value)} 元`;
  const labels = VALUE_LABELS[key];
  if (labels && typeof value === 'string' && labels[value]) return labels[value]!;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export interface AuditChange {
  field: string;
  label: string;
  before: string | null;
  after: string | null;
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/**
 * The fields an entry touched, before and after, labelled and masked. A new
 * record lists its filled fields; a deleted one the values it had.
 */
export function auditChanges(before: unknown, after: unknown): AuditChange[] {
  const b = asRecord(before);
  const a = asRecord(after);
  const fields: string[] = [];
  for (const source of [b, a]) {
    for (const key of Object.keys(source ?? {})) if (!fields.includes(key) && !HIDDEN_FIELDS.has(key)) fields.push(key);
  }
  const changes: AuditChange[] = [];
  for (const field of fields) {
    const hadBefore = b !== null && field in b;
    const hasAfter = a !== null && field in a;
    const bv = hadBefore ? b![field] : undefined;
    const av = hasAfter ? a![field] : undefined;
    // A new record's empty fields say nothing.
    if (!b && (av === null || av === undefined || av === '')) continue;
    if (!a && (bv === null || bv === undefined || bv === '')) continue;
    changes.push({
      field,
      label: auditFieldLabel(field),
      before: hadBefore ? auditValueText(field, bv) : null,
      after: hasAfter ? auditValueText(field, av) : null,
    });
  }
  return changes;
}

/** “姓名：张三 → 李四；电话：138****5678” for one cell of the export. */
export function auditChangesText(changes: AuditChange[]): string {
  return changes
    .map((c) =>
      c.before !== null && c.after !== null
        ? `${c.label}：${c.before} → ${c.after}`
        : `${c.label}：${c.after ?? c.before}`,
    )
    .join('；');
}
