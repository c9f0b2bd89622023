import type { Writable } from 'node:stream';
import type { z } from 'zod';
import type { FileOutput, RosterSheet, rosterSheetFilter, rosterWorkbookInput } from '../../../shared/contract/index.js';
import { LEVEL_LABELS, type Level, type SeatStatus, type StartMethod } from '../../../shared/dictionaries.js';
import { AppError } from '../../../shared/errors.js';
import { maskIdNumber, maskPhone } from '../../../shared/idcard.js';
import type { CoreContext } from '../context.js';
import { congressTitle, LEVEL_RANK_SQL, levelList, seatWhere, withReadCache, type SeatFilter } from './filters.js';
import {
  addOfficialSheet,
  bodyStyles,
  chineseDate,
  HEADER_ROW,
  newWorkbookWriter,
  safeFileName,
  workbookFileOutput,
  writeHeaderRow,
  writeRow,
  writeWorkbookFile,
  drainSheet,
} from './layout.js';

/**
 * 代表名册 in the official layout: one row per seat. The same columns feed the
 * Excel export (streamed, any size) and the printable HTML view.
 */

export type RosterSheetQuery = z.output<typeof rosterSheetFilter>;
export type RosterWorkbookQuery = z.output<typeof rosterWorkbookInput>;

interface RosterDbRow {
  rid: number;
  name: string;
  gender: string | null;
  ethnicity: string | null;
  birth_date: string | null;
  political_affiliation: string | null;
  education: string | null;
  work_unit: string | null;
  composition: string | null;
  level: Level;
  term: string;
  constituency: string | null;
  township: string | null;
  certificate_no: string | null;
  phone: string | null;
  id_number: string | null;
  status: SeatStatus;
  start_method: StartMethod | null;
  start_date: string | null;
  end_date: string | null;
  end_reason: string | null;
  seat_note: string | null;
  person_note: string | null;
}

type Value = string | number;

interface RosterColumn {
  header: string;
  width: number;
  /** The value for row `index` (1-based 序号). */
  value: (r: RosterDbRow, index: number, unmasked: boolean) => Value;
  align?: 'left' | 'center';
}

/** 1975-03 or 1975-03-12 → 1975.03, as rosters print 出生年月. */
export function birthMonth(value: string | null): string {
  if (!value) return '';
  return value.slice(0, 7).replace('-', '.');
}

function remarks(r: RosterDbRow): string {
  const parts: string[] = [];
  if (r.status === 'suspended') parts.push('暂停执行代表职务');
  if (r.status === 'ended') {
    parts.push(['资格终止', r.end_date, r.end_reason].filter(Boolean).join(' '));
  }
  if (r.start_method === 'by_election') parts.push(r.start_date ? `${r.start_date}补选` : '补选');
  if (r.seat_note) parts.push(r.seat_note);
  if (r.person_note) parts.push(r.person_note);
  return parts.join('；');
}

const s = (v: string | null) => v ?? '';

export const ROSTER_COLUMNS: RosterColumn[] = [
  { header: '序号', width: 6, value: (_r, i) => i, align: 'center' },
  { header: '姓名', width: 9, value: (r) => r.name, align: 'center' },
  { header: '性别', width: 5, value: (r) => s(r.gender), align: 'center' },
  { header: '民族', width: 7, value: (r) => s(r.ethnicity), align: 'center' },
  { header: '出生年月', width: 9, value: (r) => birthMonth(r.birth_date), align: 'center' },
  { header: '政治面貌', width: 11, value: (r) => s(r.political_affiliation), align: 'center' },
  { header: '学历', width: 10, value: (r) => s(r.education), align: 'center' },
  { header: '工作单位及职务', width: 30, value: (r) => s(r.work_unit) },
  { header: '代表构成', width: 11, value: (r) => s(r.composition), align: 'center' },
  { header: '层级', width: 6, value: (r) => LEVEL_LABELS[r.level], align: 'center' },
  { header: '届次', width: 9, value: (r) => r.term, align: 'center' },
  { header: '选区', width: 14, value: (r) => s(r.constituency) },
  { header: '所属乡镇', width: 11, value: (r) => s(r.township), align: 'center' },
  { header: '代表证号', width: 11, value: (r) => s(r.certificate_no), align: 'center' },
  { header: '联系电话', width: 13, value: (r, _i, full) => (full ? s(r.phone) : maskPhone(r.phone)), align: 'center' },
  {
    header: '公民身份号码',
    width: 21,
    value: (r, _i, full) => (full ? s(r.id_number) : maskIdNumber(r.id_number)),
    align: 'center',
  },
  { header: '备注', width: 18, value: remarks },
];

