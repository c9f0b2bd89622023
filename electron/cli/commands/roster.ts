import fs from 'node:fs';
import path from 'node:path';
import type { RosterImportIssue, RosterImportReport, RosterImportSheetOption } from '../../../shared/contract/index.js';
import { CoreContext } from '../../core/context.js';
import { importRosterFile } from '../../core/roster/import/index.js';
import { rosterImportTemplate } from '../../core/roster/import/template.js';
import { printJson, UsageError, type Command, type ParsedArgs } from '../command.js';
import { dbPathOf } from './foundation.js';

const dbOption = { db: { type: 'string' } } as const;

const list = (args: ParsedArgs, name: string): string[] => {
  const v = args.values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
};

/** --fill 层级=乡镇 (every sheet) and --fill 县级代表!层级=县 (one sheet). */
export function parseFills(words: string[]): { fills: Record<string, string>; sheets: RosterImportSheetOption[] } {
  const fills: Record<string, string> = {};
  const bySheet = new Map<string, Record<string, string>>();
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new UsageError(`--fill “${word}”应写成 列名=值，例如 --fill 层级=乡镇 或 --fill 县级代表!层级=县`);
    const left = word.slice(0, eq).trim();
    const value = word.slice(eq + 1).trim();
    const bang = left.lastIndexOf('!');
    if (bang > 0) {
      const sheet = left.slice(0, bang).replace(/^'(.*)'$/, '$1');
      const target = bySheet.get(sheet) ?? {};
      target[left.slice(bang + 1).trim()] = value;
      bySheet.set(sheet, target);
    } else {
      fills[left] = value;
    }
  }
  return { fills, sheets: [...bySheet].map(([name, f]) => ({ name, fills: f })) };
}

const where = (i: RosterImportIssue) =>
  `${i.sheet ? `“${i.sheet}”` : ''}${i.row ? `第${i.row}行` : ''}${i.column ? `「${i.column}」` : ''}`;

function printHuman(report: RosterImportReport): void {
  const out: string[] = [];
  out.push(
    `${report.dryRun ? '试导入（未写入数据库）' : '已导入'}“${report.fileName}”：读取 ${report.rows} 行，` +
      `新增 ${report.imported}（其中新人员 ${report.newPersons}），更新 ${report.updated}，未变 ${report.unchanged}，` +
      `有错误未导入 ${report.errorRows} 行`,
  );
  for (const s of report.sheets) {
    if (s.included) {
      const fills = s.fillsUsed.map((f) => `${f.field === 'level' ? '层级' : f.field === 'term' ? '届次' : f.field}=${f.value}${f.source === 'sheetName' ? '（按表名）' : f.source === 'title' ? '（按标题）' : ''}`);
      out.push(
        `  工作表“${s.name}”：表头在第${s.headerRow}行，数据 ${s.dataRows} 行；新增 ${s.imported}，更新 ${s.updated}，未变 ${s.unchanged}，错误 ${s.errorRows}` +
          (fills.length ? `；补充 ${fills.join('，')}` : ''),
      );
    } else {
      out.push(`  工作表“${s.name}”：未导入（${s.skipReason ?? ''}）`);
    }
  }
  if (report.ignoredColumns.length) out.push(`未导入的列：${report.ignoredColumns.join('、')}`);
  if (report.errorCount) {
    out.push(`错误（${report.errorCount}，这些行未导入，请在 Excel 中改正后重新导入）：`);
    for (const e of report.errors) out.push(`  ${where(e)}：${e.message}`);
  }
  if (report.warningCount) {
    out.push(`提示（${report.warningCount}）：`);
    for (const w of report.warnings) out.push(`  ${where(w)}：${w.message}`);
  }
  if (report.changes.length) {
    out.push(`更新的内容（${report.changes.length}）：`);
    for (const c of report.changes) {
      out.push(`  “${c.sheet}”第${c.row}行 ${c.name}：${c.changes.map((f) => `${f.column} ${f.from ?? '（空）'} → ${f.to ?? '（空）'}`).join('；')}`);
    }
  }
  process.stdout.write(out.join('\n') + '\n');
}

export const rosterImport: Command = {
  usage:
    'deputy-desk roster import FILE.xlsx --db FILE [--fill 列名=值 …] [--fill 工作表!列名=值 …] [--sheet 工作表 …] [--dry-run] [--json]',
  summary: '从 Excel 导入代表名册（同一文件重复导入不会重复登记；--dry-run 只检查不写入）',
  options: {
    ...dbOption,
    fill: { type: 'string', multiple: true },
    sheet: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
  },
  positionals: { min: 1, max: 1 },
  async run(args) {
    const file = path.resolve(args.positionals[0]!);
    const { fills, sheets } = parseFills(list(args, 'fill'));
    const onlySheets = list(args, 'sheet');
    const ctx = new CoreContext(dbPathOf(args));
    const report = await importRosterFile(ctx, file, {
      fills,
      sheets: sheets.length ? sheets : undefined,
      onlySheets: onlySheets.length ? onlySheets : undefined,
      dryRun: Boolean(args.values['dry-run']),
    });
    if (args.json) printJson(report);
    else printHuman(report);
    return 0;
  },
};

export const rosterTemplate: Command = {
  usage: 'deputy-desk roster template OUT.xlsx',
  summary: '生成代表名册导入模板（Excel）',
  options: {},
  positionals: { min: 1, max: 1 },
  async run(args) {
    const out = path.resolve(args.positionals[0]!);
    if (!/\.xlsx$/i.test(out)) throw new UsageError('输出文件应以 .xlsx 结尾');
    const template = await rosterImportTemplate();
    fs.writeFileSync(out, Buffer.from(template.base64, 'base64'));
    if (args.json) printJson({ file: out });
    else process.stdout.write(`已生成导入模板：${out}\n`);
    return 0;
  },
};
