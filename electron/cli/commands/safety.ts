import path from 'node:path';
import { BACKUP_COUNT_LABELS, type BackupInfo } from '../../../shared/contract/index.js';
import { checkFile } from '../../core/backup/integrity.js';
import { restoreBackup } from '../../core/backup/restore.js';
import { createBackupIn, createManualBackup, listBackups, setOfficePassphrase } from '../../core/backup/service.js';
import { CoreContext } from '../../core/context.js';
import { printJson, UsageError, type Command, type ParsedArgs } from '../command.js';
import { dbPathOf } from './foundation.js';

const dbOption = { db: { type: 'string' } } as const;
const passphraseOption = { passphrase: { type: 'string' } } as const;

/** --passphrase, else DEPUTY_DESK_PASSPHRASE (keeps it out of the shell history). */
function passphraseOf(args: ParsedArgs): string | undefined {
  const given = args.values.passphrase;
  if (typeof given === 'string' && given !== '') return given;
  return process.env.DEPUTY_DESK_PASSPHRASE || undefined;
}

function countsText(info: BackupInfo): string {
  return Object.entries(info.counts)
    .map(([k, v]) => `${BACKUP_COUNT_LABELS[k] ?? k} ${v}`)
    .join('，');
}

function describe(info: BackupInfo): string {
  if (info.problem) return `${info.fileName}  无法使用：${info.problem}`;
  const when = new Date(info.createdAt).toLocaleString('zh-CN', { hour12: false });
  return `${when}  ${info.reasonLabel}${info.encrypted ? '（已加密）' : ''}  ${countsText(info)}\n    ${info.file}`;
}

export const backupCreate: Command = {
  usage: 'deputy-desk backup create --db FILE [--to DIR] [--passphrase P] [--json]',
  summary: '立即备份（默认存入数据目录的 backups 文件夹；--to 另存到指定文件夹，数据目录以外加密）',
  options: { ...dbOption, to: { type: 'string' }, ...passphraseOption },
  async run(args) {
    const ctx = new CoreContext(dbPathOf(args));
    ctx.requireOffice();
    const to = args.values.to;
    const { info, warning } =
      typeof to === 'string' && to !== ''
        ? createBackupIn(ctx, to, passphraseOf(args))
        : { info: createManualBackup(ctx, false).local, warning: null };
    if (warning) process.stderr.write(`注意：${warning}\n`);
    if (args.json) printJson(warning ? { ...info, warning } : info);
    else process.stdout.write(`已备份：\n  ${describe(info)}\n`);
    return 0;
  },
};

export const backupList: Command = {
  usage: 'deputy-desk backup list --db FILE [--dir DIR] [--json]',
  summary: '列出备份（时间、原因、内容条数）',
  options: { ...dbOption, dir: { type: 'string' } },
  async run(args) {
    const ctx = new CoreContext(dbPathOf(args));
    const dir = typeof args.values.dir === 'string' && args.values.dir !== '' ? args.values.dir : undefined;
    const list = listBackups(ctx, dir);
    if (args.json) printJson(list);
    else if (list.length === 0) process.stdout.write('没有找到备份。\n');
    else process.stdout.write(list.map(describe).join('\n') + '\n');
    return 0;
  },
};

export const backupRestore: Command = {
  usage: 'deputy-desk backup restore BACKUP --db FILE [--passphrase P] [--json]',
  summary: '恢复备份（先备份当前数据；恢复后交接标识更换）',
  options: { ...dbOption, ...passphraseOption },
  positionals: { min: 1, max: 1 },
  async run(args) {
    const file = path.resolve(args.positionals[0]!);
    const ctx = new CoreContext(dbPathOf(args));
    const result = restoreBackup(ctx, file, passphraseOf(args));
    if (args.json) printJson(result);
    else {
      process.stdout.write(`已恢复：${describe(result.restored)}\n`);
      if (result.safetyBackup) process.stdout.write(`恢复前的数据已备份为：${result.safetyBackup.file}\n`);
      if (result.damagedCopy) process.stdout.write(`损坏的数据库已另存为：${result.damagedCopy}\n`);
    }
    return 0;
  },
};

export const backupPassphrase: Command = {
  usage: 'deputy-desk backup passphrase --db FILE --passphrase NEW [--current OLD] [--json]',
  summary: '设置或更改本单位口令（加密复制到数据目录以外的备份）',
  options: { ...dbOption, ...passphraseOption, current: { type: 'string' } },
  async run(args) {
    const passphrase = passphraseOf(args);
    if (!passphrase) throw new UsageError('缺少 --passphrase（新口令，至少8个字符；也可用环境变量 DEPUTY_DESK_PASSPHRASE）');
    const ctx = new CoreContext(dbPathOf(args));
    ctx.requireOffice();
    const current = typeof args.values.current === 'string' ? args.values.current : undefined;
    setOfficePassphrase(ctx, passphrase, current);
    if (args.json) printJson({ passphraseSet: true });
    else process.stdout.write('本单位口令已设置。请牢记：加密的备份只能用此口令恢复。\n');
    return 0;
  },
};

export const check: Command = {
  usage: 'deputy-desk check --db FILE [--json]',
  summary: '检查数据库：完整性、外键、数据库版本、各类记录条数（只读，不改动文件）',
  options: { ...dbOption },
  async run(args) {
    const report = checkFile(dbPathOf(args));
    if (args.json) printJson(report);
    else {
      const counts = Object.entries(report.counts).map(([k, v]) => `${BACKUP_COUNT_LABELS[k] ?? k} ${v}`).join('，');
      process.stdout.write(
        [
          `数据库：${report.file}`,
          `完整性：${report.integrity.length === 1 && report.integrity[0] === 'ok' ? '正常' : '有问题'}`,
          `外键：${report.foreignKeyProblems.length === 0 ? '正常' : `${report.foreignKeyProblems.length} 处问题`}`,
          `数据库版本：${report.schemaVersion}（本程序 ${report.appSchemaVersion}）`,
          `本单位：${report.office ? `${report.office.name}（${report.office.code}）` : '未设置'}`,
          `记录：${counts || '无'}`,
          report.ok ? '结论：正常' : `结论：有问题\n  ${report.problems.join('\n  ')}`,
        ].join('\n') + '\n',
      );
    }
    // Scripts read the exit code: 0 sound, 1 problems found.
    return report.ok ? 0 : 1;
  },
};