/** The columns of RosterDbRow, in its order: rows are read as arrays (raw) and made into objects here. */
const COLUMNS_SQL = `s.rowid, p.name, p.gender, p.ethnicity, p.birth_date, p.political_affiliation, p.education,
  p.work_unit, p.composition, s.level, s.term, s.constituency, s.township, s.certificate_no, p.phone, p.id_number,
  s.status, s.start_method, s.start_date, s.end_date, s.end_reason, s.note, p.note`;

type RawRosterRow = [
  rid: number, name: string, gender: string | null, ethnicity: string | null, birth_date: string | null,
  political_affiliation: string | null, education: string | null, work_unit: string | null, composition: string | null,
  level: Level, term: string, constituency: string | null, township: string | null, certificate_no: string | null,
  phone: string | null, id_number: string | null, status: SeatStatus, start_method: StartMethod | null,
  start_date: string | null, end_date: string | null, end_reason: string | null, seat_note: string | null, person_note: string | null,
];

function rosterRow(r: RawRosterRow): RosterDbRow {
  return {
    rid: r[0], name: r[1], gender: r[2], ethnicity: r[3], birth_date: r[4], political_affiliation: r[5], education: r[6],
    work_unit: r[7], composition: r[8], level: r[9], term: r[10], constituency: r[11], township: r[12], certificate_no: r[13],
    phone: r[14], id_number: r[15], status: r[16], start_method: r[17], start_date: r[18], end_date: r[19], end_reason: r[20],
    seat_note: r[21], person_note: r[22],
  };
}

const CHUNK = 1000;

function seatFilter(q: RosterSheetQuery): SeatFilter {
  return {
    q: q.q,
    levels: levelList(q.level),
    term: q.term,
    township: q.township,
    groupId: q.groupId,
    stationId: q.stationId,
    status: q.status,
  };
}

/**
 * Rosters list names 按姓氏笔画 (by stroke count), and 第2选区 before 第10选区:
 * ICU's stroke collation with numeric ordering. Comparing through ICU costs
 * microseconds, so beyond COLLATED_SORT_LIMIT seats (a province, never an
 * office's own roster) the export keeps SQLite's plain order.
 */
const STROKE_ORDER = new Intl.Collator('zh-CN-u-co-stroke', { numeric: true });
export const COLLATED_SORT_LIMIT = 20_000;

type OrderRow = [
  rowid: number,
  personRowid: number,
  levelRank: number,
  term: string,
  township: string | null,
  constituency: string | null,
  name: string,
];

function compareText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1; // empty last
  if (b === null) return -1;
  return STROKE_ORDER.compare(a, b);
}

/** Seats to list, in order: the seats' row ids and their persons' (plain number arrays, no object per seat). */
interface SeatOrder {
  seats: number[];
  persons: number[];
  terms: Set<string>;
}

/**
 * The seats in roster order (level, term, township, constituency, name): only
 * their row ids (and their persons') and terms, small even at 140,000.
 */
