import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { FileOutput } from '../../../shared/contract/index.js';
import type { SignSheet } from '../../../shared/contract/subsidies.js';
import { LEVEL_LABELS } from '../../../shared/dictionaries.js';
import { AppError } from '../../../shared/errors.js';
import { fenToCapitals, fenToYuanNumber, fenToYuanString } from '../../../shared/money.js';
import { placeText } from '../../../shared/subsidies/index.js';
import type { CoreContext } from '../context.js';
import {
  addOfficialSheet,
  bodyStyles,
  BORDER_ALL,
  chineseDate,
  columnLetter,
  FONT_BODY,
  FONT_HEADER,
  HEADER_ROW,
  MONEY_FORMAT,
  newWorkbookWriter,
  safeFileName,
  workbookFileOutput,
  writeHeaderRow,
  writeRow,
  writeWorkbookFile,
  type BodyColumn,
} from '../reports/layout.js';
import { batchLines, liveBatch, periodLabel, type BatchRow, type LineRow } from './batches.js';

/**
 * The 签领表 (signature sheet) in Excel and as print data, and the bank's
 * transfer list (代发清单) with full account numbers. Money is stored in
 * cells as yuan numbers with a money format; the total is also written in
 * capital numerals (合计（大写）).
 */

export function levelText(levels: string): string {
  return levels
    .split(',')
    .filter(Boolean)
    .map((l) => LEVEL_LABELS[l as keyof typeof LEVEL_LABELS] ?? l)
    .join('、');
}

function sheetTitle(b: BatchRow, township?: string): string {
  return township ? `${b.title}（${township}）` : b.title;
}

export function signSheet(ctx: CoreContext, batchId: string, township?: string, now: Date = new Date()): SignSheet {
  const office = ctx.requireOffice();
  const b = liveBatch(ctx, batchId);
  const lines = batchLines(ctx, batchId, township);
  if (lines.length === 0) throw new AppError('NOT_FOUND', township ? `该批次中没有${township}的发放行。` : '该批次没有发放行。');
  const rows = lines.map((l, i) => ({
    seq: i + 1,
    name: l.name,
    levelText: levelText(l.levels),
    place: placeText(l.township, l.group_name),
    standardText: l.standard_text,
    months: l.months,
    amountFen: l.amount_fen,
    note: l.note ?? '',
  }));
  const totalFen = rows.reduce((s, r) => s + r.amountFen, 0);
  return {
    title: sheetTitle(b, township),
    officeName: office.officeName,
    periodLabel: periodLabel(b.period),
    dateText: chineseDate(now),
    status: b.status,
    rows,
    totalFen,
    totalCapitals: fenToCapitals(totalFen),
  };
}

const SIGN_COLUMNS: (BodyColumn & { header: string; width: number })[] = [
  { header: '序号', width: 5, align: 'center' },
  { header: '姓名', width: 9, align: 'center' },
  { header: '层级', width: 7, align: 'center' },
  { header: '所属乡镇/代表小组', width: 17, align: 'left' },
  { header: '标准', width: 19, align: 'left' },
  { header: '月数', width: 5, align: 'center' },
  { header: '金额（元）', width: 11, money: true },
  { header: '签名', width: 13, align: 'center' },
  { header: '备注', width: 16, align: 'left' },
];

