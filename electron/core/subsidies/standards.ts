import type { z } from 'zod';
import type { StandardRecord, standardCreateInput } from '../../../shared/contract/subsidies.js';
import { LEVEL_LABELS, LEVELS, type Level } from '../../../shared/dictionaries.js';
import { AppError } from '../../../shared/errors.js';
import { fenToYuanString } from '../../../shared/money.js';
import type { StandardCondition, StandardKind, SubsidyStandard } from '../../../shared/subsidies/index.js';
import type { CoreContext } from '../context.js';

interface StandardDbRow {
  id: string;
  name: string;
  kind: StandardKind;
  levels: string;
  condition: StandardCondition;
  note: string | null;
}

interface RateDbRow {
  id: string;
  standard_id: string;
  effective_from: string;
  amount_fen: number;
  note: string | null;
}

type CreateInput = z.output<typeof standardCreateInput>;
type MetaInput = Pick<CreateInput, 'name' | 'levels' | 'condition' | 'note'>;

/** Levels in dictionary order (national first), stored comma-separated. */
function levelsColumn(levels: Level[]): string {
  return LEVELS.filter((l) => levels.includes(l)).join(',');
}

function parseLevels(text: string): Level[] {
  return text.split(',').filter((l): l is Level => (LEVELS as readonly string[]).includes(l));
}

export function levelsText(levels: Level[]): string {
  return levels.map((l) => LEVEL_LABELS[l]).join('、');
}

export function listStandards(ctx: CoreContext): StandardRecord[] {
  const standards = ctx.db
    .prepare('SELECT * FROM subsidy_standards WHERE deleted_at IS NULL ORDER BY kind DESC, created_at, id')
    .all() as StandardDbRow[];
  const rates = ctx.db
    .prepare('SELECT * FROM subsidy_standard_rates WHERE deleted_at IS NULL ORDER BY effective_from, created_at')
    .all() as RateDbRow[];
  return standards.map((s) => ({
    id: s.id,
    name: s.name,
    kind: s.kind,
    levels: parseLevels(s.levels),
    condition: s.condition,
    note: s.note,
    rates: rates
      .filter((r) => r.standard_id === s.id)
      .map((r) => ({ id: r.id, effectiveFrom: r.effective_from, amountFen: r.amount_fen, note: r.note })),
  }));
}

/** The standards as proration needs them. */
export function loadStandards(ctx: CoreContext): SubsidyStandard[] {
  return listStandards(ctx).map((s) => ({
    id: s.id,
    name: s.name,
    kind: s.kind,
    levels: s.levels,
    condition: s.condition,
    rates: s.rates.map((r) => ({ from: r.effectiveFrom, amountFen: r.amountFen })),
  }));
}

function liveStandard(ctx: CoreContext, id: string): StandardDbRow {
  const row = ctx.db.prepare('SELECT * FROM subsidy_standards WHERE id = ? AND deleted_at IS NULL').get(id) as
    | StandardDbRow
    | undefined;
  if (!row) throw new AppError('NOT_FOUND', '找不到该补贴标准，可能已被删除。请刷新后重试。');
  return row;
}

function assertUniqueName(ctx: CoreContext, name: string, exceptId?: string): void {
  const twin = ctx.db
    .prepare('SELECT id FROM subsidy_standards WHERE name = ? AND deleted_at IS NULL AND id IS NOT ?')
    .get(name, exceptId ?? null);
  if (twin) throw new AppError('CONFLICT', `已有名为“${name}”的补贴标准。标准金额变化请用“调整金额”，不要新建同名标准。`);
}

