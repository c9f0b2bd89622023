import type { HandoffImportReport, PackageSummary } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { backupBefore } from '../backup/service.js';
import type { CoreContext } from '../context.js';
import { parseHlc } from '../db/hlc.js';
import { latestSchemaVersion } from '../db/migrate.js';
import { applyPackage } from './applyPackage.js';
import { heldSeq, holdings, type Change } from './changes.js';
import { checkCipherParams, deriveKeys, readEnvelope, sameCheck, type Envelope, type PackageHeader } from './format.js';
import { isImported } from './history.js';
import { trustedOffice } from './keys.js';
import { entityLabel, officeNames } from './labels.js';
import { decodeChanges } from './payload.js';
import { phaseTimer, type Phase, type PhaseTimings } from './phases.js';
import { finishJob, progressReporter } from './progress.js';
import { OLDEST_READABLE_SCHEMA, upgradeChanges, type UpgradeStep } from './upgrade.js';
import { checkPayloadHash, openPayload, verifySignature } from './verify.js';

export interface ImportOptions {
  jobId?: string;
  /** Tests and the simulation skip the pre-import backup for speed; the app always takes it. */
  backup?: boolean;
  /** Tests: fail at the Nth apply step to prove the rollback. */
  failAt?: number;
  /** Tests: false applies row by row (see ApplyOptions.bulk). */
  bulk?: boolean;
  upgrades?: UpgradeStep[];
  /** Filled with the milliseconds each phase took (the benchmark prints them). */
  timings?: PhaseTimings;
}

type Checked =
  | { status: 'already-imported'; header: PackageHeader; peerName: string }
  | { status: 'ready'; header: PackageHeader; peerName: string; changes: Change[]; warnings: string[] };

const DAY = 24 * 3600 * 1000;

/**
 * Every check, in order, before anything is written: structure and lengths,
 * signer and signature, addressee, schema version, payload size and hash,
 * already imported, passphrase, decryption of every chunk, content, gaps.
 */
async function checkPackage(ctx: CoreContext, bytes: Buffer, passphrase: string, o: ImportOptions, phase: Phase): Promise<Checked> {
  const me = ctx.requireOffice();
  const report = progressReporter(o.jobId);
  await report('检查文件', 5);
  const env: Envelope = readEnvelope(bytes);
  const { header } = env;
  if (header.from.code === me.officeCode) {
    throw new AppError(
      'WRONG_ADDRESSEE',
      `这是本单位自己导出的数据交换包（发给行政区划代码 ${header.to.code} 的单位），应由对方导入，本单位不能导入。`,
    );
  }
  const peer = trustedOffice(ctx.db, header.from.code);
  if (!peer) {
    throw new AppError(
      'UNKNOWN_SIGNER',
      `此数据交换包来自行政区划代码为 ${header.from.code} 的单位，本单位尚未与其配对，不能导入。请先在“数据交换 → 配对”中导入对方的身份文件并电话核对指纹。`,
    );
  }
  if (peer.keyId !== header.signer) {
    throw new AppError(
      'UNKNOWN_SIGNER',
      `此数据交换包的签名密钥与配对时登记的“${peer.officeName}”密钥不一致，不能导入。如对方重新安装过程序，请重新配对并电话核对指纹。`,
    );
  }
  verifySignature(bytes, peer.publicKey);
  if (header.to.code !== me.officeCode) {
    throw new AppError(
      'WRONG_ADDRESSEE',
      `此数据交换包是“${peer.officeName}”发给行政区划代码 ${header.to.code} 的单位的，不是发给本单位（${me.officeCode}）的，不能导入。`,
    );
  }
  const schema = latestSchemaVersion();
  if (header.schemaVersion > schema) {
    throw new AppError(
      'PACKAGE_NEWER',
      `此数据交换包由较新版本的程序生成，需要数据库版本 ${header.schemaVersion}，本程序只支持到版本 ${schema}。请先升级本程序再导入，数据未作任何改动。`,
    );
  }
  if (header.schemaVersion < OLDEST_READABLE_SCHEMA) {
    throw new AppError('PACKAGE_INVALID', `此数据交换包由过旧的程序生成（数据库版本 ${header.schemaVersion}），请对方升级程序后重新导出。`);
  }
  // A damaged copy of a package imported before is still reported as damaged.
  checkPayloadHash(env);
  phase('check: structure, signature, hash');
  if (isImported(ctx.db, header.packageId)) return { status: 'already-imported', header, peerName: peer.officeName };

  checkCipherParams(header);
  await report('核对交换口令', 15);
  phase('check: structure, signature, hash');
  const keys = await deriveKeys(passphrase, Buffer.from(header.kdf.salt, 'base64'), header.kdf);
  phase('check: scrypt');
  if (!sameCheck(keys.check, header.keyCheck)) {
    throw new AppError('WRONG_PASSPHRASE', '交换口令不正确，无法解密此数据交换包。请输入与对方约定的口令（注意大小写和全角半角）。');
  }
  await report('解密并校验内容', 30);
  const plain = openPayload(env, keys.enc);
  phase('check: decrypt');
  let changes = decodeChanges(plain, header);
  phase('check: decode');
  const warnings: string[] = [];
  if (header.schemaVersion < schema) {
    changes = upgradeChanges(changes, header.schemaVersion, schema, o.upgrades);
    warnings.push(`此数据交换包由较旧版本的程序生成（数据库版本 ${header.schemaVersion}），已按本程序的数据格式（版本 ${schema}）转换后导入。`);
  }

  const held = holdings(ctx.db, me.officeCode);
  const names = officeNames(ctx.db);
  const gaps: { origin: string; epoch: string; from: number; to: number }[] = [];
  for (const r of header.ranges) {
    if (r.origin === me.officeCode && r.epoch === me.epoch) {
      if (r.to > heldSeq(held, r.origin, r.epoch)) {
        warnings.push('对方持有本单位本机没有的变更：本机数据库可能是复制出来的或曾被替换。请核查。');
      }
      continue;
    }
    if (!r.full) continue;
    const have = heldSeq(held, r.origin, r.epoch);
    if (r.from > have + 1) gaps.push({ origin: r.origin, epoch: r.epoch, from: have + 1, to: r.from - 1 });
  }
  if (gaps.length > 0) {
    const what = gaps
      .map((g) => `缺少 ${names.get(g.origin) ? `${names.get(g.origin)}（${g.origin}）` : g.origin} 的第 ${g.from}–${g.to} 号变更（批次 ${g.epoch.slice(0, 8)}）`)
      .join('；');
    throw new AppError('PACKAGE_GAP', `${what}，请先导入更早的数据包，或请对方重新导出（新导出的包会包含全部未确认的变更）。数据未作任何改动。`, { gaps });
  }
  const skew = parseHlc(header.senderHlc).ms - Date.now();
  if (Math.abs(skew) > DAY) {
    warnings.push(
      `“${peer.officeName}”电脑的时钟与本机相差约 ${Math.round(Math.abs(skew) / DAY)} 天（对方${skew > 0 ? '偏快' : '偏慢'}）。数据已按修改的先后正确合并，但请提醒对方校准时间。`,
    );
  }
  phase('check: gaps');
  return { status: 'ready', header, peerName: peer.officeName, changes, warnings };
}