export async function writeSignWorkbook(sheet: SignSheet, target: Writable): Promise<void> {
  const wb = newWorkbookWriter(target);
  const n = SIGN_COLUMNS.length;
  const last = columnLetter(n);
  const ws = addOfficialSheet(wb, {
    sheetName: '签领表',
    title: sheet.title,
    widths: SIGN_COLUMNS.map((c) => c.width),
    officeLine: {
      left: `发放单位：${sheet.officeName}`,
      center: `发放期间：${sheet.periodLabel}${sheet.status === 'draft' ? '（草稿，未确认发放）' : ''}`,
      right: `制表日期：${sheet.dateText}`,
    },
    headerRowCount: 1,
    // A signature sheet is signed on paper: A4 portrait.
    orientation: 'portrait',
  });
  writeHeaderRow(ws, SIGN_COLUMNS.map((c) => c.header), 26);
  const styles = bodyStyles(SIGN_COLUMNS);
  let r = HEADER_ROW;
  for (const row of sheet.rows) {
    const values = [row.seq, row.name, row.levelText, row.place, row.standardText, row.months, fenToYuanNumber(row.amountFen), '', row.note];
    // Tall enough to sign by hand.
    writeRow(ws, ++r, values, styles, 30);
  }

  const bold: Partial<ExcelJS.Font> = { ...FONT_HEADER };
  const total = ws.getRow(++r);
  total.height = 26;
  for (let i = 1; i <= n; i++) {
    const cell = total.getCell(i);
    cell.border = BORDER_ALL;
    cell.font = bold;
    cell.alignment = { vertical: 'middle', horizontal: i === 7 ? 'right' : 'center' };
  }
  total.getCell(1).value = '合计';
  total.getCell(6).value = sheet.rows.reduce((s, x) => s + x.months, 0);
  total.getCell(7).value = fenToYuanNumber(sheet.totalFen);
  total.getCell(7).numFmt = MONEY_FORMAT;
  ws.mergeCells(`A${r}:E${r}`);
  total.commit();

  const capitals = ws.getRow(++r);
  capitals.height = 26;
  const c = capitals.getCell(1);
  c.value = `合计（大写）：${sheet.totalCapitals}　　（小写）：¥${fenToYuanString(sheet.totalFen)}`;
  c.font = bold;
  c.border = BORDER_ALL;
  c.alignment = { vertical: 'middle', horizontal: 'left' };
  for (let i = 2; i <= n; i++) capitals.getCell(i).border = BORDER_ALL;
  ws.mergeCells(`A${r}:${last}${r}`);
  capitals.commit();

  const signers = ws.getRow(r + 2);
  signers.height = 24;
  const s = signers.getCell(1);
  s.value = '制表人：　　　　　　　　审核人：　　　　　　　　负责人：　　　　　　　　发放日期：　　年　　月　　日';
  s.font = FONT_BODY;
  s.alignment = { vertical: 'middle', horizontal: 'left' };
  ws.mergeCells(`A${r + 2}:${last}${r + 2}`);
  signers.commit();

  ws.commit();
  await wb.commit();
}

function auditSheet(ctx: CoreContext, sheet: SignSheet, where: string): void {
  ctx.repo.audit({
    action: 'export',
    entity: 'subsidy_batches',
    summary: `导出签领表：${sheet.title}，${sheet.rows.length} 行，合计 ${fenToYuanString(sheet.totalFen)} 元，${where}`,
  });
}

/** CLI: `report subsidy-sheet --batch ID OUT.xlsx`. */
export async function exportSignWorkbook(ctx: CoreContext, batchId: string, out: string, township?: string): Promise<SignSheet> {
  const sheet = signSheet(ctx, batchId, township);
  await writeWorkbookFile(out, (stream) => writeSignWorkbook(sheet, stream));
  auditSheet(ctx, sheet, `文件 ${out}`);
  return sheet;
}

export async function signWorkbookOutput(ctx: CoreContext, batchId: string, township?: string): Promise<FileOutput> {
  const sheet = signSheet(ctx, batchId, township);
  const file = await workbookFileOutput('签领表.xlsx', (stream) => writeSignWorkbook(sheet, stream));
  auditSheet(ctx, sheet, '界面下载');
  return { ...file, fileName: safeFileName(`${sheet.title}.xlsx`) };
}

/** One transfer per person: the net of their lines (regular plus adjustments). */
export interface Transfer {
  name: string;
  bankName: string;
  bankAccount: string;
  amountFen: number;
  note: string;
}

export interface BankList {
  title: string;
  transfers: Transfer[];
  totalFen: number;
  /** People left out: no account, or nothing (or less than nothing) to pay. */
  leftOut: { name: string; reason: string }[];
}

export function bankList(ctx: CoreContext, batchId: string): BankList {
  const b = liveBatch(ctx, batchId);
  if (b.status !== 'issued') {
    throw new AppError('CONFLICT', '银行代发清单只能在批次确认发放后导出：请先核对并确认发放该批次。');
  }
  const byPerson = new Map<string, { lines: LineRow[] }>();
  for (const l of batchLines(ctx, batchId)) {
    const entry = byPerson.get(l.person_id) ?? { lines: [] };
    entry.lines.push(l);
    byPerson.set(l.person_id, entry);
  }
  const transfers: Transfer[] = [];
  const leftOut: BankList['leftOut'] = [];
  for (const { lines } of byPerson.values()) {
    const first = lines[0]!;
    const net = lines.reduce((s, l) => s + l.amount_fen, 0);
    if (net <= 0) leftOut.push({ name: first.name, reason: net < 0 ? `应扣回 ${fenToYuanString(-net)} 元` : '本期合计为 0' });
    else if (!first.bank_account) leftOut.push({ name: first.name, reason: `缺少银行账号，应发 ${fenToYuanString(net)} 元` });
    else {
      transfers.push({
        name: first.name,
        bankName: first.bank_name ?? '',
        bankAccount: first.bank_account,
        amountFen: net,
        note: lines.length > 1 ? '含调整' : '',
      });
    }
  }
  return {
    title: `${b.title.replace(/签领表$/, '')}银行代发清单`,
    transfers,
    totalFen: transfers.reduce((s, t) => s + t.amountFen, 0),
    leftOut,
  };
}

