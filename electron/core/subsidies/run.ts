import type { BatchException, RunLine, RunResult } from '../../../shared/contract/subsidies.js';
import { AppError } from '../../../shared/errors.js';
import { parsePeriod, periodsOverlap, type Period, type SubsidyPolicy } from '../../../shared/subsidies/index.js';
import type { CoreContext } from '../context.js';
import {
  adjustmentLines,
  dueByPerson,
  findExceptions,
  regularLines,
  sortLines,
  standardLevels,
  type IssuedBatchRef,
  type PaidForBatch,
  type PlannedLine,
} from './compute.js';
import { fixedIncomeChanges, loadPayees } from './payees.js';
import { readPolicy } from './policy.js';
import { loadStandards } from './standards.js';

/**
 * `subsidies run`: one line per person due something for the period, plus
 * adjusting lines for earlier issued batches, and the exceptions. Without
 * dryRun the result is saved as a draft batch; a draft for the same period is
 * replaced (same batch id), an issued one is never touched.
 */

interface BatchDbRow {
  id: string;
  period: string;
  period_start: string;
  period_end: string;
  status: 'draft' | 'issued';
  policy_json: string;
  title: string;
  generated_at: string;
  issued_at: string | null;
}

/** 枫林县人大常委会 → 枫林县, 青山镇人大主席团 → 青山镇: the sheet names the place, as paper ones do. */
export function placeName(officeName: string): string {
  return officeName.replace(/(人民代表大会|人大)?(常务委员会|常委会|主席团|工作委员会|工委)$/, '') || officeName;
}

export function batchTitle(officeName: string, period: Period): string {
  return `${placeName(officeName)}${period.label}人大代表履职补贴签领表`;
}

function overlapping(ctx: CoreContext, period: Period): BatchDbRow[] {
  const rows = ctx.db
    .prepare('SELECT * FROM subsidy_batches WHERE deleted_at IS NULL AND period_start <= ? AND period_end >= ?')
    .all(period.end, period.start) as BatchDbRow[];
  return rows.filter((b) => periodsOverlap({ start: b.period_start, end: b.period_end }, period));
}

/** Refuses a period that overlaps an issued batch or another period's draft; returns the draft to replace. */
function checkPeriod(ctx: CoreContext, period: Period): BatchDbRow | null {
  let replace: BatchDbRow | null = null;
  for (const b of overlapping(ctx, period)) {
    const label = parsePeriod(b.period)?.label ?? b.period;
    if (b.status === 'issued') {
      throw new AppError(
        'CONFLICT',
        b.period === period.code
          ? `${label}的补贴已发放（批次已锁定），不能重新生成或修改。如需更正，请生成以后期间的批次，系统会自动列出调整行（补发或扣回）。`
          : `${period.label}与已发放的批次“${label}”有重叠的月份，已发放的月份不能再次生成。如需更正，请生成以后期间的批次，系统会自动列出调整行。`,
      );
    }
    if (b.period === period.code) replace = b;
    else {
      throw new AppError(
        'CONFLICT',
        `${period.label}与草稿批次“${label}”有重叠的月份。请先发放或删除该草稿，再生成${period.label}的批次。`,
      );
    }
  }
  return replace;
}

export function issuedBeforeIds(ctx: CoreContext, periodStart: string): string[] {
  return ctx.db
    .prepare(`SELECT id FROM subsidy_batches WHERE deleted_at IS NULL AND status = 'issued' AND period_start < ? ORDER BY period_start, id`)
    .pluck()
    .all(periodStart) as string[];
}

/** Issued batches before the period, with what each person was paid for them so far. */
export function issuedBefore(ctx: CoreContext, period: Period): IssuedBatchRef[] {
  const batches = ctx.db
    .prepare(
      `SELECT * FROM subsidy_batches WHERE deleted_at IS NULL AND status = 'issued' AND period_start < ? ORDER BY period_start, id`,
    )
    .all(period.start) as BatchDbRow[];
  const paidStmt = ctx.db.prepare(
    `SELECT l.person_id AS personId, l.name, l.level, l.township, l.group_name AS groupName,
            sum(l.amount_fen) AS amountFen, sum(l.months) AS months
     FROM subsidy_batch_lines l JOIN subsidy_batches b ON b.id = l.batch_id
     WHERE l.deleted_at IS NULL AND b.deleted_at IS NULL AND b.status = 'issued'
       AND ((l.kind = 'regular' AND l.batch_id = ?) OR (l.kind = 'adjustment' AND l.adjusts_batch_id = ?))
     GROUP BY l.person_id`,
  );
  return batches.map((b) => ({
    id: b.id,
    period: parsePeriod(b.period)!,
    policy: JSON.parse(b.policy_json) as SubsidyPolicy,
    paid: paidStmt.all(b.id, b.id) as PaidForBatch[],
  }));
}

export interface ComputedBatch {
  period: Period;
  /** The earlier issued batches the adjustments were computed against. */
  basis: string[];
  policy: SubsidyPolicy;
  lines: PlannedLine[];
  exceptions: BatchException[];
  totalFen: number;
}

