import type { z } from 'zod';
import type {
  Page,
  RosterChoices,
  SeatDetail,
  SeatRow,
  personFields,
  rosterFilter,
  seatFields,
} from '../../../shared/contract/index.js';
import { LEVEL_LABELS } from '../../../shared/dictionaries.js';
import { AppError } from '../../../shared/errors.js';
import { checkIdNumber } from '../../../shared/idcard.js';
import type { CoreContext } from '../context.js';
import type { Row } from '../db/repository.js';
import {
  toPersonRecord,
  toSeatRecord,
  toSeatRow,
  type PersonDbRow,
  type SeatDbRow,
  type SeatListDbRow,
} from './records.js';

export type PersonInput = z.output<typeof personFields>;
export type SeatInput = z.output<typeof seatFields>;
export type RosterQuery = z.output<typeof rosterFilter> & { page: number; pageSize: number };

/**
 * Checks an ID number and what was typed beside it; derives gender and birth
 * date where they were left empty. Throws VALIDATION with a Chinese message.
 */
export function reconcileIdentity(person: PersonInput): PersonInput {
  if (!person.idNumber) return person;
  const check = checkIdNumber(person.idNumber);
  if (!check.ok) throw new AppError('VALIDATION', `公民身份号码：${check.message}`);
  const { gender, birthDate } = check.info;
  if (person.gender && person.gender !== gender) {
    throw new AppError('VALIDATION', `性别填的是“${person.gender}”，但公民身份号码显示为“${gender}”，请核对。`);
  }
  if (person.birthDate && !birthDate.startsWith(person.birthDate)) {
    throw new AppError(
      'VALIDATION',
      `出生年月填的是 ${person.birthDate}，但公民身份号码显示为 ${birthDate}，请核对。`,
    );
  }
  return { ...person, idNumber: check.value, gender: person.gender ?? gender, birthDate: person.birthDate ?? birthDate };
}

export function personColumns(p: PersonInput): Row {
  return {
    name: p.name,
    gender: p.gender ?? null,
    ethnicity: p.ethnicity ?? null,
    birth_date: p.birthDate ?? null,
    native_place: p.nativePlace ?? null,
    political_affiliation: p.politicalAffiliation ?? null,
    education: p.education ?? null,
    degree: p.degree ?? null,
    work_unit: p.workUnit ?? null,
    composition: p.composition ?? null,
    phone: p.phone ?? null,
    address: p.address ?? null,
    id_number: p.idNumber ?? null,
    has_fixed_income: p.hasFixedIncome ?? null,
    bank_name: p.bankName ?? null,
    bank_account: p.bankAccount ?? null,
    note: p.note ?? null,
  };
}

export function seatColumns(s: SeatInput): Row {
  return {
    level: s.level,
    term: s.term,
    constituency: s.constituency ?? null,
    township: s.township ?? null,
    certificate_no: s.certificateNo ?? null,
    group_id: s.groupId ?? null,
    station_id: s.stationId ?? null,
    is_reelected: s.isReelected ?? null,
    start_date: s.startDate ?? null,
    start_method: s.startMethod ?? null,
    note: s.note ?? null,
  };
}

/** camelCase input key → column, to tell "left out" from "cleared". */
const PERSON_KEYS: Record<string, string> = {
  name: 'name', gender: 'gender', ethnicity: 'ethnicity', birthDate: 'birth_date', nativePlace: 'native_place',
  politicalAffiliation: 'political_affiliation', education: 'education', degree: 'degree', workUnit: 'work_unit',
  composition: 'composition', phone: 'phone', address: 'address', idNumber: 'id_number',
  hasFixedIncome: 'has_fixed_income', bankName: 'bank_name', bankAccount: 'bank_account', note: 'note',
};
const SEAT_KEYS: Record<string, string> = {
  level: 'level', term: 'term', constituency: 'constituency', township: 'township', certificateNo: 'certificate_no',
  groupId: 'group_id', stationId: 'station_id', isReelected: 'is_reelected', startDate: 'start_date',
  startMethod: 'start_method', note: 'note',
};