const BANK_COLUMNS: (BodyColumn & { header: string; width: number })[] = [
  { header: '序号', width: 6, align: 'center' },
  { header: '户名', width: 10, align: 'center' },
  { header: '开户行', width: 24 },
  // The account stays text: as a number Excel would round it to 15 digits.
  { header: '银行账号', width: 26, align: 'center', text: true },
  { header: '金额（元）', width: 13, money: true },
  { header: '备注', width: 14, align: 'center' },
];

export async function writeBankWorkbook(ctx: CoreContext, list: BankList, target: Writable): Promise<void> {
  const office = ctx.requireOffice();
  const wb = newWorkbookWriter(target);
  const widths = BANK_COLUMNS.map((c) => c.width);
  const ws = addOfficialSheet(wb, {
    sheetName: '代发清单',
    title: list.title,
    widths,
    officeLine: { left: `付款单位：${office.officeName}`, center: `共 ${list.transfers.length} 笔`, right: `制表日期：${chineseDate()}` },
    headerRowCount: 1,
    orientation: 'portrait',
  });
  writeHeaderRow(ws, BANK_COLUMNS.map((c) => c.header));
  const styles = bodyStyles(BANK_COLUMNS);
  let r = HEADER_ROW;
  list.transfers.forEach((t, i) => {
    writeRow(ws, ++r, [i + 1, t.name, t.bankName, t.bankAccount, fenToYuanNumber(t.amountFen), t.note], styles);
  });
  const total = ws.getRow(++r);
  total.getCell(1).value = '合计';
  total.getCell(5).value = fenToYuanNumber(list.totalFen);
  total.getCell(5).numFmt = MONEY_FORMAT;
  for (let c = 1; c <= widths.length; c++) {
    total.getCell(c).border = BORDER_ALL;
    total.getCell(c).font = FONT_HEADER;
  }
  ws.mergeCells(`A${r}:D${r}`);
  total.commit();
  const cap = ws.getRow(++r);
  cap.getCell(1).value = `合计（大写）：${fenToCapitals(list.totalFen)}`;
  cap.getCell(1).font = FONT_HEADER;
  ws.mergeCells(`A${r}:F${r}`);
  cap.commit();
  if (list.leftOut.length) {
    const note = ws.getRow(r + 2);
    note.getCell(1).value = `未列入本清单（${list.leftOut.length} 人）：${list.leftOut.map((x) => `${x.name}（${x.reason}）`).join('；')}`;
    note.getCell(1).font = FONT_BODY;
    note.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    ws.mergeCells(`A${r + 2}:F${r + 2}`);
    note.height = Math.min(400, 18 * Math.ceil(list.leftOut.length / 4) + 18);
    note.commit();
  }
  ws.commit();
  await wb.commit();
}

function auditBank(ctx: CoreContext, batchId: string, list: BankList, where: string): void {
  ctx.repo.audit({
    action: 'export',
    entity: 'subsidy_batches',
    entityId: batchId,
    summary: `导出银行代发清单（含完整银行账号）：${list.title}，${list.transfers.length} 笔，合计 ${fenToYuanString(list.totalFen)} 元，${where}`,
  });
}

export async function bankWorkbookOutput(ctx: CoreContext, batchId: string): Promise<FileOutput> {
  const list = bankList(ctx, batchId);
  const file = await workbookFileOutput('银行代发清单.xlsx', (stream) => writeBankWorkbook(ctx, list, stream));
  auditBank(ctx, batchId, list, '界面下载');
  return { ...file, fileName: safeFileName(`${list.title}.xlsx`) };
}

export async function exportBankWorkbook(ctx: CoreContext, batchId: string, out: string): Promise<BankList> {
  const list = bankList(ctx, batchId);
  await writeWorkbookFile(out, (stream) => writeBankWorkbook(ctx, list, stream));
  auditBank(ctx, batchId, list, `文件 ${out}`);
  return list;
}
