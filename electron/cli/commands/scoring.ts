import fs from 'node:fs';
import path from 'node:path';
import type { RulesImportReport, SignInImportReport } from '../../../shared/contract/index.js';
import { LEVEL_LABELS, parseLevel, type Level } from '../../../shared/dictionaries.js';
import { PERIOD_FORMAT_HINT, parsePeriod } from '../../../shared/scoring/index.js';
import { CoreContext } from '../../core/context.js';
import { createDispatcher } from '../../core/dispatcher.js';
import { writeWorkbookFile } from '../../core/reports/layout.js';
import { exportRulesToFile } from '../../core/scoring/rulesExcel.js';
import { scoresForCli } from '../../core/scoring/scores.js';
import { writeSummary } from '../../core/scoring/reports.js';
import { callMethod, printJson, requireString, UsageError, type Command, type ParsedArgs } from '../command.js';
import { dbPathOf } from './foundation.js';

const dbOption = { db: { type: 'string' } } as const;

function periodOf(args: ParsedArgs): string {
  const raw = requireString(args, 'period', '考核期间，如 2025、2025H1、2025Q3、2025-03');
  const p = parsePeriod(raw);
  if (!p) throw new UsageError(`--period “${raw}”无法识别：${PERIOD_FORMAT_HINT}`);
  return p.id;
}

function levelOf(args: ParsedArgs): Level | undefined {
  const raw = args.values.level;
  if (typeof raw !== 'string' || raw === '') return undefined;
  const level = parseLevel(raw);
  if (!level) throw new UsageError(`--level “${raw}”应为 county、township 或 县、乡镇 等`);
  return level;
}

function readInput(file: string): { name: string; base64: string } {
  const full = path.resolve(file);
  if (!fs.existsSync(full)) throw new UsageError(`找不到文件：${full}`);
  return { name: path.basename(full), base64: fs.readFileSync(full).toString('base64') };
}

const where = (i: { sheet: string; row: number | null; column: string }) =>
  `${i.sheet ? `“${i.sheet}”` : ''}${i.row ? `第${i.row}行` : ''}${i.column ? `「${i.column}」` : ''}`;

export const scores: Command = {
  usage: 'deputy-desk scores --period P --db FILE [--township 乡镇] [--level county|township] [--json]',
  summary: '计算并列出一个考核期间的履职积分（按总分排名）',
  options: { ...dbOption, period: { type: 'string' }, township: { type: 'string' }, level: { type: 'string' } },
  async run(args) {
    const period = periodOf(args);
    const ctx = new CoreContext(dbPathOf(args));
    const township = typeof args.values.township === 'string' && args.values.township ? args.values.township : undefined;
    const { rows, periodLabel } = scoresForCli(ctx, { period, township, level: levelOf(args) });
    if (args.json) {
      printJson(rows);
      return 0;
    }
    const lines = [`${periodLabel}履职积分${township ? `（${township}）` : ''}：${rows.length} 名代表`];
    for (const r of rows) {
      lines.push(
        `${String(r.rank).padStart(4)}  ${r.name.padEnd(6, '　')} ${String(r.total).padStart(7)} 分  ${r.grade ?? ''}  ${r.certificateNo ?? ''}`,
      );
    }
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  },
};

