import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { FUND_KIND_LABELS } from '../../../shared/contract/funds.js';
import type { FileOutput } from '../../../shared/contract/index.js';
import { fenToYuanNumber, fenToYuanString } from '../../../shared/money.js';
import type { CoreContext } from '../context.js';
import {
  addOfficialSheet,
  bodyStyles,
  chineseDate,
  FONT_HEADER,
  HEADER_ROW,
  newWorkbookWriter,
  workbookFileOutput,
  writeHeaderRow,
  writeRow,
  writeWorkbookFile,
  yieldToIo,
  type BodyColumn,
  type CellValue,
} from '../reports/layout.js';
import { ENTRY_COLUMNS, ENTRY_FROM, toEntryRow, type EntryDbRow } from './records.js';
import { fundLevelLabel, listFunds, stationBalances } from './service.js';

/**
 * 年度经费报表: 预算 / 已支出 / 结余 by fund and by station, and the ledger
 * (支出明细), in the official layout. Amounts are numbers of yuan with a
 * money format.
 */

interface Column extends BodyColumn {
  header: string;
  width: number;
}

/** The table under the header, with a bold 合计 row when there is one. */
function table(ws: ExcelJS.Worksheet, columns: Column[], rows: CellValue[][], totals: CellValue[] | null): void {
  writeHeaderRow(ws, columns.map((c) => c.header), 24);
  const styles = bodyStyles(columns);
  rows.forEach((values, i) => writeRow(ws, HEADER_ROW + 1 + i, values, styles));
  if (totals) writeRow(ws, HEADER_ROW + 1 + rows.length, totals, styles.map((s) => ({ ...s, font: FONT_HEADER })));
}

const pct = (spent: number, budget: number): string => (budget > 0 ? `${((spent / budget) * 100).toFixed(1)}%` : '');

