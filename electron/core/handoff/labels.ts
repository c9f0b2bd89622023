import { LEVEL_LABELS } from '../../../shared/dictionaries.js';
import { maskBankAccount, maskIdNumber, maskPhone } from '../../../shared/idcard.js';
import { FIELD_LABELS } from '../../../shared/validation.js';
import type { Db } from '../db/connection.js';
import { listTrusted } from './keys.js';

/** Words for the import report and the conflicts screen. */
export const ENTITY_LABELS: Record<string, string> = {
  persons: '人员',
  seats: '代表席位',
  seat_events: '席位变动',
  deputy_groups: '代表小组',
  liaison_stations: '代表联络站',
  rule_sets: '积分规则',
  rule_items: '积分项目',
  activities: '履职活动',
  activity_participants: '活动参加人员',
  suggestions: '代表建议',
  suggestion_cosigners: '建议附议人',
  score_adjustments: '加减分',
  funds: '活动经费',
  fund_entries: '经费支出',
  subsidy_standards: '补贴标准',
  subsidy_standard_rates: '补贴标准金额',
  subsidy_batches: '补贴发放批次',
  subsidy_batch_lines: '补贴发放明细',
  handoff_knowledge: '交换记录标记',
};

const EXTRA_FIELD_LABELS: Record<string, string> = {
  status: '状态',
  deleted_at: '删除',
  merged_into: '合并到',
  kind: '类别',
  reception_day: '接待日',
  leader: '组长/负责人',
};

export const RULE_LABELS = {
  owner: '归属方优先',
  clock: '后改者优先',
  'office-code tie': '同时修改，按单位代码',
  delete: '删除与修改同时发生',
} as const;

export function entityLabel(entity: string): string {
  return ENTITY_LABELS[entity] ?? entity;
}

export function fieldLabel(field: string): string {
  const camel = field.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  return FIELD_LABELS[camel] ?? EXTRA_FIELD_LABELS[field] ?? field;
}

const MASKS: Record<string, (v: string) => string> = {
  id_number: maskIdNumber,
  phone: maskPhone,
  bank_account: maskBankAccount,
};

/** A value as the screen shows it: personal data masked, booleans and nulls in words. */
export function displayValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '（空）';
  const mask = MASKS[field];
  if (mask) return mask(String(value));
  if (field === 'level' && typeof value === 'string') return LEVEL_LABELS[value as keyof typeof LEVEL_LABELS] ?? value;
  if (field.startsWith('is_') || field.startsWith('has_')) return value === 1 ? '是' : value === 0 ? '否' : String(value);
  return String(value);
}

/** Office code → name, for this office and the paired ones. */
export function officeNames(db: Db): Map<string, string> {
  const names = new Map(listTrusted(db).map((t) => [t.officeCode, t.officeName]));
  const own = db.prepare('SELECT office_code, office_name FROM office_identity WHERE id = 1').get() as
    | { office_code: string; office_name: string }
    | undefined;
  if (own) names.set(own.office_code, own.office_name);
  return names;
}

/** A few words that let the clerk find the record: a name, a seat's holder and term. */
export function recordLabel(db: Db, entity: string, id: string): string {
  try {
    if (entity === 'persons') {
      return (db.prepare('SELECT name FROM persons WHERE id = ?').pluck().get(id) as string | undefined) ?? id.slice(0, 8);
    }
    if (entity === 'seats') {
      const r = db
        .prepare('SELECT p.name, s.term, s.level FROM seats s LEFT JOIN persons p ON p.id = s.person_id WHERE s.id = ?')
        .get(id) as { name: string | null; term: string; level: keyof typeof LEVEL_LABELS } | undefined;
      return r ? `${r.name ?? ''} · ${r.term}${LEVEL_LABELS[r.level] ?? ''}人大代表` : id.slice(0, 8);
    }
    const cols = new Set((db.prepare(`PRAGMA table_info("${entity}")`).all() as { name: string }[]).map((c) => c.name));
    const col = ['name', 'title', 'purpose'].find((c) => cols.has(c));
    if (col) return (db.prepare(`SELECT "${col}" FROM "${entity}" WHERE id = ?`).pluck().get(id) as string | undefined) ?? id.slice(0, 8);
  } catch {
    // An unknown table: fall back to the id.
  }
  return id.slice(0, 8);
}
