import type { GroupRow, MembershipChange, Page, SeatRow, StationRow } from '../../../shared/contract/index.js';
import { LEVEL_LABELS, type Level } from '../../../shared/dictionaries.js';
import { AppError } from '../../../shared/errors.js';
import type { CoreContext } from '../context.js';
import type { Row } from '../db/repository.js';
import { seatRowsWhere } from './list.js';

/**
 * 代表小组 and 代表联络站 behave alike: a named unit in a township whose
 * members are the seats pointing at it (seats.group_id / seats.station_id).
 * One implementation, two descriptions.
 */
export interface OrgKind {
  table: 'deputy_groups' | 'liaison_stations';
  seatColumn: 'group_id' | 'station_id';
  /** 代表小组 / 代表联络站 */
  label: string;
  /** 成员 / 进站代表 */
  members: string;
}

export const GROUPS: OrgKind = { table: 'deputy_groups', seatColumn: 'group_id', label: '代表小组', members: '成员' };
export const STATIONS: OrgKind = { table: 'liaison_stations', seatColumn: 'station_id', label: '代表联络站', members: '进站代表' };

interface OrgDbRow {
  id: string;
  name: string;
  township: string | null;
  level?: Level | null;
  leader?: string | null;
  address?: string | null;
  reception_day?: string | null;
  phone?: string | null;
  note: string | null;
  deleted_at: string | null;
}

/**
 * Seats in office. The unary + keeps SQLite from answering these terms with
 * seats_filter (it would then visit every seat in office to find a group's
 * few): the group_id / station_id condition picks the rows, by the indexes
 * seats_group / seats_station (migration 0006).
 */
const ACTIVE = "+s.deleted_at IS NULL AND +s.status IN ('current', 'suspended')";

function find(ctx: CoreContext, kind: OrgKind, id: string): OrgDbRow {
  const row = ctx.db.prepare(`SELECT * FROM ${kind.table} WHERE id = ?`).get(id) as OrgDbRow | undefined;
  if (!row || row.deleted_at) throw new AppError('NOT_FOUND', `找不到该${kind.label}，可能已被删除。请刷新列表后重试。`);
  return row;
}

function memberCounts(ctx: CoreContext, kind: OrgKind, ids: string[]): Map<string, number> {
  if (ids.length === 0) return new Map();
  const rows = ctx.db
    .prepare(
      `SELECT s.${kind.seatColumn} AS id, count(*) AS n FROM seats s
       WHERE ${ACTIVE} AND s.${kind.seatColumn} IN (SELECT value FROM json_each(?))
       GROUP BY s.${kind.seatColumn}`,
    )
    .all(JSON.stringify(ids)) as { id: string; n: number }[];
  return new Map(rows.map((r) => [r.id, r.n]));
}

export interface OrgQuery {
  q?: string;
  township?: string;
  page: number;
  pageSize: number;
}

