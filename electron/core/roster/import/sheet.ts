/**
 * Reading a workbook with exceljs's streaming reader, one sheet at a time,
 * with merged cells filled in (the value of a merged range goes to every cell
 * of it). Merges are written after the rows, so each sheet is held until its
 * end.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError } from '../../../../shared/errors.js';
import type { SheetRow } from './header.js';
import { SheetScanner } from './sheetScan.js';
import type { CellValue } from './values.js';

export interface RawSheet {
  name: string;
  /** 1-based position in the workbook. */
  position: number;
  hidden: boolean;
  /** Rows in order, by Excel row number; rows the file leaves out are absent. */
  rows: SheetRow[];
  merges: number;
  date1904: boolean;
}

export type WorkbookSource = { path: string } | { buffer: Buffer };

/** The first bytes tell an .xlsx (zip) from an old .xls or something else. */
function checkSignature(head: Buffer, fileName: string): void {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b) return; // PK: zip
  if (head.length >= 4 && head.readUInt32BE(0) === 0xd0cf11e0) {
    throw new AppError(
      'VALIDATION',
      `“${fileName}”是旧版 Excel（.xls）文件或已加密。请在 Excel 或 WPS 中打开，“另存为” .xlsx 格式（并取消打开密码）后再导入。`,
    );
  }
  if (head.length === 0) throw new AppError('VALIDATION', `“${fileName}”是空文件，请选择代表名册的 .xlsx 文件。`);
  throw new AppError('VALIDATION', `“${fileName}”不是 Excel（.xlsx）文件，请选择代表名册的 .xlsx 文件；.csv、.et 等请先另存为 .xlsx。`);
}

function readHead(source: WorkbookSource): Buffer {
  if ('buffer' in source) return source.buffer.subarray(0, 8);
  let fd: number;
  try {
    fd = fs.openSync(source.path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppError(
      code === 'ENOENT' ? 'NOT_FOUND' : 'VALIDATION',
      code === 'ENOENT' ? `找不到文件：${source.path}` : `无法打开文件 ${source.path}：${(err as Error).message}`,
    );
  }
  try {
    const head = Buffer.alloc(8);
    const n = fs.readSync(fd, head, 0, 8, 0);
    return head.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

function decodeRef(ref: string): { row: number; col: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(ref)!;
  let col = 0;
  for (const ch of m[1]!) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]), col };
}

/** Copies the top-left value of each merged range into its other cells. */
function fillMerges(rows: SheetRow[], refs: string[]): SheetRow[] {
  if (refs.length === 0) return rows;
  const byNumber = new Map(rows.map((r) => [r.number, r]));
  let added = false;
  for (const ref of refs) {
    const [a, b = a] = ref.split(':') as [string, string?];
    const from = decodeRef(a);
    const to = decodeRef(b!);
    const value = byNumber.get(from.row)?.cells[from.col];
    if (value === null || value === undefined || value === '') continue;
    for (let r = from.row; r <= to.row; r++) {
      let row = byNumber.get(r);
      if (!row) {
        row = { number: r, cells: [] };
        byNumber.set(r, row);
        added = true;
      }
      for (let c = from.col; c <= to.col; c++) {
        if (r === from.row && c === from.col) continue;
        const current = row.cells[c];
        if (current === null || current === undefined || current === '') row.cells[c] = value;
      }
    }
  }
  return added ? [...byNumber.values()].sort((x, y) => x.number - y.number) : rows;
}

interface StreamSheet {
  name: string;
  state?: string;
  /** The sheet XML as it comes out of the zip (exceljs 4.x). */
  iterator?: AsyncIterable<Buffer | string>;
  [Symbol.asyncIterator](): AsyncIterator<{ number: number; values: CellValue[] }>;
}

interface StreamWorkbook {
  sharedStrings?: unknown[];
  properties?: { model?: { date1904?: boolean } };
  workbookRels?: { Id: string; Target: string }[];
  model?: { sheets?: { rId: string; name: string; state?: string }[] };
}

