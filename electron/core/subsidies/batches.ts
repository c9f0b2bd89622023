import type { BatchDetail, BatchException, BatchLine, BatchSummary, LineKind } from '../../../shared/contract/subsidies.js';
import { LEVELS, type Level } from '../../../shared/dictionaries.js';
import { AppError } from '../../../shared/errors.js';
import { maskBankAccount } from '../../../shared/idcard.js';
import { fenToYuanString } from '../../../shared/money.js';
import { parsePeriod, type SubsidyPolicy } from '../../../shared/subsidies/index.js';
import type { CoreContext } from '../context.js';
import { issuedBeforeIds } from './run.js';

export interface BatchRow {
  id: string;
  period: string;
  period_start: string;
  period_end: string;
  title: string;
  status: 'draft' | 'issued';
  total_fen: number;
  line_count: number;
  policy_json: string;
  exceptions_json: string;
  basis_json: string;
  generated_at: string;
  issued_at: string | null;
  issued_by: string | null;
}

export interface LineRow {
  id: string;
  seq: number;
  kind: LineKind;
  person_id: string;
  name: string;
  level: Level;
  levels: string;
  township: string | null;
  group_name: string | null;
  standard_text: string;
  months: number;
  amount_fen: number;
  adjusts_period: string | null;
  bank_name: string | null;
  bank_account: string | null;
  note: string | null;
}

export function liveBatch(ctx: CoreContext, batchId: string): BatchRow {
  const row = ctx.db.prepare('SELECT * FROM subsidy_batches WHERE id = ? AND deleted_at IS NULL').get(batchId) as BatchRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', '找不到该发放批次，可能已被删除。请刷新批次列表后重试。');
  return row;
}

/** Every change to a batch passes here first: issued batches are locked for good. */
export function assertDraft(batch: BatchRow, action: string): void {
  if (batch.status === 'issued') {
    throw new AppError(
      'CONFLICT',
      `“${batch.title}”已于 ${batch.issued_at?.slice(0, 10) ?? ''} 确认发放并锁定，不能${action}。如需更正，请在以后期间的批次中以调整行（补发或扣回）处理。`,
    );
  }
}

export function batchLines(ctx: CoreContext, batchId: string, township?: string): LineRow[] {
  return ctx.db
    .prepare(
      `SELECT * FROM subsidy_batch_lines WHERE batch_id = ? AND deleted_at IS NULL ${township ? 'AND township = ?' : ''} ORDER BY seq`,
    )
    .all(...(township ? [batchId, township] : [batchId])) as LineRow[];
}

export function periodLabel(code: string): string {
  return parsePeriod(code)?.label ?? code;
}

function toSummary(ctx: CoreContext, b: BatchRow): BatchSummary {
  const adjustmentCount = ctx.db
    .prepare(`SELECT count(*) FROM subsidy_batch_lines WHERE batch_id = ? AND deleted_at IS NULL AND kind = 'adjustment'`)
    .pluck()
    .get(b.id) as number;
  return {
    id: b.id,
    period: b.period,
    periodLabel: periodLabel(b.period),
    title: b.title,
    status: b.status,
    totalFen: b.total_fen,
    lineCount: b.line_count,
    adjustmentCount,
    exceptionCount: (JSON.parse(b.exceptions_json) as unknown[]).length,
    generatedAt: b.generated_at,
    issuedAt: b.issued_at,
    issuedBy: b.issued_by,
  };
}

export function listBatches(ctx: CoreContext): BatchSummary[] {
  const rows = ctx.db
    .prepare('SELECT * FROM subsidy_batches WHERE deleted_at IS NULL ORDER BY period_start DESC, period_end DESC')
    .all() as BatchRow[];
  return rows.map((b) => toSummary(ctx, b));
}

const parseLevels = (text: string) => text.split(',').filter((l): l is Level => (LEVELS as readonly string[]).includes(l));

export function toBatchLine(l: LineRow): BatchLine {
  return {
    id: l.id,
    seq: l.seq,
    kind: l.kind,
    personId: l.person_id,
    name: l.name,
    level: l.level,
    levels: parseLevels(l.levels),
    township: l.township,
    groupName: l.group_name,
    standardText: l.standard_text,
    months: l.months,
    amountFen: l.amount_fen,
    adjustsPeriod: l.adjusts_period,
    bankName: l.bank_name,
    bankAccountMasked: maskBankAccount(l.bank_account),
    note: l.note,
  };
}

