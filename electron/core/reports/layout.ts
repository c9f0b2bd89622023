import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FileOutput } from '../../../shared/contract/index.js';

/**
 * The official layout every report workbook shares (design: "Reports and
 * printing"): a merged title row, a line with the office and the date, a bold
 * bordered header frozen and repeated on every printed page, A4 fitted to the
 * page width, page numbers in the footer, 宋体/仿宋. Workbooks are written with
 * exceljs's streaming writer, so a 140,000-row roster never sits in memory.
 */

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const FONT_TITLE: Partial<ExcelJS.Font> = { name: '宋体', size: 18, bold: true };
export const FONT_SUBTITLE: Partial<ExcelJS.Font> = { name: '仿宋', size: 11 };
export const FONT_HEADER: Partial<ExcelJS.Font> = { name: '宋体', size: 10, bold: true };
export const FONT_BODY: Partial<ExcelJS.Font> = { name: '仿宋', size: 10 };
export const FONT_NOTE: Partial<ExcelJS.Font> = { name: '仿宋', size: 10 };

const THIN: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF000000' } };
export const BORDER_ALL: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
export const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7ECF3' } };

export const PAGE_FOOTER = '&C第 &P 页 共 &N 页';

/** Yuan with thousands separators; the cell holds the number. */
export const MONEY_FORMAT = '#,##0.00';

export type Orientation = 'landscape' | 'portrait';

/**
 * A4 = paperSize 9, fitted to the page width. Margins in inches (about 1.3 cm
 * sides, 1.8 cm top/bottom). `headerRows` repeat on every printed page.
 */
export function officialPageSetup(
  headerRows: [first: number, last: number] | null,
  orientation: Orientation = 'landscape',
): Partial<ExcelJS.PageSetup> {
  return {
    paperSize: 9,
    orientation,
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.7, header: 0.3, footer: 0.3 },
    ...(headerRows ? { printTitlesRow: `${headerRows[0]}:${headerRows[1]}` } : {}),
  };
}

/** 2025年1月15日 (local date). */
export function chineseDate(date: Date = new Date()): string {
  return `${date.getFullYear()}年${date.getMonth() + 1}月${date.getDate()}日`;
}

/** YYYY-MM-DD in local time. */
export function isoLocalDate(date: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Column letter(s) for a 1-based index: 1 → A, 27 → AA. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export function newWorkbookWriter(target: Writable): ExcelJS.stream.xlsx.WorkbookWriter {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: target, useStyles: true, useSharedStrings: false });
  wb.creator = '人大代表履职管理系统';
  wb.created = new Date();
  return wb;
}

export interface OfficialSheetOptions {
  sheetName: string;
  title: string;
  /** Column widths in characters (the number of columns of the table). */
  widths: number[];
  /** The line under the title: left (制表单位), centre, right (制表日期). */
  officeLine: { left: string; center?: string; right: string };
  /** How many header rows the table has (1, or 2 for 人数/占比). */
  headerRowCount: number;
  /** Columns frozen on the left (besides the rows above the data). */
  freezeColumns?: number;
  /** Landscape unless the paper is signed or filed upright (签领表, 代发清单). */
  orientation?: Orientation;
}

/** Row numbers of an official sheet: title 1, office line 2, header from 3. */
export const TITLE_ROW = 1;
export const OFFICE_ROW = 2;
export const HEADER_ROW = 3;

/**
 * Adds a sheet with the title and office line written and committed; the
 * caller writes the header rows (from HEADER_ROW) and the data.
 */