function orderedSeats(ctx: CoreContext, q: RosterSheetQuery): SeatOrder {
  const { sql, params } = seatWhere(seatFilter(q));
  const stmt = ctx.db
    .prepare(
      `SELECT s.rowid, p.rowid, ${LEVEL_RANK_SQL}, s.term, s.township, s.constituency, p.name
       FROM seats s JOIN persons p ON p.id = s.person_id ${sql}
       ORDER BY 3, s.term, s.township IS NULL, s.township, s.constituency IS NULL, s.constituency, p.name, s.id`,
    )
    .raw();
  const order: SeatOrder = { seats: [], persons: [], terms: new Set() };
  // Read straight into the arrays (the loop never awaits); the rows themselves
  // are kept only while there are few enough to sort by strokes.
  let few: OrderRow[] | null = [];
  for (const r of stmt.iterate(...params) as Iterable<OrderRow>) {
    order.seats.push(r[0]);
    order.persons.push(r[1]);
    order.terms.add(r[3]);
    if (few) {
      if (few.length < COLLATED_SORT_LIMIT) few.push(r);
      else few = null; // a province: SQLite's order
    }
  }
  if (!few) return order;
  // Stable sort: ties keep SQLite's order.
  few.sort(
    (a, b) =>
      a[2] - b[2] ||
      (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0) ||
      compareText(a[4], b[4]) ||
      compareText(a[5], b[5]) ||
      compareText(a[6], b[6]),
  );
  few.forEach((r, i) => {
    order.seats[i] = r[0];
    order.persons[i] = r[1];
  });
  return order;
}

/**
 * Rows in chunks. No SQLite cursor stays open across the awaits in between,
 * so other requests on the same connection are never "busy" during a long
 * export. Seats and persons are found by row id (the order query had both)
 * and read as arrays: at 140,000 rows the index look-ups and the objects
 * better-sqlite3 builds for named columns cost more than the rest of the read.
 * A seat whose person changed since (a merge) is read by its person_id.
 */
function* rowChunks(ctx: CoreContext, order: SeatOrder): Generator<RosterDbRow[]> {
  const byRowid = ctx.db
    .prepare(
      `SELECT ${COLUMNS_SQL} FROM json_each(?) j
       CROSS JOIN seats s ON s.rowid = j.value ->> 0
       CROSS JOIN persons p ON p.rowid = j.value ->> 1 AND p.id = s.person_id`,
    )
    .raw();
  const bySeat = ctx.db
    .prepare(`SELECT ${COLUMNS_SQL} FROM seats s JOIN persons p ON p.id = s.person_id WHERE s.rowid IN (SELECT value FROM json_each(?))`)
    .raw();
  const { seats, persons } = order;
  for (let i = 0; i < seats.length; i += CHUNK) {
    const end = Math.min(seats.length, i + CHUNK);
    const pairs: string[] = [];
    for (let k = i; k < end; k++) pairs.push(`[${seats[k]},${persons[k]}]`);
    const rows = byRowid.all(`[${pairs.join(',')}]`) as RawRosterRow[];
    if (rows.length < end - i) {
      const found = new Set(rows.map((r) => r[0]));
      const missing = seats.slice(i, end).filter((id) => !found.has(id));
      rows.push(...(bySeat.all(JSON.stringify(missing)) as RawRosterRow[]));
    }
    const byId = new Map(rows.map((r) => [r[0], r]));
    const out: RosterDbRow[] = [];
    for (let k = i; k < end; k++) {
      const r = byId.get(seats[k]!);
      if (r) out.push(rosterRow(r));
    }
    yield out;
  }
}

function rosterTitle(ctx: CoreContext, q: RosterSheetQuery, terms: Set<string>): string {
  if (q.title) return q.title;
  // Without a term filter, the title names the term when all the seats share one.
  const term = q.term || (terms.size === 1 ? [...terms][0]! : null);
  return congressTitle(ctx.requireOffice(), levelList(q.level), term, q.township, '代表名册');
}

export interface RosterExportResult {
  title: string;
  rows: number;
  unmasked: boolean;
}

/**
 * Writes the 代表名册 workbook to a stream (streamed rows). Returns the title
 * and the number of rows. Callers audit; see exportRosterWorkbook.
 */
export function writeRosterWorkbook(
  ctx: CoreContext,
  q: RosterWorkbookQuery,
  target: Writable,
  now: Date = new Date(),
): Promise<RosterExportResult> {
  return withReadCache(ctx.db, () => writeRoster(ctx, q, target, now));
}