export function getBatch(ctx: CoreContext, batchId: string): BatchDetail {
  const b = liveBatch(ctx, batchId);
  const lines = batchLines(ctx, batchId);
  return {
    batch: toSummary(ctx, b),
    policy: JSON.parse(b.policy_json) as SubsidyPolicy,
    lines: lines.map(toBatchLine),
    exceptions: JSON.parse(b.exceptions_json) as BatchException[],
    townships: [...new Set(lines.map((l) => l.township).filter((t): t is string => !!t))].sort((a, b) => a.localeCompare(b, 'zh-CN')),
  };
}

export function setLineNote(ctx: CoreContext, lineId: string, note: string | null): { id: string } {
  return ctx.repo.transaction(() => {
    const line = ctx.db.prepare('SELECT * FROM subsidy_batch_lines WHERE id = ? AND deleted_at IS NULL').get(lineId) as
      | (LineRow & { batch_id: string })
      | undefined;
    if (!line) throw new AppError('NOT_FOUND', '找不到该发放行，可能批次已重新生成。请刷新后重试。');
    assertDraft(liveBatch(ctx, line.batch_id), '修改备注');
    ctx.repo.update('subsidy_batch_lines', lineId, { note }, { summary: `修改补贴发放行备注：${line.name}` });
    return { id: lineId };
  });
}

/**
 * A draft's adjusting lines were computed against the batches issued before
 * it at that time; if another earlier batch was issued since, they are stale.
 */
function assertFresh(ctx: CoreContext, b: BatchRow): void {
  const basis = new Set(JSON.parse(b.basis_json) as string[]);
  const now = issuedBeforeIds(ctx, b.period_start);
  const added = now.find((id) => !basis.has(id));
  if (added || now.length !== basis.size) {
    const period = added ? (ctx.db.prepare('SELECT period FROM subsidy_batches WHERE id = ?').pluck().get(added) as string) : null;
    throw new AppError(
      'CONFLICT',
      `本草稿生成后，${period ? `“${periodLabel(period)}”的批次已确认发放` : '之前的发放批次有变化'}，本批次的调整行可能已不准确。请重新生成${periodLabel(b.period)}的批次，核对后再发放。`,
    );
  }
}

/**
 * Draft → issued in one transaction. Takes a backup first when the backup
 * module is available (see issueBatch in handlers): issuing cannot be undone.
 */
export function issueBatch(ctx: CoreContext, batchId: string): BatchSummary {
  ctx.repo.transaction(() => {
    const b = liveBatch(ctx, batchId);
    assertDraft(b, '再次发放');
    assertFresh(ctx, b);
    const lineCount = ctx.db
      .prepare('SELECT count(*) FROM subsidy_batch_lines WHERE batch_id = ? AND deleted_at IS NULL')
      .pluck()
      .get(batchId) as number;
    if (lineCount === 0) throw new AppError('VALIDATION', '该批次没有任何发放行，无需发放。可以删除此草稿。');
    ctx.repo.update(
      'subsidy_batches',
      batchId,
      { status: 'issued', issued_at: new Date().toISOString(), issued_by: ctx.operator },
      { summary: `确认发放补贴批次：${b.title}，${b.line_count} 行，合计 ${fenToYuanString(b.total_fen)} 元；批次已锁定` },
    );
  });
  return toSummary(ctx, liveBatch(ctx, batchId));
}

export function removeBatch(ctx: CoreContext, batchId: string): { id: string } {
  return ctx.repo.transaction(() => {
    const b = liveBatch(ctx, batchId);
    assertDraft(b, '删除');
    const lines = ctx.db
      .prepare('SELECT id FROM subsidy_batch_lines WHERE batch_id = ? AND deleted_at IS NULL')
      .pluck()
      .all(batchId) as string[];
    for (const id of lines) ctx.repo.tombstone('subsidy_batch_lines', id, { audit: false });
    ctx.repo.tombstone('subsidy_batches', batchId, { summary: `删除补贴发放批次草稿：${b.title}（${lines.length} 行）` });
    return { id: batchId };
  });
}