export function addOfficialSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, o: OfficialSheetOptions): ExcelJS.Worksheet {
  const lastHeader = HEADER_ROW + o.headerRowCount - 1;
  const ws = wb.addWorksheet(o.sheetName, {
    pageSetup: officialPageSetup([HEADER_ROW, lastHeader], o.orientation),
    headerFooter: { oddFooter: PAGE_FOOTER },
    views: [{ state: 'frozen', xSplit: o.freezeColumns ?? 0, ySplit: lastHeader, showGridLines: false }],
    properties: { defaultRowHeight: 18 },
  });
  ws.columns = o.widths.map((width) => ({ width }));
  const n = o.widths.length;
  const last = columnLetter(n);

  const title = ws.getRow(TITLE_ROW);
  title.height = 36;
  const t = title.getCell(1);
  t.value = o.title;
  t.font = FONT_TITLE;
  t.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.mergeCells(`A${TITLE_ROW}:${last}${TITLE_ROW}`);
  title.commit();

  // Office line: three merged blocks (left third, middle, right third).
  const line = ws.getRow(OFFICE_ROW);
  line.height = 22;
  const third = Math.max(1, Math.floor(n / 3));
  const blocks: [number, number, string, 'left' | 'center' | 'right'][] = [
    [1, third, o.officeLine.left, 'left'],
    [third + 1, n - third, o.officeLine.center ?? '', 'center'],
    [n - third + 1, n, o.officeLine.right, 'right'],
  ];
  for (const [from, to, text, horizontal] of blocks) {
    if (to < from) continue;
    const c = line.getCell(from);
    c.value = text;
    c.font = FONT_SUBTITLE;
    c.alignment = { horizontal, vertical: 'middle' };
    if (to > from) ws.mergeCells(`${columnLetter(from)}${OFFICE_ROW}:${columnLetter(to)}${OFFICE_ROW}`);
  }
  line.commit();
  return ws;
}

/** Styles a header cell (also the covered cells of a merge, so borders print). */
export function styleHeaderCell(cell: ExcelJS.Cell): void {
  cell.font = FONT_HEADER;
  cell.border = BORDER_ALL;
  cell.fill = HEADER_FILL;
  cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
}

/** A one-row table header at `row` (HEADER_ROW on an official sheet). */
export function writeHeaderRow(ws: ExcelJS.Worksheet, headers: readonly string[], height?: number, row = HEADER_ROW): void {
  const r = ws.getRow(row);
  if (height !== undefined) r.height = height;
  headers.forEach((text, i) => {
    const cell = r.getCell(i + 1);
    cell.value = text;
    styleHeaderCell(cell);
  });
  r.commit();
}

export interface BodyColumn {
  /** Left unless given; money columns default to right. */
  align?: 'left' | 'center' | 'right';
  /** Yuan as a number with MONEY_FORMAT. */
  money?: boolean;
  /** Stored and shown as text, so Excel never turns a long number (银行账号) into 1.2E+18. */
  text?: boolean;
}

/**
 * One body style per column: 仿宋, bordered, left-aligned text wraps. One
 * object per column, reused for every row: exceljs caches the style id by
 * object identity, which keeps a 140,000-row export fast.
 */
export function bodyStyles(columns: readonly BodyColumn[]): Partial<ExcelJS.Style>[] {
  return columns.map((c) => {
    const horizontal = c.align ?? (c.money ? 'right' : 'left');
    return {
      font: FONT_BODY,
      border: BORDER_ALL,
      alignment: { horizontal, vertical: 'middle', wrapText: horizontal === 'left' },
      ...(c.money ? { numFmt: MONEY_FORMAT } : c.text ? { numFmt: '@' } : {}),
    };
  });
}

export type CellValue = string | number | null;

/**
 * The style of a body row itself (its cells carry theirs). exceljs gives each
 * new row a fresh `{}` and caches style ids by object identity, so without a
 * shared one every row's empty style would be serialised and looked up anew.
 * Frozen: a row style set on it would otherwise reach every row.
 */
const PLAIN_ROW: Partial<ExcelJS.Style> = Object.freeze({});

