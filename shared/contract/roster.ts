import { z } from 'zod';
import {
  END_REASONS,
  GENDERS,
  LEVELS,
  SEAT_EVENT_KINDS,
  SEAT_STATUSES,
  START_METHODS,
  type Level,
  type SeatEventKind,
  type SeatStatus,
  type StartMethod,
} from '../dictionaries.js';
import { method, pageInput, optionalText, type Page } from './define.js';

/** 出生年月: YYYY-MM or YYYY-MM-DD */
export const partialDate = z
  .string()
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/, '日期格式应为 1975-03 或 1975-03-12');
export const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '日期格式应为 2024-01-15');
/** A date that exists on the calendar (not 2023-02-30). */
export const calendarDate = isoDate.refine((s) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}, '日期不存在，请核对（例如2月没有30日）');

/** A person (代表本人): one row however many seats they hold. */
export const personFields = z.object({
  name: z
    .string()
    .transform((s) => s.replace(/[\s\u3000]/g, ''))
    .pipe(z.string().min(1, '请填写姓名').max(30, '姓名不超过30个字')),
  gender: z.enum(GENDERS, { error: '性别应为“男”或“女”' }).nullable().optional(),
  ethnicity: optionalText(20, '民族'),
  birthDate: partialDate.nullable().optional(),
  nativePlace: optionalText(40, '籍贯'),
  politicalAffiliation: optionalText(20, '政治面貌'),
  education: optionalText(20, '学历'),
  degree: optionalText(20, '学位'),
  workUnit: optionalText(100, '工作单位及职务'),
  composition: optionalText(20, '代表构成'),
  phone: optionalText(40, '联系电话'),
  address: optionalText(100, '通讯地址'),
  idNumber: optionalText(18, '公民身份号码'),
  hasFixedIncome: z.boolean().nullable().optional(),
  bankName: optionalText(60, '开户行'),
  bankAccount: optionalText(40, '银行账号'),
  note: optionalText(500, '备注'),
});
export type PersonFields = z.input<typeof personFields>;

/** A seat (代表席位): person × level × term. */
export const seatFields = z.object({
  level: z.enum(LEVELS, { error: '请选择代表层级' }),
  term: z.string().trim().min(1, '请填写届次，例如：第十九届').max(20, '届次不超过20个字'),
  constituency: optionalText(60, '选区'),
  township: optionalText(40, '所属乡镇'),
  certificateNo: optionalText(30, '代表证号'),
  groupId: z.string().uuid().nullable().optional(),
  stationId: z.string().uuid().nullable().optional(),
  isReelected: z.boolean().nullable().optional(),
  startDate: isoDate.nullable().optional(),
  startMethod: z.enum(START_METHODS).nullable().optional(),
  note: optionalText(500, '备注'),
});
export type SeatFields = z.input<typeof seatFields>;

export const rosterFilter = z.object({
  q: z.string().trim().max(50).optional(),
  level: z.enum(LEVELS).optional(),
  term: z.string().trim().max(20).optional(),
  township: z.string().trim().max(40).optional(),
  groupId: z.string().uuid().optional(),
  stationId: z.string().uuid().optional(),
  status: z.enum([...SEAT_STATUSES, 'all', 'active'] as const).default('active'),
});
export type RosterFilter = z.input<typeof rosterFilter>;

/** One roster row = one seat, with the person's main fields; personal data masked. */
export interface SeatRow {
  seatId: string;
  personId: string;
  name: string;
  gender: string | null;
  ethnicity: string | null;
  birthDate: string | null;
  politicalAffiliation: string | null;
  education: string | null;
  workUnit: string | null;
  composition: string | null;
  level: Level;
  term: string;
  township: string | null;
  constituency: string | null;
  certificateNo: string | null;
  groupName: string | null;
  stationName: string | null;
  status: SeatStatus;
  startMethod: StartMethod | null;
  startDate: string | null;
  endDate: string | null;
  endReason: string | null;
  phoneMasked: string;
  idNumberMasked: string;
}

export interface PersonRecord {
  id: string;
  name: string;
  gender: string | null;
  ethnicity: string | null;
  birthDate: string | null;
  nativePlace: string | null;
  politicalAffiliation: string | null;
  education: string | null;
  degree: string | null;
  workUnit: string | null;
  composition: string | null;
  /** Masked; `roster.reveal` gives the full value and is audited. */
  phoneMasked: string;
  address: string | null;
  idNumberMasked: string;
  hasFixedIncome: boolean | null;
  bankName: string | null;
  bankAccountMasked: string;
  note: string | null;
}

