import type { Writable } from 'node:stream';
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import {
  headcountText,
  FileOutput,
  OfficeIdentity,
  RosterSheet,
  rosterSheetFilter,
  rosterWorkbookInput,
} from '../../../shared/contract/index.js';
import { LEVEL_LABELS, LEVELS, type Level, type SeatStatus, type StartMethod } from '../../../shared/dictionaries.js';
import { AppError } from '../../../shared/errors.js';
import { maskIdNumber, maskPhone } from '../../../shared/idcard.js';
import type { CoreContext } from '../context.js';
import type { Db } from '../db/connection.js';
import { withReadSnapshot } from '../db/snapshot.js';
import { congressTitle, LEVEL_RANK_SQL, levelList, seatWhere, type SeatFilter, type SeatWhere } from './filters.js';
import {
  addOfficialSheet,
  bodyStyles,
  chineseDate,
  newWorkbookWriter,
  safeFileName,
  workbookFileOutput,
  writeHeaderRow,
  writeWorkbookFile,
  drainSheet,
} from './layout.js';
import { SheetRowWriter } from './sheet-rows.js';

/**
 * 代表名册 in the official layout: one row per seat. The same columns feed the
 * Excel export (streamed, any size) and the printable HTML view.
 */

export type RosterSheetQuery = z.output<typeof rosterSheetFilter>;
export type RosterWorkbookQuery = z.output<typeof rosterWorkbookInput>;

interface RosterDbRow {
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
const COLUMNS_SQL = `p.name, p.gender, p.ethnicity, p.birth_date, p.political_affiliation, p.education,
  p.work_unit, p.composition, s.level, s.term, s.constituency, s.township, s.certificate_no, p.phone, p.id_number,
  s.status, s.start_method, s.start_date, s.end_date, s.end_reason, s.note, p.note`;

type RawRosterRow = [
  name: string, gender: string | null, ethnicity: string | null, birth_date: string | null,
  political_affiliation: string | null, education: string | null, work_unit: string | null, composition: string | null,
  level: Level, term: string, constituency: string | null, township: string | null, certificate_no: string | null,
  phone: string | null, id_number: string | null, status: SeatStatus, start_method: StartMethod | null,
  start_date: string | null, end_date: string | null, end_reason: string | null, seat_note: string | null, person_note: string | null,
];

function rosterRow(r: RawRosterRow): RosterDbRow {
  return {
    name: r[0], gender: r[1], ethnicity: r[2], birth_date: r[3], political_affiliation: r[4], education: r[5], work_unit: r[6],
    composition: r[7], level: r[8], term: r[9], constituency: r[10], township: r[11], certificate_no: r[12], phone: r[13],
    id_number: r[14], status: r[15], start_method: r[16], start_date: r[17], end_date: r[18], end_reason: r[19],
    seat_note: r[20], person_note: r[21],
  };
}

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

const FROM_SQL = 'FROM seats s JOIN persons p ON p.id = s.person_id';
const ORDER_SQL = `ORDER BY ${LEVEL_RANK_SQL}, s.term, s.township IS NULL, s.township, s.constituency IS NULL, s.constituency, p.name, s.id`;

/**
 * Rosters list names 按姓氏笔画 (by stroke count), and 第2选区 before 第10选区:
 * ICU's stroke collation with numeric ordering. Comparing through ICU costs
 * microseconds, so beyond COLLATED_SORT_LIMIT seats (a province, never an
 * office's own roster) the export keeps SQLite's plain order.
 */
const STROKE_ORDER = new Intl.Collator('zh-CN-u-co-stroke', { numeric: true });
export const COLLATED_SORT_LIMIT = 20_000;

const LEVEL_RANK = new Map<Level, number>(LEVELS.map((level, i) => [level, i]));

function compareText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1; // empty last
  if (b === null) return -1;
  return STROKE_ORDER.compare(a, b);
}

/** Level, term, township, constituency, name: the SQL order with ICU's text comparison. */
function byStrokes(a: RosterDbRow, b: RosterDbRow): number {
  return (
    LEVEL_RANK.get(a.level)! - LEVEL_RANK.get(b.level)! ||
    (a.term < b.term ? -1 : a.term > b.term ? 1 : 0) ||
    compareText(a.township, b.township) ||
    compareText(a.constituency, b.constituency) ||
    compareText(a.name, b.name)
  );
}

/** The seats a query lists: how many, and their terms (the title names a sole term). */
interface RosterSelection {
  where: SeatWhere;
  total: number;
  persons: number;
  terms: Set<string>;
}

function selectSeats(db: Db, q: RosterSheetQuery): RosterSelection {
  const filter = seatFilter(q);
  const where = seatWhere(filter);
  const counts = db
    .prepare(`SELECT s.term, s.level, count(*) ${FROM_SQL} ${where.sql} GROUP BY s.term, s.level`)
    .raw()
    .all(...where.params) as [term: string, level: string, seats: number][];
  const total = counts.reduce((sum, [, , n]) => sum + n, 0);
  // A person holds one live seat per level and term; only a wider list (or ended
  // seats beside their successors) can name someone twice, and only then is the
  // distinct count (over a second at province scale) worth its time.
  const oneSeatEach = counts.length <= 1 && filter.status !== 'all' && filter.status !== 'ended';
  const persons = oneSeatEach
    ? total
    : (db.prepare(`SELECT count(DISTINCT s.person_id) ${FROM_SQL} ${where.sql}`).pluck().get(...where.params) as number);
  return { where, total, persons, terms: new Set(counts.map(([term]) => term)) };
}

