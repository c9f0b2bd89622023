import type { RuleItem, RuleItemInput, RuleSetDetail, RuleSetSummary } from '../../../shared/contract/scoring.js';
import { LEVEL_LABELS, type Level } from '../../../shared/dictionaries.js';
import { AppError } from '../../../shared/errors.js';
import {
  DEFAULT_ALERTS,
  findPreset,
  parsePeriod,
  RULE_PRESETS,
  RULE_SET_STATUS_LABELS,
  SUGGESTION_TYPE,
  type AlertSettings,
  type GradeSpec,
  type Period,
  type RuleItemSpec,
  type RuleSetSpec,
  type RuleSetStatus,
} from '../../../shared/scoring/index.js';
import type { CoreContext } from '../context.js';
import type { Row } from '../db/repository.js';

/** 积分规则: rule sets and their items, presets, status changes. */

export interface RuleSetDbRow {
  id: string;
  period: string;
  level: Level | null;
  name: string;
  status: RuleSetStatus;
  preset: string | null;
  base_x100: number;
  floor_x100: number | null;
  grades_json: string;
  require_review: number;
  alert_bottom_n: number | null;
  alert_bottom_runs: number;
  alert_below_x100: number | null;
  closed_at: string | null;
  note: string | null;
  updated_at: string;
  deleted_at: string | null;
  item_count?: number;
}

interface RuleItemDbRow {
  id: string;
  rule_set_id: string;
  code: string;
  name: string;
  category: RuleItemSpec['category'];
  activity_types: string;
  first_x100: number;
  further_x100: number;
  cap_x100: number | null;
  leave_x100: number;
  absent_x100: number;
  cosign_x100: number;
  cosign_cap_x100: number | null;
  sort_order: number;
  note: string | null;
}

export function periodOrThrow(id: string): Period {
  const p = parsePeriod(id);
  if (!p) throw new AppError('VALIDATION', `考核期间“${id}”无法识别。`);
  return p;
}

export function toSummary(r: RuleSetDbRow): RuleSetSummary {
  return {
    id: r.id,
    period: r.period,
    periodLabel: parsePeriod(r.period)?.label ?? r.period,
    level: r.level,
    name: r.name,
    status: r.status,
    preset: r.preset,
    base: r.base_x100,
    floor: r.floor_x100,
    grades: JSON.parse(r.grades_json) as GradeSpec[],
    requireReview: r.require_review === 1,
    alerts: { bottomN: r.alert_bottom_n, bottomRuns: r.alert_bottom_runs, below: r.alert_below_x100 },
    itemCount: r.item_count ?? 0,
    closedAt: r.closed_at,
    note: r.note,
    updatedAt: r.updated_at,
  };
}

function toItem(r: RuleItemDbRow): RuleItem {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    category: r.category,
    activityTypes: JSON.parse(r.activity_types) as string[],
    firstPoints: r.first_x100,
    furtherPoints: r.further_x100,
    cap: r.cap_x100,
    leavePoints: r.leave_x100,
    absentPoints: r.absent_x100,
    cosignPoints: r.cosign_x100,
    cosignCap: r.cosign_cap_x100,
    note: r.note,
    sortOrder: r.sort_order,
  };
}

/** A rule item as its rule_items columns (points ×100), for the editor and the Excel import alike. */
export function itemColumns(item: RuleItemSpec): Row {
  return {
    code: item.code,
    name: item.name,
    category: item.category,
    activity_types: JSON.stringify([...new Set(item.activityTypes)]),
    first_x100: item.firstPoints,
    further_x100: item.furtherPoints,
    cap_x100: item.cap,
    leave_x100: item.leavePoints,
    absent_x100: item.absentPoints,
    cosign_x100: item.cosignPoints,
    cosign_cap_x100: item.cosignCap,
    note: item.note ?? null,
  };
}

const SUMMARY_SQL = `SELECT r.*, (SELECT count(*) FROM rule_items i WHERE i.rule_set_id = r.id AND i.deleted_at IS NULL) AS item_count
  FROM rule_sets r`;

export function listRuleSets(ctx: CoreContext, period?: string): RuleSetSummary[] {
  const rows = period
    ? (ctx.db.prepare(`${SUMMARY_SQL} WHERE r.deleted_at IS NULL AND r.period = ? ORDER BY r.level`).all(period) as RuleSetDbRow[])
    : (ctx.db.prepare(`${SUMMARY_SQL} WHERE r.deleted_at IS NULL ORDER BY r.period DESC, r.level`).all() as RuleSetDbRow[]);
  return rows.map(toSummary);
}