function providedOnly(columns: Row, input: object, keys: Record<string, string>): Row {
  const out: Row = {};
  for (const [key, column] of Object.entries(keys)) {
    if ((input as Record<string, unknown>)[key] !== undefined) out[column] = columns[column];
  }
  return out;
}

const LIST_FROM = `
  FROM seats s
  JOIN persons p ON p.id = s.person_id
  LEFT JOIN deputy_groups g ON g.id = s.group_id
  LEFT JOIN liaison_stations st ON st.id = s.station_id`;

function listWhere(q: RosterQuery): { sql: string; params: unknown[] } {
  const where = ['s.deleted_at IS NULL'];
  const params: unknown[] = [];
  if (q.status === 'active') where.push("s.status IN ('current', 'suspended')");
  else if (q.status !== 'all') {
    where.push('s.status = ?');
    params.push(q.status);
  }
  if (q.level) {
    where.push('s.level = ?');
    params.push(q.level);
  }
  if (q.term) {
    where.push('s.term = ?');
    params.push(q.term);
  }
  if (q.township) {
    where.push('s.township = ?');
    params.push(q.township);
  }
  if (q.groupId) {
    where.push('s.group_id = ?');
    params.push(q.groupId);
  }
  if (q.stationId) {
    where.push('s.station_id = ?');
    params.push(q.stationId);
  }
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    where.push("(p.name LIKE ? ESCAPE '\\' OR p.phone LIKE ? ESCAPE '\\' OR s.certificate_no LIKE ? ESCAPE '\\')");
    params.push(like, like, like);
  }
  return { sql: `WHERE ${where.join(' AND ')}`, params };
}

export function listSeats(ctx: CoreContext, q: RosterQuery): Page<SeatRow> {
  const { sql, params } = listWhere(q);
  const total = (ctx.db.prepare(`SELECT count(*) AS n ${LIST_FROM} ${sql}`).get(...params) as { n: number }).n;
  const rows = ctx.db
    .prepare(
      `SELECT p.*, s.*, s.id AS seat_id, g.name AS group_name, st.name AS station_name ${LIST_FROM} ${sql}
       ORDER BY s.level, s.township, p.name, s.id LIMIT ? OFFSET ?`,
    )
    .all(...params, q.pageSize, (q.page - 1) * q.pageSize) as SeatListDbRow[];
  return { rows: rows.map(toSeatRow), total, page: q.page, pageSize: q.pageSize };
}

export function rosterChoices(ctx: CoreContext): RosterChoices {
  const col = (sql: string) => (ctx.db.prepare(sql).pluck().all() as string[]).filter(Boolean);
  return {
    townships: col('SELECT DISTINCT township FROM seats WHERE deleted_at IS NULL AND township IS NOT NULL ORDER BY township'),
    terms: col('SELECT DISTINCT term FROM seats WHERE deleted_at IS NULL ORDER BY term'),
  };
}

const SEAT_SELECT = `SELECT s.*, g.name AS group_name, st.name AS station_name FROM seats s
  LEFT JOIN deputy_groups g ON g.id = s.group_id LEFT JOIN liaison_stations st ON st.id = s.station_id`;

function liveSeat(ctx: CoreContext, seatId: string): SeatDbRow {
  const seat = ctx.db.prepare(`${SEAT_SELECT} WHERE s.id = ?`).get(seatId) as SeatDbRow | undefined;
  if (!seat || seat.deleted_at) throw new AppError('NOT_FOUND', '找不到该代表席位，可能已被删除。请刷新名册后重试。');
  return seat;
}

export function getSeat(ctx: CoreContext, seatId: string): SeatDetail {
  const seat = liveSeat(ctx, seatId);
  const person = ctx.db.prepare('SELECT * FROM persons WHERE id = ?').get(seat.person_id) as PersonDbRow;
  const seats = ctx.db
    .prepare(`${SEAT_SELECT} WHERE s.person_id = ? AND s.deleted_at IS NULL ORDER BY s.start_date DESC, s.created_at DESC`)
    .all(seat.person_id) as SeatDbRow[];
  return { seat: toSeatRecord(seat), person: toPersonRecord(person), seats: seats.map(toSeatRecord) };
}

