import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { RosterImportReport } from '../../shared/contract/index.js';
import type { Result } from '../../shared/errors.js';
import type { CoreContext } from '../../electron/core/context.js';
import { createDispatcher } from '../../electron/core/dispatcher.js';
import { importRosterFile } from '../../electron/core/roster/import/index.js';
import { runCli } from '../helpers/cli.js';
import { IDS, idNumber, messyRosterWorkbook, MESSY_FILLS } from '../helpers/rosterWorkbook.js';
import { tempDir, townshipContext } from '../helpers/tmp.js';

function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data;
}

const fileInput = (file: string) => ({ name: path.basename(file), base64: fs.readFileSync(file).toString('base64') });
const count = (ctx: CoreContext, sql: string) => ctx.db.prepare(sql).pluck().get() as number;
const changeLog = (ctx: CoreContext) => count(ctx, 'SELECT count(*) FROM change_log');

async function messyFile(options?: Parameters<typeof messyRosterWorkbook>[1]): Promise<string> {
  const file = path.join(tempDir(), '青山镇代表名册.xlsx');
  await messyRosterWorkbook(file, options);
  return file;
}

async function writeWorkbook(build: (wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  const file = path.join(tempDir(), 'roster.xlsx');
  fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
  return file;
}

const personOf = (ctx: CoreContext, name: string) =>
  ctx.db.prepare('SELECT * FROM persons WHERE name = ? AND deleted_at IS NULL').all(name) as Record<string, unknown>[];
const seatsOf = (ctx: CoreContext, name: string) =>
  ctx.db
    .prepare('SELECT s.* FROM seats s JOIN persons p ON p.id = s.person_id WHERE p.name = ? AND s.deleted_at IS NULL ORDER BY s.level')
    .all(name) as Record<string, unknown>[];

describe('roster import: a messy real-world workbook through the dispatcher', () => {
  it('imports the rows without errors, reports the others by Excel row and header text, and stores clean values', async () => {
    const ctx = townshipContext();
    const call = createDispatcher(ctx);
    const file = await messyFile();
    const report = ok(await call('roster.importApply', { file: fileInput(file), fills: MESSY_FILLS })) as RosterImportReport;

    // Sheet 1: 7 deputies (rows 5–7, 9–12), row 7's ID was typed into a number cell, row 12 repeats row 5.
    // Sheet 2 (县级代表): 王芳 again at county level, and 周敏.
    expect(report).toMatchObject({ imported: 7, updated: 0, unchanged: 0, errorRows: 2, rows: 9, newPersons: 6 });
    expect(report.errors).toEqual([
      {
        sheet: '代表名册',
        row: 7,
        column: '公民身份号码',
        message: '身份证号被存成了数字，末几位已丢失，请把该列设为文本格式后重新填写',
      },
      { sheet: '代表名册', row: 12, column: '公民身份号码', message: expect.stringContaining('与第5行重复') },
    ]);
    expect(report.ignoredColumns).toEqual(['爱好']);
    // The 合计 row and the notes are not data and not errors; the hidden dictionary sheet is left alone.
    expect(report.errors.map((e) => e.row)).not.toContain(13);
    expect(report.sheets.map((s) => [s.name, s.included, s.headerRow, s.dataRows])).toEqual([
      ['代表名册', true, 4, 7],
      ['县级代表', true, 2, 2],
      ['字典', false, 1, 0],
    ]);
    expect(report.warnings).toEqual([
      expect.objectContaining({ sheet: '县级代表', column: '层级', message: expect.stringContaining('按县级导入') }),
    ]);

    // Values as stored.
    const [wang] = personOf(ctx, '王芳');
    expect(personOf(ctx, '王芳')).toHaveLength(1); // one person …
    expect(seatsOf(ctx, '王芳').map((s) => [s.level, s.term, s.township])).toEqual([
      ['county', '第十九届', null], // … with a second seat from the county sheet
      ['township', '第十九届', '青山镇'],
    ]);
    expect(wang).toMatchObject({
      gender: '女',
      ethnicity: '汉族',
      birth_date: '1980-03-12', // a real Excel date
      political_affiliation: '中共党员',
      education: '大学本科', // 本科
      work_unit: '青山镇卫生院院长', // stray space inside
      composition: '专业技术人员',
      id_number: IDS.wangFang,
      phone: '13812345678',
    });
    const [li] = personOf(ctx, '李强'); // ' 李 强 '
    expect(li).toMatchObject({ id_number: IDS.liQiang, birth_date: '1975-03', phone: '13900000001', ethnicity: '土家族' });
    expect(IDS.liQiang.endsWith('X')).toBe(true);
    expect(seatsOf(ctx, '李强')[0]).toMatchObject({ township: '青山镇', constituency: '第二选区' }); // merged cell
    expect(personOf(ctx, '陈静')[0]).toMatchObject({ birth_date: '1968-11-02', political_affiliation: '民盟盟员', education: '硕士研究生' });
    expect(personOf(ctx, '刘洋')[0]).toMatchObject({ birth_date: '1970-01', phone: null });
    expect(personOf(ctx, '孙丽')[0]).toMatchObject({ birth_date: '1982-07' });
    expect(seatsOf(ctx, '周敏')[0]).toMatchObject({ level: 'county', term: '第十九届' }); // term typed as 19
    expect(personOf(ctx, '赵刚')).toHaveLength(0);

    // One summary audit entry, one change-log entry per row written.
    expect(count(ctx, "SELECT count(*) FROM audit_log WHERE action = 'import'")).toBe(1);
    expect(count(ctx, "SELECT count(*) FROM audit_log WHERE action = 'create'")).toBe(0);
    expect(changeLog(ctx)).toBe(6 + 7);
  });

  it('dry run reports exactly what the import does and writes nothing', async () => {
    const ctx = townshipContext();
    const call = createDispatcher(ctx);
    const input = { file: fileInput(await messyFile()), fills: MESSY_FILLS };
    const before = { changes: changeLog(ctx), audit: count(ctx, 'SELECT count(*) FROM audit_log') };
    const preview = ok(await call('roster.importPreview', input)) as RosterImportReport;
    expect(preview.dryRun).toBe(true);
    expect(changeLog(ctx)).toBe(before.changes);
    expect(count(ctx, 'SELECT count(*) FROM audit_log')).toBe(before.audit);
    expect(count(ctx, 'SELECT count(*) FROM persons')).toBe(0);

    const real = ok(await call('roster.importApply', input)) as RosterImportReport;
    const pick = (r: RosterImportReport) => ({
      imported: r.imported, updated: r.updated, unchanged: r.unchanged, errors: r.errors, warnings: r.warnings,
      ignoredColumns: r.ignoredColumns, newPersons: r.newPersons, changes: r.changes,
    });
    expect(pick(real)).toEqual(pick(preview));
    expect(real.dryRun).toBe(false);
  });

  it('importing the same file again changes nothing; a changed cell becomes one listed update', async () => {
    const ctx = townshipContext();
    const call = createDispatcher(ctx);
    ok(await call('roster.importApply', { file: fileInput(await messyFile()), fills: MESSY_FILLS }));
    const logged = changeLog(ctx);
    const audits = count(ctx, 'SELECT count(*) FROM audit_log');

    const again = ok(await call('roster.importApply', { file: fileInput(await messyFile()), fills: MESSY_FILLS })) as RosterImportReport;
    expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: 7, errorRows: 2, changes: [] });
    expect(changeLog(ctx)).toBe(logged);
    expect(count(ctx, 'SELECT count(*) FROM audit_log')).toBe(audits);

    const changed = ok(
      await call('roster.importApply', { file: fileInput(await messyFile({ liQiangPhone: '13700000009' })), fills: MESSY_FILLS }),
    ) as RosterImportReport;
    expect(changed).toMatchObject({ imported: 0, updated: 1, unchanged: 6 });
    expect(changed.changes).toEqual([
      { sheet: '代表名册', row: 6, name: '李强', changes: [{ column: '手机号码', from: '139****0001', to: '137****0009' }] },
    ]);
    expect(personOf(ctx, '李强')[0]!.phone).toBe('13700000009');
    expect(changeLog(ctx)).toBe(logged + 1);
    expect(count(ctx, "SELECT count(*) FROM audit_log WHERE action = 'import'")).toBe(2);
  });

  it('matches people without ID numbers by name and birth month, and does not double them', async () => {
    const ctx = townshipContext();
    const call = createDispatcher(ctx);
    ok(await call('roster.importApply', { file: fileInput(await messyFile()), fills: MESSY_FILLS }));
    // 陈静 (no ID) is also a county deputy: a second seat, the same person.
    const file = await writeWorkbook((wb) => {
      const ws = wb.addWorksheet('Sheet1');
      ws.addRow(['姓名', '出生日期', '层级', '届次', '联系电话']);
      ws.addRow(['陈 静', '1968.11', '县', '第十九届', '13900000003']);
      ws.addRow(['刘洋', '1970.01', '乡镇', '第十九届', '13900000006']); // known seat: phone added
    });
    const report = ok(await call('roster.importApply', { file: fileInput(file) })) as RosterImportReport;
    expect(report).toMatchObject({ imported: 1, updated: 1, unchanged: 0, newPersons: 0, errors: [] });
    expect(personOf(ctx, '陈静')).toHaveLength(1);
    expect(seatsOf(ctx, '陈静').map((s) => s.level)).toEqual(['county', 'township']);
    expect(personOf(ctx, '刘洋')[0]!.phone).toBe('13900000006');
  });

  it('names the column and row when the ID number contradicts gender or birth date, and writes nothing for that row', async () => {
    const ctx = townshipContext();
    const file = await writeWorkbook((wb) => {
      const ws = wb.addWorksheet('乡镇代表');
      ws.addRow(['姓名', '性别', '出生年月', '身份证号', '届次']);
      ws.addRow(['甲', '男', '1980.03', IDS.wangFang, '第十九届']); // ID says 女
      ws.addRow(['乙', '女', '1981.03', IDS.sunLi, '第十九届']); // ID says 1982-07
      ws.addRow(['丙', '女', '1982.07', IDS.sunLi.slice(0, 17) + '0', '第十九届']); // wrong check digit
      ws.addRow(['丁', '男', '1975.03', '430281750312123', '第十九届']); // 15-digit old number
    });
    const report = ok(await createDispatcher(ctx)('roster.importApply', { file: fileInput(file) })) as RosterImportReport;
    expect(report.imported).toBe(0);
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([
      [2, '性别'],
      [3, '出生年月'],
      [4, '身份证号'],
      [5, '身份证号'],
    ]);
    expect(report.errors[2]!.message).toContain('校验位');
    expect(report.errors[3]!.message).toContain('15位');
    expect(report.warnings[0]!.message).toContain('按工作表名称');
    expect(count(ctx, 'SELECT count(*) FROM persons')).toBe(0);
  });

  it('reads a two-row header, the merged cells, dates as serials and text, and lets the user remap a column', async () => {
    const ctx = townshipContext();
    const call = createDispatcher(ctx);
    const file = await writeWorkbook((wb) => {
      const ws = wb.addWorksheet('名册');
      ws.addRow(['第十九届代表名册']);
      ws.mergeCells('A1:F1');
      ws.addRow(['姓名', '基本情况', '', '联系方式', '', '代表层级']);
      ws.addRow(['', '出生年月', '民族', '手机', '通讯地址', '']);
      ws.mergeCells('A2:A3');
      ws.mergeCells('B2:C2');
      ws.mergeCells('D2:E2');
      ws.mergeCells('F2:F3');
      ws.addRow(['吴一', 27467, '汉', '13800000001', '青山镇一号', '乡镇']); // 27467 = 1975-03-14 as a date serial
      ws.addRow(['吴二', '1976-05', '苗族', '13800000002', '青山镇二号', '乡 镇']);
      ws.addRow(['吴三', '1977/6/1', '汉族', '13800000003', '青山镇三号', '县级']);
    });
    const preview = ok(await call('roster.importPreview', { file: fileInput(file), fills: { 届次: '第十九届' } })) as RosterImportReport;
    const sheet = preview.sheets[0]!;
    expect(sheet).toMatchObject({ headerRow: 2, headerRowCount: 2, missing: [] });
    expect(sheet.columns.map((c) => [c.letter, c.header, c.field])).toEqual([
      ['A', '姓名', 'name'],
      ['B', '基本情况/出生年月', 'birthDate'],
      ['C', '基本情况/民族', 'ethnicity'],
      ['D', '联系方式/手机', 'phone'],
      ['E', '联系方式/通讯地址', 'address'],
      ['F', '代表层级', 'level'],
    ]);
    expect(sheet.suggestedFills).toMatchObject({ term: '第十九届' });
    expect(preview).toMatchObject({ imported: 3, errors: [] });

    // The user says column E is not wanted.
    const report = ok(
      await call('roster.importApply', {
        file: fileInput(file),
        fills: { 届次: '第十九届' },
        sheets: [{ name: '名册', mapping: { '5': null } }],
      }),
    ) as RosterImportReport;
    expect(report).toMatchObject({ imported: 3, ignoredColumns: ['联系方式/通讯地址'] });
    expect(personOf(ctx, '吴一')[0]).toMatchObject({ birth_date: '1975-03-14', ethnicity: '汉族', address: null });
    expect(personOf(ctx, '吴三')[0]).toMatchObject({ birth_date: '1977-06-01' });
    expect(seatsOf(ctx, '吴二')[0]).toMatchObject({ level: 'township' });
    expect(seatsOf(ctx, '吴三')[0]).toMatchObject({ level: 'county' });
  });

  it('says what is missing when a sheet has no 届次, and imports nothing from it', async () => {
    const ctx = townshipContext();
    const call = createDispatcher(ctx);
    const file = await writeWorkbook((wb) => {
      const ws = wb.addWorksheet('Sheet1');
      ws.addRow(['姓名', '性别', '层级']);
      ws.addRow(['钱一', '男', '乡镇']);
    });
    const preview = ok(await call('roster.importPreview', { file: fileInput(file) })) as RosterImportReport;
    expect(preview.sheets[0]).toMatchObject({ included: false, missing: ['term'], absent: ['term', 'township'], dataRows: 1 });
    expect(preview.errors).toEqual([
      { sheet: 'Sheet1', row: 1, column: '届次', message: expect.stringContaining('--fill 届次=') },
    ]);
    expect(preview.imported).toBe(0);
    const bad = await call('roster.importApply', { file: fileInput(file), fills: { 届次: '第几届' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('届次') } });
    const unknown = await call('roster.importApply', { file: fileInput(file), fills: { 爱好: '读书' } });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('不是可补充的列') } });
    expect(count(ctx, 'SELECT count(*) FROM persons')).toBe(0);
  });

  it('refuses files that are not workbooks, with a message that says what to do', async () => {
    const ctx = townshipContext();
    const call = createDispatcher(ctx);
    const xls = await call('roster.importApply', {
      file: { name: '名册.xls', base64: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]).toString('base64') },
    });
    expect(xls).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('另存为') } });
    const text = await call('roster.importApply', { file: { name: 'a.xlsx', base64: Buffer.from('姓名,性别\n').toString('base64') } });
    expect(text).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('不是 Excel') } });
    const broken = await call('roster.importApply', {
      file: { name: 'a.xlsx', base64: Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)]).toString('base64') },
    });
    expect(broken).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('无法读取') } });
    const noHeader = await writeWorkbook((wb) => wb.addWorksheet('说明').addRow(['这是一份说明']));
    const none = await call('roster.importApply', { file: fileInput(noHeader) });
    expect(none).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('没有可以导入的代表名册') } });
    expect(changeLog(ctx)).toBe(0);
  });

  it('offers a template that imports back', async () => {
    const ctx = townshipContext();
    const call = createDispatcher(ctx);
    const template = ok(await call('roster.importTemplate', {})) as { fileName: string; base64: string };
    expect(template.fileName).toBe('代表名册导入模板.xlsx');
    const report = ok(await call('roster.importPreview', { file: { name: template.fileName, base64: template.base64 } })) as RosterImportReport;
    expect(report).toMatchObject({ imported: 1, errors: [], ignoredColumns: [] });
    expect(report.sheets[0]!.columns.every((c) => c.field !== null)).toBe(true);
    const fields = ok(await call('roster.importFields', {})) as { field: string; required: boolean }[];
    expect(fields.filter((f) => f.required).map((f) => f.field)).toEqual(['name', 'level', 'term']);
  });

  it('imports from a path with the streaming reader (the CLI and benchmark entry)', async () => {
    const ctx = townshipContext();
    const rows = Array.from({ length: 300 }, (_, i) => [
      `代表${i}`,
      idNumber(`1970${String((i % 12) + 1).padStart(2, '0')}15`, String(100 + i).padStart(3, '0')),
      '乡镇',
      '第十九届',
    ]);
    const file = await writeWorkbook((wb) => {
      const ws = wb.addWorksheet('代表');
      ws.addRow(['姓名', '身份证号', '层级', '届次']);
      for (const r of rows) ws.addRow(r);
    });
    const report = await importRosterFile(ctx, file);
    expect(report).toMatchObject({ imported: 300, errors: [] });
    expect(count(ctx, 'SELECT count(*) FROM seats')).toBe(300);
    expect((await importRosterFile(ctx, file)).unchanged).toBe(300);
  });
});