export function ruleSetRow(ctx: CoreContext, id: string): RuleSetDbRow {
  const row = ctx.db.prepare(`${SUMMARY_SQL} WHERE r.id = ?`).get(id) as RuleSetDbRow | undefined;
  if (!row || row.deleted_at) throw new AppError('NOT_FOUND', '找不到该积分规则，可能已被删除。请刷新后重试。');
  return row;
}

export function ruleItems(ctx: CoreContext, ruleSetId: string): RuleItem[] {
  const rows = ctx.db
    .prepare('SELECT * FROM rule_items WHERE rule_set_id = ? AND deleted_at IS NULL ORDER BY sort_order, code')
    .all(ruleSetId) as RuleItemDbRow[];
  return rows.map(toItem);
}

/** What the engine needs. */
export function ruleSetSpec(ctx: CoreContext, row: RuleSetDbRow): RuleSetSpec {
  return {
    base: row.base_x100,
    floor: row.floor_x100,
    grades: JSON.parse(row.grades_json) as GradeSpec[],
    items: ruleItems(ctx, row.id),
  };
}

export function ruleSetWarnings(items: RuleItemSpec[]): string[] {
  const warnings: string[] = [];
  const seen = new Map<string, string>();
  for (const item of items) {
    for (const type of item.activityTypes) {
      const other = seen.get(type);
      if (other) warnings.push(`活动类型“${type}”同时计入“${other}”和“${item.name}”两项，同一次活动会计分两次。`);
      else seen.set(type, item.name);
    }
    if (item.activityTypes.includes(SUGGESTION_TYPE) && item.cosignPoints === 0 && item.firstPoints === 0) {
      warnings.push(`“${item.name}”计入代表建议，但领衔和附议都没有分值。`);
    }
    if (item.cosignCap !== null && item.cap !== null && item.cosignCap > item.cap) {
      warnings.push(`“${item.name}”的附议上限高于本项上限，附议分最多只能得到本项上限。`);
    }
  }
  return warnings;
}

export function getRuleSet(ctx: CoreContext, id: string): RuleSetDetail {
  const row = ruleSetRow(ctx, id);
  const items = ruleItems(ctx, id);
  return { ...toSummary(row), items, warnings: ruleSetWarnings(items) };
}

function scopeLabel(level: Level | null): string {
  return level ? `${LEVEL_LABELS[level]}人大代表` : '全体代表';
}

function assertNoTwin(ctx: CoreContext, period: string, level: Level | null, exceptId?: string): void {
  const twin = ctx.db
    .prepare(`SELECT id FROM rule_sets WHERE period = ? AND coalesce(level, '') = ? AND deleted_at IS NULL AND id IS NOT ?`)
    .get(period, level ?? '', exceptId ?? null);
  if (twin) {
    throw new AppError(
      'CONFLICT',
      `${periodOrThrow(period).label}已有适用于${scopeLabel(level)}的积分规则，请直接修改它，或先删除（草稿）后再新建。`,
    );
  }
}

export function insertRuleSet(
  ctx: CoreContext,
  input: { period: string; level: Level | null; name: string; preset: string | null; rules: RuleSetSpec; alerts: AlertSettings; requireReview?: boolean; note?: string | null },
  options: { audit?: boolean } = {},
): string {
  return ctx.repo.transaction(() => {
    assertNoTwin(ctx, input.period, input.level);
    const id = ctx.repo.insert(
      'rule_sets',
      {
        period: input.period,
        level: input.level,
        name: input.name,
        status: 'draft',
        preset: input.preset,
        base_x100: input.rules.base,
        floor_x100: input.rules.floor,
        grades_json: JSON.stringify(input.rules.grades),
        require_review: input.requireReview ? 1 : 0,
        alert_bottom_n: input.alerts.bottomN,
        alert_bottom_runs: input.alerts.bottomRuns,
        alert_below_x100: input.alerts.below,
        note: input.note ?? null,
      },
      { summary: `新建积分规则：${input.name}（${periodOrThrow(input.period).label}）`, audit: options.audit },
    );
    input.rules.items.forEach((item, index) => {
      ctx.repo.insert('rule_items', { ...itemColumns(item), rule_set_id: id, sort_order: index + 1 }, { audit: false });
    });
    return id;
  });
}

