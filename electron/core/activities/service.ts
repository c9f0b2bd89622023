import type { z } from 'zod';
import type {
  ActivityDetail,
  ActivityRow,
  ActivityTypeInfo,
  activityFields,
  activityFilter,
  Page,
  ParticipantRow,
  ParticipantsAdded,
  participantSelection,
} from '../../../shared/contract/index.js';
import type { Level } from '../../../shared/dictionaries.js';
import { AppError } from '../../../shared/errors.js';
import { ACTIVITY_TYPES, parsePeriod, sectionOfType, type Attendance, type ReviewStatus } from '../../../shared/scoring/index.js';
import type { CoreContext } from '../context.js';
import type { Row } from '../db/repository.js';
import { assertDateOpen, reviewRequired } from '../scoring/ruleSets.js';
import { looksLikeCertificate, looksLikeIdNumber, SeatLookup, splitPasted } from './seatLookup.js';

/** 履职活动 and who took part (出席 / 请假 / 缺席). */

export type ActivityInput = z.output<typeof activityFields>;
export type ActivityQuery = z.output<typeof activityFilter> & { page: number; pageSize: number };
export type SelectionInput = z.output<typeof participantSelection>;

interface ActivityDbRow {
  id: string;
  type: string;
  date: string;
  title: string;
  organiser: string | null;
  place: string | null;
  level: Level | null;
  township: string | null;
  note: string | null;
  review_status: ReviewStatus;
  deleted_at: string | null;
  participants: number;
  attended: number;
  leave: number;
  absent: number;
}

const ROW_SQL = `SELECT a.*,
    (SELECT count(*) FROM activity_participants p WHERE p.activity_id = a.id AND p.deleted_at IS NULL) AS participants,
    (SELECT count(*) FROM activity_participants p WHERE p.activity_id = a.id AND p.deleted_at IS NULL AND p.attendance = '出席') AS attended,
    (SELECT count(*) FROM activity_participants p WHERE p.activity_id = a.id AND p.deleted_at IS NULL AND p.attendance = '请假') AS leave,
    (SELECT count(*) FROM activity_participants p WHERE p.activity_id = a.id AND p.deleted_at IS NULL AND p.attendance = '缺席') AS absent
  FROM activities a`;

function toRow(r: ActivityDbRow): ActivityRow {
  return {
    id: r.id,
    type: r.type,
    date: r.date,
    title: r.title,
    organiser: r.organiser,
    place: r.place,
    level: r.level,
    township: r.township,
    note: r.note,
    reviewStatus: r.review_status,
    participants: r.participants,
    attended: r.attended,
    leave: r.leave,
    absent: r.absent,
  };
}

export function activityTypes(ctx: CoreContext): ActivityTypeInfo[] {
  const builtIn = new Set(ACTIVITY_TYPES.map((t) => t.name));
  const used = ctx.db.prepare('SELECT DISTINCT type FROM activities WHERE deleted_at IS NULL ORDER BY type').pluck().all() as string[];
  const inRules = (ctx.db.prepare('SELECT activity_types FROM rule_items WHERE deleted_at IS NULL').pluck().all() as string[]).flatMap(
    (j) => JSON.parse(j) as string[],
  );
  const extra = [...new Set([...used, ...inRules])].filter((t) => !builtIn.has(t) && t !== '代表建议').sort();
  return [
    ...ACTIVITY_TYPES.map((t) => ({ ...t, builtIn: true })),
    ...extra.map((name) => ({ name, section: sectionOfType(name), hint: '本单位自定义的活动类型', builtIn: false })),
  ];
}

export function listActivities(ctx: CoreContext, q: ActivityQuery): Page<ActivityRow> {
  const where = ['a.deleted_at IS NULL'];
  const params: unknown[] = [];
  if (q.period) {
    const p = parsePeriod(q.period)!;
    where.push('a.date BETWEEN ? AND ?');
    params.push(p.start, p.end);
  }
  for (const [col, value] of [['a.type', q.type], ['a.level', q.level], ['a.township', q.township], ['a.review_status', q.reviewStatus]] as const) {
    if (value) {
      where.push(`${col} = ?`);
      params.push(value);
    }
  }
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    where.push("(a.title LIKE ? ESCAPE '\\' OR a.organiser LIKE ? ESCAPE '\\' OR a.place LIKE ? ESCAPE '\\')");
    params.push(like, like, like);
  }
  const sql = `WHERE ${where.join(' AND ')}`;
  const total = ctx.db.prepare(`SELECT count(*) FROM activities a ${sql}`).pluck().get(...params) as number;
  const rows = ctx.db
    .prepare(`${ROW_SQL} ${sql} ORDER BY a.date DESC, a.created_at DESC LIMIT ? OFFSET ?`)
    .all(...params, q.pageSize, (q.page - 1) * q.pageSize) as ActivityDbRow[];
  return { rows: rows.map(toRow), total, page: q.page, pageSize: q.pageSize };
}

