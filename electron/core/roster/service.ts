import type { z } from 'zod';
import type {
  RosterChoices,
  SeatDetail,
  personFields,
  rosterFilter,
  seatFields,
} from '../../../shared/contract/index.js';
import { LEVEL_LABELS } from '../../../shared/dictionaries.js';
import { AppError } from '../../../shared/errors.js';
import { checkIdNumber, type IdCheck, type IdInfo } from '../../../shared/idcard.js';
import type { CoreContext } from '../context.js';
import { assertOrganisations } from './organisations.js';
import type { Row } from '../db/repository.js';
import {
  toPersonRecord,
  toSeatEvent,
  toSeatRecord,
  type PersonDbRow,
  type SeatDbRow,
  type SeatEventDbRow,
} from './records.js';

export { listSeats } from './list.js';

export type PersonInput = z.output<typeof personFields>;
export type SeatInput = z.output<typeof seatFields>;
export type RosterQuery = z.output<typeof rosterFilter> & { page: number; pageSize: number };

export type IdentityCheck =
  | { ok: true; person: PersonInput; derived: ('gender' | 'birthDate')[] }
  | { ok: false; field: 'idNumber' | 'gender' | 'birthDate'; message: string };

/**
 * Checks an ID number and what was typed beside it; derives gender and birth
 * date where they were left empty. Says which field is wrong (the import names
 * the row and column); `reconcileIdentity` throws instead.
 */
export function checkIdentity(person: PersonInput, options: { validated?: boolean } = {}): IdentityCheck {
  if (!person.idNumber) return { ok: true, person, derived: [] };
  // validated: the import has already run checkIdNumber on this very value.
  const check: IdCheck = options.validated
    ? { ok: true, value: person.idNumber, info: idInfo(person.idNumber) }
    : checkIdNumber(person.idNumber);
  if (!check.ok) return { ok: false, field: 'idNumber', message: `公民身份号码：${check.message}` };
  const { gender, birthDate } = check.info;
  if (person.gender && person.gender !== gender) {
    return { ok: false, field: 'gender', message: `性别填的是“${person.gender}”，但公民身份号码显示为“${gender}”，请核对。` };
  }
  if (person.birthDate && !birthDate.startsWith(person.birthDate)) {
    return {
      ok: false,
      field: 'birthDate',
      message: `出生年月填的是 ${person.birthDate}，但公民身份号码显示为 ${birthDate}，请核对。`,
    };
  }
  const derived: ('gender' | 'birthDate')[] = [];
  if (!person.gender) derived.push('gender');
  if (!person.birthDate) derived.push('birthDate');
  return {
    ok: true,
    person: { ...person, idNumber: check.value, gender: person.gender ?? gender, birthDate: person.birthDate ?? birthDate },
    derived,
  };
}

