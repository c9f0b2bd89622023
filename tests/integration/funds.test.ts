import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CoreContext } from '../../electron/core/context.js';
import { closeAllDatabases } from '../../electron/core/db/connection.js';
import { createDispatcher, type Dispatch } from '../../electron/core/dispatcher.js';
import type { FileOutput, FundEntryRow, FundSummary, Page, StationBalance } from '../../shared/contract/index.js';
import { runCli } from '../helpers/cli.js';
import { PYTHON } from '../helpers/openpyxl.js';
import { addPerson, ok } from '../helpers/subsidyRoster.js';
import { tempDir, townshipContext } from '../helpers/tmp.js';

/** Every sheet's values and the number formats of its money columns, read back by openpyxl. */
function readAllSheets(file: string): Record<string, { rows: unknown[][]; formats: string[] }> {
  const script = String.raw`
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    formats = [c.number_format for c in ws[4]] if ws.max_row >= 4 else []
    out[ws.title] = {"rows": rows, "formats": formats}
print(json.dumps(out, ensure_ascii=False, default=str))
`;
  const r = spawnSync(PYTHON, ['-c', script, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

interface Setup {
  ctx: CoreContext;
  call: Dispatch;
  stationA: string;
  stationB: string;
  funds: { deputies: string; stations: string; special: string };
}

async function setup(): Promise<Setup> {
  const ctx = townshipContext();
  const call = createDispatcher(ctx);
  const stationA = ctx.repo.insert('liaison_stations', { name: '青山镇人大代表联络站', township: '青山镇' });
  const stationB = ctx.repo.insert('liaison_stations', { name: '红星村代表联络点', township: '青山镇' });
  for (const name of ['甲代表', '乙代表', '丙代表']) await addPerson(call, name, [{ level: 'county', start: '2021-10-15' }]);
  await addPerson(call, '丁代表', [{ level: 'township', start: '2021-10-15' }]);
  const deputies = ok(
    await call('funds.create', { year: 2025, name: '县人大代表活动经费', kind: 'per_deputy', deputyLevel: 'county', unitAmountFen: 200000 }),
  ) as { id: string };
  const stations = ok(await call('funds.create', { year: 2025, name: '代表联络站活动经费', kind: 'per_station', unitAmountFen: 1000000 })) as {
    id: string;
  };
  const special = ok(await call('funds.create', { year: 2025, name: '微建议专项经费', kind: 'special', budgetFen: 125000000 })) as { id: string };
  return { ctx, call, stationA, stationB, funds: { deputies: deputies.id, stations: stations.id, special: special.id } };
}

const entry = (fundId: string, date: string, amountFen: number, purpose: string, extra: Record<string, unknown> = {}) => ({
  fundId,
  date,
  amountFen,
  purpose,
  payee: '青山镇人大主席团',
  ...extra,
});

describe('activity funds', () => {
  it('works out budgets from the roster, tracks balances, and refuses overspending without an approval', async () => {
    const { call, funds, stationA, stationB } = await setup();
    const list = ok(await call('funds.list', { year: 2025 })) as FundSummary[];
    // 2,000 元 × 3 county deputies; 10,000 元 × 2 stations
    expect(list.map((f) => [f.name, f.unitCount, f.budgetFen])).toEqual([
      ['县人大代表活动经费', 3, 600000],
      ['代表联络站活动经费', 2, 2000000],
      ['微建议专项经费', null, 125000000],
    ]);

    ok(await call('funds.entryCreate', entry(funds.deputies, '2025-03-12', 250000, '代表视察交通费', { voucherNo: '记-001' })));
    ok(await call('funds.entryCreate', entry(funds.deputies, '2025-06-01', 300000, '代表培训资料费', { voucherNo: '记-002' })));
    const refused = await call('funds.entryCreate', entry(funds.deputies, '2025-09-01', 80000, '代表述职会场费'));
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const message = (refused as { error: { message: string } }).error.message;
    expect(message).toContain('预算 6,000.00 元，已支出 5,500.00 元，结余 500.00 元');
    expect(message).toContain('将超支 300.00 元');
    expect(message).toContain('超预算审批事由');

    const approved = ok(
      await call('funds.entryCreate', entry(funds.deputies, '2025-09-01', 80000, '代表述职会场费', { approvalReason: '县人大常委会主任会议同意追加', approvedBy: '李主任' })),
    ) as { overBudget: boolean };
    expect(approved.overBudget).toBe(true);

    // Per-station funds: each station's share is checked as well as the fund.
    ok(await call('funds.entryCreate', entry(funds.stations, '2025-04-10', 900000, '联络站接待室改造', { stationId: stationA })));
    const share = await call('funds.entryCreate', entry(funds.stations, '2025-05-10', 150000, '联络站宣传栏', { stationId: stationA }));
    expect(share).toMatchObject({ ok: false, error: { message: expect.stringContaining('青山镇人大代表联络站的经费额度 10,000.00 元') } });
    ok(await call('funds.entryCreate', entry(funds.stations, '2025-05-10', 150000, '联络站宣传栏', { stationId: stationA, approvalReason: '宣传栏损毁重建' })));
    ok(await call('funds.entryCreate', entry(funds.stations, '2025-07-01', 200000, '选民接待日茶水', { stationId: stationB })));
    ok(await call('funds.entryCreate', entry(funds.special, '2025-08-08', 3500000, '微建议：红星村路灯维修', { stationId: stationB })));

    const noStation = await call('funds.entryCreate', entry(funds.stations, '2025-07-01', 100, '茶水'));
    expect(noStation).toMatchObject({ ok: false, error: { message: expect.stringContaining('联络站') } });
    const wrongYear = await call('funds.entryCreate', entry(funds.special, '2026-01-02', 100, '跨年'));
    expect(wrongYear).toMatchObject({ ok: false, error: { message: expect.stringContaining('2025 年内') } });
    const dupVoucher = await call('funds.entryCreate', entry(funds.deputies, '2025-10-01', 100, '重复', { voucherNo: '记-001', approvalReason: 'x' }));
    expect(dupVoucher).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    const after = Object.fromEntries((ok(await call('funds.list', { year: 2025 })) as FundSummary[]).map((f) => [f.name, f]));
    expect(after.县人大代表活动经费).toMatchObject({ spentFen: 630000, balanceFen: -30000, overBudgetCount: 1, entryCount: 3 });
    expect(after.代表联络站活动经费).toMatchObject({ spentFen: 1250000, balanceFen: 750000, overBudgetCount: 1 });
    expect(after.微建议专项经费).toMatchObject({ spentFen: 3500000, balanceFen: 121500000 });

    const stations = ok(await call('funds.stations', { year: 2025 })) as StationBalance[];
    expect(stations.map((s) => [s.stationName, s.budgetFen, s.spentFen, s.balanceFen, s.otherSpentFen])).toEqual([
      ['红星村代表联络点', 1000000, 200000, 800000, 3500000],
      ['青山镇人大代表联络站', 1000000, 1050000, -50000, 0],
    ]);

    const approvals = ok(await call('funds.entries', { year: 2025, overBudgetOnly: true })) as Page<FundEntryRow> & { totalFen: number };
    expect(approvals.rows.map((r) => [r.purpose, r.approvalReason])).toEqual([
      ['代表述职会场费', '县人大常委会主任会议同意追加'],
      ['联络站宣传栏', '宣传栏损毁重建'],
    ]);
    expect(approvals.totalFen).toBe(230000);

    // An edit that would go over is checked the same way (the entry itself excluded).
    const first = (ok(await call('funds.entries', { year: 2025, fundId: funds.stations })) as Page<FundEntryRow>).rows.find((r) => r.stationId === stationB)!;
    const bump = await call('funds.entryUpdate', { id: first.id, ...entry(funds.stations, '2025-07-01', 1100000, '选民接待日茶水', { stationId: stationB }) });
    expect(bump).toMatchObject({ ok: false });
    ok(await call('funds.entryUpdate', { id: first.id, ...entry(funds.stations, '2025-07-01', 800000, '选民接待日茶水', { stationId: stationB }) }));

    // A fund with spending is not deleted; an entry is tombstoned.
    expect(await call('funds.remove', { id: funds.deputies })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    ok(await call('funds.entryRemove', { id: first.id }));
  });

  it('writes the year-end report: by fund, by station and the ledger, amounts as numbers', async () => {
    const { ctx, call, funds, stationA, stationB } = await setup();
    ok(await call('funds.entryCreate', entry(funds.deputies, '2025-03-12', 250000, '代表视察交通费', { voucherNo: '记-001' })));
    ok(await call('funds.entryCreate', entry(funds.stations, '2025-04-10', 900000, '联络站接待室改造', { stationId: stationA })));
    ok(await call('funds.entryCreate', entry(funds.stations, '2025-07-01', 200000, '选民接待日茶水', { stationId: stationB })));
    ok(await call('funds.entryCreate', entry(funds.special, '2025-08-08', 3500005, '微建议：红星村路灯维修', { stationId: stationB })));

    const file = ok(await call('funds.reportWorkbook', { year: 2025 })) as FileOutput;
    expect(file.fileName).toBe('青山镇2025年代表活动经费报表.xlsx');
    const dir = tempDir();
    const viaApi = path.join(dir, 'api.xlsx');
    fs.writeFileSync(viaApi, Buffer.from(file.base64, 'base64'));

    const db = ctx.dbPath;
    closeAllDatabases();
    const out = path.join(dir, 'report.xlsx');
    const cli = runCli(['funds', 'report', '--year', '2025', out, '--db', db]);
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain('预算 1,276,000.00 元，已支出 48,500.05 元');

    for (const f of [viaApi, out]) {
      const sheets = readAllSheets(f);
      expect(Object.keys(sheets)).toEqual(['按经费', '按联络站', '支出明细']);
      const byFund = sheets.按经费!;
      expect(byFund.rows[0]![0]).toBe('青山镇2025年代表活动经费收支情况表');
      expect(byFund.rows[2]!.slice(0, 7)).toEqual(['序号', '经费名称', '类别', '核定标准', '预算（元）', '已支出（元）', '结余（元）']);
      expect(byFund.rows[3]!.slice(0, 7)).toEqual([1, '县人大代表活动经费', '按代表人数', '县人大代表每人 2,000.00 元 × 3', 6000, 2500, 3500]);
      expect(byFund.rows[5]!.slice(4, 7)).toEqual([1250000, 35000.05, 1214999.95]);
      expect(byFund.rows[6]!.slice(0, 7)).toEqual(['合计', null, null, null, 1276000, 48500.05, 1227499.95]);
      expect(byFund.formats[4]).toBe('#,##0.00');
      const byStation = sheets.按联络站!;
      expect(byStation.rows.slice(3, 6).map((r) => r.slice(1, 7))).toEqual([
        ['红星村代表联络点', '青山镇', 10000, 2000, 8000, 35000.05],
        ['青山镇人大代表联络站', '青山镇', 10000, 9000, 1000, 0],
        [null, null, 20000, 11000, 9000, 35000.05],
      ]);
      const ledger = sheets.支出明细!;
      expect(ledger.rows.slice(3, 7).map((r) => [r[1], r[3], r[4]])).toEqual([
        ['2025-03-12', 2500, '代表视察交通费'],
        ['2025-04-10', 9000, '联络站接待室改造'],
        ['2025-07-01', 2000, '选民接待日茶水'],
        ['2025-08-08', 35000.05, '微建议：红星村路灯维修'],
      ]);
      expect(ledger.formats[3]).toBe('#,##0.00');
    }
  }, 200_000);
});