describe('roster import: both ways of finding known persons give the same answer', () => {
  for (const lookup of ['preload', 'indexed'] as const) {
    it(`${lookup}: second seats, no-ID matches, re-import unchanged, one update`, async () => {
      const ctx = townshipContext();
      const file = await messyFile();
      const first = await importRosterFile(ctx, file, { fills: MESSY_FILLS, lookup });
      expect(first).toMatchObject({ imported: 7, newPersons: 6, errorRows: 2 });
      const again = await importRosterFile(ctx, file, { fills: MESSY_FILLS, lookup });
      expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: 7 });
      const changed = await importRosterFile(ctx, await messyFile({ liQiangPhone: '13700000009' }), { fills: MESSY_FILLS, lookup });
      expect(changed).toMatchObject({ updated: 1, unchanged: 6 });
      const extra = await writeWorkbook((wb) => {
        const ws = wb.addWorksheet('县级代表');
        ws.addRow(['姓名', '出生年月', '届次', '手机']);
        ws.addRow(['陈静', '1968.11', '第十九届', '13900000003']); // no ID: found by name and birth month
        ws.addRow(['刘洋', '1971.01', '第十九届', '']); // another 刘洋 (born 1971): a new person
      });
      const more = await importRosterFile(ctx, extra, { lookup });
      expect(more).toMatchObject({ imported: 2, newPersons: 1, errors: [] });
      expect(personOf(ctx, '陈静')).toHaveLength(1);
      expect(personOf(ctx, '刘洋')).toHaveLength(2);
    });
  }
});