export function computeBatch(ctx: CoreContext, period: Period): ComputedBatch {
  const standards = loadStandards(ctx);
  if (standards.length === 0) {
    throw new AppError('VALIDATION', '还没有设置补贴标准。请先在“补贴标准”中添加标准（如：乡镇人大代表 200 元/月），再生成发放批次。');
  }
  const policy = readPolicy(ctx);
  const payees = loadPayees(ctx, standardLevels(standards));
  const regular = regularLines(payees, dueByPerson(payees, standards, policy, period));
  const issued = issuedBefore(ctx, period);
  const adjustments = adjustmentLines(payees, standards, issued);
  const lines = sortLines([...regular, ...adjustments]);
  const exceptions = findExceptions(payees, standards, policy, period, lines, fixedIncomeChanges(ctx, period.start));
  return {
    period,
    basis: issued.map((b) => b.id),
    policy,
    lines,
    exceptions,
    totalFen: lines.reduce((s, l) => s + l.amountFen, 0),
  };
}

function toRunLine(l: PlannedLine): RunLine {
  const line: RunLine = {
    personId: l.personId,
    name: l.name,
    level: l.level,
    months: l.months,
    amountFen: l.amountFen,
    kind: l.kind,
    levels: l.levels,
    township: l.township,
    standardText: l.standardText,
  };
  if (l.kind === 'adjustment') {
    line.adjustsPeriod = l.adjustsPeriod ?? undefined;
    line.note = l.note ?? undefined;
  }
  return line;
}

export function runBatch(ctx: CoreContext, input: { period: string; dryRun: boolean }): RunResult {
  const office = ctx.requireOffice();
  const period = parsePeriod(input.period)!;
  const replace = checkPeriod(ctx, period);
  const computed = computeBatch(ctx, period);
  const result: RunResult = {
    batchId: null,
    period: period.code,
    periodLabel: period.label,
    dryRun: input.dryRun,
    replacedDraft: replace !== null && !input.dryRun,
    lines: computed.lines.map(toRunLine),
    totalFen: computed.totalFen,
    exceptions: computed.exceptions,
  };
  if (input.dryRun) return result;
  result.batchId = ctx.repo.transaction(() => saveDraft(ctx, computed, batchTitle(office.officeName, period), replace));
  return result;
}

function saveDraft(ctx: CoreContext, c: ComputedBatch, title: string, replace: BatchDbRow | null): string {
  const now = new Date().toISOString();
  const columns = {
    period: c.period.code,
    period_start: c.period.start,
    period_end: c.period.end,
    title,
    status: 'draft',
    total_fen: c.totalFen,
    line_count: c.lines.length,
    policy_json: JSON.stringify(c.policy),
    exceptions_json: JSON.stringify(c.exceptions),
    basis_json: JSON.stringify(c.basis),
    generated_at: now,
  };
  let batchId: string;
  const NO_AUDIT = { audit: false } as const;
  if (replace) {
    batchId = replace.id;
    const old = ctx.db
      .prepare('SELECT id FROM subsidy_batch_lines WHERE batch_id = ? AND deleted_at IS NULL')
      .pluck()
      .all(batchId) as string[];
    for (const id of old) ctx.repo.tombstone('subsidy_batch_lines', id, NO_AUDIT);
    ctx.repo.update('subsidy_batches', batchId, columns, NO_AUDIT);
  } else {
    batchId = ctx.repo.insert('subsidy_batches', columns, NO_AUDIT);
  }
  c.lines.forEach((l, i) => {
    ctx.repo.insert(
      'subsidy_batch_lines',
      {
        batch_id: batchId,
        seq: i + 1,
        kind: l.kind,
        person_id: l.personId,
        name: l.name,
        level: l.level,
        levels: l.levels.join(','),
        township: l.township,
        group_name: l.groupName,
        standard_text: l.standardText,
        months: l.months,
        amount_fen: l.amountFen,
        adjusts_batch_id: l.adjustsBatchId,
        adjusts_period: l.adjustsPeriod,
        bank_name: l.bankName,
        bank_account: l.bankAccount,
        detail_json: JSON.stringify(l.detail),
        note: l.note,
      },
      NO_AUDIT,
    );
  });
  const adjustments = c.lines.filter((l) => l.kind === 'adjustment').length;
  ctx.repo.audit({
    action: replace ? 'regenerate' : 'create',
    entity: 'subsidy_batches',
    entityId: batchId,
    summary:
      `${replace ? '重新生成' : '生成'}补贴发放批次草稿：${c.period.label}，${c.lines.length} 行` +
      `${adjustments ? `（其中调整行 ${adjustments} 行）` : ''}，合计 ${(c.totalFen / 100).toFixed(2)} 元，待核对事项 ${c.exceptions.length} 条`,
    after: { period: c.period.code, lines: c.lines.length, totalFen: c.totalFen, exceptions: c.exceptions.length },
  });
  return batchId;
}
