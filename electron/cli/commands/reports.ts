import path from 'node:path';
import type { z } from 'zod';
import { compositionInput, rosterWorkbookInput } from '../../../shared/contract/index.js';
import { LEVEL_LABELS, parseLevel, type Level } from '../../../shared/dictionaries.js';
import { AppError } from '../../../shared/errors.js';
import { describeZodError } from '../../../shared/validation.js';
import { CoreContext } from '../../core/context.js';
import { exportCompositionWorkbook, compositionReport } from '../../core/reports/composition.js';
import { exportRosterWorkbook } from '../../core/reports/roster.js';
import { printJson, UsageError, type Command, type ParsedArgs } from '../command.js';
import { dbPathOf } from './foundation.js';

const dbOption = { db: { type: 'string' } } as const;
const levelOption = { level: { type: 'string', multiple: true } } as const;

/** --level 县 --level 乡镇 (Chinese words or codes) → levels. */
function levelsOf(args: ParsedArgs): Level[] | undefined {
  const raw = args.values.level;
  const words = (Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : []).flatMap((w) => w.split(/[,，、]/));
  if (words.length === 0) return undefined;
  return words.map((word) => {
    const level = parseLevel(word);
    if (!level) {
      throw new UsageError(`--level “${word}”无法识别，应为 ${Object.values(LEVEL_LABELS).join('、')} 之一（可重复）`);
    }
    return level;
  });
}

const optionalString = (args: ParsedArgs, name: string): string | undefined => {
  const v = args.values[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

/** Validates with the contract's schema, so every door gives the same Chinese message. */
function validated<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError('VALIDATION', describeZodError(parsed.error));
  return parsed.data;
}

const pct = (value: number) => `${value.toFixed(1)}%`;

function outPath(args: ParsedArgs): string {
  const out = args.positionals[0]!;
  if (!/\.xlsx$/i.test(out)) throw new UsageError('输出文件应以 .xlsx 结尾');
  return path.resolve(out);
}

export const rosterExport: Command = {
  usage:
    'deputy-desk roster export OUT.xlsx --db FILE [--level 县|乡镇 …] [--term 第十九届] [--township 名称] [--status active|current|suspended|ended|all] [--title 标题] [--unmasked] [--json]',
  summary: '导出代表名册（Excel，正式格式；身份证号和电话默认隐藏）',
  options: {
    ...dbOption,
    ...levelOption,
    term: { type: 'string' },
    township: { type: 'string' },
    status: { type: 'string' },
    title: { type: 'string' },
    unmasked: { type: 'boolean' },
  },
  positionals: { min: 1, max: 1 },
  async run(args) {
    const out = outPath(args);
    const input = validated(rosterWorkbookInput, {
      level: levelsOf(args),
      term: optionalString(args, 'term'),
      township: optionalString(args, 'township'),
      status: optionalString(args, 'status'),
      title: optionalString(args, 'title'),
      unmasked: Boolean(args.values.unmasked),
    });
    const ctx = new CoreContext(dbPathOf(args));
    const result = await exportRosterWorkbook(ctx, input, out);
    if (args.json) printJson({ file: out, ...result });
    else {
      process.stdout.write(
        `已导出代表名册：${out}\n${result.title}，共 ${result.rows} 人${result.unmasked ? '（含完整身份证号和电话，已记入操作日志）' : '（身份证号和电话已隐藏）'}\n`,
      );
    }
    return 0;
  },
};

export const composition: Command = {
  usage: 'deputy-desk report composition [OUT.xlsx] --db FILE [--level 县|乡镇 …] [--term 第十九届] [--as-of YYYY-MM-DD] [--json]',
  summary: '代表结构统计表（按乡镇及合计；可导出Excel）',
  options: { ...dbOption, ...levelOption, term: { type: 'string' }, 'as-of': { type: 'string' } },
  positionals: { min: 0, max: 1 },
  async run(args) {
    const out = args.positionals.length > 0 ? outPath(args) : null;
    const input = validated(compositionInput, {
      level: levelsOf(args),
      term: optionalString(args, 'term'),
      asOf: optionalString(args, 'as-of'),
    });
    const ctx = new CoreContext(dbPathOf(args));
    const report = out ? await exportCompositionWorkbook(ctx, input, out) : compositionReport(ctx, input);
    if (args.json) {
      printJson({ ...(out ? { file: out } : {}), title: report.title, asOf: report.asOf, levels: report.levels, term: report.term, rows: report.rows, notes: report.notes });
      return 0;
    }
    const lines = [report.title, `年龄计算日期 ${report.asOf}`];
    for (const r of report.rows) {
      lines.push(
        `${r.scope}：${r.total} 人，女 ${r.female}（${pct(r.femalePct)}），少数民族 ${r.minority}（${pct(r.minorityPct)}），` +
          `中共党员 ${r.cpc}（${pct(r.cpcPct)}），基层代表 ${r.grassroots}（${pct(r.grassrootsPct)}），大专及以上 ${r.collegeOrAbove}（${pct(r.collegeOrAbovePct)}）`,
      );
    }
    lines.push(...report.notes.map((n, i) => `注${i + 1}：${n}`));
    if (out) lines.push(`已导出：${out}`);
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  },
};