export function createRuleSet(
  ctx: CoreContext,
  input: { period: string; level: Level | null; name?: string; preset?: string; copyFromId?: string },
): { id: string } {
  ctx.requireOffice();
  const period = periodOrThrow(input.period);
  let rules: RuleSetSpec;
  let alerts: AlertSettings = DEFAULT_ALERTS;
  let preset: string | null = null;
  let requireReview = false;
  let defaultName: string;
  if (input.copyFromId) {
    const source = ruleSetRow(ctx, input.copyFromId);
    rules = ruleSetSpec(ctx, source);
    const s = toSummary(source);
    alerts = s.alerts;
    preset = source.preset;
    requireReview = s.requireReview;
    defaultName = `${period.label}${scopeLabel(input.level)}履职积分规则`;
  } else {
    const found = findPreset(input.preset ?? RULE_PRESETS[0]!.key);
    if (!found) throw new AppError('VALIDATION', `没有名为“${input.preset}”的预设。可选：${RULE_PRESETS.map((p) => p.key).join('、')}`);
    rules = found.rules;
    alerts = found.alerts;
    preset = found.key;
    defaultName = `${period.label}${scopeLabel(input.level)}履职积分规则`;
  }
  const id = insertRuleSet(ctx, {
    period: period.id,
    level: input.level,
    name: input.name || defaultName,
    preset,
    rules,
    alerts,
    requireReview,
  });
  return { id };
}

/** Closed rule sets are frozen; the message says what to do instead. */
export function assertEditable(row: RuleSetDbRow): void {
  if (row.status === 'closed') {
    throw new AppError(
      'CONFLICT',
      `“${row.name}”已结束，${periodOrThrow(row.period).label}的积分已封存，不能再修改。如需调整，请在新的考核期间复制此规则后修改。`,
    );
  }
}

function editSummary(row: RuleSetDbRow, what: string): string {
  const recompute = row.status === 'in_force' ? '；执行中，积分已按新规则重新计算' : '';
  return `修改积分规则“${row.name}”：${what}${recompute}`;
}

export function updateRuleSet(
  ctx: CoreContext,
  input: { id: string; name?: string; base?: number; floor?: number | null; grades?: GradeSpec[]; requireReview?: boolean; alerts?: AlertSettings; note?: string | null },
): { id: string } {
  return ctx.repo.transaction(() => {
    const row = ruleSetRow(ctx, input.id);
    assertEditable(row);
    if (input.grades) {
      const names = new Set<string>();
      let catchAll = 0;
      for (const g of input.grades) {
        if (names.has(g.name)) throw new AppError('VALIDATION', `等级“${g.name}”重复。`);
        names.add(g.name);
        if (g.min === null) catchAll++;
      }
      if (catchAll > 1) throw new AppError('VALIDATION', '只能有一个不设最低分的等级（兜底等级，如“差”）。');
    }
    const patch: Row = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.base !== undefined) patch.base_x100 = input.base;
    if (input.floor !== undefined) patch.floor_x100 = input.floor;
    if (input.grades !== undefined) patch.grades_json = JSON.stringify(input.grades);
    if (input.requireReview !== undefined) patch.require_review = input.requireReview ? 1 : 0;
    if (input.alerts !== undefined) {
      patch.alert_bottom_n = input.alerts.bottomN;
      patch.alert_bottom_runs = input.alerts.bottomRuns;
      patch.alert_below_x100 = input.alerts.below;
    }
    if (input.note !== undefined) patch.note = input.note;
    ctx.repo.update('rule_sets', row.id, patch, { summary: editSummary(row, '基础分、下限、等级或设置') });
    return { id: row.id };
  });
}

export function saveRuleItem(ctx: CoreContext, input: RuleItemInput & { ruleSetId: string; id?: string }): { id: string } {
  return ctx.repo.transaction(() => {
    const row = ruleSetRow(ctx, input.ruleSetId);
    assertEditable(row);
    const item = input as RuleItemSpec;
    const twin = ctx.db
      .prepare('SELECT id FROM rule_items WHERE rule_set_id = ? AND code = ? AND deleted_at IS NULL AND id IS NOT ?')
      .get(row.id, item.code, input.id ?? null);
    if (twin) throw new AppError('CONFLICT', `项目编码“${item.code}”已被本规则的另一项使用，请换一个编码。`);
    if (input.id) {
      const existing = ctx.db.prepare('SELECT rule_set_id, deleted_at FROM rule_items WHERE id = ?').get(input.id) as
        | { rule_set_id: string; deleted_at: string | null }
        | undefined;
      if (!existing || existing.deleted_at || existing.rule_set_id !== row.id) throw new AppError('NOT_FOUND', '找不到该积分项目，请刷新后重试。');
      ctx.repo.update('rule_items', input.id, itemColumns(item), { summary: editSummary(row, `项目 ${item.code} ${item.name}`) });
      return { id: input.id };
    }
    const max = ctx.db.prepare('SELECT coalesce(max(sort_order), 0) FROM rule_items WHERE rule_set_id = ? AND deleted_at IS NULL').pluck().get(row.id) as number;
    const id = ctx.repo.insert('rule_items', { ...itemColumns(item), rule_set_id: row.id, sort_order: max + 1 }, {
      summary: editSummary(row, `新增项目 ${item.code} ${item.name}`),
    });
    return { id };
  });
}

