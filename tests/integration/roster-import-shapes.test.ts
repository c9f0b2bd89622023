/**
 * Roster import against workbook shapes found in real offices, each written
 * the way the office's tool writes it (exceljs, or openpyxl like many
 * generators and WPS-style inline strings), read back through the real import.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { CoreContext } from '../../electron/core/context.js';
import { exportRosterWorkbook } from '../../electron/core/reports/roster.js';
import { importRosterFile } from '../../electron/core/roster/import/index.js';
import { PYTHON } from '../helpers/openpyxl.js';
import { idNumber } from '../helpers/rosterWorkbook.js';
import { tempDir, townshipContext } from '../helpers/tmp.js';

async function exceljsFile(build: (wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  const file = path.join(tempDir(), 'roster.xlsx');
  fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
  return file;
}

/** A workbook written by openpyxl (inline strings, formulas without results); `wb` and `ws` are ready. */
function openpyxlFile(body: string): string {
  const file = path.join(tempDir(), 'roster.xlsx');
  const script = ['import sys, datetime, openpyxl', 'wb = openpyxl.Workbook(); ws = wb.active', body, 'wb.save(sys.argv[1])'].join('\n');
  const made = spawnSync(PYTHON, ['-c', script, file], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(made.stderr);
  return file;
}

const personOf = (ctx: CoreContext, name: string) =>
  ctx.db.prepare('SELECT * FROM persons WHERE name = ? AND deleted_at IS NULL').get(name) as Record<string, unknown> | undefined;
const seatOf = (ctx: CoreContext, name: string) =>
  ctx.db.prepare('SELECT s.* FROM seats s JOIN persons p ON p.id = s.person_id WHERE p.name = ?').get(name) as Record<string, unknown> | undefined;

describe('roster import: header shapes', () => {
  it('reads a two-row header whose parent cells name the column with the cell below (出生/年月, 代表证/号码), and skips it where it repeats', async () => {
    const ctx = townshipContext();
    const ids = [idNumber('19751003', '111'), idNumber('19800301', '122'), idNumber('19760402', '131')];
    const file = await exceljsFile((wb) => {
      const ws = wb.addWorksheet('青山镇');
      const heading = () => {
        ws.addRow(['序号', '姓名', '性别', '出生', '', '代表证', '身份证号码']);
        ws.addRow(['', '', '', '年月', '民族', '号码', '']);
        const n = ws.rowCount;
        for (const c of ['A', 'B', 'C', 'G']) ws.mergeCells(`${c}${n - 1}:${c}${n}`);
        ws.mergeCells(`D${n - 1}:E${n - 1}`);
      };
      ws.addRow(['青山镇第十九届人大代表花名册']);
      ws.mergeCells('A1:G1');
      heading();
      ws.addRow([1, '张一', '男', '1975.10', '汉', 'QS001', ids[0]]);
      ws.addRow([2, '张二', '女', '1980.03', '蒙古', 'QS002', ids[1]]);
      heading(); // the next printed page, pasted
      ws.addRow([3, '张三', '男', '1976.04', '汉族', 'QS003', ids[2]]);
    });
    const report = await importRosterFile(ctx, file, { fills: { 层级: '乡镇', 届次: '第十九届' } });
    expect(report.sheets[0]).toMatchObject({ headerRow: 2, headerRowCount: 2, dataRows: 3 });
    expect(report.sheets[0]!.columns.map((c) => [c.header, c.field])).toEqual([
      ['序号', 'serial'],
      ['姓名', 'name'],
      ['性别', 'gender'],
      ['出生/年月', 'birthDate'],
      ['出生/民族', 'ethnicity'],
      ['代表证/号码', 'certificateNo'],
      ['身份证号码', 'idNumber'],
    ]);
    expect(report).toMatchObject({ imported: 3, errors: [], ignoredColumns: [] });
    expect(personOf(ctx, '张二')).toMatchObject({ birth_date: '1980-03', ethnicity: '蒙古族' });
    expect(seatOf(ctx, '张三')).toMatchObject({ certificate_no: 'QS003' });
  });
});

describe('roster import: a header merged over two columns', () => {
  it('says nothing of an empty second column, and names a full one by its letter', async () => {
    const ctx = townshipContext();
    const file = await exceljsFile((wb) => {
      const ws = wb.addWorksheet('名册');
      ws.addRow(['青山镇第十九届人民代表大会代表名册']);
      ws.addRow(['序号', '姓名', '性别', '民族', '工作单位及职务', '', '备注', '']);
      ws.mergeCells('E2:F2');
      ws.mergeCells('G2:H2');
      ws.addRow([1, '张一', '男', '汉族', '青山镇政府', '镇长', '新任', null]);
      ws.addRow([2, '张二', '女', '汉族', '青山镇小学', '', null, null]);
      // A note under the table, merged across every column: the same text in each, nothing of H's own.
      ws.addRow(['注：以上代表均为第十九届', '注：以上代表均为第十九届']);
      ws.mergeCells('A5:H5');
    });
    const report = await importRosterFile(ctx, file, { fills: { 层级: '乡镇', 届次: '第十九届' } });
    expect(report.imported).toBe(2);
    // F holds 镇长: said, by letter. H (under 备注) is empty: not mentioned at all.
    expect(report.ignoredColumns).toEqual(['工作单位及职务（F列）']);
    expect(report.warnings.filter((w) => w.row === 2).map((w) => w.message)).toEqual([
      '“工作单位及职务（E列）”列和“工作单位及职务（F列）”列都是“工作单位及职务”，只导入了“工作单位及职务（E列）”列',
    ]);
    expect(personOf(ctx, '张一')).toMatchObject({ work_unit: '青山镇政府', note: null });
    expect(seatOf(ctx, '张一')).toMatchObject({ note: '新任' });
  });
});

describe('roster import: dates as offices type them', () => {
  it('reads 1975.1 as October when the ID number says so, a date serial typed as text, and two-digit birth years', async () => {
    const ctx = townshipContext();
    const ids = {
      oct: idNumber('19751003', '111'),
      jan: idNumber('19750103', '131'),
      serial: idNumber('19760402', '151'),
      short: idNumber('19750301', '171'),
    };
    const file = await exceljsFile((wb) => {
      const ws = wb.addWorksheet('Sheet1');
      ws.addRow(['姓名', '出生年月', '身份证号', '层级', '届次']);
      ws.addRow(['一', 1975.1, ids.oct, '乡镇', '第十九届']); // Excel shows 1975.1 for 1975.10 typed into a number cell
      ws.addRow(['二', 1975.1, ids.jan, '乡镇', '第十九届']);
      ws.addRow(['三', '27852', ids.serial, '乡镇', '第十九届']); // 1976-04-02 as a serial pasted as text
      ws.addRow(['四', '75.03', ids.short, '乡镇', '第十九届']);
      ws.addRow(['五', 75.03, null, '乡镇', '第十九届']); // a number cell: not day 75 of 1900
      ws.addRow(['六', 1975.1, null, '乡镇', '第十九届']);
    });
    const report = await importRosterFile(ctx, file);
    expect(report.errors).toEqual([]);
    expect(personOf(ctx, '一')!.birth_date).toBe('1975-10');
    expect(personOf(ctx, '二')!.birth_date).toBe('1975-01');
    expect(personOf(ctx, '三')!.birth_date).toBe('1976-04-02');
    expect(personOf(ctx, '四')!.birth_date).toBe('1975-03');
    expect(personOf(ctx, '五')!.birth_date).toBe('1975-03');
    expect(personOf(ctx, '六')!.birth_date).toBe('1975-01');
    // Where the ID number settles the month or the century, nothing to warn about.
    expect(report.warnings.map((w) => [w.row, w.message])).toEqual([
      [6, expect.stringContaining('年份只有两位')],
      [7, expect.stringContaining('1975.10')],
    ]);
  });
});

describe('roster import: real Excel dates shown without the day', () => {
  it('reads a date shown as 1975年3月 as the month the clerk typed, which agrees with the ID number, and 1975.1 shown as 1975.10 as October', async () => {
    const ctx = townshipContext();
    const id = idNumber('19750312', '111');
    const file = openpyxlFile(
      [
        "ws.append(['姓名', '出生年月', '身份证号', '层级', '届次', '当选日期'])",
        `ws.append(['甲', datetime.datetime(1975, 3, 1), '${id}', '乡镇', '第十九届', datetime.datetime(2021, 11, 15)])`,
        "ws.append(['乙', datetime.datetime(1976, 4, 1), None, '乡镇', '第十九届', datetime.datetime(2021, 11, 1)])",
        "ws.append(['丙', datetime.datetime(1977, 5, 1), None, '乡镇', '第十九届', None])",
        "ws.append(['丁', datetime.datetime(1978, 6, 1), None, '乡镇', '第十九届', None])",
        "ws.append(['戊', 1975.1, None, '乡镇', '第十九届', None])", // shown as 1975.10 by its 0.00 format
        `ws['B2'].number_format = 'yyyy"年"m"月"'`,
        "ws['B3'].number_format = 'yyyy.mm'",
        "ws['B4'].number_format = 'yyyy-mm-dd'",
        "ws['B5'].number_format = 'yyyy'",
        "ws['B6'].number_format = '0.00'",
        `ws['F2'].number_format = 'yyyy"年"m"月"d"日"'`,
        `ws['F3'].number_format = 'yyyy"年"m"月"'`,
      ].join('\n'),
    );
    const report = await importRosterFile(ctx, file);
    expect(report.errors.map((e) => [e.row, e.column, e.message])).toEqual([
      [3, '当选日期', expect.stringContaining('请填到日')], // the sheet shows 2021年11月
      [5, '出生年月', expect.stringContaining('只填了年份')], // the sheet shows 1978
    ]);
    expect(personOf(ctx, '甲')).toMatchObject({ birth_date: '1975-03' }); // shown 1975年3月; no conflict with the ID's 12th
    expect(seatOf(ctx, '甲')).toMatchObject({ start_date: '2021-11-15' });
    expect(personOf(ctx, '丙')).toMatchObject({ birth_date: '1977-05-01' }); // shown with its day
    expect(personOf(ctx, '戊')).toMatchObject({ birth_date: '1975-10' });
    expect(report.warnings).toEqual([]);
  });
});

describe('roster import: formulas and error values', () => {
  it('reads a formula saved without its result as empty with a warning, and an error value as an error', async () => {
    const ctx = townshipContext();
    const a = idNumber('19700101', '111');
    const b = idNumber('19710101', '121');
    const file = openpyxlFile(
      [
        "ws.append(['序号', '姓名', '身份证号', '出生年月', '性别', '民族', '备注', '层级', '届次'])",
        `ws.append(['=ROW()-1', '甲一', '${a}', '=MID(C2,7,4)&"."&MID(C2,11,2)', '男', '汉族', True, '乡镇', '第十九届'])`,
        `ws.append(['=ROW()-1', '甲二', '${b}', None, '男', '#N/A', None, '乡镇', '第十九届'])`,
        "ws['F3'].data_type = 'e'",
        // template rows: formulas only, no data
        "ws.append(['=ROW()-1', None, None, '=IF(C4=\"\",\"\",MID(C4,7,4))'])",
      ].join('\n'),
    );
    const report = await importRosterFile(ctx, file);
    expect(report).toMatchObject({ imported: 1, errorRows: 1, rows: 2 });
    expect(report.errors).toEqual([{ sheet: 'Sheet', row: 3, column: '民族', message: expect.stringContaining('#N/A') }]);
    expect(report.warnings).toEqual([
      { sheet: 'Sheet', row: 2, column: '出生年月', message: expect.stringContaining('没有保存计算结果') },
    ]);
    expect(personOf(ctx, '甲一')).toMatchObject({ birth_date: '1970-01-01' }); // from the ID number
    expect(seatOf(ctx, '甲一')).toMatchObject({ note: '是' }); // TRUE reads as Excel shows it, not “true”
  });
});

describe('roster import: one sheet per township', () => {
  it('takes 所属乡镇 from the sheet name when the sheet has no such column, and leaves summary and note sheets alone', async () => {
    const ctx = townshipContext();
    const file = openpyxlFile(
      [
        "ws.title = '填表说明'; ws.append(['填表说明：出生年月格式为 1975.03'])",
        "s = wb.create_sheet('汇总'); s.append(['乡镇', '代表人数', '女性']); s.append(['青山镇', 1, 1]); s.append(['合计', 1, 1])",
        "a = wb.create_sheet('青山镇'); a.append(['姓名', '性别', '出生年月']); a.append(['王芳', '女', '1975.03'])",
        "b = wb.create_sheet('石门乡'); b.append(['姓名', '性别', '出生年月', '所属乡镇']); b.append(['陈静', '女', '1972.06', '石门乡'])",
        "wb.create_sheet('Sheet5')",
      ].join('\n'),
    );
    const report = await importRosterFile(ctx, file, { fills: { 层级: '乡镇', 届次: '第十九届' } });
    expect(report).toMatchObject({ imported: 2, errors: [] });
    expect(report.sheets.map((s) => [s.name, s.included])).toEqual([
      ['填表说明', false],
      ['汇总', false],
      ['青山镇', true],
      ['石门乡', true],
      ['Sheet5', false],
    ]);
    expect(report.sheets[2]!.fillsUsed).toContainEqual({ field: 'township', value: '青山镇', source: 'sheetName' });
    expect(report.warnings).toContainEqual(expect.objectContaining({ sheet: '青山镇', column: '所属乡镇', message: expect.stringContaining('按工作表名称') }));
    expect(seatOf(ctx, '王芳')).toMatchObject({ township: '青山镇', level: 'township' });
    expect(seatOf(ctx, '陈静')).toMatchObject({ township: '石门乡' });
  });
});

describe('roster import: what comes under the table', () => {
  it('skips figures and sign-off lines under a 合计 row, but still reads a deputy added below it', async () => {
    const ctx = townshipContext();
    const file = openpyxlFile(
      [
        "ws.append(['序号', '姓名', '性别', '出生年月', '层级', '届次'])",
        "ws.append([1, '甲', '男', '1970.01', '乡镇', '第十九届'])",
        "ws.append([2, '乙', '女', '1971.01', '乡镇', '第十九届'])",
        "ws.append(['总计', '2'])",
        "ws.append(['女性', '1'])", // a figure under the total, in the 序号 and 姓名 columns
        "ws.append(['中共党员', 1])",
        "ws.append([None, '丙', '男', '1972.01', '乡镇', '第十九届'])", // by-election, appended later
        "ws.append(['制表：张三', '', '审核：李四', '', '', '2024年1月10日'])",
        "ws.append(['2024年1月10日'])",
      ].join('\n'),
    );
    const report = await importRosterFile(ctx, file);
    expect(report).toMatchObject({ imported: 3, rows: 3, errors: [] });
    expect(personOf(ctx, '丙')).toBeDefined();
  });
});

describe('roster import: hidden rows', () => {
  it('reads rows hidden by hand or by a filter, and says which they are', async () => {
    const ctx = townshipContext();
    const file = openpyxlFile(
      [
        "ws.append(['姓名', '性别', '层级', '届次'])",
        "for n in ['甲', '乙', '丙']: ws.append([n, '男', '乡镇', '第十九届'])",
        'ws.row_dimensions[3].hidden = True',
        "ws.column_dimensions['B'].hidden = True",
      ].join('\n'),
    );
    const report = await importRosterFile(ctx, file);
    expect(report).toMatchObject({ imported: 3, errors: [] });
    expect(report.warnings).toEqual([{ sheet: 'Sheet', row: null, column: '', message: expect.stringContaining('第3行') }]);
    expect(personOf(ctx, '乙')).toMatchObject({ gender: '男' });
  });
});

describe('roster import: seats that ended', () => {
  it('reads 任职状态, 资格终止日期 and 终止原因, and does not bring an ended seat back', async () => {
    const ctx = townshipContext();
    const id = (n: number) => idNumber(`197${n}0101`, `1${n}1`);
    const file = (status: string) =>
      openpyxlFile(
        [
          "ws.title = '县级代表'",
          "ws.append(['姓名', '身份证号', '届次', '当选日期', '状态', '资格终止日期', '终止原因'])",
          `ws.append(['甲', '${id(0)}', '第十九届', '2021-11-15', '在任', None, None])`,
          `ws.append(['乙', '${id(1)}', '第十九届', '2021-11-15', ${status}, '2023-05-10', '调离本县'])`,
          `ws.append(['丙', '${id(2)}', '第十九届', '2021-11-15', '去世', '2024-02-01', None])`,
          `ws.append(['丁', '${id(3)}', '第十九届', '2021-11-15', '在任', '2024-02-01', '辞职'])`,
          `ws.append(['戊', '${id(4)}', '第十九届', '2021-11-15', '暂停执行代表职务', None, None])`,
        ].join('\n'),
      );
    const first = await importRosterFile(ctx, file('None'));
    expect(first).toMatchObject({ imported: 4, errorRows: 1 });
    expect(first.errors).toEqual([{ sheet: '县级代表', row: 5, column: '状态', message: expect.stringContaining('在任') }]);
    expect(seatOf(ctx, '甲')).toMatchObject({ status: 'current', end_date: null });
    expect(seatOf(ctx, '乙')).toMatchObject({ status: 'ended', end_date: '2023-05-10', end_reason: '迁出或调离本行政区域' });
    expect(seatOf(ctx, '丙')).toMatchObject({ status: 'ended', end_date: '2024-02-01', end_reason: '死亡' });
    expect(seatOf(ctx, '戊')).toMatchObject({ status: 'suspended' });

    expect(await importRosterFile(ctx, file('None'))).toMatchObject({ imported: 0, updated: 0, unchanged: 4 });
    // An older list that still shows 乙 in office: nothing changes, and the clerk is told.
    const older = await importRosterFile(ctx, file("'在任'"));
    expect(older.errors.map((e) => e.row)).toEqual([3, 5]); // 在任 with an end date is still a contradiction
    const again = await importRosterFile(
      ctx,
      openpyxlFile(["ws.title = '县级代表'", "ws.append(['姓名', '身份证号', '届次', '状态'])", `ws.append(['乙', '${id(1)}', '第十九届', '在任'])`].join('\n')),
    );
    expect(again).toMatchObject({ updated: 0, unchanged: 1 });
    expect(again.warnings).toContainEqual(expect.objectContaining({ row: 2, column: '状态', message: expect.stringContaining('已于 2023-05-10 终止') }));
    expect(seatOf(ctx, '乙')).toMatchObject({ status: 'ended' });
  });
});

describe('roster import: a table in groups', () => {
  it('gives the rows under a group heading its township, or its level, where the sheet has no such column', async () => {
    const ctx = townshipContext();
    const file = openpyxlFile(
      [
        "ws.title = '代表名册'",
        "ws.append(['序号', '姓名', '性别', '出生年月', '届次'])",
        "ws.append(['一、县人大代表']); ws.merge_cells('A2:E2')",
        "ws.append(['青山镇代表团（1人）']); ws.merge_cells('A3:E3')", // county deputies grouped by delegation
        "ws.append([1, '甲', '男', '1970.01', '第十九届'])",
        "ws.append(['石门乡代表团']); ws.merge_cells('A5:E5')",
        "ws.append([1, '乙', '女', '1971.01', '第十九届'])",
        "ws.append(['小计', '2人'])",
        "ws.append(['二、乡镇人大代表'])", // typed in one cell, not merged
        "ws.append([1, '甲', '男', '1970.01', '第十九届'])",
        "ws.append(['合计', '3人'])",
      ].join('\n'),
    );
    const report = await importRosterFile(ctx, file);
    expect(report).toMatchObject({ imported: 3, newPersons: 2, errors: [] });
    const seats = ctx.db
      .prepare('SELECT p.name, s.level, s.township FROM seats s JOIN persons p ON p.id = s.person_id ORDER BY p.name, s.level')
      .all();
    expect(seats).toEqual([
      { name: '乙', level: 'county', township: '石门乡' },
      { name: '甲', level: 'county', township: '青山镇' },
      { name: '甲', level: 'township', township: null }, // a level heading ends the township group before it
    ]);
    expect(report.warnings.map((w) => w.row)).toEqual([2, 3, 5, 8]);
  });
});

describe('roster import: the title above the table', () => {
  it('gives the term and level a sheet has no column or fill for, as a clerk reads it', async () => {
    const ctx = townshipContext();
    const sheet = (title: string) =>
      [`ws.append(['${title}'])`, "ws.merge_cells('A1:C1')", "ws.append(['姓名', '性别', '出生年月'])", "ws.append(['王芳', '女', '1975.03'])"].join('\n');
    const titled = await importRosterFile(ctx, openpyxlFile(sheet('青山镇第十九届人民代表大会代表名册')));
    expect(titled).toMatchObject({ imported: 1, errors: [] });
    expect(titled.sheets[0]!.fillsUsed).toEqual([
      { field: 'term', value: '第十九届', source: 'title' },
      { field: 'level', value: '乡镇', source: 'title' },
    ]);
    expect(seatOf(ctx, '王芳')).toMatchObject({ level: 'township', term: '第十九届' });
    // A fill says otherwise: the fill wins.
    const filled = await importRosterFile(ctx, openpyxlFile(sheet('青山镇第十九届人民代表大会代表名册')), { fills: { 届次: '第二十届' } });
    expect(filled.sheets[0]!.fillsUsed).toContainEqual({ field: 'term', value: '第二十届', source: 'fill' });
    // Two terms in the title: not a guess the import makes.
    const two = await importRosterFile(ctx, openpyxlFile(sheet('第十八届、第十九届乡镇人大代表对照表')), { dryRun: true });
    expect(two.sheets[0]!.missing).toEqual(['term']);
  });
});

describe('roster import: the roster the app exported, edited and imported again', () => {
  it('reads back status and by-election from 备注 instead of piling them into the note, and ignores masked numbers', async () => {
    const ctx = townshipContext();
    const ids = [idNumber('19700101', '111'), idNumber('19710101', '121'), idNumber('19720101', '131')];
    const source = openpyxlFile(
      [
        "ws.title = '县级代表'",
        "ws.append(['姓名', '身份证号', '届次', '联系电话', '当选日期', '当选方式', '资格终止日期', '终止原因', '备注'])",
        `ws.append(['甲', '${ids[0]}', '第十九届', '13800000001', None, None, None, None, '连任'])`,
        `ws.append(['乙', '${ids[1]}', '第十九届', '13800000002', None, None, '2023-05-10', '调离', None])`,
        `ws.append(['丙', '${ids[2]}', '第十九届', '13800000003', '2022-03-10', '补选', None, None, None])`,
      ].join('\n'),
    );
    expect(await importRosterFile(ctx, source)).toMatchObject({ imported: 3, errors: [] });
    const before = ctx.db.prepare('SELECT * FROM seats ORDER BY id').all();

    for (const unmasked of [false, true]) {
      const out = path.join(tempDir(), `export-${unmasked}.xlsx`);
      await exportRosterWorkbook(ctx, { status: 'all', unmasked }, out);
      const again = await importRosterFile(ctx, out);
      expect(again, `unmasked: ${unmasked}`).toMatchObject({ imported: 0, updated: 0, unchanged: 3, errors: [] });
      expect(again.warnings.length).toBe(unmasked ? 0 : 6); // the hidden ID and phone of each row
    }
    expect(ctx.db.prepare('SELECT * FROM seats ORDER BY id').all()).toEqual(before);

    // Into an empty roster, the export gives the same seats.
    const fresh = townshipContext();
    const out = path.join(tempDir(), 'export.xlsx');
    await exportRosterWorkbook(ctx, { status: 'all', unmasked: true }, out);
    expect(await importRosterFile(fresh, out)).toMatchObject({ imported: 3, errors: [] });
    expect(seatOf(fresh, '甲')).toMatchObject({ status: 'current', note: '连任' });
    expect(seatOf(fresh, '乙')).toMatchObject({ status: 'ended', end_date: '2023-05-10', end_reason: '迁出或调离本行政区域', note: null });
    expect(seatOf(fresh, '丙')).toMatchObject({ start_method: 'by_election', start_date: '2022-03-10', note: null });
  });
});

describe('roster import: the same name in two sheets with little else', () => {
  it('takes a name without ID or birth month on both sides for one person, and says so when it cannot tell', async () => {
    const ctx = townshipContext();
    const file = openpyxlFile(
      [
        "ws.title = '乡镇代表'",
        "ws.append(['姓名', '性别', '届次'])",
        "ws.append(['张三', '男', '第十九届'])",
        "ws.append(['李四', '男', '第十九届'])",
        "b = wb.create_sheet('县级代表')",
        "b.append(['姓名', '性别', '出生年月', '届次'])",
        "b.append(['张三', '男', None, '第十九届'])", // nothing more on either side: the same person, a second seat
        "b.append(['李四', '男', '1970.01', '第十九届'])", // a birth month on one side only: cannot tell
      ].join('\n'),
    );
    const report = await importRosterFile(ctx, file);
    expect(report).toMatchObject({ imported: 4, newPersons: 3, errors: [] });
    expect(ctx.db.prepare("SELECT count(*) FROM persons WHERE name = '张三'").pluck().get()).toBe(1);
    expect(report.warnings.filter((w) => w.column === '姓名')).toEqual([
      { sheet: '县级代表', row: 3, column: '姓名', message: expect.stringContaining('已作为另一人登记') },
    ]);
    expect(await importRosterFile(ctx, file)).toMatchObject({ imported: 0, unchanged: 4 });
  });
});

describe('roster import: sentences typed under the table', () => {
  it('does not take a line in the name column for a deputy, even when fills give every row a level and term', async () => {
    const ctx = townshipContext();
    const file = openpyxlFile(
      [
        "ws.append(['姓名', '性别', '出生年月'])",
        "ws.append(['甲', '男', '1970.01'])",
        "ws.append(['乙', '女', '1971.01'])",
        "ws.append(['本表由乡镇人大主席团填报'])",
        "ws.append(['填表人签字'])",
        "ws.append(['共2人'])",
      ].join('\n'),
    );
    const report = await importRosterFile(ctx, file, { fills: { 层级: '乡镇', 届次: '第十九届' } });
    expect(report).toMatchObject({ imported: 2, rows: 2, errors: [] });
    expect(ctx.db.prepare('SELECT count(*) FROM persons').pluck().get()).toBe(2);
  });
});

describe('roster import: a hidden sheet with deputies on it', () => {
  it('leaves it out with a warning, and imports it when named with --sheet', async () => {
    const ctx = townshipContext();
    const file = openpyxlFile(
      [
        "ws.title = '乡镇代表'; ws.append(['姓名', '性别', '届次']); ws.append(['甲', '男', '第十九届'])",
        "h = wb.create_sheet('县级代表'); h.append(['姓名', '性别', '届次']); h.append(['乙', '女', '第十九届']); h.sheet_state = 'hidden'",
        "d = wb.create_sheet('字典'); d.append(['民族', '政治面貌']); d.append(['汉族', '群众']); d.sheet_state = 'hidden'",
      ].join('\n'),
    );
    const report = await importRosterFile(ctx, file);
    expect(report).toMatchObject({ imported: 1 });
    expect(report.warnings.filter((w) => w.message.includes('隐藏'))).toEqual([
      { sheet: '县级代表', row: null, column: '', message: expect.stringContaining('--sheet') },
    ]);
    const named = await importRosterFile(ctx, file, { onlySheets: ['县级代表'] });
    expect(named).toMatchObject({ imported: 1, errors: [] });
    expect(seatOf(ctx, '乙')).toMatchObject({ level: 'county' });
  });
});
