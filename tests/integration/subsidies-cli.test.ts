import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeAllDatabases } from '../../electron/core/db/connection.js';
import { createDispatcher } from '../../electron/core/dispatcher.js';
import type { RunResult } from '../../shared/contract/index.js';
import { runCli } from '../helpers/cli.js';
import { readWithOpenpyxl } from '../helpers/openpyxl.js';
import { buildScenario } from '../helpers/subsidyRoster.js';
import { tempDir, townshipContext } from '../helpers/tmp.js';

async function scenarioDb(): Promise<string> {
  const ctx = townshipContext();
  await buildScenario(ctx, createDispatcher(ctx));
  const db = ctx.dbPath;
  closeAllDatabases();
  return db;
}

describe('deputy-desk subsidies (the real CLI)', () => {
  it('prints the run as JSON, exports the 签领表, issues, and refuses edits afterwards', async () => {
    const db = await scenarioDb();
    const dir = tempDir();

    const dry = runCli(['subsidies', 'run', '--period', '2025', '--dry-run', '--json', '--db', db]);
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(0);
    const year = dry.json<RunResult>();
    expect(year.totalFen).toBe(2170000);
    expect(year.batchId).toBeNull();
    expect(Object.keys(year.lines[0]!).slice(0, 5)).toEqual(['personId', 'name', 'level', 'months', 'amountFen']);
    const amounts = Object.fromEntries(year.lines.map((l) => [l.name, l.amountFen]));
    expect(amounts).toEqual({ 张县代: 480000, 李乡代: 300000, 王补选: 150000, 赵终止: 200000, 钱暂停: 260000, 孙兼任: 480000, 吴无账: 300000 });
    expect(year.exceptions.map((e) => e.kind).sort()).toEqual(['missing_bank_account', 'seat_ended', 'seat_suspended']);

    const run = runCli(['subsidies', 'run', '--period', '2025H1', '--json', '--db', db]);
    expect(run.status).toBe(0);
    const h1 = run.json<RunResult>();
    expect(h1.batchId).toMatch(/^[0-9a-f-]{36}$/);
    expect(h1.totalFen).toBe(830000);

    const out = path.join(dir, '签领表.xlsx');
    const sheet = runCli(['report', 'subsidy-sheet', '--batch', h1.batchId!, out, '--db', db]);
    expect(sheet.stderr).toBe('');
    expect(sheet.status).toBe(0);
    expect(sheet.stdout).toContain('捌仟叁佰元整');
    const dump = readWithOpenpyxl(out, { cells: ['G4', 'G5', 'G10', 'G11'] });
    expect(dump.rows[0]![0]).toBe('青山镇2025年上半年人大代表履职补贴签领表');
    expect(dump.rows[2]).toEqual(['序号', '姓名', '层级', '所属乡镇/代表小组', '标准', '月数', '金额（元）', '签名', '备注']);
    const body = dump.rows.slice(3, 9);
    expect(body.map((r) => r[0])).toEqual([1, 2, 3, 4, 5, 6]);
    const byName = Object.fromEntries(body.map((r) => [r[1], r]));
    expect(byName.张县代).toEqual([expect.any(Number), '张县代', '县', '青山镇', '300元/月', 6, 1800, null, null]);
    expect(byName.钱暂停![5]).toBe(4);
    expect(byName.钱暂停![6]).toBe(800);
    expect(byName.李乡代![4]).toBe('200元/月');
    expect(dump.rows[9]!.slice(0, 7)).toEqual(['合计', null, null, null, null, 33, 8300]);
    expect(dump.rows[10]![0]).toBe('合计（大写）：捌仟叁佰元整　　（小写）：¥8,300.00');
    expect(dump.numberFormats.G4).toBe('#,##0.00');
    expect(dump.numberFormats.G10).toBe('#,##0.00');
    expect(dump.print).toMatchObject({ orientation: 'portrait', paperSize: 9, fitToWidth: 1 });
    expect(dump.printTitleRows).toBe('$3:$3');
    expect(dump.footer.center).toContain('&P');

    const issue = runCli(['subsidies', 'issue', '--batch', h1.batchId!, '--json', '--db', db]);
    expect(issue.status).toBe(0);
    expect(issue.json<{ status: string }>().status).toBe('issued');

    const lineId = (runCli(['call', 'subsidies.batch', JSON.stringify({ batchId: h1.batchId }), '--db', db]).json<{ lines: { id: string }[] }>()).lines[0]!.id;
    const edit = runCli(['call', 'subsidies.lineNote', JSON.stringify({ lineId, note: '改' }), '--db', db]);
    expect(edit.status).toBe(1);
    expect(edit.stderr).toMatch(/已于 \d{4}-\d{2}-\d{2} 确认发放并锁定，不能修改备注/);
    const rerun = runCli(['subsidies', 'run', '--period', '2025H1', '--json', '--db', db]);
    expect(rerun.status).toBe(1);
    expect(rerun.json<{ error: { code: string } }>().error.code).toBe('CONFLICT');
    expect(rerun.stderr).toContain('已发放');
    const again = runCli(['subsidies', 'issue', '--batch', h1.batchId!, '--db', db]);
    expect(again.status).toBe(1);

    // The bank list: full account numbers, as text; the person without an account left out and named.
    const bank = path.join(dir, '代发.xlsx');
    const b = runCli(['report', 'bank-list', '--batch', h1.batchId!, bank, '--db', db]);
    expect(b.status).toBe(0);
    const bankDump = readWithOpenpyxl(bank);
    expect(bankDump.rows[2]).toEqual(['序号', '户名', '开户行', '银行账号', '金额（元）', '备注']);
    const transfers = bankDump.rows.slice(3).filter((r) => typeof r[0] === 'number');
    expect(transfers).toHaveLength(5);
    for (const t of transfers) expect(t[3]).toMatch(/^62210000\d{11}$/);
    expect(transfers.reduce((s, t) => s + (t[4] as number), 0)).toBe(8300 - 1200);
    expect(bankDump.rows.flat().join('|')).toContain('吴无账（缺少银行账号，应发 1,200.00 元）');
  }, 400_000);

  it('exits 2 on a usage mistake and 1 with a Chinese message on a bad period', async () => {
    const db = await scenarioDb();
    const usage = runCli(['subsidies', 'run', '--db', db]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('--period');
    const bad = runCli(['subsidies', 'run', '--period', '2025-13', '--db', db]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('发放期间应写成');
  }, 200_000);
});