export function removeRuleItem(ctx: CoreContext, id: string): { id: string } {
  return ctx.repo.transaction(() => {
    const item = ctx.db.prepare('SELECT * FROM rule_items WHERE id = ?').get(id) as RuleItemDbRow & { deleted_at: string | null } | undefined;
    if (!item || item.deleted_at) throw new AppError('NOT_FOUND', '找不到该积分项目，可能已被删除。');
    const row = ruleSetRow(ctx, item.rule_set_id);
    assertEditable(row);
    ctx.repo.tombstone('rule_items', id, { summary: editSummary(row, `删除项目 ${item.code} ${item.name}`) });
    return { id };
  });
}

export function reorderRuleItems(ctx: CoreContext, ruleSetId: string, itemIds: string[]): { id: string } {
  return ctx.repo.transaction(() => {
    const row = ruleSetRow(ctx, ruleSetId);
    assertEditable(row);
    const current = new Set(ruleItems(ctx, ruleSetId).map((i) => i.id));
    // Every live item exactly once: a stale list (an item added or removed meanwhile) or a repeated id is refused.
    if (itemIds.length !== current.size || new Set(itemIds).size !== itemIds.length || itemIds.some((id) => !current.has(id))) {
      throw new AppError('CONFLICT', '积分项目已被修改，请刷新后重新排序。');
    }
    itemIds.forEach((id, index) => ctx.repo.update('rule_items', id, { sort_order: index + 1 }, { audit: false }));
    ctx.repo.audit({ action: 'update', entity: 'rule_sets', entityId: row.id, summary: editSummary(row, '调整项目顺序') });
    return { id: row.id };
  });
}

export function removeRuleSet(ctx: CoreContext, id: string): { id: string } {
  return ctx.repo.transaction(() => {
    const row = ruleSetRow(ctx, id);
    if (row.status !== 'draft') {
      throw new AppError('CONFLICT', `只能删除草稿规则；“${row.name}”${RULE_SET_STATUS_LABELS[row.status]}。`);
    }
    for (const item of ruleItems(ctx, id)) ctx.repo.tombstone('rule_items', item.id, { audit: false });
    ctx.repo.tombstone('rule_sets', id, { summary: `删除积分规则：${row.name}` });
    return { id };
  });
}

/** Rule sets of a period that count: in force or closed (drafts never score). */
export function activeRuleSets(ctx: CoreContext, period: string): RuleSetDbRow[] {
  return ctx.db
    .prepare(`${SUMMARY_SQL} WHERE r.deleted_at IS NULL AND r.period = ? AND r.status IN ('in_force', 'closed') ORDER BY r.level`)
    .all(period) as RuleSetDbRow[];
}

/** The closed periods whose dates are frozen for records. */
export function closedPeriods(ctx: CoreContext): Period[] {
  const ids = ctx.db.prepare(`SELECT DISTINCT period FROM rule_sets WHERE deleted_at IS NULL AND status = 'closed'`).pluck().all() as string[];
  return ids.map((id) => parsePeriod(id)).filter((p): p is Period => p !== null);
}

/** Records dated in a closed period may not change: their scores are sealed. */
export function assertDateOpen(ctx: CoreContext, date: string, what: string): void {
  const closed = closedPeriods(ctx).find((p) => date >= p.start && date <= p.end);
  if (closed) {
    throw new AppError('CONFLICT', `${closed.label}的积分已结束封存，不能再${what}（日期 ${date}）。如确需更正，请登记在当前期间的加减分中并说明理由。`);
  }
}

/** Review is on where an in-force rule set asks for it (the county's choice travels with the rules). */
export function reviewRequired(ctx: CoreContext): boolean {
  return (
    ctx.db.prepare(`SELECT 1 FROM rule_sets WHERE deleted_at IS NULL AND status = 'in_force' AND require_review = 1 LIMIT 1`).get() !== undefined
  );
}
