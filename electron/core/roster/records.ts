import type { PersonRecord, SeatEvent, SeatRecord, SeatRow } from '../../../shared/contract/index.js';
import type { Level, SeatEventKind, SeatStatus, StartMethod } from '../../../shared/dictionaries.js';
import { maskBankAccount, maskIdNumber, maskPhone } from '../../../shared/idcard.js';

/** Row shapes as stored, and their mapping to the contract's camelCase records. */
export interface PersonDbRow {
  id: string;
  name: string;
  gender: string | null;
  ethnicity: string | null;
  birth_date: string | null;
  native_place: string | null;
  political_affiliation: string | null;
  education: string | null;
  degree: string | null;
  work_unit: string | null;
  composition: string | null;
  phone: string | null;
  address: string | null;
  id_number: string | null;
  has_fixed_income: number | null;
  bank_name: string | null;
  bank_account: string | null;
  note: string | null;
  deleted_at: string | null;
}

export interface SeatDbRow {
  id: string;
  person_id: string;
  level: Level;
  term: string;
  constituency: string | null;
  township: string | null;
  certificate_no: string | null;
  group_id: string | null;
  group_name?: string | null;
  station_id: string | null;
  station_name?: string | null;
  is_reelected: number | null;
  start_date: string | null;
  start_method: StartMethod | null;
  status: SeatStatus;
  end_date: string | null;
  end_reason: string | null;
  note: string | null;
  deleted_at: string | null;
}

export interface SeatEventDbRow {
  id: string;
  seat_id: string;
  kind: SeatEventKind;
  date: string;
  document_no: string | null;
  reason: string | null;
  note: string | null;
  created_at: string;
}

const bool = (v: number | null): boolean | null => (v === null ? null : v === 1);

export function toPersonRecord(p: PersonDbRow): PersonRecord {
  return {
    id: p.id,
    name: p.name,
    gender: p.gender,
    ethnicity: p.ethnicity,
    birthDate: p.birth_date,
    nativePlace: p.native_place,
    politicalAffiliation: p.political_affiliation,
    education: p.education,
    degree: p.degree,
    workUnit: p.work_unit,
    composition: p.composition,
    phoneMasked: maskPhone(p.phone),
    address: p.address,
    idNumberMasked: maskIdNumber(p.id_number),
    hasFixedIncome: bool(p.has_fixed_income),
    bankName: p.bank_name,
    bankAccountMasked: maskBankAccount(p.bank_account),
    note: p.note,
  };
}

export function toSeatRecord(s: SeatDbRow): SeatRecord {
  return {
    id: s.id,
    personId: s.person_id,
    level: s.level,
    term: s.term,
    constituency: s.constituency,
    township: s.township,
    certificateNo: s.certificate_no,
    groupId: s.group_id,
    groupName: s.group_name ?? null,
    stationId: s.station_id,
    stationName: s.station_name ?? null,
    isReelected: bool(s.is_reelected),
    startDate: s.start_date,
    startMethod: s.start_method,
    endDate: s.end_date,
    endReason: s.end_reason,
    status: s.status,
    note: s.note,
  };
}

export type SeatListDbRow = SeatDbRow & PersonDbRow & { seat_id: string };

export function toSeatRow(r: SeatListDbRow): SeatRow {
  return {
    seatId: r.seat_id,
    personId: r.person_id,
    name: r.name,
    gender: r.gender,
    ethnicity: r.ethnicity,
    birthDate: r.birth_date,
    politicalAffiliation: r.political_affiliation,
    education: r.education,
    workUnit: r.work_unit,
    composition: r.composition,
    level: r.level,
    term: r.term,
    township: r.township,
    constituency: r.constituency,
    certificateNo: r.certificate_no,
    groupName: r.group_name ?? null,
    stationName: r.station_name ?? null,
    status: r.status,
    startMethod: r.start_method,
    startDate: r.start_date,
    endDate: r.end_date,
    endReason: r.end_reason,
    phoneMasked: maskPhone(r.phone),
    idNumberMasked: maskIdNumber(r.id_number),
  };
}

export function toSeatEvent(e: SeatEventDbRow): SeatEvent {
  return {
    id: e.id,
    seatId: e.seat_id,
    kind: e.kind,
    date: e.date,
    documentNo: e.document_no,
    reason: e.reason,
    note: e.note,
    createdAt: e.created_at,
  };
}