/** How a large result is read: through a cursor (the export's snapshot), or whole. */
type ReadRows = (stmt: Database.Statement, params: readonly unknown[]) => Iterable<unknown>;

const readWhole: ReadRows = (stmt, params) => stmt.all(...params);

/** Where an export's rows come from. */
interface RowSource {
  db: Db;
  read: ReadRows;
}

/**
 * The rows in roster order, read in one pass. Up to COLLATED_SORT_LIMIT seats
 * they are read whole and sorted by strokes; beyond, SQLite's order comes
 * through `read` a row at a time. Rows are read as arrays (raw): the objects
 * better-sqlite3 builds for named columns cost more at 140,000 rows.
 */
function* rosterRows({ db, read }: RowSource, selection: RosterSelection): Generator<RosterDbRow> {
  const { sql, params } = selection.where;
  const stmt = db.prepare(`SELECT ${COLUMNS_SQL} ${FROM_SQL} ${sql} ${ORDER_SQL}`).raw();
  if (selection.total > COLLATED_SORT_LIMIT) {
    for (const r of read(stmt, params)) yield rosterRow(r as RawRosterRow);
    return;
  }
  // Stable sort: ties keep SQLite's order (by seat id).
  yield* (readWhole(stmt, params) as RawRosterRow[]).map(rosterRow).sort(byStrokes);
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

/** Rows between turns of the event loop for the zip (see drainSheet): about 100 KB of sheet XML. */
const DRAIN_EVERY = 100;

/**
 * Writes the 代表名册 workbook to a stream (streamed rows). Returns the title
 * and the number of rows. Callers audit; see exportRosterWorkbook.
 */
export async function writeRosterWorkbook(
  ctx: CoreContext,
  q: RosterWorkbookQuery,
  target: Writable,
  now: Date = new Date(),
): Promise<RosterExportResult> {
  const office = ctx.requireOffice();
  const write = (source: RowSource) => writeRoster(ctx, office, q, target, now, source);
  // An in-memory database has no file a second connection could open: read whole.
  if (ctx.dbPath === ':memory:') return write({ db: ctx.db, read: readWhole });
  // Otherwise on a snapshot of its own: its cursor stays open while the zip
  // catches up, and the shared connection stays free for other requests.
  return withReadSnapshot(ctx.dbPath, (snapshot) =>
    write({ db: snapshot.db, read: (stmt, params) => snapshot.iterate(stmt, params) }),
  );
}

async function writeRoster(
  ctx: CoreContext,
  office: OfficeIdentity,
  q: RosterWorkbookQuery,
  target: Writable,
  now: Date,
  source: RowSource,
): Promise<RosterExportResult> {
  const selection = selectSeats(source.db, q);
  const title = rosterTitle(ctx, q, selection.terms);
  const wb = newWorkbookWriter(target);
  const ws = addOfficialSheet(wb, {
    sheetName: '代表名册',
    title,
    widths: ROSTER_COLUMNS.map((c) => c.width),
    officeLine: { left: `制表单位：${office.officeName}`, center: headcountText(selection.total, selection.persons), right: `制表日期：${chineseDate(now)}` },
    headerRowCount: 1,
    freezeColumns: 2,
  });

  writeHeaderRow(ws, ROSTER_COLUMNS.map((c) => c.header), 30);
  const rows = new SheetRowWriter(ws, bodyStyles(ROSTER_COLUMNS));

  let index = 0;
  for (const r of rosterRows(source, selection)) {
    index += 1;
    rows.write(ROSTER_COLUMNS.map((c) => c.value(r, index, q.unmasked)));
    if (index % DRAIN_EVERY === 0) {
      rows.flush();
      await drainSheet(ws);
    }
  }
  rows.flush();
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
  const selection = selectSeats(ctx.db, q);
  if (selection.total > PRINT_LIMIT) {
    throw new AppError(
      'VALIDATION',
      `符合条件的代表共 ${selection.total} 人，超过打印上限 ${PRINT_LIMIT} 人。请按乡镇、层级或届次筛选后分批打印，或使用“导出Excel”。`,
    );
  }
  const rows: Value[][] = [];
  let index = 0;
  for (const r of rosterRows({ db: ctx.db, read: readWhole }, selection)) {
    index += 1;
    rows.push(ROSTER_COLUMNS.map((c) => c.value(r, index, false)));
  }
  return {
    title: rosterTitle(ctx, q, selection.terms),
    officeName: office.officeName,
    dateText: chineseDate(now),
    columns: ROSTER_COLUMNS.map((c) => c.header),
    rows,
    total: rows.length,
    persons: selection.persons,
  };
}
