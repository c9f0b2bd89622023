import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  addOfficialSheet,
  bodyStyles,
  newWorkbookWriter,
  writeHeaderRow,
  writeRow,
  writeWorkbookFile,
  type CellValue,
} from '../../electron/core/reports/layout.js';
import { SheetRowWriter } from '../../electron/core/reports/sheet-rows.js';
import { PYTHON } from '../helpers/openpyxl.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deputy-desk-sheet-rows-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const COLUMNS = [{ align: 'center' as const }, {}, { align: 'center' as const }, { money: true }, { text: true }];

/** Values exceljs has opinions about: escaping, characters XML cannot hold, empties, numbers. */
const ROWS: CellValue[][] = [
  [1, '李春梅', '女', 1234.5, '430281197805121220'],
  [2, 'A & B <c> "d" \'e\'', '', -0.25, null],
  [3, 'tab\tnew\nline\rret', 'ctl\x01\x08\x0B\x0C\x0E\x1F\x7Fend', 0, '😀 𠀀'],
  [null, null, null, null, null], // exceljs leaves a row without values out
  [5, null, '第2选区', 1e21, ''],
  [null, 'first empty', null, 3, 'x'.repeat(300)],
];

async function write(file: string, body: (ws: ExcelJS.Worksheet, styles: Partial<ExcelJS.Style>[]) => void): Promise<string> {
  await writeWorkbookFile(file, async (stream) => {
    const wb = newWorkbookWriter(stream);
    wb.created = new Date(0);
    const ws = addOfficialSheet(wb, {
      sheetName: '表',
      title: '标题',
      widths: COLUMNS.map(() => 10),
      officeLine: { left: '左', right: '右' },
      headerRowCount: 1,
    });
    writeHeaderRow(ws, ['一', '二', '三', '四', '五']);
    body(ws, bodyStyles(COLUMNS));
    ws.commit();
    await wb.commit();
  });
  const py = spawnSync(
    PYTHON,
    ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); sys.stdout.write(z.read("xl/worksheets/sheet1.xml").decode() + "\\n--\\n" + z.read("xl/styles.xml").decode())', file],
    { encoding: 'utf8' },
  );
  expect(py.status, py.stderr).toBe(0);
  return py.stdout;
}

describe('SheetRowWriter', () => {
  it('writes the very bytes exceljs writes for the same rows and styles', async () => {
    const viaExcelJs = await write(path.join(dir, 'exceljs.xlsx'), (ws, styles) => {
      ROWS.forEach((values, i) => writeRow(ws, 4 + i, values, styles));
    });
    const direct = await write(path.join(dir, 'direct.xlsx'), (ws, styles) => {
      const rows = new SheetRowWriter(ws, styles);
      ROWS.slice(0, 3).forEach((values) => rows.write(values));
      rows.flush();
      ROWS.slice(3).forEach((values) => rows.write(values));
      rows.flush();
    });
    expect(direct).toContain('A &amp; B &lt;c&gt; &quot;d&quot; &apos;e&apos;');
    expect(direct).toContain('<row r="8" spans="1:5" x14ac:dyDescent="0.25"><c r="A8" s="');
    expect(direct).not.toContain('<row r="7"');
    expect(direct).toBe(viaExcelJs);
  });

  it('refuses rows of the wrong width, and a sheet whose rows above are not committed', async () => {
    await write(path.join(dir, 'refuse.xlsx'), (ws, styles) => {
      const rows = new SheetRowWriter(ws, styles);
      expect(() => rows.write([1, 2])).toThrow(/2 values for 5 columns/);
      rows.flush();
      ws.getRow(100).getCell(1).value = 'pending';
      expect(() => new SheetRowWriter(ws, styles)).toThrow(/commit the rows above/);
      ws.getRow(100).commit();
    });
  });
});