/** Checks, backs up, applies in one transaction, records the report. */
export async function importPackage(
  ctx: CoreContext,
  bytes: Buffer,
  fileName: string,
  passphrase: string,
  o: ImportOptions = {},
): Promise<HandoffImportReport> {
  const report = progressReporter(o.jobId);
  const phase = phaseTimer(o.timings);
  try {
    const checked = await checkPackage(ctx, bytes, passphrase, o, phase);
    const { header } = checked;
    if (checked.status === 'already-imported') return alreadyImported(ctx, header, checked.peerName, fileName);

    await report('导入前备份', 50);
    phase('progress');
    const backup = o.backup === false ? null : backupBefore(ctx, 'handoff-import', `数据交换包：${fileName}`);
    phase('backup');
    await report('写入数据', 65);
    phase('progress');
    // A county-scale package touches tens of thousands of index pages: a bigger page cache for the one
    // transaction. And the statement journals of its multi-row inserts (the pages a statement may have to
    // undo, see Applier.insertMany) stay in memory instead of spilling to a temporary file past 64 KiB.
    const cache = ctx.db.pragma('cache_size', { simple: true }) as number;
    const temp = ctx.db.pragma('temp_store', { simple: true }) as number;
    ctx.db.pragma('cache_size = -65536');
    ctx.db.pragma('temp_store = MEMORY');
    let result: HandoffImportReport;
    try {
      result = applyPackage(ctx, header, checked.peerName, checked.changes, fileName, { failAt: o.failAt, bulk: o.bulk }, checked.warnings, backup?.file ?? null, phase);
    } finally {
      ctx.db.pragma(`cache_size = ${cache}`);
      ctx.db.pragma(`temp_store = ${temp}`);
    }
    await report('完成', 100);
    phase('progress');
    return result;
  } finally {
    finishJob(o.jobId);
  }
}

function alreadyImported(ctx: CoreContext, header: PackageHeader, peerName: string, fileName: string): HandoffImportReport {
  return {
    status: 'already-imported',
    packageId: header.packageId,
    from: { code: header.from.code, name: peerName },
    fileName,
    createdAt: header.createdAt,
    importedAt: (ctx.db
      .prepare("SELECT at FROM handoff_history WHERE direction = 'import' AND package_id = ?")
      .pluck()
      .get(header.packageId) as string) ?? '',
    changes: header.changes,
    new: 0,
    updated: 0,
    deleted: 0,
    skipped: header.changes,
    unchanged: 0,
    byEntity: {},
    conflicts: [],
    warnings: ['此数据交换包以前已经导入过，本次没有任何改动。'],
    backupFile: null,
  };
}

/** What the header says, for the clerk to check before importing. Nothing is written. */
export function inspectPackage(ctx: CoreContext, bytes: Buffer): PackageSummary {
  const me = ctx.requireOffice();
  const env = readEnvelope(bytes);
  const { header } = env;
  const peer = trustedOffice(ctx.db, header.from.code);
  const trusted = peer !== null && peer.keyId === header.signer;
  if (trusted) verifySignature(bytes, peer.publicKey);
  return {
    packageId: header.packageId,
    fromCode: header.from.code,
    fromName: peer?.officeName ?? `未配对的单位（${header.from.code}）`,
    toCode: header.to.code,
    createdAt: header.createdAt,
    appVersion: header.appVersion,
    schemaVersion: header.schemaVersion,
    changes: header.changes,
    counts: Object.fromEntries(Object.entries(header.counts).map(([k, n]) => [entityLabel(k), n])),
    bytes: bytes.length,
    trusted,
    addressedToMe: header.to.code === me.officeCode,
    alreadyImported: isImported(ctx.db, header.packageId),
  };
}