function listRows(ctx: CoreContext, kind: OrgKind, query: OrgQuery): Page<OrgDbRow & { memberCount: number }> {
  const where = ['deleted_at IS NULL'];
  const params: unknown[] = [];
  if (query.q) {
    where.push('(instr(name, ?) > 0 OR instr(coalesce(township, \'\'), ?) > 0)');
    params.push(query.q, query.q);
  }
  if (query.township) {
    where.push('township = ?');
    params.push(query.township);
  }
  const sql = `FROM ${kind.table} WHERE ${where.join(' AND ')}`;
  const total = ctx.db.prepare(`SELECT count(*) ${sql}`).pluck().get(...params) as number;
  const rows = ctx.db
    .prepare(`SELECT * ${sql} ORDER BY township, name, rowid LIMIT ? OFFSET ?`)
    .all(...params, query.pageSize, (query.page - 1) * query.pageSize) as OrgDbRow[];
  const counts = memberCounts(ctx, kind, rows.map((r) => r.id));
  return {
    rows: rows.map((r) => ({ ...r, memberCount: counts.get(r.id) ?? 0 })),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export function listGroups(ctx: CoreContext, query: OrgQuery): Page<GroupRow> {
  const page = listRows(ctx, GROUPS, query);
  return {
    ...page,
    rows: page.rows.map((r) => ({
      id: r.id,
      name: r.name,
      level: r.level ?? null,
      township: r.township,
      leader: r.leader ?? null,
      note: r.note,
      memberCount: r.memberCount,
    })),
  };
}

export function listStations(ctx: CoreContext, query: OrgQuery): Page<StationRow> {
  const page = listRows(ctx, STATIONS, query);
  return {
    ...page,
    rows: page.rows.map((r) => ({
      id: r.id,
      name: r.name,
      township: r.township,
      address: r.address ?? null,
      receptionDay: r.reception_day ?? null,
      leader: r.leader ?? null,
      phone: r.phone ?? null,
      note: r.note,
      memberCount: r.memberCount,
    })),
  };
}

function assertNameFree(ctx: CoreContext, kind: OrgKind, name: string, township: string | null, exceptId?: string): void {
  const clash = ctx.db
    .prepare(`SELECT id FROM ${kind.table} WHERE deleted_at IS NULL AND name = ? AND township IS ? AND id IS NOT ?`)
    .get(name, township, exceptId ?? null);
  if (clash) {
    const where = township ? `${township}已有` : '已有';
    throw new AppError('CONFLICT', `${where}名为“${name}”的${kind.label}，请换一个名称，或编辑原有的${kind.label}。`);
  }
}

export function createOrg(ctx: CoreContext, kind: OrgKind, columns: Row & { name: string; township: string | null }) {
  return ctx.repo.transaction(() => {
    assertNameFree(ctx, kind, columns.name, columns.township);
    const id = ctx.repo.insert(kind.table, columns, { summary: `新建${kind.label}：${columns.name}` });
    return { id };
  });
}

export function updateOrg(ctx: CoreContext, kind: OrgKind, id: string, columns: Row & { name: string; township: string | null }) {
  return ctx.repo.transaction(() => {
    const before = find(ctx, kind, id);
    assertNameFree(ctx, kind, columns.name, columns.township, id);
    if (kind === GROUPS && columns.level) assertGroupLevelFits(ctx, before, columns.level as Level);
    ctx.repo.update(kind.table, id, columns, { summary: `修改${kind.label}：${columns.name}` });
    return { id };
  });
}

function assertGroupLevelFits(ctx: CoreContext, group: OrgDbRow, level: Level): void {
  const others = ctx.db
    .prepare(`SELECT count(*) FROM seats s WHERE ${ACTIVE} AND s.group_id = ? AND s.level <> ?`)
    .pluck()
    .get(group.id, level) as number;
  if (others > 0) {
    throw new AppError(
      'CONFLICT',
      `代表小组“${group.name}”中有 ${others} 名成员不是${LEVEL_LABELS[level]}人大代表，不能改为${LEVEL_LABELS[level]}级小组。请先调整成员，或将层级留空。`,
    );
  }
}

/** Refuses while seats in office still belong to it; seats that ended keep the reference as history. */
export function removeOrg(ctx: CoreContext, kind: OrgKind, id: string) {
  return ctx.repo.transaction(() => {
    const org = find(ctx, kind, id);
    const n = memberCounts(ctx, kind, [id]).get(id) ?? 0;
    if (n > 0) {
      throw new AppError(
        'CONFLICT',
        `${kind.label}“${org.name}”还有 ${n} 名在任${kind.members}，不能删除。请先在“${kind.members}”中将他们全部移出，再删除。`,
      );
    }
    ctx.repo.tombstone(kind.table, id, { summary: `删除${kind.label}：${org.name}` });
    return { id };
  });
}

export function orgMembers(ctx: CoreContext, kind: OrgKind, id: string): SeatRow[] {
  find(ctx, kind, id);
  return seatRowsWhere(ctx, `${ACTIVE} AND s.${kind.seatColumn} = ?`, [id]);
}

interface MemberSeat {
  id: string;
  level: Level;
  status: string;
  deleted_at: string | null;
  current_org: string | null;
  name: string;
}

/**
 * Makes the seats in office that belong to the unit exactly `seatIds`: adds
 * (moving a seat out of its previous unit), removes, all in one transaction.
 */
export function setOrgMembers(ctx: CoreContext, kind: OrgKind, id: string, seatIds: string[]): MembershipChange {
  const wanted = [...new Set(seatIds)];
  return ctx.repo.transaction(() => {
    const org = find(ctx, kind, id);
    const seats = ctx.db
      .prepare(
        `SELECT s.id, s.level, s.status, s.deleted_at, s.${kind.seatColumn} AS current_org, p.name
         FROM seats s JOIN persons p ON p.id = s.person_id WHERE s.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(wanted)) as MemberSeat[];
    const byId = new Map(seats.map((s) => [s.id, s]));
    const missing = wanted.filter((sid) => !byId.get(sid) || byId.get(sid)!.deleted_at);
    if (missing.length) {
      throw new AppError('NOT_FOUND', `有 ${missing.length} 个席位不存在或已被删除，请刷新名册后重新选择。`);
    }
    const ended = seats.filter((s) => s.status === 'ended').map((s) => s.name);
    if (ended.length) {
      throw new AppError('VALIDATION', `${ended.join('、')}的代表资格已终止，不能加入${kind.label}。`);
    }
    if (kind === GROUPS && org.level) {
      const wrong = seats.filter((s) => s.level !== org.level).map((s) => s.name);
      if (wrong.length) {
        throw new AppError(
          'VALIDATION',
          `代表小组“${org.name}”是${LEVEL_LABELS[org.level]}级小组，${wrong.join('、')}不是${LEVEL_LABELS[org.level]}人大代表，不能加入。`,
        );
      }
    }

    const current = orgMembers(ctx, kind, id);
    const keep = new Set(wanted);
    const change: MembershipChange = { added: 0, removed: 0, moved: 0 };
    for (const seat of wanted.map((sid) => byId.get(sid)!)) {
      if (seat.current_org === id) continue;
      if (seat.current_org) change.moved++;
      change.added++;
      ctx.repo.update('seats', seat.id, { [kind.seatColumn]: id }, { summary: `加入${kind.label}“${org.name}”：${seat.name}` });
    }
    for (const member of current) {
      if (keep.has(member.seatId)) continue;
      change.removed++;
      ctx.repo.update('seats', member.seatId, { [kind.seatColumn]: null }, { summary: `移出${kind.label}“${org.name}”：${member.name}` });
    }
    return change;
  });
}

/**
 * The group and station a seat form names must exist (and a one-level group
 * must match the seat). What the seat already had is not checked again: an
 * ended seat keeps pointing at a unit that was deleted after it ended.
 */
export function assertOrganisations(
  ctx: CoreContext,
  seat: { groupId?: string | null; stationId?: string | null; level: Level },
  before?: { group_id: string | null; station_id: string | null; level: Level },
): void {
  if (seat.groupId && (seat.groupId !== before?.group_id || seat.level !== before.level)) {
    const group = ctx.db.prepare('SELECT * FROM deputy_groups WHERE id = ? AND deleted_at IS NULL').get(seat.groupId) as OrgDbRow | undefined;
    if (!group) throw new AppError('VALIDATION', '所选代表小组不存在或已被删除，请重新选择。');
    if (group.level && group.level !== seat.level) {
      throw new AppError(
        'VALIDATION',
        `代表小组“${group.name}”是${LEVEL_LABELS[group.level]}级小组，不能编入${LEVEL_LABELS[seat.level]}人大代表。`,
      );
    }
  }
  if (seat.stationId && seat.stationId !== before?.station_id) {
    const station = ctx.db.prepare('SELECT id FROM liaison_stations WHERE id = ? AND deleted_at IS NULL').get(seat.stationId);
    if (!station) throw new AppError('VALIDATION', '所选代表联络站不存在或已被删除，请重新选择。');
  }
}