/** Birth date and gender as encoded in a valid 18-character ID number. */
function idInfo(id: string): IdInfo {
  return { birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`, gender: Number(id[16]) % 2 === 1 ? '男' : '女' };
}

/** checkIdentity for forms: throws VALIDATION with the Chinese message. */
export function reconcileIdentity(person: PersonInput): PersonInput {
  const result = checkIdentity(person);
  if (!result.ok) throw new AppError('VALIDATION', result.message);
  return result.person;
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
export const PERSON_KEYS: Record<string, string> = {
  name: 'name', gender: 'gender', ethnicity: 'ethnicity', birthDate: 'birth_date', nativePlace: 'native_place',
  politicalAffiliation: 'political_affiliation', education: 'education', degree: 'degree', workUnit: 'work_unit',
  composition: 'composition', phone: 'phone', address: 'address', idNumber: 'id_number',
  hasFixedIncome: 'has_fixed_income', bankName: 'bank_name', bankAccount: 'bank_account', note: 'note',
};
export const SEAT_KEYS: Record<string, string> = {
  level: 'level', term: 'term', constituency: 'constituency', township: 'township', certificateNo: 'certificate_no',
  groupId: 'group_id', stationId: 'station_id', isReelected: 'is_reelected', startDate: 'start_date',
  startMethod: 'start_method', note: 'note',
};

export function providedOnly(columns: Row, input: object, keys: Record<string, string>): Row {
  const out: Row = {};
  for (const [key, column] of Object.entries(keys)) {
    if ((input as Record<string, unknown>)[key] !== undefined) out[column] = columns[column];
  }
  return out;
}

export function rosterChoices(ctx: CoreContext): RosterChoices {
  // Townships by hops along seats_township (one seek per township, ~1,500 in a province) rather than a scan.
  const next = ctx.db
    .prepare('SELECT township FROM seats INDEXED BY seats_township WHERE township > ? AND deleted_at IS NULL ORDER BY township LIMIT 1')
    .pluck();
  const townships: string[] = [];
  for (let t = next.get('') as string | undefined; t !== undefined; t = next.get(t) as string | undefined) townships.push(t);
  // Few distinct terms but no index of their own: a scan of the covering seats_filter, not of the table.
  const terms = ctx.db
    .prepare('SELECT DISTINCT term FROM seats INDEXED BY seats_filter WHERE deleted_at IS NULL ORDER BY term')
    .pluck()
    .all() as string[];
  return { townships, terms: terms.filter(Boolean) };
}

const SEAT_SELECT = `SELECT s.*, g.name AS group_name, st.name AS station_name FROM seats s
  LEFT JOIN deputy_groups g ON g.id = s.group_id LEFT JOIN liaison_stations st ON st.id = s.station_id`;

function liveSeat(ctx: CoreContext, seatId: string): SeatDbRow {
  const seat = ctx.db.prepare(`${SEAT_SELECT} WHERE s.id = ?`).get(seatId) as SeatDbRow | undefined;
  if (!seat || seat.deleted_at) throw new AppError('NOT_FOUND', '找不到该代表席位，可能已被删除。请刷新名册后重试。');
  return seat;
}

export function liveSeatById(ctx: CoreContext, seatId: string): SeatDbRow {
  return liveSeat(ctx, seatId);
}

export function getSeat(ctx: CoreContext, seatId: string): SeatDetail {
  const seat = liveSeat(ctx, seatId);
  const person = ctx.db.prepare('SELECT * FROM persons WHERE id = ?').get(seat.person_id) as PersonDbRow;
  const seats = ctx.db
    .prepare(`${SEAT_SELECT} WHERE s.person_id = ? AND s.deleted_at IS NULL ORDER BY s.start_date DESC, s.created_at DESC`)
    .all(seat.person_id) as SeatDbRow[];
  const events = ctx.db
    .prepare(
      `SELECT e.* FROM seat_events e JOIN seats s ON s.id = e.seat_id
       WHERE s.person_id = ? AND s.deleted_at IS NULL AND e.deleted_at IS NULL
       ORDER BY e.date, e.created_at, e.rowid`,
    )
    .all(seat.person_id) as SeatEventDbRow[];
  return {
    seat: toSeatRecord(seat),
    person: toPersonRecord(person),
    seats: seats.map((s) => ({ ...toSeatRecord(s), events: events.filter((e) => e.seat_id === s.id).map(toSeatEvent) })),
  };
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

/**
 * The person a new seat belongs to: one already registered with the same ID
 * number (what was typed fills in or corrects their record; blanks keep what
 * is there), else a new person. In the caller's transaction.
 */
export function personForNewSeat(ctx: CoreContext, person: PersonInput): string {
  const existing = person.idNumber ? findPersonByIdNumber(ctx, person.idNumber) : undefined;
  if (!existing) return ctx.repo.insert('persons', personColumns(person), { summary: `新增代表：${person.name}` });
  const typed = Object.fromEntries(Object.entries(personColumns(person)).filter(([, v]) => v !== null));
  ctx.repo.update('persons', existing.id, typed, { summary: `更新代表信息：${person.name}` });
  return existing.id;
}

/** Adds a seat; a person already registered with the same ID number gets the seat, not a twin. */
export function createSeat(ctx: CoreContext, personInput: PersonInput, seat: SeatInput) {
  const person = reconcileIdentity(personInput);
  return ctx.repo.transaction(() => {
    assertOrganisations(ctx, seat);
    const personId = personForNewSeat(ctx, person);
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
    assertOrganisations(ctx, seat, current);
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