export function createStandard(ctx: CoreContext, input: CreateInput): { id: string } {
  return ctx.repo.transaction(() => {
    assertUniqueName(ctx, input.name);
    const id = ctx.repo.insert(
      'subsidy_standards',
      { name: input.name, kind: input.kind, levels: levelsColumn(input.levels), condition: input.condition, note: input.note ?? null },
      { summary: `新增补贴标准：${input.name}（${levelsText(input.levels)}）` },
    );
    ctx.repo.insert(
      'subsidy_standard_rates',
      { standard_id: id, effective_from: input.effectiveFrom, amount_fen: input.amountFen },
      { summary: `补贴标准“${input.name}”自 ${input.effectiveFrom} 起 ${fenToYuanString(input.amountFen)} 元` },
    );
    return { id };
  });
}

export function updateStandard(ctx: CoreContext, id: string, input: MetaInput): { id: string } {
  return ctx.repo.transaction(() => {
    liveStandard(ctx, id);
    assertUniqueName(ctx, input.name, id);
    ctx.repo.update(
      'subsidy_standards',
      id,
      { name: input.name, levels: levelsColumn(input.levels), condition: input.condition, note: input.note ?? null },
      { summary: `修改补贴标准：${input.name}` },
    );
    return { id };
  });
}

export function removeStandard(ctx: CoreContext, id: string): { id: string } {
  return ctx.repo.transaction(() => {
    const s = liveStandard(ctx, id);
    const rates = ctx.db
      .prepare('SELECT id FROM subsidy_standard_rates WHERE standard_id = ? AND deleted_at IS NULL')
      .pluck()
      .all(id) as string[];
    for (const rateId of rates) ctx.repo.tombstone('subsidy_standard_rates', rateId, { audit: false });
    ctx.repo.tombstone('subsidy_standards', id, { summary: `删除补贴标准：${s.name}` });
    return { id };
  });
}

export function addRate(
  ctx: CoreContext,
  input: { standardId: string; effectiveFrom: string; amountFen: number; note?: string | null },
): { id: string } {
  return ctx.repo.transaction(() => {
    const s = liveStandard(ctx, input.standardId);
    const twin = ctx.db
      .prepare('SELECT amount_fen FROM subsidy_standard_rates WHERE standard_id = ? AND effective_from = ? AND deleted_at IS NULL')
      .get(input.standardId, input.effectiveFrom) as { amount_fen: number } | undefined;
    if (twin) {
      throw new AppError(
        'CONFLICT',
        `“${s.name}”自 ${input.effectiveFrom} 起已有金额 ${fenToYuanString(twin.amount_fen)} 元。如填错了，请先删除那一条再添加。`,
      );
    }
    const id = ctx.repo.insert(
      'subsidy_standard_rates',
      { standard_id: input.standardId, effective_from: input.effectiveFrom, amount_fen: input.amountFen, note: input.note ?? null },
      { summary: `调整补贴标准“${s.name}”：自 ${input.effectiveFrom} 起 ${fenToYuanString(input.amountFen)} 元` },
    );
    return { id };
  });
}

export function removeRate(ctx: CoreContext, rateId: string): { id: string } {
  return ctx.repo.transaction(() => {
    const rate = ctx.db.prepare('SELECT * FROM subsidy_standard_rates WHERE id = ? AND deleted_at IS NULL').get(rateId) as
      | RateDbRow
      | undefined;
    if (!rate) throw new AppError('NOT_FOUND', '找不到该标准金额，可能已被删除。请刷新后重试。');
    const s = liveStandard(ctx, rate.standard_id);
    const left = ctx.db
      .prepare('SELECT count(*) FROM subsidy_standard_rates WHERE standard_id = ? AND deleted_at IS NULL')
      .pluck()
      .get(rate.standard_id) as number;
    if (left <= 1) throw new AppError('CONFLICT', `这是“${s.name}”唯一的一条金额，不能删除。不再发放请删除整个标准，或添加一条自某月起金额为 0 的记录。`);
    ctx.repo.tombstone('subsidy_standard_rates', rateId, {
      summary: `删除补贴标准“${s.name}”自 ${rate.effective_from} 起的金额 ${fenToYuanString(rate.amount_fen)} 元`,
    });
    return { id: rateId };
  });
}
