import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors.js';
import { CoreContext } from '../../core/context.js';
import { exportPackage } from '../../core/handoff/exportPackage.js';
import { summaryLine } from '../../core/handoff/applyPackage.js';
import { importPackage } from '../../core/handoff/importPackage.js';
import { identityFile, parseIdentity, trustIdentity } from '../../core/handoff/keys.js';
import { printJson, requireString, type Command, type ParsedArgs } from '../command.js';
import { dbPathOf } from './foundation.js';

/** Pairing and USB packages (数据交换): `office identity|trust`, `package export|import`. */
const dbOption = { db: { type: 'string' } } as const;

/** The passphrase is read from a file so it never shows in the process list; one trailing newline is not part of it. */
function passphraseFrom(args: ParsedArgs): string {
  const file = requireString(args, 'passphrase-file', '交换口令文件');
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(file), 'utf8');
  } catch {
    throw new AppError('NOT_FOUND', `找不到交换口令文件：${file}`);
  }
  const passphrase = text.replace(/^\uFEFF/, '').replace(/\r?\n$/, '');
  if (!passphrase) throw new AppError('VALIDATION', `交换口令文件是空的：${file}`);
  return passphrase;
}

function readInput(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(path.resolve(file));
  } catch {
    throw new AppError('NOT_FOUND', `找不到${what}：${file}`);
  }
}

export const officeIdentity: Command = {
  usage: 'deputy-desk office identity OUT.json --db FILE [--json]',
  summary: '导出本单位身份文件（行政区划代码、名称、类型、公钥），交给对方配对',
  options: { ...dbOption },
  positionals: { min: 1, max: 1 },
  async run(args) {
    const ctx = new CoreContext(dbPathOf(args));
    const identity = identityFile(ctx);
    const out = path.resolve(args.positionals[0]!);
    try {
      fs.writeFileSync(out, JSON.stringify(identity, null, 2) + '\n');
    } catch (err) {
      throw new AppError('READ_ONLY', `无法写入 ${out}：${(err as Error).message}`);
    }
    if (args.json) printJson({ file: out, officeCode: identity.officeCode, officeName: identity.officeName, fingerprint: identity.fingerprint });
    else {
      process.stdout.write(
        `已导出本单位身份文件：${out}\n本单位：${identity.officeName}（${identity.officeCode}）\n密钥指纹：${identity.fingerprint}\n请把文件交给对方，并电话核对指纹。\n`,
      );
    }
    return 0;
  },
};

export const officeTrust: Command = {
  usage: 'deputy-desk office trust IN.json --db FILE [--replace] [--json]',
  summary: '导入对方的身份文件并信任其密钥（配对）；--replace 替换已配对单位的新密钥',
  options: { ...dbOption, replace: { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run(args) {
    const ctx = new CoreContext(dbPathOf(args));
    const identity = parseIdentity(readInput(args.positionals[0]!, '身份文件').toString('utf8'));
    const trusted = trustIdentity(ctx, identity, Boolean(args.values.replace));
    const own = identityFile(ctx);
    if (args.json) printJson({ trusted, ownFingerprint: own.fingerprint });
    else {
      process.stdout.write(
        `已与 ${trusted.officeName}（${trusted.officeCode}）配对。\n对方密钥指纹：${trusted.fingerprint}\n本单位密钥指纹：${own.fingerprint}\n请电话与对方逐组核对两个指纹。\n`,
      );
    }
    return 0;
  },
};

export const packageExport: Command = {
  usage: 'deputy-desk package export --db FILE --for OFFICE_CODE --to DIR --passphrase-file F [--json]',
  summary: '导出给已配对单位的数据交换包（签名、加密，写入后读回校验）',
  options: { ...dbOption, for: { type: 'string' }, to: { type: 'string' }, 'passphrase-file': { type: 'string' } },
  async run(args) {
    const ctx = new CoreContext(dbPathOf(args));
    const peer = requireString(args, 'for', '对方行政区划代码');
    const dir = path.resolve(requireString(args, 'to', '保存位置（U盘或文件夹）'));
    const result = await exportPackage(ctx, { peer, dir, passphrase: passphraseFrom(args) });
    if (args.json) printJson({ file: result.file, changes: result.changes, packageId: result.packageId, bytes: result.bytes, counts: result.counts });
    else process.stdout.write(`已导出：${result.file}\n共 ${result.changes} 条变更，${result.bytes} 字节，已读回校验。\n`);
    return 0;
  },
};

export const packageImport: Command = {
  usage: 'deputy-desk package import FILE --db FILE --passphrase-file F [--json]',
  summary: '导入数据交换包：全部检查通过后先备份，再一次性写入，并给出报告',
  options: { ...dbOption, 'passphrase-file': { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(args) {
    const ctx = new CoreContext(dbPathOf(args));
    const file = args.positionals[0]!;
    const report = await importPackage(ctx, readInput(file, '数据交换包'), path.basename(file), passphraseFrom(args));
    if (args.json) {
      const { status, ...rest } = report;
      printJson({ status, ...rest });
      return 0;
    }
    if (report.status === 'already-imported') {
      process.stdout.write(`此数据交换包以前已经导入过（${report.importedAt}），本次没有任何改动。\n`);
      return 0;
    }
    const lines = [
      `已导入 ${report.from.name}（${report.from.code}）的数据交换包 ${report.fileName}`,
      summaryLine(report),
      ...report.conflicts.map(
        (c) => `冲突：${c.entityLabel}“${c.recordLabel}”的${c.fieldLabel}：采用 ${c.winner.officeName} 的“${c.winner.display}”，保留 ${c.loser.officeName} 的“${c.loser.display}”（${c.ruleLabel}）`,
      ),
      ...report.warnings.map((w) => `提示：${w}`),
      report.backupFile ? `导入前的数据已备份：${report.backupFile}` : '',
    ].filter(Boolean);
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  },
};
