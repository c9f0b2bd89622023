import { AppError } from '../../shared/errors.js';
import { translateSqliteError, closeAllDatabases } from '../core/db/connection.js';
import { fail, parse, UsageError, type Command } from './command.js';
import * as foundation from './commands/foundation.js';
import * as funds from './commands/funds.js';
import * as handoff from './commands/handoff.js';
import * as reports from './commands/reports.js';
import * as roster from './commands/roster.js';
import * as safety from './commands/safety.js';
import * as scoring from './commands/scoring.js';
import * as subsidies from './commands/subsidies.js';

/** Verbs, by the words typed after `deputy-desk`. Domains add theirs here. */
const COMMANDS: Record<string, Command> = {
  init: foundation.init,
  serve: foundation.serve,
  start: foundation.start,
  demo: foundation.demo,
  call: foundation.call,
  'roster export': reports.rosterExport,
  'roster import': roster.rosterImport,
  'roster template': roster.rosterTemplate,
  'report composition': reports.composition,
  'funds report': funds.fundsReport,
  'subsidies run': subsidies.subsidiesRun,
  'subsidies issue': subsidies.subsidiesIssue,
  'report subsidy-sheet': subsidies.subsidySheet,
  'report bank-list': subsidies.bankList,
  'backup create': safety.backupCreate,
  'backup list': safety.backupList,
  'backup restore': safety.backupRestore,
  'backup passphrase': safety.backupPassphrase,
  check: safety.check,
  'office identity': handoff.officeIdentity,
  'office trust': handoff.officeTrust,
  'package export': handoff.packageExport,
  'package import': handoff.packageImport,
  scores: scoring.scores,
  'rules export': scoring.rulesExport,
  'rules import': scoring.rulesImport,
  'activities import': scoring.activitiesImport,
  'report score-summary': scoring.scoreSummary,
  'report dossier': scoring.dossier,
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}\n  ${' '.repeat(width)}  ${c.usage}`);
  return [
    '人大代表履职管理系统 — 命令行',
    '',
    '用法：deputy-desk <命令> [参数]',
    '',
    ...lines,
    '',
    '通用参数：--db FILE 数据库文件（默认为程序数据目录中的 deputy-desk.sqlite）；--json 输出机器可读的 JSON。',
    '',
  ].join('\n');
}

/** Finds the longest verb that matches the start of argv ("roster import" before "roster"). */
function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  for (let n = Math.min(3, argv.length); n >= 1; n--) {
    const key = argv.slice(0, n).join(' ');
    const command = COMMANDS[key];
    if (command) return { command, rest: argv.slice(n) };
  }
  return null;
}

export async function runCli(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(help());
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    process.stderr.write(`错误：未知命令“${argv.join(' ')}”。运行 deputy-desk --help 查看全部命令。\n`);
    return 2;
  }
  const json = found.rest.includes('--json');
  if (found.rest.includes('--help')) {
    process.stdout.write(`${found.command.summary}\n用法：${found.command.usage}\n`);
    return 0;
  }
  try {
    return await found.command.run(parse(found.command, found.rest));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`错误：${err.message}\n`);
      return 2;
    }
    const translated = translateSqliteError(err);
    if (translated instanceof AppError) return fail(translated.toBody(), json);
    return fail({ code: 'INTERNAL', message: `程序内部错误：${(translated as Error).message}` }, json);
  } finally {
    closeAllDatabases();
  }
}