/** Writes and commits one row of values, each cell with its column's style. */
export function writeRow(
  ws: ExcelJS.Worksheet,
  rowNumber: number,
  values: readonly CellValue[],
  styles: readonly Partial<ExcelJS.Style>[],
  height?: number,
): void {
  const row = ws.getRow(rowNumber);
  // Not in exceljs's typings, but the streaming writer reads it on commit.
  (row as unknown as { style: Partial<ExcelJS.Style> }).style = PLAIN_ROW;
  if (height !== undefined) row.height = height;
  values.forEach((value, i) => {
    const cell = row.getCell(i + 1);
    cell.value = value;
    cell.style = styles[i]!;
  });
  row.commit();
}

/** A 填写说明 sheet: one line a row, the first as its heading. */
export function addHelpSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, lines: readonly string[]): void {
  const help = wb.addWorksheet('填写说明');
  help.columns = [{ width: 110 }];
  lines.forEach((line, i) => {
    const row = help.getRow(i + 1);
    row.getCell(1).value = line;
    row.getCell(1).font = i === 0 ? { name: '宋体', size: 14, bold: true } : FONT_BODY;
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    row.commit();
  });
  help.commit();
}

/** Gives the event loop a turn so the zip stream drains while rows are written. */
export function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Sheet XML that may wait for the zip before the writer pauses (see drainSheet). */
const MAX_BACKLOG = 2 * 1024 * 1024;

/**
 * Pacing and backpressure for the streaming writer; call every hundred rows
 * or so. exceljs hands each 64 KB of sheet XML to the zip's deflate stream
 * without waiting, and zlib takes its next chunk only when the event loop
 * turns: the turn given here lets zlib compress on its own thread while the
 * next rows are built. Only when more than MAX_BACKLOG is queued does the
 * writer wait for the deflate stream to catch up, so memory stays bounded (a
 * 140,000-row roster written unpaced would pile up ~120 MB).
 */
export async function drainSheet(ws: ExcelJS.Worksheet): Promise<void> {
  await yieldToIo();
  // exceljs 4.4 internals: the sheet's StreamBuf pipes into archiver's
  // PassThrough (readable-stream 2, which has no writableLength getter).
  type Pipe = Writable & { _writableState?: { length?: number } };
  const pipes = (ws as unknown as { stream?: { pipes?: Pipe[] } }).stream?.pipes ?? [];
  for (const pipe of pipes) {
    if ((pipe._writableState?.length ?? 0) > MAX_BACKLOG) await once(pipe, 'drain');
  }
}

/**
 * Writes a workbook to `out` safely: into a temporary name beside it, renamed
 * into place only when complete, removed on failure (a half-written roster
 * with personal data is never left behind).
 */
export async function writeWorkbookFile<T>(out: string, write: (stream: Writable) => Promise<T>): Promise<T> {
  const target = path.resolve(out);
  const dir = path.dirname(target);
  if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true });
  const partial = path.join(dir, `.${path.basename(target)}.${randomUUID().slice(0, 8)}.partial`);
  const stream = fs.createWriteStream(partial);
  const closed = new Promise<void>((resolve, reject) => {
    stream.once('close', resolve);
    stream.once('error', reject);
  });
  closed.catch(() => undefined); // awaited below; a failure before that is reported by write()
  try {
    const result = await write(stream);
    await closed;
    fs.renameSync(partial, target);
    return result;
  } catch (err) {
    stream.destroy();
    fs.rmSync(partial, { force: true });
    throw err;
  }
}

/** For the UI doors: writes into a temp file, returns it as base64, removes the temp file. */
export async function workbookFileOutput(
  fileName: string,
  write: (stream: Writable) => Promise<unknown>,
): Promise<FileOutput> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deputy-desk-report-'));
  try {
    const file = path.join(dir, 'report.xlsx');
    await writeWorkbookFile(file, write);
    return { fileName, mimeType: XLSX_MIME, base64: fs.readFileSync(file).toString('base64') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A file name without characters Windows refuses. */
export function safeFileName(name: string): string {
  return name.replace(/[\\/:*?"<>|\r\n]+/g, '_').slice(0, 120);
}
