import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readWorkbook } from '../../electron/core/roster/import/sheet.js';
import { SheetScanner } from '../../electron/core/roster/import/sheetScan.js';
import { PYTHON } from '../helpers/openpyxl.js';
import { messyRosterWorkbook } from '../helpers/rosterWorkbook.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * exceljs's streaming reader can meet a worksheet before it has parsed
 * workbook.xml and then throws "reading 'sheets'" (the race the app's own
 * zip reader exists to avoid, see zip.ts); on a busy machine it happens to
 * these helpers too. Only that crash is tried again: any difference in the
 * values read still fails the test.
 */
async function despiteReaderRace<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (err) {
      if (attempt >= 5 || !String((err as Error).message).includes("reading 'sheets'")) throw err;
    }
  }
}

/** Rows as exceljs's own streaming reader gives them (styles ignored). */
async function exceljsRows(file: string): Promise<Record<string, { number: number; values: unknown[] }[]>> {
  const out: Record<string, { number: number; values: unknown[] }[]> = {};
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { styles: 'ignore', sharedStrings: 'cache', worksheets: 'emit' });
  for await (const ws of reader) {
    const rows: { number: number; values: unknown[] }[] = [];
    for await (const row of ws) if ((row.values as unknown[]).length > 1) rows.push({ number: row.number, values: [...(row.values as unknown[])] });
    out[(ws as unknown as { name: string }).name] = rows;
  }
  return out;
}

async function oursRaw(file: string) {
  const out: Record<string, { number: number; values: unknown[] }[]> = {};
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { styles: 'ignore', sharedStrings: 'cache', worksheets: 'emit' });
  for await (const ws of reader) {
    const w = ws as unknown as { name: string; iterator: AsyncIterable<Buffer> };
    const rows: { number: number; values: unknown[] }[] = [];
    const scanner = new SheetScanner((reader as unknown as { sharedStrings?: unknown[] }).sharedStrings ?? [], (r) => {
      if (r.cells.length > 1) rows.push({ number: r.number, values: [...r.cells] });
    });
    for await (const chunk of w.iterator) scanner.write(chunk);
    scanner.end();
    out[w.name] = rows;
  }
  return out;
}