export const rulesExport: Command = {
  usage: 'deputy-desk rules export OUT.xlsx --db FILE [--period P] [--preset first-further-cap|hundred-point|base-60] [--json]',
  summary: '导出积分规则表（Excel，可发给乡镇填写或修改后导入）',
  options: { ...dbOption, period: { type: 'string' }, preset: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(args) {
    const out = path.resolve(args.positionals[0]!);
    const period = typeof args.values.period === 'string' ? periodOf(args) : undefined;
    const preset = typeof args.values.preset === 'string' && args.values.preset ? args.values.preset : undefined;
    const ctx = new CoreContext(dbPathOf(args));
    const written = await exportRulesToFile(ctx, out, { period, preset });
    if (ctx.office()) ctx.repo.audit({ action: 'export', entity: 'rule_sets', summary: `导出积分规则表：${written.name}` });
    if (args.json) printJson(written);
    else process.stdout.write(`已导出“${written.name}”（${written.items} 个项目）：${out}\n`);
    return 0;
  },
};

function printRulesReport(r: RulesImportReport): void {
  const lines = [
    r.imported
      ? `已导入“${r.name}”（${parsePeriod(r.period)!.label}，${r.level ? LEVEL_LABELS[r.level] + '人大代表' : '全体代表'}）：${r.items} 个项目${r.replaced ? '，替换了原有项目' : ''}`
      : `未导入：${r.errors.length ? `有 ${r.errors.length} 处错误，请改正后重新导入` : '试导入，未写入'}`,
  ];
  for (const e of r.errors) lines.push(`  错误 ${where(e)}：${e.message}`);
  for (const w of r.warnings) lines.push(`  提示 ${where(w)}：${w.message}`);
  process.stdout.write(lines.join('\n') + '\n');
}

export const rulesImport: Command = {
  usage: 'deputy-desk rules import FILE.xlsx --period P --db FILE [--level county|township] [--draft] [--dry-run] [--json]',
  summary: '导入积分规则表（默认即执行；--draft 导入为草稿）',
  options: { ...dbOption, period: { type: 'string' }, level: { type: 'string' }, draft: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run(args) {
    const period = periodOf(args);
    const file = readInput(args.positionals[0]!);
    const ctx = new CoreContext(dbPathOf(args));
    const level = levelOf(args);
    const report = await callMethod(createDispatcher(ctx), 'scoring.rulesImport', {
      file,
      period,
      ...(level ? { level } : {}),
      status: args.values.draft ? 'draft' : 'in_force',
      dryRun: Boolean(args.values['dry-run']),
    });
    if (args.json) printJson(report);
    else printRulesReport(report);
    return report.errors.length > 0 ? 1 : 0;
  },
};

function printSignInReport(r: SignInImportReport): void {
  const lines = [
    r.imported
      ? `已导入签到表：${r.activities.length} 次活动，${r.participants} 人次`
      : `未导入：${r.errors.length ? `${r.errorRows} 行有错误（共 ${r.errors.length} 处），请改正后重新导入，未写入任何记录` : '试导入，未写入'}`,
  ];
  for (const a of r.activities) lines.push(`  “${a.sheet}”：${a.date ?? ''} ${a.type}“${a.title}” 出席 ${a.attended}，请假 ${a.leave}，缺席 ${a.absent}`);
  for (const e of r.errors) lines.push(`  错误 ${where(e)}：${e.message}`);
  for (const w of r.warnings) lines.push(`  提示 ${where(w)}：${w.message}`);
  process.stdout.write(lines.join('\n') + '\n');
}

export const activitiesImport: Command = {
  usage: 'deputy-desk activities import FILE.xlsx --db FILE [--dry-run] [--json]',
  summary: '导入签到表（Excel，每个工作表一次活动，逐行报告）',
  options: { ...dbOption, 'dry-run': { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run(args) {
    const file = readInput(args.positionals[0]!);
    const ctx = new CoreContext(dbPathOf(args));
    const report = await callMethod(createDispatcher(ctx), 'activities.importSignIn', { file, dryRun: Boolean(args.values['dry-run']) });
    if (args.json) printJson(report);
    else printSignInReport(report);
    return report.errors.length > 0 ? 1 : 0;
  },
};

export const scoreSummary: Command = {
  usage: 'deputy-desk report score-summary --period P --out FILE.xlsx --db FILE [--township 乡镇] [--level county|township] [--json]',
  summary: '导出履职积分汇总表（Excel）',
  options: { ...dbOption, period: { type: 'string' }, out: { type: 'string' }, township: { type: 'string' }, level: { type: 'string' } },
  async run(args) {
    const period = periodOf(args);
    const out = path.resolve(requireString(args, 'out', '输出文件'));
    const ctx = new CoreContext(dbPathOf(args));
    const township = typeof args.values.township === 'string' && args.values.township ? args.values.township : undefined;
    const rows = await writeWorkbookFile(out, (stream) => writeSummary(stream, ctx, { period, township, level: levelOf(args) }));
    if (args.json) printJson({ file: out, rows });
    else process.stdout.write(`已导出履职积分汇总表（${rows} 名代表）：${out}\n`);
    return 0;
  },
};

export const dossier: Command = {
  usage: 'deputy-desk report dossier --period P --out FILE.xlsx --db FILE (--seat SEAT_ID | --township 乡镇 | --level county|township) [--json]',
  summary: '导出代表履职档案（Excel，一人一表）',
  options: { ...dbOption, period: { type: 'string' }, out: { type: 'string' }, seat: { type: 'string' }, township: { type: 'string' }, level: { type: 'string' } },
  async run(args) {
    const period = periodOf(args);
    const out = path.resolve(requireString(args, 'out', '输出文件'));
    const ctx = new CoreContext(dbPathOf(args));
    const str = (k: string) => (typeof args.values[k] === 'string' && args.values[k] ? (args.values[k] as string) : undefined);
    const level = levelOf(args);
    const file = await callMethod(createDispatcher(ctx), 'scoring.dossierWorkbook', {
      period,
      ...(str('seat') ? { seatId: str('seat') } : {}),
      ...(str('township') ? { township: str('township') } : {}),
      ...(level ? { level } : {}),
    });
    fs.writeFileSync(out, Buffer.from(file.base64, 'base64'));
    if (args.json) printJson({ file: out, fileName: file.fileName });
    else process.stdout.write(`已导出代表履职档案：${out}\n`);
    return 0;
  },
};
