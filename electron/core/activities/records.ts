import type { z } from 'zod';
import type { AdjustmentRow, adjustmentInput, Page, PendingRecord, ReviewEntity, SuggestionRow, suggestionInput } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { formatSignedPoints, parsePeriod, type ReviewStatus } from '../../../shared/scoring/index.js';
import type { CoreContext } from '../context.js';
import { nowIso } from '../db/repository.js';
import { assertDateOpen } from '../scoring/ruleSets.js';
import { initialReviewStatus } from './service.js';

/** 代表建议 (领衔 / 附议) and 加分 / 扣分 as scoring input, and the review of township records. */

export type SuggestionInput = z.output<typeof suggestionInput>;
export type AdjustmentInput = z.output<typeof adjustmentInput>;

function seatName(ctx: CoreContext, seatId: string): string {
  const row = ctx.db
    .prepare('SELECT p.name FROM seats s JOIN persons p ON p.id = s.person_id WHERE s.id = ? AND s.deleted_at IS NULL')
    .pluck()
    .get(seatId) as string | undefined;
  if (!row) throw new AppError('NOT_FOUND', '所选代表不存在或已被删除，请刷新后重新选择。');
  return row;
}

function periodWhere(period: string | undefined, column: string, where: string[], params: unknown[]): void {
  if (!period) return;
  const p = parsePeriod(period)!;
  where.push(`${column} BETWEEN ? AND ?`);
  params.push(p.start, p.end);
}