describe('roster import through the CLI', () => {
  it('prints the report as JSON, exits 0 with row errors, and --dry-run writes nothing', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'cli.sqlite');
    const file = await messyFile();
    expect(runCli(['init', '--db', db, '--office-type', 'township', '--office-code', '430281101', '--office-name', '青山镇', '--json']).status).toBe(0);
    const args = ['roster', 'import', file, '--db', db, '--fill', '层级=乡镇', '--fill', '届次=第十九届'];

    const dry = runCli([...args, '--dry-run', '--json']);
    expect(dry.status).toBe(0);
    const preview = dry.json<RosterImportReport>();
    expect(Object.keys(preview).slice(0, 6)).toEqual(['imported', 'updated', 'unchanged', 'errors', 'warnings', 'ignoredColumns']);
    expect(preview).toMatchObject({ imported: 7, updated: 0, unchanged: 0, dryRun: true });
    expect(preview.errors.map((e) => [e.row, e.column])).toEqual([[7, '公民身份号码'], [12, '公民身份号码']]);

    const real = runCli([...args, '--json']);
    expect(real.status).toBe(0);
    expect(real.json<RosterImportReport>()).toMatchObject({ imported: 7, errorRows: 2 });
    const again = runCli([...args, '--json']);
    expect(again.json<RosterImportReport>()).toMatchObject({ imported: 0, updated: 0, unchanged: 7 });

    const human = runCli([...args, '--dry-run']);
    expect(human.status).toBe(0);
    expect(human.stdout).toContain('未变 7');
    expect(human.stdout).toContain('“代表名册”第7行「公民身份号码」');

    const missing = runCli(['roster', 'import', path.join(dir, 'nope.xlsx'), '--db', db, '--json']);
    expect(missing.status).toBe(1);
    expect(missing.json<{ error: { message: string } }>().error.message).toContain('找不到文件');
    const usage = runCli(['roster', 'import', file, '--db', db, '--fill', '层级']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('列名=值');
  }, 300_000);
});
