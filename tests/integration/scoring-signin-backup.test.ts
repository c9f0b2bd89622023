import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { listBackups } from '../../electron/core/backup/index.js';
import { caller, seedDeputies } from '../helpers/scoringFixture.js';
import { townshipContext } from '../helpers/tmp.js';

/** A one-sheet 签到表 of 青山镇's deputies, as base64 for the contract method. */
async function signInSheet(rows: [string, string, string][]): Promise<{ name: string; base64: string }> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('十二月接待');
  ws.addRow(['代表活动签到表']);
  ws.addRow(['活动名称', '联络站接待选民（十二月）', '', '', '活动类型', '接待选民']);
  ws.addRow(['活动日期', '2025-12-15', '', '', '组织层级', '乡镇']);
  ws.addRow(['组织单位', '青山镇人大主席团', '', '', '活动地点', '青山镇代表联络站']);
  ws.addRow(['序号', '姓名', '代表证号', '公民身份号码', '出勤情况', '备注']);
  rows.forEach(([name, cert, att], i) => ws.addRow([i + 1, name, cert || null, null, att, null]));
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return { name: '十二月签到表.xlsx', base64: buffer.toString('base64') };
}

describe('sign-in sheet import', () => {
  it('backs the database up before it writes, and not on a dry run or a sheet with errors', async () => {
    const ctx = townshipContext();
    await seedDeputies(ctx);
    const call = caller(ctx);
    const importBackups = () => listBackups(ctx).filter((b) => b.reason === 'import');
    const activityCount = () => ctx.db.prepare('SELECT count(*) FROM activities WHERE deleted_at IS NULL').pluck().get() as number;

    const bad = await signInSheet([['李强', '', '出席'], ['查无此人', '', '出席']]);
    const refused = await call('activities.importSignIn', { file: bad, dryRun: false });
    expect(refused.imported).toBe(false);
    expect(refused.errors.length).toBeGreaterThan(0);
    expect(importBackups()).toEqual([]);

    const good = await signInSheet([['李强', '', '出席'], ['张伟', 'QS004', '请假'], ['王芳', '', '出席']]);
    const preview = await call('activities.importSignIn', { file: good, dryRun: true });
    expect(preview).toMatchObject({ imported: false, participants: 3, errors: [] });
    expect(importBackups()).toEqual([]);
    expect(activityCount()).toBe(0);

    const done = await call('activities.importSignIn', { file: good, dryRun: false });
    expect(done).toMatchObject({ imported: true, participants: 3 });
    expect(activityCount()).toBe(1);
    const backups = importBackups();
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatchObject({ reasonLabel: '导入前', detail: '签到表导入：十二月签到表.xlsx', location: 'data', problem: null });
    expect(fs.existsSync(backups[0]!.file)).toBe(true);
    // Taken before the write: the copy holds the five deputies and none of the sheet's records.
    expect(backups[0]!.counts).toMatchObject({ seats: 5, activities: 0 });
  });
});
