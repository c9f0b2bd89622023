import type { z } from 'zod';
import {
  FUND_KIND_LABELS,
  type FundChoices,
  type FundEntryRow,
  type FundSummary,
  type StationBalance,
  type fundEntryFields,
  type fundEntryFilter,
  type fundFields,
} from '../../../shared/contract/funds.js';
import type { Page } from '../../../shared/contract/index.js';
import { LEVEL_LABELS, LEVELS, type Level } from '../../../shared/dictionaries.js';
import { AppError } from '../../../shared/errors.js';
import { fenToYuanString } from '../../../shared/money.js';
import type { CoreContext } from '../context.js';
import type { Row } from '../db/repository.js';
import { ENTRY_COLUMNS, ENTRY_FROM, FUND_SELECT, toEntryRow, toFundSummary, type EntryDbRow, type FundDbRow } from './records.js';

type FundInput = z.output<typeof fundFields>;
type EntryInput = z.output<typeof fundEntryFields>;
type EntryQuery = z.output<typeof fundEntryFilter> & { page: number; pageSize: number };

const yuan = (fen: number) => `${fenToYuanString(fen)} 元`;

/** Budget lines in the order the year-end report lists them: per deputy, per station, training, special, other. */
const FUND_ORDER = `ORDER BY CASE f.kind WHEN 'per_deputy' THEN 1 WHEN 'per_station' THEN 2 WHEN 'training' THEN 3
  WHEN 'special' THEN 4 ELSE 5 END, f.created_at, f.name`;

export function listFunds(ctx: CoreContext, year: number): FundSummary[] {
  const rows = ctx.db
    .prepare(`${FUND_SELECT} WHERE f.year = ? AND f.deleted_at IS NULL GROUP BY f.id ${FUND_ORDER}`)
    .all(year) as FundDbRow[];
  return rows.map(toFundSummary);
}

function liveFund(ctx: CoreContext, id: string): FundSummary {
  const row = ctx.db.prepare(`${FUND_SELECT} WHERE f.id = ? AND f.deleted_at IS NULL GROUP BY f.id`).get(id) as FundDbRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', '找不到该经费，可能已被删除。请刷新后重试。');
  return toFundSummary(row);
}

/** Current seats (including suspended) per level: the per-deputy budget's default count. */
export function seatCounts(ctx: CoreContext): Record<Level, number> {
  const counts = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>;
  const rows = ctx.db
    .prepare(`SELECT level, count(*) AS n FROM seats WHERE deleted_at IS NULL AND status IN ('current', 'suspended') GROUP BY level`)
    .all() as { level: Level; n: number }[];
  for (const r of rows) counts[r.level] = r.n;
  return counts;
}

function stationCount(ctx: CoreContext): number {
  return ctx.db.prepare('SELECT count(*) FROM liaison_stations WHERE deleted_at IS NULL').pluck().get() as number;
}

export function fundChoices(ctx: CoreContext): FundChoices {
  const years = ctx.db
    .prepare(
      `SELECT DISTINCT year FROM funds WHERE deleted_at IS NULL
       UNION SELECT CAST(strftime('%Y', 'now', 'localtime') AS INTEGER) ORDER BY 1 DESC`,
    )
    .pluck()
    .all() as number[];
  return {
    years,
    stations: ctx.db
      .prepare('SELECT id, name, township FROM liaison_stations WHERE deleted_at IS NULL ORDER BY township, name')
      .all() as FundChoices['stations'],
    groups: ctx.db
      .prepare('SELECT id, name, township FROM deputy_groups WHERE deleted_at IS NULL ORDER BY township, name')
      .all() as FundChoices['groups'],
    seatCounts: seatCounts(ctx),
    stationCount: stationCount(ctx),
  };
}

/** Works out unit × count for per-deputy and per-station funds; the others take the budget as typed. */
function fundColumns(ctx: CoreContext, input: FundInput): Row {
  const base = { year: input.year, name: input.name, kind: input.kind, note: input.note ?? null };
  if (input.kind === 'per_deputy' || input.kind === 'per_station') {
    const what = input.kind === 'per_deputy' ? '每名代表' : '每个联络站';
    if (input.unitAmountFen == null) throw new AppError('VALIDATION', `「${what}金额」：请填写${what}的经费金额，例如 2000 元。`);
    let deputyLevel: Level | null = null;
    let count: number;
    if (input.kind === 'per_deputy') {
      if (!input.deputyLevel) throw new AppError('VALIDATION', '「代表层级」：按代表人数计算的经费，请选择按哪一级代表计算。');
      deputyLevel = input.deputyLevel;
      count = input.unitCount ?? seatCounts(ctx)[deputyLevel];
    } else {
      count = input.unitCount ?? stationCount(ctx);
    }
    return {
      ...base,
      deputy_level: deputyLevel,
      unit_amount_fen: input.unitAmountFen,
      unit_count: count,
      budget_fen: input.unitAmountFen * count,
    };
  }
  if (input.budgetFen == null) throw new AppError('VALIDATION', '「预算金额」：请填写该项经费的年度预算。');
  return { ...base, deputy_level: null, unit_amount_fen: null, unit_count: null, budget_fen: input.budgetFen };
}