/**
 * The name and visibility the user sees for a sheet. exceljs matches a sheet
 * to workbook.xml only when the relationship target is relative
 * (`worksheets/sheet1.xml`); writers such as openpyxl use absolute targets
 * (`/xl/worksheets/sheet1.xml`), and the sheet would be called “Sheet1” and
 * a hidden sheet would look visible. The sheet's file number is in its id
 * until exceljs matches it.
 */
function sheetIdentity(book: StreamWorkbook, ws: StreamSheet & { id?: string | number }): { name: string; state?: string } {
  if (ws.name !== `Sheet${ws.id}`) return { name: ws.name, state: ws.state };
  const target = `worksheets/sheet${ws.id}.xml`;
  const rel = (book.workbookRels ?? []).find((r) => r.Target.replace(/^\/?(xl\/)?/, '') === target);
  const sheet = rel && (book.model?.sheets ?? []).find((s) => s.rId === rel.Id);
  return sheet ? { name: sheet.name, state: sheet.state } : { name: ws.name, state: ws.state };
}

/**
 * The sheets of a workbook, one at a time, each with its merged cells filled.
 * exceljs's WorkbookReader streams the zip and the shared strings; the sheet
 * XML is read by SheetScanner (same values, no per-cell objects). Only values
 * are kept, so a 140,000-row sheet fits easily.
 */
export async function* readWorkbook(source: WorkbookSource, fileName: string): AsyncGenerator<RawSheet> {
  checkSignature(readHead(source), fileName);
  const input = 'path' in source ? source.path : Readable.from([source.buffer]);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input as never, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  const book = reader as unknown as StreamWorkbook;
  // exceljs reads `model.sheets` when a sheet arrives after the relationships but before
  // workbook.xml, and would fail on a sound file; an empty model until workbook.xml sets its own.
  const unnamed = { sheets: [] };
  book.model ??= unnamed;
  const pending: { ws: StreamSheet; id?: string | number; position: number; rows: SheetRow[]; merges: number }[] = [];
  const finish = (sheet: (typeof pending)[number]): RawSheet => {
    const { name, state } = sheetIdentity(book, Object.assign(sheet.ws, { id: sheet.id }));
    return {
      name,
      position: sheet.position,
      hidden: state === 'hidden' || state === 'veryHidden',
      rows: sheet.rows,
      merges: sheet.merges,
      date1904: Boolean(book.properties?.model?.date1904),
    };
  };
  let position = 0;
  try {
    for await (const ws of reader as unknown as AsyncIterable<StreamSheet>) {
      position++;
      const rows: SheetRow[] = [];
      let refs: string[] = [];
      if (ws.iterator && typeof ws.iterator[Symbol.asyncIterator] === 'function') {
        const scanner = new SheetScanner(book.sharedStrings ?? [], (row) => {
          if (row.cells.length > 1) rows.push(row);
        });
        for await (const chunk of ws.iterator) scanner.write(chunk);
        refs = scanner.end();
      } else {
        // Another exceljs version: its own rows (merged cells are not reported that way).
        for await (const row of ws) {
          const cells = row.values;
          if (cells.length > 1) rows.push({ number: row.number, cells });
        }
      }
      const sheet = { ws, id: (ws as { id?: string | number }).id, position, rows: fillMerges(rows, refs), merges: refs.length };
      // workbook.xml (names, visibility, date system) may come after the sheets in the zip: then the
      // sheets wait for it, in order. Excel and WPS write it first, so large files stream as before.
      if (book.model === unnamed || pending.length > 0) pending.push(sheet);
      else yield finish(sheet);
    }
    for (const sheet of pending) yield finish(sheet);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(
      'VALIDATION',
      `无法读取“${fileName}”：文件可能已损坏或不是 Excel 工作簿（${(err as Error).message}）。请在 Excel 或 WPS 中打开并重新另存为 .xlsx 后再试。`,
    );
  }
}