export function findPersonByIdNumber(ctx: CoreContext, idNumber: string): PersonDbRow | undefined {
  return ctx.db
    .prepare('SELECT * FROM persons WHERE id_number = ? AND deleted_at IS NULL')
    .get(idNumber) as PersonDbRow | undefined;
}

function assertNoTwinSeat(ctx: CoreContext, personId: string, seat: SeatInput, exceptSeatId?: string): void {
  const twin = ctx.db
    .prepare(
      `SELECT id FROM seats WHERE person_id = ? AND level = ? AND term = ? AND deleted_at IS NULL AND id IS NOT ?`,
    )
    .get(personId, seat.level, seat.term, exceptSeatId ?? null);
  if (twin) {
    throw new AppError('CONFLICT', `此人已有${seat.term}${LEVEL_LABELS[seat.level]}人大代表席位，不能重复登记。`);
  }
}

/** Adds a seat; a person already registered with the same ID number gets the seat, not a twin. */
export function createSeat(ctx: CoreContext, personInput: PersonInput, seat: SeatInput) {
  const person = reconcileIdentity(personInput);
  return ctx.repo.transaction(() => {
    const existing = person.idNumber ? findPersonByIdNumber(ctx, person.idNumber) : undefined;
    let personId: string;
    if (existing) {
      personId = existing.id;
      ctx.repo.update('persons', personId, personColumns(person), { summary: `更新代表信息：${person.name}` });
    } else {
      personId = ctx.repo.insert('persons', personColumns(person), { summary: `新增代表：${person.name}` });
    }
    assertNoTwinSeat(ctx, personId, seat);
    const seatId = ctx.repo.insert(
      'seats',
      { ...seatColumns(seat), person_id: personId, status: 'current' },
      { summary: `新增席位：${person.name}，${seat.term}${LEVEL_LABELS[seat.level]}人大代表` },
    );
    return { personId, seatId };
  });
}

export function updateSeat(ctx: CoreContext, seatId: string, personInput: PersonInput, seat: SeatInput) {
  const person = reconcileIdentity(personInput);
  return ctx.repo.transaction(() => {
    const current = liveSeat(ctx, seatId);
    if (person.idNumber) {
      const other = findPersonByIdNumber(ctx, person.idNumber);
      if (other && other.id !== current.person_id) {
        throw new AppError('CONFLICT', `公民身份号码已登记在代表“${other.name}”名下，请核对是否为同一人。`);
      }
    }
    assertNoTwinSeat(ctx, current.person_id, seat, seatId);
    // Omitted fields (undefined) stay as they are: the form never sees full phone or ID numbers.
    ctx.repo.update('persons', current.person_id, providedOnly(personColumns(person), person, PERSON_KEYS), {
      summary: `修改代表信息：${person.name}`,
    });
    ctx.repo.update('seats', seatId, providedOnly(seatColumns(seat), seat, SEAT_KEYS), { summary: `修改席位：${person.name}` });
    return { personId: current.person_id, seatId };
  });
}

/** Tombstones the seat, and the person too when no other seat of theirs is left. */
export function removeSeat(ctx: CoreContext, seatId: string) {
  return ctx.repo.transaction(() => {
    const seat = liveSeat(ctx, seatId);
    const person = ctx.db.prepare('SELECT name FROM persons WHERE id = ?').get(seat.person_id) as { name: string };
    ctx.repo.tombstone('seats', seatId, { summary: `删除席位：${person.name}，${seat.term}${LEVEL_LABELS[seat.level]}` });
    const others = ctx.db
      .prepare('SELECT count(*) AS n FROM seats WHERE person_id = ? AND deleted_at IS NULL')
      .get(seat.person_id) as { n: number };
    if (others.n === 0) ctx.repo.tombstone('persons', seat.person_id, { summary: `删除代表：${person.name}` });
    return { seatId };
  });
}