export interface SeatRecord {
  id: string;
  personId: string;
  level: Level;
  term: string;
  constituency: string | null;
  township: string | null;
  certificateNo: string | null;
  groupId: string | null;
  groupName: string | null;
  stationId: string | null;
  stationName: string | null;
  isReelected: boolean | null;
  startDate: string | null;
  startMethod: StartMethod | null;
  endDate: string | null;
  endReason: string | null;
  status: SeatStatus;
  note: string | null;
}

/** One change in a seat's life (任职变动): election, by-election, suspension, restoration, end. */
export interface SeatEvent {
  id: string;
  seatId: string;
  kind: SeatEventKind;
  date: string;
  /** 公告文号, e.g. 枫人常〔2024〕12号 */
  documentNo: string | null;
  reason: string | null;
  note: string | null;
  createdAt: string;
}

/** A seat with its history, oldest event first. */
export interface SeatWithHistory extends SeatRecord {
  events: SeatEvent[];
}

export interface SeatDetail {
  seat: SeatRecord;
  person: PersonRecord;
  /** All seats of the person, ended ones included, newest first, each with its history. */
  seats: SeatWithHistory[];
}

export interface RosterChoices {
  townships: string[];
  terms: string[];
}

const seatId = z.object({ seatId: z.string().uuid('席位编号无效') });

/** What every lifecycle action records: the date, the announcement's number and a note. */
const eventFields = {
  date: calendarDate,
  documentNo: optionalText(60, '文号'),
  note: optionalText(500, '说明'),
};
const seatEvent = <E extends z.ZodRawShape>(extra: E) =>
  z.object({ seatId: z.string().uuid('席位编号无效'), ...eventFields, ...extra });

/** 补选: a new seat, for a person already registered (personId) or a new one (person). */
export const byElectionInput = z
  .object({
    personId: z.string().uuid('人员编号无效').optional(),
    person: personFields.optional(),
    seat: seatFields.omit({ startDate: true, startMethod: true }),
    ...eventFields,
  })
  .refine((v) => (v.personId ? 1 : 0) + (v.person ? 1 : 0) === 1, {
    message: '补选须指定一位代表：选择已登记的人员，或填写新代表的信息（二者选一）',
    path: ['personId'],
  });

export const REVEAL_FIELDS = ['idNumber', 'phone', 'bankAccount'] as const;
export type RevealField = (typeof REVEAL_FIELDS)[number];

export interface SeatChange {
  seatId: string;
  eventId: string;
  status: SeatStatus;
}

export const rosterContract = {
  'roster.list': method(rosterFilter.extend(pageInput), '代表名册（分页、筛选）').returns<Page<SeatRow>>(),
  'roster.choices': method(z.object({}).default({}), '筛选项：乡镇、届次').returns<RosterChoices>(),
  'roster.get': method(seatId, '代表详情').returns<SeatDetail>(),
  'roster.create': method(
    z.object({ person: personFields, seat: seatFields }),
    '新增代表（人员与席位）',
  ).returns<{ personId: string; seatId: string }>(),
  'roster.update': method(
    z.object({ seatId: z.string().uuid(), person: personFields, seat: seatFields }),
    '修改代表信息',
  ).returns<{ personId: string; seatId: string }>(),
  'roster.remove': method(seatId, '删除席位（保留删除记录）').returns<{ seatId: string }>(),
  'roster.reveal': method(
    z.object({ personId: z.string().uuid('人员编号无效'), field: z.enum(REVEAL_FIELDS, { error: '只能查看身份证号、电话或银行账号' }) }),
    '查看完整的身份证号、电话或银行账号（记入操作日志）',
  ).returns<{ value: string | null }>(),
  'roster.byElection': method(byElectionInput, '补选代表（新增席位）').returns<{ personId: string; seatId: string; eventId: string }>(),
  'roster.suspend': method(
    seatEvent({ reason: z.string().trim().min(1, '请填写暂停原因').max(100, '原因不超过100个字') }),
    '暂停执行代表职务',
  ).returns<SeatChange>(),
  'roster.restore': method(seatEvent({ reason: optionalText(100, '原因') }), '恢复执行代表职务').returns<SeatChange>(),
  'roster.endSeat': method(
    seatEvent({ reason: z.enum(END_REASONS, { error: '请选择代表资格终止的原因' }) }),
    '代表资格终止',
  ).returns<SeatChange>(),
  'roster.resign': method(seatEvent({}), '辞去代表职务（辞职被接受，资格终止）').returns<SeatChange>(),
};