describe('sheet scanner', () => {
  it('reads exactly the values exceljs reads, for shared and inline strings, numbers, dates, booleans, formulas and rich text', async () => {
    const dir = tempDir();
    const messy = path.join(dir, 'messy.xlsx');
    await messyRosterWorkbook(messy);

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('各种值');
    ws.addRow(['文本 & <符号> "引号"', 12.5, true, false, new Date(Date.UTC(1975, 2, 12)), null, '末尾']);
    ws.addRow([{ formula: 'B1*2', result: 25 }, { formula: 'A1&"x"', result: '文本x' }, { richText: [{ text: '富' }, { text: '文本', font: { bold: true } }] }]);
    ws.getCell('J3').value = '远处的单元格';
    ws.getCell('A5').value = '  前后空格  ';
    ws.getCell('B5').value = { error: '#N/A' } as unknown as ExcelJS.CellValue;
    const kinds = path.join(dir, 'kinds.xlsx');
    fs.writeFileSync(kinds, Buffer.from(await wb.xlsx.writeBuffer()));

    // The streaming writer without shared strings writes inline strings.
    const inline = path.join(dir, 'inline.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: inline, useSharedStrings: false });
    const sheet = writer.addWorksheet('内联');
    sheet.addRow(['姓名', '出生年月', '电话']);
    sheet.addRow(['代表', '1975.03', 13800000000]);
    sheet.addRow(['合并', '1975.04', 13800000001]);
    sheet.addRow([null, '1975.05', 13800000002]);
    sheet.mergeCells('A3:A4');
    for (let i = 0; i < 2000; i++) sheet.addRow([`代表${i}`, '1975.03', 13800000000 + i]).commit();
    await writer.commit();

    for (const file of [messy, kinds, inline]) {
      expect(await despiteReaderRace(() => oursRaw(file)), path.basename(file)).toEqual(await despiteReaderRace(() => exceljsRows(file)));
    }
  });

  it('fills merged cells and handles tags cut across chunks', async () => {
    const xml =
      '<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>标题</t></is></c></row>' +
      '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>3.5</v></c></row><row r="4" spans="1:2"/>' +
      '<row r="5"><c r="B5" t="inlineStr"><is><r><t>王</t></r><r><t xml:space="preserve">芳 </t></r><rPh><t>wang</t></rPh></is></c></row>' +
      '</sheetData><mergeCells count="2"><mergeCell ref="A1:C1"/><mergeCell ref="B5:B6"/></mergeCells></worksheet>';
    for (const size of [1, 3, 7, 64, xml.length]) {
      const rows: unknown[] = [];
      const scanner = new SheetScanner(['共享'], (r) => rows.push(r));
      const bytes = Buffer.from(xml);
      for (let i = 0; i < bytes.length; i += size) scanner.write(bytes.subarray(i, i + size));
      expect(scanner.end(), `chunk ${size}`).toEqual(['A1:C1', 'B5:B6']);
      expect(rows, `chunk ${size}`).toEqual([
        { number: 1, cells: [undefined, '标题'] },
        { number: 2, cells: [undefined, '共享', 3.5] },
        { number: 4, cells: [] },
        { number: 5, cells: [undefined, undefined, '王芳 '] },
      ]);
    }
  });

  it('reads attributes separated by tabs or newlines, and cells and rows without them', () => {
    const xml =
      '<worksheet><sheetData><row\nr="2"\thidden="1"><c\tr="B2"\n\tt="s"><v>0</v></c><c r="C2"><v>7</v></c></row>' +
      '<row r="3"><c\r\nr="A3"><v>1</v></c><c t="inlineStr"><is><t>文</t></is></c></row></sheetData></worksheet>';
    const rows: unknown[] = [];
    const scanner = new SheetScanner(['共享'], (r) => rows.push(r));
    scanner.write(Buffer.from(xml));
    scanner.end();
    expect(rows).toEqual([
      { number: 2, cells: [undefined, undefined, '共享', 7], hidden: true },
      { number: 3, cells: [undefined, 1, '文'] },
    ]);
  });

  it('gives each sheet with merged cells filled in', async () => {
    const file = path.join(tempDir(), 'messy.xlsx');
    await messyRosterWorkbook(file);
    const sheets = [];
    for await (const s of readWorkbook({ path: file }, 'messy.xlsx')) sheets.push(s);
    expect(sheets.map((s) => [s.name, s.hidden])).toEqual([
      ['代表名册', false],
      ['县级代表', false],
      ['字典', true],
    ]);
    const first = sheets[0]!;
    const row = (n: number) => first.rows.find((r) => r.number === n)!.cells;
    expect(row(1)[14]).toBe('青山镇第十九届人民代表大会代表名册'); // A1:N1
    expect([row(5)[12], row(6)[12], row(7)[12]]).toEqual(['青山镇', '青山镇', '青山镇']); // L5:L7
  });

  it('names sheets and sees hidden ones in workbooks whose relationships use absolute paths (openpyxl, some generators)', async () => {
    const file = path.join(tempDir(), 'openpyxl.xlsx');
    const script = [
      'import sys, openpyxl',
      'wb = openpyxl.Workbook(); wb.active.title = "乡镇代表"; wb.active.append(["姓名"])',
      'h = wb.create_sheet("说明"); h.append(["填表说明"]); h.sheet_state = "hidden"',
      'wb.create_sheet("县人大代表").append(["姓名"])',
      'wb.save(sys.argv[1])',
    ].join('\n');
    const made = spawnSync(PYTHON, ['-c', script, file], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const sheets = [];
    for await (const s of readWorkbook({ path: file }, 'openpyxl.xlsx')) sheets.push([s.name, s.hidden]);
    expect(sheets).toEqual([
      ['乡镇代表', false],
      ['说明', true],
      ['县人大代表', false],
    ]);
  });

  it('reads a sound workbook whose workbook.xml comes after its sheets in the zip, names and all', async () => {
    const dir = tempDir();
    const plain = path.join(dir, 'plain.xlsx');
    const late = path.join(dir, 'late.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('代表名册').addRows([['姓名', '性别'], ['王芳', '女']]);
    wb.addWorksheet('说明', { state: 'hidden' }).addRow(['填表说明']);
    await wb.xlsx.writeFile(plain);
    // Same parts, reordered: relationships and shared strings first, workbook.xml last.
    const script = [
      'import sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      "rank = lambda n: 9 if n == 'xl/workbook.xml' else 5 if n.startswith('xl/worksheets/sheet') else 1 if n in ('xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml') else 0",
      "out = zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED)",
      '[out.writestr(n, z.read(n)) for n in sorted(z.namelist(), key=rank)]',
      'out.close()',
    ].join('\n');
    const made = spawnSync(PYTHON, ['-c', script, plain, late], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const sheets = [];
    for await (const s of readWorkbook({ path: late }, 'late.xlsx')) sheets.push([s.name, s.hidden, s.rows.length]);
    expect(sheets).toEqual([
      ['代表名册', false, 2],
      ['说明', true, 1],
    ]);
  });

  it('reads every sheet of a workbook with a sheet per township and the shared strings last, as Excel orders them', async () => {
    // exceljs's streaming zip reader reported the end of the file while parts still waited behind
    // the sheets, and the shared strings (every text cell) or workbook.xml (every sheet name) were lost.
    const dir = tempDir();
    const plain = path.join(dir, 'plain.xlsx');
    const excelOrder = path.join(dir, 'excel-order.xlsx');
    const wb = new ExcelJS.Workbook();
    for (let i = 1; i <= 24; i++) wb.addWorksheet(`乡镇${i}`).addRows([['姓名', '性别'], [`代表${i}`, '女']]);
    wb.addWorksheet('字典', { state: 'hidden' }).addRow(['汉族']);
    await wb.xlsx.writeFile(plain);
    const script = [
      'import sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      "head = ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels']",
      "rank = lambda n: head.index(n) if n in head else 9 if n == 'xl/sharedStrings.xml' else 5 if n.startswith('xl/worksheets/') else 7",
      "out = zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED)",
      '[out.writestr(n, z.read(n)) for n in sorted(z.namelist(), key=rank)]',
      'out.close()',
    ].join('\n');
    const made = spawnSync(PYTHON, ['-c', script, plain, excelOrder], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const sheets = [];
    for await (const s of readWorkbook({ path: excelOrder }, 'excel-order.xlsx')) sheets.push([s.name, s.hidden, s.rows.map((r) => r.cells[1])]);
    expect(sheets).toHaveLength(25);
    expect(sheets[23]).toEqual(['乡镇24', false, ['姓名', '代表24']]);
    expect(sheets[24]).toEqual(['字典', true, ['汉族']]);
    const fromBuffer = [];
    for await (const s of readWorkbook({ buffer: fs.readFileSync(excelOrder) }, 'excel-order.xlsx')) fromBuffer.push(s.rows.length);
    expect(fromBuffer).toEqual([...Array(24).fill(2), 1]);
  });

  it('names every sheet of an openpyxl workbook with inline strings and workbook.xml after six sheets', async () => {
    const file = path.join(tempDir(), 'openpyxl-six.xlsx');
    const script = [
      'import sys, openpyxl',
      'wb = openpyxl.Workbook(); wb.active.title = "填表说明"; wb.active.append(["填表说明"])',
      'for name in ["汇总", "青山镇", "石门乡", "县级代表"]: wb.create_sheet(name).append(["姓名", "性别"])',
      'wb.create_sheet("空表")',
      'wb.save(sys.argv[1])',
    ].join('\n');
    const made = spawnSync(PYTHON, ['-c', script, file], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const names = [];
    for await (const s of readWorkbook({ path: file }, 'openpyxl-six.xlsx')) names.push(s.name);
    expect(names).toEqual(['填表说明', '汇总', '青山镇', '石门乡', '县级代表', '空表']);
  });

  it('names the format of a zip that is not an .xlsx (.xlsb, .ods) and says to save as .xlsx', async () => {
    const dir = tempDir();
    const script = [
      'import sys, zipfile',
      "z = zipfile.ZipFile(sys.argv[1], 'w')",
      "z.writestr('_rels/.rels', '<Relationships><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.bin\"/></Relationships>')",
      "z.writestr('xl/workbook.bin', 'x'); z.close()",
      "z = zipfile.ZipFile(sys.argv[2], 'w')",
      "z.writestr('mimetype', 'application/vnd.oasis.opendocument.spreadsheet'); z.writestr('content.xml', '<x/>'); z.close()",
    ].join('\n');
    const xlsb = path.join(dir, '名册.xlsb');
    const ods = path.join(dir, '名册.ods');
    const made = spawnSync(PYTHON, ['-c', script, xlsb, ods], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const read = async (file: string) => {
      for await (const _ of readWorkbook({ path: file }, path.basename(file))) void _;
    };
    await expect(read(xlsb)).rejects.toThrow(/\.xlsb.*另存为/);
    await expect(read(ods)).rejects.toThrow(/\.ods.*另存为/);
  });
});
