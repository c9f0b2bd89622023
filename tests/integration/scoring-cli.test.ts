import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { closeAllDatabases } from '../../electron/core/db/connection.js';
import { runCli } from '../helpers/cli.js';
import { PYTHON, readWithOpenpyxl } from '../helpers/openpyxl.js';
import { seedDeputies, seedYear } from '../helpers/scoringFixture.js';
import { tempDir, townshipContext } from '../helpers/tmp.js';

const TEMPLATES = path.resolve(import.meta.dirname, '../../resources/templates');

/** A township database with a year of records and no rules yet; closed so the CLI owns the file. */
async function yearDb(): Promise<{ db: string; seat: Record<string, string> }> {
  const ctx = townshipContext();
  const seat = await seedDeputies(ctx);
  await seedYear(ctx, seat);
  const db = ctx.dbPath;
  closeAllDatabases();
  return { db, seat };
}

async function signInWorkbook(file: string, rows: [string, string, string][]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('十二月接待');
  ws.addRow(['代表活动签到表']);
  ws.addRow(['活动名称', '联络站接待选民（十二月）', '', '', '活动类型', '接待选民']);
  ws.addRow(['活动日期', '2025-12-15', '', '', '组织层级', '乡镇']);
  ws.addRow(['组织单位', '青山镇人大主席团', '', '', '活动地点', '青山镇代表联络站']);
  ws.addRow(['序号', '姓名', '代表证号', '公民身份号码', '出勤情况', '备注']);
  rows.forEach(([name, cert, att], i) => ws.addRow([i + 1, name, cert || null, null, att, null]));
  await wb.xlsx.writeFile(file);
}

type CliScore = { seatId: string; name: string; certificateNo: string; total: number; grade: string; rank: number; items: { code: string; count: number; points: number }[] };