function assertUniqueFund(ctx: CoreContext, year: number, name: string, exceptId?: string): void {
  const twin = ctx.db
    .prepare('SELECT id FROM funds WHERE year = ? AND name = ? AND deleted_at IS NULL AND id IS NOT ?')
    .get(year, name, exceptId ?? null);
  if (twin) throw new AppError('CONFLICT', `${year} 年已有名为“${name}”的经费，请换一个名称。`);
}

export function createFund(ctx: CoreContext, input: FundInput): { id: string } {
  return ctx.repo.transaction(() => {
    assertUniqueFund(ctx, input.year, input.name);
    const columns = fundColumns(ctx, input);
    const id = ctx.repo.insert('funds', columns, {
      summary: `新增${input.year}年经费：${input.name}（${FUND_KIND_LABELS[input.kind]}），预算 ${yuan(columns.budget_fen as number)}`,
    });
    return { id };
  });
}

export function updateFund(ctx: CoreContext, id: string, input: FundInput): { id: string } {
  return ctx.repo.transaction(() => {
    const current = liveFund(ctx, id);
    assertUniqueFund(ctx, input.year, input.name, id);
    if (input.year !== current.year && current.entryCount > 0) {
      throw new AppError('CONFLICT', `“${current.name}”已有 ${current.entryCount} 笔支出记录，不能改到其他年度。`);
    }
    const columns = fundColumns(ctx, input);
    const budget = columns.budget_fen as number;
    if (budget < current.spentFen && budget < current.budgetFen) {
      throw new AppError(
        'VALIDATION',
        `“${current.name}”已支出 ${yuan(current.spentFen)}，预算不能调减到 ${yuan(budget)}。请核对预算金额。`,
      );
    }
    ctx.repo.update('funds', id, columns, { summary: `修改经费：${input.name}，预算 ${yuan(budget)}` });
    return { id };
  });
}

export function removeFund(ctx: CoreContext, id: string): { id: string } {
  return ctx.repo.transaction(() => {
    const f = liveFund(ctx, id);
    if (f.entryCount > 0) {
      throw new AppError('CONFLICT', `“${f.name}”已有 ${f.entryCount} 笔支出记录，不能删除。请先删除这些支出，或保留该经费。`);
    }
    ctx.repo.tombstone('funds', id, { summary: `删除经费：${f.year}年${f.name}` });
    return { id };
  });
}

function entryWhere(q: EntryQuery): { sql: string; params: unknown[] } {
  const where = ['e.deleted_at IS NULL', 'f.deleted_at IS NULL', 'f.year = ?'];
  const params: unknown[] = [q.year];
  if (q.fundId) {
    where.push('e.fund_id = ?');
    params.push(q.fundId);
  }
  if (q.stationId) {
    where.push('e.station_id = ?');
    params.push(q.stationId);
  }
  if (q.overBudgetOnly) where.push('e.over_budget = 1');
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    where.push("(e.purpose LIKE ? ESCAPE '\\' OR e.payee LIKE ? ESCAPE '\\' OR e.voucher_no LIKE ? ESCAPE '\\')");
    params.push(like, like, like);
  }
  return { sql: `WHERE ${where.join(' AND ')}`, params };
}

export function listEntries(ctx: CoreContext, q: EntryQuery): Page<FundEntryRow> & { totalFen: number } {
  const { sql, params } = entryWhere(q);
  const agg = ctx.db.prepare(`SELECT count(*) AS n, coalesce(sum(e.amount_fen), 0) AS fen ${ENTRY_FROM} ${sql}`).get(...params) as {
    n: number;
    fen: number;
  };
  const rows = ctx.db
    .prepare(`SELECT ${ENTRY_COLUMNS} ${ENTRY_FROM} ${sql} ORDER BY e.date DESC, e.created_at DESC LIMIT ? OFFSET ?`)
    .all(...params, q.pageSize, (q.page - 1) * q.pageSize) as EntryDbRow[];
  return { rows: rows.map(toEntryRow), total: agg.n, page: q.page, pageSize: q.pageSize, totalFen: agg.fen };
}