async function writeRoster(ctx: CoreContext, q: RosterWorkbookQuery, target: Writable, now: Date): Promise<RosterExportResult> {
  const office = ctx.requireOffice();
  const order = orderedSeats(ctx, q);
  const title = rosterTitle(ctx, q, order.terms);
  const wb = newWorkbookWriter(target);
  const ws = addOfficialSheet(wb, {
    sheetName: '代表名册',
    title,
    widths: ROSTER_COLUMNS.map((c) => c.width),
    officeLine: { left: `制表单位：${office.officeName}`, center: `共 ${order.seats.length} 人`, right: `制表日期：${chineseDate(now)}` },
    headerRowCount: 1,
    freezeColumns: 2,
  });

  writeHeaderRow(ws, ROSTER_COLUMNS.map((c) => c.header), 30);
  const styles = bodyStyles(ROSTER_COLUMNS);

  let index = 0;
  for (const chunk of rowChunks(ctx, order)) {
    for (const r of chunk) {
      index += 1;
      writeRow(ws, HEADER_ROW + index, ROSTER_COLUMNS.map((c) => c.value(r, index, q.unmasked)), styles);
    }
    await drainSheet(ws);
  }
  ws.commit();
  await wb.commit();
  return { title, rows: index, unmasked: q.unmasked };
}

function auditExport(ctx: CoreContext, q: RosterWorkbookQuery, result: RosterExportResult, where: string): void {
  const filters = {
    level: levelList(q.level),
    term: q.term ?? null,
    township: q.township ?? null,
    status: q.status,
    q: q.q ?? null,
    groupId: q.groupId ?? null,
    stationId: q.stationId ?? null,
  };
  ctx.repo.audit({
    action: 'export',
    entity: 'seats',
    summary: q.unmasked
      ? `导出代表名册（含完整公民身份号码和联系电话）：${result.title}，${result.rows} 人，${where}`
      : `导出代表名册（身份证号、电话已隐藏）：${result.title}，${result.rows} 人，${where}`,
    after: { report: 'roster', unmasked: q.unmasked, rows: result.rows, filters, file: where },
  });
}

/** CLI: straight to a file (temp name, then renamed into place), then audited. */
export async function exportRosterWorkbook(ctx: CoreContext, q: RosterWorkbookQuery, out: string): Promise<RosterExportResult> {
  const result = await writeWorkbookFile(out, (stream) => writeRosterWorkbook(ctx, q, stream));
  auditExport(ctx, q, result, `文件 ${out}`);
  return result;
}

/** The UI doors: the workbook as a FileOutput the renderer saves, audited. */
export async function rosterWorkbookOutput(ctx: CoreContext, q: RosterWorkbookQuery): Promise<FileOutput> {
  let result: RosterExportResult | undefined;
  const file = await workbookFileOutput('代表名册.xlsx', async (stream) => {
    result = await writeRosterWorkbook(ctx, q, stream);
  });
  auditExport(ctx, q, result!, '界面下载');
  return { ...file, fileName: safeFileName(`${result!.title}${q.unmasked ? '（完整信息）' : ''}.xlsx`) };
}

/** The printable roster (HTML view): masked, capped so a page never holds a province. */
export const PRINT_LIMIT = 5000;

export function rosterSheet(ctx: CoreContext, q: RosterSheetQuery, now: Date = new Date()): RosterSheet {
  const office = ctx.requireOffice();
  const order = orderedSeats(ctx, q);
  const { terms } = order;
  if (order.seats.length > PRINT_LIMIT) {
    throw new AppError(
      'VALIDATION',
      `符合条件的代表共 ${order.seats.length} 人，超过打印上限 ${PRINT_LIMIT} 人。请按乡镇、层级或届次筛选后分批打印，或使用“导出Excel”。`,
    );
  }
  const rows: Value[][] = [];
  let index = 0;
  for (const chunk of rowChunks(ctx, order)) {
    for (const r of chunk) {
      index += 1;
      rows.push(ROSTER_COLUMNS.map((c) => c.value(r, index, false)));
    }
  }
  return {
    title: rosterTitle(ctx, q, terms),
    officeName: office.officeName,
    dateText: chineseDate(now),
    columns: ROSTER_COLUMNS.map((c) => c.header),
    rows,
    total: rows.length,
  };
}