describe('deputy-desk rules / activities / scores', () => {
  it('imports the published template and prints the hand-worked totals', async () => {
    const { db, seat } = await yearDb();
    const imported = runCli(['rules', 'import', path.join(TEMPLATES, 'scoring-rules-template.xlsx'), '--period', '2025', '--db', db, '--json']);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.json()).toMatchObject({ imported: true, period: '2025', items: 13, errors: [] });

    const scores = runCli(['scores', '--period', '2025', '--db', db, '--json']);
    expect(scores.status, scores.stderr).toBe(0);
    const rows = scores.json<CliScore[]>();
    expect(Object.keys(rows[0]!)).toEqual(['seatId', 'name', 'certificateNo', 'total', 'grade', 'rank', 'items']);
    expect(rows.map((r) => [r.name, r.certificateNo, r.total, r.grade, r.rank])).toEqual([
      ['王芳', 'QS001', 46, '差', 1],
      ['赵敏', 'QS005', 34, '差', 2],
      ['李强', 'QS002', 27, '差', 3],
      ['张伟', 'QS004', 26, '差', 4],
      ['张伟', 'QS003', 0, '差', 5],
    ]);
    expect(rows[0]!.items.map((i) => i.code)).toEqual(['H01', 'H02', 'H03', 'H04', 'H05', 'H06', 'H07', 'H08', 'H09', 'H10', 'H11', 'H12', 'H13']);
    expect(rows[0]!.items.find((i) => i.code === 'H06')).toEqual({ code: 'H06', count: 7, points: 10 });
    expect(rows[1]!.seatId).toBe(seat.E);
  }, 400_000);

  it('takes a sign-in sheet: a row-level report first, then the corrected sheet counts', async () => {
    const { db } = await yearDb();
    expect(runCli(['rules', 'import', path.join(TEMPLATES, 'scoring-rules-template.xlsx'), '--period', '2025', '--db', db]).status).toBe(0);
    // A sign-in sheet naming a 张伟 without a certificate number: an error for that row, nothing written.
    const dir = tempDir();
    const bad = path.join(dir, 'bad.xlsx');
    await signInWorkbook(bad, [['李强', '', '出席'], ['张伟', '', '出席'], ['王芳', '', '到']]);
    const refused = runCli(['activities', 'import', bad, '--db', db, '--json']);
    expect(refused.status).toBe(1);
    const report = refused.json<{ imported: boolean; errors: { sheet: string; row: number; column: string; message: string }[] }>();
    expect(report.imported).toBe(false);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ sheet: '十二月接待', row: 7, column: '姓名' });
    expect(report.errors[0]!.message).toContain('代表证号');

    const good = path.join(dir, 'good.xlsx');
    await signInWorkbook(good, [['李强', '', '出席'], ['张伟', 'QS004', '请假'], ['王芳', '', '到']]);
    const ok = runCli(['activities', 'import', good, '--db', db, '--json']);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.json()).toMatchObject({ imported: true, participants: 3, activities: [{ type: '接待选民', date: '2025-12-15', attended: 2, leave: 1 }] });
    const after = runCli(['scores', '--period', '2025', '--township', '青山镇', '--db', db, '--json']).json<CliScore[]>();
    // 李强 接待选民 2 → 3 times: 4 + 2×2 = 8 (+2); 王芳 already at 12 → cap 12: 4 + 3×2 = 10 (+2)
    expect(after.find((r) => r.name === '李强')!.total).toBe(29);
    expect(after.find((r) => r.name === '王芳')!.total).toBe(48);
    // The same sheet again merges into the activity instead of duplicating it.
    expect(runCli(['activities', 'import', good, '--db', db, '--json']).status).toBe(0);
    expect(runCli(['call', 'activities.list', '{"type":"接待选民","period":"2025"}', '--db', db]).json<{ total: number }>().total).toBe(4);
  }, 400_000);

  it('exports a rule table that a second reader sees and that imports back unchanged', async () => {
    const { db } = await yearDb();
    expect(runCli(['rules', 'import', path.join(TEMPLATES, 'scoring-rules-template.xlsx'), '--period', '2025', '--db', db]).status).toBe(0);
    const out = path.join(tempDir(), 'rules.xlsx');
    const exported = runCli(['rules', 'export', out, '--period', '2025', '--db', db, '--json']);
    expect(exported.status, exported.stderr).toBe(0);
    const sheet = readWithOpenpyxl(out);
    expect(sheet.title).toBe('积分项目');
    expect(sheet.rows[2]!.slice(0, 7)).toEqual(['编码', '项目名称', '类别', '计分活动类型', '首次分值', '每增加一次', '本期上限']);
    expect(sheet.rows.find((r) => r[0] === 'H06')!.slice(0, 7)).toEqual(['H06', '视察、调研、执法检查', '闭会期间', '视察、调研、执法检查', 6, 1, 10]);
    expect(sheet.rows.find((r) => r[0] === 'H04')!.slice(9, 11)).toEqual([1, 4]);
    expect(sheet.print.paperSize).toBe(9);

    // Into the next year, then the totals of 2025 under either copy are the same.
    const again = runCli(['rules', 'import', out, '--period', '2026', '--db', db, '--json']);
    expect(again.json()).toMatchObject({ imported: true, items: 13 });
    const a = runCli(['call', 'scoring.ruleSets', '{}', '--db', db]).json<{ period: string; itemCount: number; status: string }[]>();
    expect(a.map((r) => [r.period, r.itemCount, r.status])).toEqual([
      ['2026', 13, 'in_force'],
      ['2025', 13, 'in_force'],
    ]);
  }, 400_000);

  it('writes the 履职积分汇总表 and the 履职档案', async () => {
    const { db, seat } = await yearDb();
    runCli(['rules', 'import', path.join(TEMPLATES, 'scoring-rules-template.xlsx'), '--period', '2025', '--db', db]);
    const dir = tempDir();
    const summary = path.join(dir, 'summary.xlsx');
    const r = runCli(['report', 'score-summary', '--period', '2025', '--out', summary, '--db', db, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const sheet = readWithOpenpyxl(summary);
    expect(sheet.rows[0]![0]).toBe('青山镇人大代表2025年度履职积分汇总表');
    expect(sheet.rows[2]!.slice(0, 6)).toEqual(['序号', '姓名', '代表证号', '层级', '所属乡镇', '代表小组']);
    const header = sheet.rows[3]!;
    const data = sheet.rows.slice(4).filter((row) => typeof row[0] === 'number');
    expect(data).toHaveLength(5);
    const wang = data.find((row) => row[1] === '王芳')!;
    expect(wang[header.indexOf('视察、调研、执法检查')]).toBe(10);
    expect(wang[sheet.rows[2]!.indexOf('总分')]).toBe(46);
    expect(sheet.freezePanes).toBe('C5');

    const dossier = path.join(dir, 'dossier.xlsx');
    expect(runCli(['report', 'dossier', '--period', '2025', '--township', '青山镇', '--out', dossier, '--db', db]).status).toBe(0);
    const names = spawnSync(PYTHON, ['-c', 'import openpyxl,sys,json; wb=openpyxl.load_workbook(sys.argv[1]); print(json.dumps([ws.title for ws in wb.worksheets], ensure_ascii=False))', dossier], { encoding: 'utf8' });
    expect(JSON.parse(names.stdout)).toEqual(expect.arrayContaining(['王芳', '李强', '赵敏', '张伟', '张伟QS004']));
    const one = path.join(dir, 'one.xlsx');
    expect(runCli(['report', 'dossier', '--period', '2025', '--seat', seat.A!, '--out', one, '--db', db]).status).toBe(0);
    const wang1 = readWithOpenpyxl(one);
    const text = wang1.rows.map((row) => row.filter((c) => c !== null).join(' ')).join('\n');
    expect(text).toContain('代表履职档案（2025年度）');
    expect(text).toContain('视察集镇污水处理');
    expect(text).toContain('关于加快农村公路提质改造的建议');
    expect(text).toContain('总分 46 分，等级：差');
    expect(fs.existsSync(one)).toBe(true);
  }, 400_000);

  it('refuses a bad period and an unknown file with a Chinese message', () => {
    const bad = runCli(['scores', '--period', '2025Q5', '--db', path.join(tempDir(), 'x.sqlite')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('考核期间');
  });
});
