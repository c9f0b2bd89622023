import path from 'node:path';
import { LEVEL_LABELS } from '../../../shared/dictionaries.js';
import { fenToYuanString } from '../../../shared/money.js';
import { CoreContext } from '../../core/context.js';
import { createDispatcher } from '../../core/dispatcher.js';
import { exportBankWorkbook, exportSignWorkbook } from '../../core/subsidies/sheet.js';
import { callMethod, printJson, requireString, UsageError, type Command, type ParsedArgs } from '../command.js';
import { dbPathOf } from './foundation.js';

const dbOption = { db: { type: 'string' } } as const;

function outPath(args: ParsedArgs): string {
  const out = args.positionals[0]!;
  if (!/\.xlsx$/i.test(out)) throw new UsageError('输出文件应以 .xlsx 结尾');
  return path.resolve(out);
}

function batchIdOf(args: ParsedArgs): string {
  const id = requireString(args, 'batch', '发放批次编号，见 subsidies run 的输出或批次列表');
  if (!/^[0-9a-f-]{36}$/i.test(id.trim())) throw new UsageError('--batch 应为批次编号（UUID）');
  return id.trim();
}

export const subsidiesRun: Command = {
  usage: 'deputy-desk subsidies run --period 2025-03|2025Q1|2025H1|2025 --db FILE [--dry-run] [--json]',
  summary: '按名册和补贴标准生成发放批次草稿（--dry-run 只计算不保存）',
  options: { ...dbOption, period: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  async run(args) {
    const period = requireString(args, 'period', '发放期间，如 2025-03、2025Q1、2025H1、2025');
    const ctx = new CoreContext(dbPathOf(args));
    const result = await callMethod(createDispatcher(ctx), 'subsidies.run', { period, dryRun: Boolean(args.values['dry-run']) });
    if (args.json) {
      printJson(result);
      return 0;
    }
    const out = process.stdout;
    out.write(`${result.periodLabel}履职补贴${result.dryRun ? '（试算，未保存）' : result.replacedDraft ? '（已重新生成草稿）' : '（已生成草稿）'}\n`);
    if (result.batchId) out.write(`批次编号：${result.batchId}\n`);
    for (const l of result.lines) {
      out.write(
        `  ${l.name}\t${l.levels.map((x) => LEVEL_LABELS[x]).join('、')}\t${l.months}个月\t${fenToYuanString(l.amountFen)}元\t${l.standardText}${l.note ? `\t${l.note}` : ''}\n`,
      );
    }
    out.write(`共 ${result.lines.length} 行，合计 ${fenToYuanString(result.totalFen)} 元\n`);
    if (result.exceptions.length) {
      out.write(`待核对事项 ${result.exceptions.length} 条：\n`);
      for (const e of result.exceptions) out.write(`  ${e.name}：${e.message}\n`);
    }
    return 0;
  },
};

export const subsidiesIssue: Command = {
  usage: 'deputy-desk subsidies issue --batch ID --db FILE [--json]',
  summary: '确认发放补贴批次（发放后锁定，不能修改）',
  options: { ...dbOption, batch: { type: 'string' } },
  async run(args) {
    const batchId = batchIdOf(args);
    const ctx = new CoreContext(dbPathOf(args));
    const batch = await callMethod(createDispatcher(ctx), 'subsidies.issue', { batchId });
    if (args.json) printJson(batch);
    else process.stdout.write(`已确认发放：${batch.title}，${batch.lineCount} 行，合计 ${fenToYuanString(batch.totalFen)} 元。批次已锁定。\n`);
    return 0;
  },
};

export const subsidySheet: Command = {
  usage: 'deputy-desk report subsidy-sheet --batch ID OUT.xlsx --db FILE [--township 名称] [--json]',
  summary: '导出补贴签领表（Excel，合计含大写金额）',
  options: { ...dbOption, batch: { type: 'string' }, township: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(args) {
    const out = outPath(args);
    const batchId = batchIdOf(args);
    const township = typeof args.values.township === 'string' && args.values.township.trim() ? args.values.township.trim() : undefined;
    const ctx = new CoreContext(dbPathOf(args));
    const sheet = await exportSignWorkbook(ctx, batchId, out, township);
    if (args.json) printJson({ file: out, title: sheet.title, rows: sheet.rows.length, totalFen: sheet.totalFen, totalCapitals: sheet.totalCapitals });
    else process.stdout.write(`已导出签领表：${out}\n${sheet.title}，${sheet.rows.length} 行，合计 ${fenToYuanString(sheet.totalFen)} 元（${sheet.totalCapitals}）\n`);
    return 0;
  },
};

export const bankList: Command = {
  usage: 'deputy-desk report bank-list --batch ID OUT.xlsx --db FILE [--json]',
  summary: '导出银行代发清单（Excel，含完整银行账号；仅限已发放批次）',
  options: { ...dbOption, batch: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(args) {
    const out = outPath(args);
    const batchId = batchIdOf(args);
    const ctx = new CoreContext(dbPathOf(args));
    const list = await exportBankWorkbook(ctx, batchId, out);
    if (args.json) printJson({ file: out, title: list.title, transfers: list.transfers.length, totalFen: list.totalFen, leftOut: list.leftOut });
    else {
      process.stdout.write(`已导出银行代发清单：${out}\n${list.transfers.length} 笔，合计 ${fenToYuanString(list.totalFen)} 元（含完整账号，已记入操作日志）\n`);
      if (list.leftOut.length) process.stdout.write(`未列入：${list.leftOut.map((x) => `${x.name}（${x.reason}）`).join('；')}\n`);
    }
    return 0;
  },
};
