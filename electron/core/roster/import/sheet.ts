/**
 * Reading a workbook one sheet at a time, with merged cells filled in (the
 * value of a merged range goes to every cell of it). Merges are written after
 * the rows, so each sheet is held until its end.
 */
import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { AppError } from '../../../../shared/errors.js';
import { readBookModel, SharedStringsReader, shownStyles, workbookPart, type Shown } from './bookParts.js';
import type { SheetRow } from './header.js';
import { SheetScanner } from './sheetScan.js';
import { ZipReader } from './zip.js';
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

/**
 * The sheets of a workbook in the order of its tabs, one at a time, each with
 * its merged cells filled. The zip is read by its directory (ZipReader), so
 * the order of the parts inside it does not matter; each sheet's XML streams
 * through SheetScanner, so a 140,000-row sheet fits easily.
 */
export async function* readWorkbook(source: WorkbookSource, fileName: string): AsyncGenerator<RawSheet> {
  checkSignature(readHead(source), fileName);
  const unreadable = (err: unknown) =>
    err instanceof AppError
      ? err
      : new AppError(
          'VALIDATION',
          `无法读取“${fileName}”：文件可能已损坏或不是 Excel 工作簿（${(err as Error).message}）。请在 Excel 或 WPS 中打开并重新另存为 .xlsx 后再试。`,
        );
  let zip: ZipReader;
  try {
    zip = await ZipReader.open(source);
  } catch (err) {
    throw unreadable(err);
  }
  try {
    const rootRels = zip.entry('_rels/.rels');
    const bookPath = workbookPart(rootRels ? await zip.text(rootRels) : null);
    const bookEntry = zip.entry(bookPath);
    if (!rootRels && zip.entry('mimetype') && zip.entry('content.xml')) {
      throw new AppError('VALIDATION', `“${fileName}”是 OpenDocument 表格（.ods），请在 WPS 或 LibreOffice 中“另存为” .xlsx 格式后再导入。`);
    }
    if (/\.bin$/i.test(bookPath)) {
      throw new AppError('VALIDATION', `“${fileName}”是 Excel 二进制工作簿（.xlsb），请在 Excel 或 WPS 中“另存为” .xlsx 格式后再导入。`);
    }
    if (!bookEntry) throw new Error(`缺少 ${bookPath}`);
    const relsEntry = zip.entry(bookPath.replace(/([^/]+)$/, '_rels/$1.rels'));
    const model = readBookModel(await zip.text(bookEntry), bookPath, relsEntry ? await zip.text(relsEntry) : null);
    const sharedEntry = zip.entry(model.sharedStringsPart ?? 'xl/sharedStrings.xml');
    let shared: string[] = [];
    if (sharedEntry) {
      const reader = new SharedStringsReader();
      const decoder = new StringDecoder('utf8');
      for await (const chunk of zip.chunks(sharedEntry)) reader.write(decoder.write(chunk));
      reader.write(decoder.end());
      shared = reader.end();
    }
    const stylesEntry = zip.entry(model.stylesPart ?? 'xl/styles.xml');
    const styles = stylesEntry ? shownStyles(await zip.text(stylesEntry)) : new Map<number, Shown>();
    const months = styles.size ? { styles, date1904: model.date1904 } : null;
    let position = 0;
    for (const book of model.sheets) {
      position++;
      const entry = book.part ? zip.entry(book.part) : undefined;
      if (!entry) continue; // a chart sheet, or a sheet without cells
      const rows: SheetRow[] = [];
      const scanner = new SheetScanner(
        shared,
        (row) => {
          if (row.cells.length > 1) rows.push(row);
        },
        months,
      );
      for await (const chunk of zip.chunks(entry)) scanner.write(chunk);
      const refs = scanner.end();
      yield {
        name: book.name,
        position,
        hidden: book.hidden,
        rows: fillMerges(rows, refs),
        merges: refs.length,
        date1904: model.date1904,
      };
    }
  } catch (err) {
    throw unreadable(err);
  } finally {
    await zip.close();
  }
}