function exists(ctx: CoreContext, table: string, id: string): boolean {
  return !!ctx.db.prepare(`SELECT 1 FROM ${table} WHERE id = ? AND deleted_at IS NULL`).get(id);
}

/**
 * The budget rule: an entry may not take its fund — or, for a per-station
 * fund, its station's share — beyond the budget, unless an approval with its
 * reason is recorded on the entry. Returns whether the entry is over budget.
 */
function checkBudget(ctx: CoreContext, fund: FundSummary, input: EntryInput, exceptEntryId: string | null): boolean {
  const spentOther = (sql: string, ...params: unknown[]) =>
    ctx.db
      .prepare(`SELECT coalesce(sum(amount_fen), 0) FROM fund_entries WHERE deleted_at IS NULL AND id IS NOT ? AND ${sql}`)
      .pluck()
      .get(exceptEntryId, ...params) as number;
  const problems: string[] = [];
  const fundSpent = spentOther('fund_id = ?', fund.id);
  if (fundSpent + input.amountFen > fund.budgetFen) {
    problems.push(
      `“${fund.name}”预算 ${yuan(fund.budgetFen)}，已支出 ${yuan(fundSpent)}，结余 ${yuan(fund.budgetFen - fundSpent)}，` +
        `本笔 ${yuan(input.amountFen)} 将超支 ${yuan(fundSpent + input.amountFen - fund.budgetFen)}`,
    );
  }
  if (fund.kind === 'per_station' && input.stationId && fund.unitAmountFen !== null) {
    const stationSpent = spentOther('fund_id = ? AND station_id = ?', fund.id, input.stationId);
    if (stationSpent + input.amountFen > fund.unitAmountFen) {
      const name = ctx.db.prepare('SELECT name FROM liaison_stations WHERE id = ?').pluck().get(input.stationId) as string;
      problems.push(
        `${name}的经费额度 ${yuan(fund.unitAmountFen)}，已支出 ${yuan(stationSpent)}，结余 ${yuan(fund.unitAmountFen - stationSpent)}，` +
          `本笔将超支 ${yuan(stationSpent + input.amountFen - fund.unitAmountFen)}`,
      );
    }
  }
  if (problems.length === 0) return false;
  if (!input.approvalReason) {
    throw new AppError(
      'VALIDATION',
      `超出预算：${problems.join('；')}。如确需支出，请填写“超预算审批事由”（及审批人）后再保存；否则请核对金额或改从其他经费列支。`,
      { overBudget: true },
    );
  }
  return true;
}

function entryColumns(input: EntryInput, overBudget: boolean): Row {
  return {
    fund_id: input.fundId,
    date: input.date,
    amount_fen: input.amountFen,
    purpose: input.purpose,
    payee: input.payee,
    voucher_no: input.voucherNo ?? null,
    activity_id: input.activityId ?? null,
    station_id: input.stationId ?? null,
    group_id: input.groupId ?? null,
    over_budget: overBudget,
    approval_reason: overBudget ? (input.approvalReason ?? null) : null,
    approved_by: overBudget ? (input.approvedBy ?? null) : null,
    note: input.note ?? null,
  };
}

function validateEntry(ctx: CoreContext, fund: FundSummary, input: EntryInput, exceptEntryId: string | null): void {
  if (Number(input.date.slice(0, 4)) !== fund.year) {
    throw new AppError('VALIDATION', `「日期」：“${fund.name}”是 ${fund.year} 年的经费，支出日期应在 ${fund.year} 年内（填的是 ${input.date}）。`);
  }
  if (fund.kind === 'per_station' && !input.stationId) {
    throw new AppError('VALIDATION', `「代表联络站」：“${fund.name}”按联络站核定，请选择这笔支出属于哪个联络站。`);
  }
  if (input.stationId && !exists(ctx, 'liaison_stations', input.stationId)) {
    throw new AppError('NOT_FOUND', '「代表联络站」：所选联络站不存在或已删除，请重新选择。');
  }
  if (input.groupId && !exists(ctx, 'deputy_groups', input.groupId)) {
    throw new AppError('NOT_FOUND', '「代表小组」：所选代表小组不存在或已删除，请重新选择。');
  }
  if (input.activityId && !exists(ctx, 'activities', input.activityId)) {
    throw new AppError('NOT_FOUND', '「履职活动」：所选活动不存在或已删除，请重新选择。');
  }
  if (input.voucherNo) {
    const twin = ctx.db
      .prepare('SELECT date FROM fund_entries WHERE fund_id = ? AND voucher_no = ? AND deleted_at IS NULL AND id IS NOT ?')
      .pluck()
      .get(fund.id, input.voucherNo, exceptEntryId) as string | undefined;
    if (twin) throw new AppError('CONFLICT', `「凭证号」：凭证号 ${input.voucherNo} 已用于 ${twin} 的一笔支出，请核对是否重复登记。`);
  }
}