export function liveActivity(ctx: CoreContext, id: string): ActivityDbRow {
  const row = ctx.db.prepare(`${ROW_SQL} WHERE a.id = ?`).get(id) as ActivityDbRow | undefined;
  if (!row || row.deleted_at) throw new AppError('NOT_FOUND', '找不到该活动，可能已被删除。请刷新后重试。');
  return row;
}

export function participantsOf(ctx: CoreContext, activityId: string): ParticipantRow[] {
  const rows = ctx.db
    .prepare(
      `SELECT s.id, pr.name, s.certificate_no, s.level, s.township, g.name AS group_name, p.attendance, p.note
         FROM activity_participants p
         JOIN seats s ON s.id = p.seat_id
         JOIN persons pr ON pr.id = s.person_id
         LEFT JOIN deputy_groups g ON g.id = s.group_id
        WHERE p.activity_id = ? AND p.deleted_at IS NULL
        ORDER BY s.township, pr.name`,
    )
    .raw()
    .all(activityId) as [string, string, string | null, Level, string | null, string | null, Attendance, string | null][];
  return rows.map(([seatId, name, certificateNo, level, township, groupName, attendance, note]) => ({
    seatId,
    name,
    certificateNo,
    level,
    township,
    groupName,
    attendance,
    note,
  }));
}

export function getActivity(ctx: CoreContext, id: string): ActivityDetail {
  return { activity: toRow(liveActivity(ctx, id)), participants: participantsOf(ctx, id) };
}

export function activityColumns(a: ActivityInput): Row {
  return {
    type: a.type,
    date: a.date,
    title: a.title,
    organiser: a.organiser ?? null,
    place: a.place ?? null,
    level: a.level ?? null,
    township: a.township ?? null,
    note: a.note ?? null,
  };
}

/** Records entered at a township office wait for the county's review where review is on. */
export function initialReviewStatus(ctx: CoreContext): ReviewStatus {
  return ctx.requireOffice().officeType === 'township' && reviewRequired(ctx) ? 'pending' : 'confirmed';
}

export function createActivity(ctx: CoreContext, a: ActivityInput): { id: string } {
  ctx.requireOffice();
  assertDateOpen(ctx, a.date, '登记活动');
  const id = ctx.repo.insert(
    'activities',
    { ...activityColumns(a), review_status: initialReviewStatus(ctx) },
    { summary: `新增活动：${a.date} ${a.type}“${a.title}”` },
  );
  return { id };
}

export function updateActivity(ctx: CoreContext, id: string, a: ActivityInput): { id: string } {
  return ctx.repo.transaction(() => {
    const current = liveActivity(ctx, id);
    assertDateOpen(ctx, current.date, '修改此活动');
    assertDateOpen(ctx, a.date, '把活动改到此日期');
    ctx.repo.update('activities', id, activityColumns(a), { summary: `修改活动：${a.date} ${a.type}“${a.title}”` });
    return { id };
  });
}

export function removeActivity(ctx: CoreContext, id: string): { id: string } {
  return ctx.repo.transaction(() => {
    const current = liveActivity(ctx, id);
    assertDateOpen(ctx, current.date, '删除此活动');
    const ids = ctx.db.prepare('SELECT id FROM activity_participants WHERE activity_id = ? AND deleted_at IS NULL').pluck().all(id) as string[];
    for (const pid of ids) ctx.repo.tombstone('activity_participants', pid, { audit: false });
    ctx.repo.tombstone('activities', id, { summary: `删除活动：${current.date} ${current.type}“${current.title}”（含 ${ids.length} 条出勤记录）` });
    return { id };
  });
}

/** Seats in office on a date, by group, station, township and/or level (all given filters apply). */
function seatsBy(ctx: CoreContext, s: SelectionInput, date: string): string[] {
  if (!s.groupId && !s.stationId && !s.township && !s.level) return [];
  const where = [
    's.deleted_at IS NULL',
    '(s.start_date IS NULL OR s.start_date <= ?)',
    '(s.end_date IS NULL OR s.end_date >= ?)',
    "NOT (s.status = 'ended' AND s.end_date IS NULL)",
  ];
  const params: unknown[] = [date, date];
  for (const [col, value] of [['s.group_id', s.groupId], ['s.station_id', s.stationId], ['s.township', s.township], ['s.level', s.level]] as const) {
    if (value) {
      where.push(`${col} = ?`);
      params.push(value);
    }
  }
  return ctx.db.prepare(`SELECT s.id FROM seats s WHERE ${where.join(' AND ')}`).pluck().all(...params) as string[];
}

