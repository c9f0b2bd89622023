import path from 'node:path';
import { fenToYuanString } from '../../../shared/money.js';
import { CoreContext } from '../../core/context.js';
import { exportFundsReport } from '../../core/funds/report.js';
import { printJson, requireString, UsageError, type Command } from '../command.js';
import { dbPathOf } from './foundation.js';

const dbOption = { db: { type: 'string' } } as const;

export const fundsReport: Command = {
  usage: 'deputy-desk funds report --year 2025 OUT.xlsx --db FILE [--json]',
  summary: '导出年度代表活动经费报表（按经费、按联络站、支出明细）',
  options: { ...dbOption, year: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(args) {
    const out = args.positionals[0]!;
    if (!/\.xlsx$/i.test(out)) throw new UsageError('输出文件应以 .xlsx 结尾');
    const year = Number(requireString(args, 'year', '年度，如 2025'));
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new UsageError('--year 应为 2000–2100 之间的年份，如 2025');
    const ctx = new CoreContext(dbPathOf(args));
    const result = await exportFundsReport(ctx, year, path.resolve(out));
    if (args.json) printJson({ file: out, year, ...result });
    else {
      process.stdout.write(
        `已导出${year}年经费报表：${out}\n经费 ${result.funds} 项，预算 ${fenToYuanString(result.budgetFen)} 元，已支出 ${fenToYuanString(result.spentFen)} 元，结余 ${fenToYuanString(result.budgetFen - result.spentFen)} 元，支出 ${result.entries} 笔\n`,
      );
    }
    return 0;
  },
};