export async function writeFundsWorkbook(ctx: CoreContext, year: number, target: Writable, now = new Date()): Promise<{ funds: number; entries: number; budgetFen: number; spentFen: number }> {
  const office = ctx.requireOffice();
  const funds = listFunds(ctx, year);
  const wb = newWorkbookWriter(target);
  const officeLine = (center: string) => ({ left: `编制单位：${office.officeName}`, center, right: `制表日期：${chineseDate(now)}` });
  const budgetFen = funds.reduce((s, f) => s + f.budgetFen, 0);
  const spentFen = funds.reduce((s, f) => s + f.spentFen, 0);

  const byFund: Column[] = [
    { header: '序号', width: 6, align: 'center' },
    { header: '经费名称', width: 28 },
    { header: '类别', width: 12, align: 'center' },
    { header: '核定标准', width: 26 },
    { header: '预算（元）', width: 15, money: true },
    { header: '已支出（元）', width: 15, money: true },
    { header: '结余（元）', width: 15, money: true },
    { header: '执行率', width: 9, align: 'center' },
    { header: '支出笔数', width: 9, align: 'center' },
    { header: '超预算审批', width: 10, align: 'center' },
  ];
  const ws1 = addOfficialSheet(wb, {
    sheetName: '按经费',
    title: `${office.officeName}${year}年代表活动经费收支情况表`,
    widths: byFund.map((c) => c.width),
    officeLine: officeLine('单位：元'),
    headerRowCount: 1,
  });
  table(
    ws1,
    byFund,
    funds.map((f, i) => [
      i + 1,
      f.name,
      FUND_KIND_LABELS[f.kind],
      f.unitAmountFen !== null
        ? `${f.kind === 'per_deputy' ? fundLevelLabel(f.deputyLevel) + '每人' : '每站'} ${fenToYuanString(f.unitAmountFen)} 元 × ${f.unitCount ?? 0}`
        : '',
      fenToYuanNumber(f.budgetFen),
      fenToYuanNumber(f.spentFen),
      fenToYuanNumber(f.balanceFen),
      pct(f.spentFen, f.budgetFen),
      f.entryCount,
      f.overBudgetCount || '',
    ]),
    ['合计', '', '', '', fenToYuanNumber(budgetFen), fenToYuanNumber(spentFen), fenToYuanNumber(budgetFen - spentFen), pct(spentFen, budgetFen), funds.reduce((s, f) => s + f.entryCount, 0), ''],
  );
  ws1.commit();

  const stations = stationBalances(ctx, year);
  const byStation: Column[] = [
    { header: '序号', width: 6, align: 'center' },
    { header: '代表联络站', width: 30 },
    { header: '所属乡镇', width: 14, align: 'center' },
    { header: '预算（元）', width: 15, money: true },
    { header: '已支出（元）', width: 15, money: true },
    { header: '结余（元）', width: 15, money: true },
    { header: '其他经费列支（元）', width: 17, money: true },
  ];
  const ws2 = addOfficialSheet(wb, {
    sheetName: '按联络站',
    title: `${office.officeName}${year}年代表联络站经费收支情况表`,
    widths: byStation.map((c) => c.width),
    officeLine: officeLine('单位：元'),
    headerRowCount: 1,
  });
  const sum = (k: 'budgetFen' | 'spentFen' | 'balanceFen' | 'otherSpentFen') => stations.reduce((s, x) => s + x[k], 0);
  table(
    ws2,
    byStation,
    stations.map((s, i) => [
      i + 1,
      s.stationName,
      s.township ?? '',
      fenToYuanNumber(s.budgetFen),
      fenToYuanNumber(s.spentFen),
      fenToYuanNumber(s.balanceFen),
      fenToYuanNumber(s.otherSpentFen),
    ]),
    stations.length
      ? ['合计', '', '', fenToYuanNumber(sum('budgetFen')), fenToYuanNumber(sum('spentFen')), fenToYuanNumber(sum('balanceFen')), fenToYuanNumber(sum('otherSpentFen'))]
      : null,
  );
  ws2.commit();

  const ledger: Column[] = [
    { header: '序号', width: 6, align: 'center' },
    { header: '日期', width: 11, align: 'center' },
    { header: '经费', width: 22 },
    { header: '金额（元）', width: 13, money: true },
    { header: '用途', width: 30 },
    { header: '收款人', width: 18 },
    { header: '凭证号', width: 12, align: 'center' },
    { header: '联络站', width: 18 },
    { header: '代表小组', width: 16 },
    { header: '关联活动', width: 22 },
    { header: '超预算审批事由', width: 22 },
  ];
  const entries = (
    ctx.db
      .prepare(`SELECT ${ENTRY_COLUMNS} ${ENTRY_FROM} WHERE e.deleted_at IS NULL AND f.deleted_at IS NULL AND f.year = ? ORDER BY e.date, e.created_at`)
      .all(year) as EntryDbRow[]
  ).map(toEntryRow);
  const ws3 = addOfficialSheet(wb, {
    sheetName: '支出明细',
    title: `${office.officeName}${year}年代表活动经费支出明细账`,
    widths: ledger.map((c) => c.width),
    officeLine: officeLine(`共 ${entries.length} 笔`),
    headerRowCount: 1,
  });
  await yieldToIo();
  table(
    ws3,
    ledger,
    entries.map((e, i) => [
      i + 1,
      e.date,
      e.fundName,
      fenToYuanNumber(e.amountFen),
      e.purpose,
      e.payee,
      e.voucherNo ?? '',
      e.stationName ?? '',
      e.groupName ?? '',
      e.activityTitle ?? '',
      e.overBudget ? `${e.approvalReason ?? ''}${e.approvedBy ? `（审批人：${e.approvedBy}）` : ''}` : '',
    ]),
    ['合计', '', '', fenToYuanNumber(entries.reduce((s, e) => s + e.amountFen, 0)), '', '', '', '', '', '', ''],
  );
  ws3.commit();
  await wb.commit();
  return { funds: funds.length, entries: entries.length, budgetFen, spentFen };
}

function audit(ctx: CoreContext, year: number, where: string): void {
  ctx.repo.audit({ action: 'export', entity: 'funds', summary: `导出${year}年代表活动经费报表，${where}` });
}

export async function exportFundsReport(ctx: CoreContext, year: number, out: string) {
  const result = await writeWorkbookFile(out, (stream) => writeFundsWorkbook(ctx, year, stream));
  audit(ctx, year, `文件 ${out}`);
  return result;
}

export async function fundsReportOutput(ctx: CoreContext, year: number): Promise<FileOutput> {
  const office = ctx.requireOffice();
  const file = await workbookFileOutput('经费报表.xlsx', (stream) => writeFundsWorkbook(ctx, year, stream));
  audit(ctx, year, '界面下载');
  return { ...file, fileName: `${office.officeName}${year}年代表活动经费报表.xlsx` };
}