export function addParticipants(ctx: CoreContext, s: SelectionInput): ParticipantsAdded {
  const activity = liveActivity(ctx, s.activityId);
  assertDateOpen(ctx, activity.date, '修改此活动的出勤');
  const wanted = new Set<string>(seatsBy(ctx, s, activity.date));
  for (const id of s.seatIds ?? []) wanted.add(id);
  if (s.text?.trim()) {
    const lookup = new SeatLookup(ctx);
    const problems: string[] = [];
    for (const token of splitPasted(s.text)) {
      const found = looksLikeIdNumber(token)
        ? lookup.find({ idNumber: token }, activity)
        : looksLikeCertificate(token)
          ? lookup.find({ certificateNo: token }, activity)
          : lookup.find({ name: token }, activity);
      if (found.ok) wanted.add(found.seat.id);
      else problems.push(`“${token}”：${found.message}`);
    }
    if (problems.length > 0) {
      throw new AppError('VALIDATION', `以下 ${problems.length} 项未能对应到代表，未加入任何人员：\n${problems.slice(0, 50).join('\n')}`, { problems });
    }
  }
  if (wanted.size === 0) throw new AppError('VALIDATION', '没有符合条件的在任代表。');
  const present = new Set(
    ctx.db.prepare('SELECT seat_id FROM activity_participants WHERE activity_id = ? AND deleted_at IS NULL').pluck().all(activity.id) as string[],
  );
  const known = ctx.db.prepare('SELECT 1 FROM seats WHERE id = ? AND deleted_at IS NULL').pluck();
  return ctx.repo.transaction(() => {
    let added = 0;
    for (const seatId of wanted) {
      if (present.has(seatId)) continue;
      if (!known.get(seatId)) throw new AppError('NOT_FOUND', '所选代表中有已被删除的席位，请刷新后重试。');
      ctx.repo.insert('activity_participants', { activity_id: activity.id, seat_id: seatId, attendance: s.attendance }, { audit: false });
      added++;
    }
    if (added > 0) {
      ctx.repo.audit({
        action: 'create',
        entity: 'activity_participants',
        entityId: activity.id,
        summary: `活动“${activity.title}”加入 ${added} 名参加人员（${s.attendance}）`,
      });
    }
    return { added, alreadyIn: wanted.size - added };
  });
}

function participantIds(ctx: CoreContext, activityId: string, seatIds: string[]): Map<string, { id: string; attendance: string }> {
  const rows = ctx.db
    .prepare('SELECT seat_id, id, attendance FROM activity_participants WHERE activity_id = ? AND deleted_at IS NULL')
    .raw()
    .all(activityId) as [string, string, string][];
  const all = new Map(rows.map(([seat, id, attendance]) => [seat, { id, attendance }]));
  const out = new Map<string, { id: string; attendance: string }>();
  for (const seat of seatIds) {
    const p = all.get(seat);
    if (!p) throw new AppError('NOT_FOUND', '所选人员中有人不在此活动的参加名单中，请刷新后重试。');
    out.set(seat, p);
  }
  return out;
}

export function setAttendance(ctx: CoreContext, activityId: string, seatIds: string[], attendance: Attendance): { changed: number } {
  const activity = liveActivity(ctx, activityId);
  assertDateOpen(ctx, activity.date, '修改此活动的出勤');
  return ctx.repo.transaction(() => {
    let changed = 0;
    for (const p of participantIds(ctx, activityId, seatIds).values()) {
      if (p.attendance === attendance) continue;
      ctx.repo.update('activity_participants', p.id, { attendance }, { audit: false });
      changed++;
    }
    if (changed > 0) {
      ctx.repo.audit({ action: 'update', entity: 'activity_participants', entityId: activityId, summary: `活动“${activity.title}”${changed} 人出勤改为${attendance}` });
    }
    return { changed };
  });
}

export function removeParticipants(ctx: CoreContext, activityId: string, seatIds: string[]): { removed: number } {
  const activity = liveActivity(ctx, activityId);
  assertDateOpen(ctx, activity.date, '修改此活动的出勤');
  return ctx.repo.transaction(() => {
    const found = participantIds(ctx, activityId, seatIds);
    for (const p of found.values()) ctx.repo.tombstone('activity_participants', p.id, { audit: false });
    ctx.repo.audit({ action: 'delete', entity: 'activity_participants', entityId: activityId, summary: `活动“${activity.title}”移出 ${found.size} 名参加人员` });
    return { removed: found.size };
  });
}