export function listSuggestions(ctx: CoreContext, q: { period?: string; q?: string; page: number; pageSize: number }): Page<SuggestionRow> {
  const where = ['g.deleted_at IS NULL'];
  const params: unknown[] = [];
  periodWhere(q.period, 'g.date', where, params);
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    where.push("(g.title LIKE ? ESCAPE '\\' OR p.name LIKE ? ESCAPE '\\' OR g.number LIKE ? ESCAPE '\\')");
    params.push(like, like, like);
  }
  const from = `FROM suggestions g JOIN seats s ON s.id = g.lead_seat_id JOIN persons p ON p.id = s.person_id WHERE ${where.join(' AND ')}`;
  const total = ctx.db.prepare(`SELECT count(*) ${from}`).pluck().get(...params) as number;
  const rows = ctx.db
    .prepare(`SELECT g.*, p.name AS lead_name, s.township AS lead_township ${from} ORDER BY g.date DESC, g.created_at DESC LIMIT ? OFFSET ?`)
    .all(...params, q.pageSize, (q.page - 1) * q.pageSize) as {
    id: string;
    title: string;
    date: string;
    number: string | null;
    lead_seat_id: string;
    lead_name: string;
    lead_township: string | null;
    review_status: ReviewStatus;
    note: string | null;
  }[];
  const cosigners = ctx.db.prepare(
    `SELECT c.seat_id, p.name FROM suggestion_cosigners c JOIN seats s ON s.id = c.seat_id JOIN persons p ON p.id = s.person_id
      WHERE c.suggestion_id = ? AND c.deleted_at IS NULL ORDER BY c.created_at`,
  );
  return {
    rows: rows.map((r) => ({
      id: r.id,
      title: r.title,
      date: r.date,
      number: r.number,
      leadSeatId: r.lead_seat_id,
      leadName: r.lead_name,
      leadTownship: r.lead_township,
      cosigners: (cosigners.all(r.id) as { seat_id: string; name: string }[]).map((c) => ({ seatId: c.seat_id, name: c.name })),
      reviewStatus: r.review_status,
      note: r.note,
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

export function saveSuggestion(ctx: CoreContext, input: SuggestionInput): { id: string } {
  ctx.requireOffice();
  const lead = seatName(ctx, input.leadSeatId);
  const cosigners = [...new Set(input.cosignerSeatIds)].filter((id) => id !== input.leadSeatId);
  for (const id of cosigners) seatName(ctx, id);
  assertDateOpen(ctx, input.date, '登记或修改建议');
  return ctx.repo.transaction(() => {
    const columns = { title: input.title, date: input.date, number: input.number ?? null, lead_seat_id: input.leadSeatId, note: input.note ?? null };
    let id = input.id;
    if (id) {
      const current = ctx.db.prepare('SELECT date, deleted_at FROM suggestions WHERE id = ?').get(id) as { date: string; deleted_at: string | null } | undefined;
      if (!current || current.deleted_at) throw new AppError('NOT_FOUND', '找不到该建议，可能已被删除。');
      assertDateOpen(ctx, current.date, '修改此建议');
      ctx.repo.update('suggestions', id, columns, { summary: `修改代表建议：${input.title}（领衔 ${lead}）` });
    } else {
      id = ctx.repo.insert('suggestions', { ...columns, review_status: initialReviewStatus(ctx) }, { summary: `登记代表建议：${input.title}（领衔 ${lead}）` });
    }
    const existing = ctx.db
      .prepare('SELECT seat_id, id FROM suggestion_cosigners WHERE suggestion_id = ? AND deleted_at IS NULL')
      .raw()
      .all(id) as [string, string][];
    const keep = new Set(cosigners);
    const have = new Set(existing.map(([seat]) => seat));
    for (const [seat, rowId] of existing) if (!keep.has(seat)) ctx.repo.tombstone('suggestion_cosigners', rowId, { audit: false });
    for (const seat of cosigners) if (!have.has(seat)) ctx.repo.insert('suggestion_cosigners', { suggestion_id: id, seat_id: seat }, { audit: false });
    return { id };
  });
}

export function removeSuggestion(ctx: CoreContext, id: string): { id: string } {
  return ctx.repo.transaction(() => {
    const current = ctx.db.prepare('SELECT title, date, deleted_at FROM suggestions WHERE id = ?').get(id) as
      | { title: string; date: string; deleted_at: string | null }
      | undefined;
    if (!current || current.deleted_at) throw new AppError('NOT_FOUND', '找不到该建议，可能已被删除。');
    assertDateOpen(ctx, current.date, '删除此建议');
    for (const rowId of ctx.db.prepare('SELECT id FROM suggestion_cosigners WHERE suggestion_id = ? AND deleted_at IS NULL').pluck().all(id) as string[]) {
      ctx.repo.tombstone('suggestion_cosigners', rowId, { audit: false });
    }
    ctx.repo.tombstone('suggestions', id, { summary: `删除代表建议：${current.title}` });
    return { id };
  });
}

export function listAdjustments(ctx: CoreContext, q: { period?: string; seatId?: string; page: number; pageSize: number }): Page<AdjustmentRow> {
  const where = ['j.deleted_at IS NULL'];
  const params: unknown[] = [];
  periodWhere(q.period, 'j.date', where, params);
  if (q.seatId) {
    where.push('j.seat_id = ?');
    params.push(q.seatId);
  }
  const from = `FROM score_adjustments j JOIN seats s ON s.id = j.seat_id JOIN persons p ON p.id = s.person_id WHERE ${where.join(' AND ')}`;
  const total = ctx.db.prepare(`SELECT count(*) ${from}`).pluck().get(...params) as number;
  const rows = ctx.db
    .prepare(`SELECT j.*, p.name, s.township ${from} ORDER BY j.date DESC, j.created_at DESC LIMIT ? OFFSET ?`)
    .all(...params, q.pageSize, (q.page - 1) * q.pageSize) as {
    id: string;
    seat_id: string;
    name: string;
    township: string | null;
    date: string;
    points_x100: number;
    reason: string;
    approved_by: string;
    review_status: ReviewStatus;
  }[];
  return {
    rows: rows.map((r) => ({
      id: r.id,
      seatId: r.seat_id,
      name: r.name,
      township: r.township,
      date: r.date,
      points: r.points_x100,
      reason: r.reason,
      approvedBy: r.approved_by,
      reviewStatus: r.review_status,
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

export function saveAdjustment(ctx: CoreContext, input: AdjustmentInput): { id: string } {
  ctx.requireOffice();
  const name = seatName(ctx, input.seatId);
  assertDateOpen(ctx, input.date, '登记加减分');
  const columns = { seat_id: input.seatId, date: input.date, points_x100: input.points, reason: input.reason, approved_by: input.approvedBy };
  const summary = `${name} ${formatSignedPoints(input.points)} 分：${input.reason}（${input.approvedBy}批准）`;
  return ctx.repo.transaction(() => {
    if (input.id) {
      const current = ctx.db.prepare('SELECT date, deleted_at FROM score_adjustments WHERE id = ?').get(input.id) as
        | { date: string; deleted_at: string | null }
        | undefined;
      if (!current || current.deleted_at) throw new AppError('NOT_FOUND', '找不到该加减分记录，可能已被删除。');
      assertDateOpen(ctx, current.date, '修改此加减分');
      ctx.repo.update('score_adjustments', input.id, columns, { summary: `修改加减分：${summary}` });
      return { id: input.id };
    }
    const id = ctx.repo.insert('score_adjustments', { ...columns, review_status: initialReviewStatus(ctx) }, { summary: `登记加减分：${summary}` });
    return { id };
  });
}

export function removeAdjustment(ctx: CoreContext, id: string): { id: string } {
  return ctx.repo.transaction(() => {
    const current = ctx.db.prepare('SELECT date, reason, deleted_at FROM score_adjustments WHERE id = ?').get(id) as
      | { date: string; reason: string; deleted_at: string | null }
      | undefined;
    if (!current || current.deleted_at) throw new AppError('NOT_FOUND', '找不到该加减分记录，可能已被删除。');
    assertDateOpen(ctx, current.date, '删除此加减分');
    ctx.repo.tombstone('score_adjustments', id, { summary: `删除加减分：${current.reason}` });
    return { id };
  });
}

const REVIEW_TABLES: Record<ReviewEntity, string> = { activity: 'activities', suggestion: 'suggestions', adjustment: 'score_adjustments' };

export function pendingRecords(ctx: CoreContext): PendingRecord[] {
  const activities = ctx.db
    .prepare(
      `SELECT a.id, a.date, a.type || '：' || a.title AS title, a.township, a.origin_office,
              (SELECT count(*) FROM activity_participants p WHERE p.activity_id = a.id AND p.deleted_at IS NULL) AS n
         FROM activities a WHERE a.deleted_at IS NULL AND a.review_status = 'pending' ORDER BY a.date`,
    )
    .all() as { id: string; date: string; title: string; township: string | null; origin_office: string; n: number }[];
  const suggestions = ctx.db
    .prepare(
      `SELECT g.id, g.date, g.title, s.township, g.origin_office, p.name FROM suggestions g
         JOIN seats s ON s.id = g.lead_seat_id JOIN persons p ON p.id = s.person_id
        WHERE g.deleted_at IS NULL AND g.review_status = 'pending' ORDER BY g.date`,
    )
    .all() as { id: string; date: string; title: string; township: string | null; origin_office: string; name: string }[];
  const adjustments = ctx.db
    .prepare(
      `SELECT j.id, j.date, j.reason, j.points_x100, j.approved_by, s.township, j.origin_office, p.name FROM score_adjustments j
         JOIN seats s ON s.id = j.seat_id JOIN persons p ON p.id = s.person_id
        WHERE j.deleted_at IS NULL AND j.review_status = 'pending' ORDER BY j.date`,
    )
    .all() as { id: string; date: string; reason: string; points_x100: number; approved_by: string; township: string | null; origin_office: string; name: string }[];
  return [
    ...activities.map((a) => ({ entity: 'activity' as const, id: a.id, date: a.date, title: a.title, township: a.township, originOffice: a.origin_office, detail: `参加 ${a.n} 人` })),
    ...suggestions.map((g) => ({ entity: 'suggestion' as const, id: g.id, date: g.date, title: `代表建议：${g.title}`, township: g.township, originOffice: g.origin_office, detail: `领衔 ${g.name}` })),
    ...adjustments.map((j) => ({
      entity: 'adjustment' as const,
      id: j.id,
      date: j.date,
      title: `加减分：${j.name} ${formatSignedPoints(j.points_x100)} 分`,
      township: j.township,
      originOffice: j.origin_office,
      detail: `${j.reason}（${j.approved_by}批准）`,
    })),
  ];
}

export function reviewRecords(ctx: CoreContext, items: { entity: ReviewEntity; id: string }[], decision: 'confirmed' | 'rejected'): { changed: number } {
  return ctx.repo.transaction(() => {
    let changed = 0;
    const at = nowIso();
    for (const item of items) {
      const table = REVIEW_TABLES[item.entity];
      const row = ctx.db.prepare(`SELECT date, review_status, deleted_at FROM ${table} WHERE id = ?`).get(item.id) as
        | { date: string; review_status: ReviewStatus; deleted_at: string | null }
        | undefined;
      if (!row || row.deleted_at) throw new AppError('NOT_FOUND', '要审核的记录不存在或已被删除，请刷新后重试。');
      assertDateOpen(ctx, row.date, '审核此记录');
      if (row.review_status === decision) continue;
      ctx.repo.update(table, item.id, { review_status: decision, reviewed_by: ctx.operator, reviewed_at: at }, { audit: false });
      changed++;
    }
    ctx.repo.audit({ action: 'review', summary: `审核 ${changed} 条记录：${decision === 'confirmed' ? '确认' : '退回'}` });
    return { changed };
  });
}