export function createEntry(ctx: CoreContext, input: EntryInput): { id: string; overBudget: boolean } {
  return ctx.repo.transaction(() => {
    const fund = liveFund(ctx, input.fundId);
    validateEntry(ctx, fund, input, null);
    const overBudget = checkBudget(ctx, fund, input, null);
    const id = ctx.repo.insert('fund_entries', entryColumns(input, overBudget), {
      summary:
        `登记经费支出：${fund.name}，${input.date}，${yuan(input.amountFen)}，${input.purpose}` +
        (overBudget ? `（超预算，审批事由：${input.approvalReason}）` : ''),
    });
    return { id, overBudget };
  });
}

function liveEntry(ctx: CoreContext, id: string): EntryDbRow {
  const row = ctx.db.prepare(`SELECT ${ENTRY_COLUMNS} ${ENTRY_FROM} WHERE e.id = ? AND e.deleted_at IS NULL`).get(id) as
    | EntryDbRow
    | undefined;
  if (!row) throw new AppError('NOT_FOUND', '找不到该笔支出，可能已被删除。请刷新后重试。');
  return row;
}

export function updateEntry(ctx: CoreContext, id: string, input: EntryInput): { id: string; overBudget: boolean } {
  return ctx.repo.transaction(() => {
    liveEntry(ctx, id);
    const fund = liveFund(ctx, input.fundId);
    validateEntry(ctx, fund, input, id);
    const overBudget = checkBudget(ctx, fund, input, id);
    ctx.repo.update('fund_entries', id, entryColumns(input, overBudget), {
      summary: `修改经费支出：${fund.name}，${input.date}，${yuan(input.amountFen)}，${input.purpose}`,
    });
    return { id, overBudget };
  });
}

export function removeEntry(ctx: CoreContext, id: string): { id: string } {
  return ctx.repo.transaction(() => {
    const e = liveEntry(ctx, id);
    ctx.repo.tombstone('fund_entries', id, { summary: `删除经费支出：${e.fund_name}，${e.date}，${yuan(e.amount_fen)}，${e.purpose}` });
    return { id };
  });
}

export function activityOptions(ctx: CoreContext, year: number, q?: string): { id: string; date: string; title: string }[] {
  const like = q ? `%${q.replace(/[\\%_]/g, (c) => '\\' + c)}%` : '%';
  return ctx.db
    .prepare(
      `SELECT id, date, title FROM activities WHERE deleted_at IS NULL AND date BETWEEN ? AND ? AND title LIKE ? ESCAPE '\\'
       ORDER BY date DESC LIMIT 30`,
    )
    .all(`${year}-01-01`, `${year}-12-31`, like) as { id: string; date: string; title: string }[];
}

/**
 * Per station: its share of the year's per-station funds (unit amount of each),
 * what it spent from them, and what other funds spent for it.
 */
export function stationBalances(ctx: CoreContext, year: number): StationBalance[] {
  const shares = ctx.db
    .prepare(`SELECT coalesce(sum(unit_amount_fen), 0) FROM funds WHERE year = ? AND kind = 'per_station' AND deleted_at IS NULL`)
    .pluck()
    .get(year) as number;
  const rows = ctx.db
    .prepare(
      `SELECT st.id, st.name, st.township,
         coalesce(sum(CASE WHEN f.kind = 'per_station' THEN e.amount_fen END), 0) AS spent,
         coalesce(sum(CASE WHEN f.kind <> 'per_station' THEN e.amount_fen END), 0) AS other
       FROM liaison_stations st
       LEFT JOIN fund_entries e ON e.station_id = st.id AND e.deleted_at IS NULL
       LEFT JOIN funds f ON f.id = e.fund_id AND f.deleted_at IS NULL AND f.year = ?
       WHERE st.deleted_at IS NULL
       GROUP BY st.id ORDER BY st.township, st.name`,
    )
    .all(year) as { id: string; name: string; township: string | null; spent: number; other: number }[];
  return rows.map((r) => ({
    stationId: r.id,
    stationName: r.name,
    township: r.township,
    budgetFen: shares,
    spentFen: r.spent,
    balanceFen: shares - r.spent,
    otherSpentFen: r.other,
  }));
}

export function fundLevelLabel(level: Level | null): string {
  return level ? `${LEVEL_LABELS[level]}人大代表` : '';
}
