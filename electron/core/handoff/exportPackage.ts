import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { HandoffExportResult } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { CoreContext } from '../context.js';
import { HybridClock } from '../db/hlc.js';
import { latestSchemaVersion } from '../db/migrate.js';
import { APP_VERSION } from '../version.js';
import { holdings, outgoing, type Change } from './changes.js';
import {
  canonicalJson,
  DEFAULT_CHUNK_SIZE,
  DEFAULT_KDF,
  deriveKeys,
  encodePackage,
  encryptChunks,
  FORMAT_VERSION,
  sha256Hex,
  type KdfParams,
  type PackageHeader,
} from './format.js';
import { nodeIo, packageFileName, writeVerified, type PackageIo } from './files.js';
import { recordHistory } from './history.js';
import { ensureOwnKey, signBytes, trustedOffice } from './keys.js';
import { encodeChanges } from './payload.js';
import { phaseTimer, type PhaseTimings } from './phases.js';
import { progressReporter, finishJob } from './progress.js';
import { openPayload, verifySignature } from './verify.js';

export interface ExportOptions {
  peer: string;
  /** Omitted: the data folder's handoff/ folder. */
  dir?: string;
  passphrase: string;
  jobId?: string;
  /** Tests use small scrypt parameters and chunks; the header records whatever was used. */
  kdf?: KdfParams;
  chunkSize?: number;
  io?: PackageIo;
  /** Tests: write as an older or newer app would. */
  schemaVersion?: number;
  /** Filled with the milliseconds each phase took (the benchmark prints them). */
  timings?: PhaseTimings;
}

/** The folder packages go to when no drive was chosen (the browser then downloads the file). */
export function defaultExportDir(ctx: CoreContext): string {
  return path.join(path.dirname(ctx.dbPath), 'handoff');
}

/**
 * Writes a package for a paired office: every change it has not acknowledged
 * (cumulative, so a lost stick heals on the next trip), signed, encrypted,
 * written under a temporary name, renamed and verified by reading it back.
 */
export async function exportPackage(ctx: CoreContext, o: ExportOptions): Promise<HandoffExportResult> {
  const report = progressReporter(o.jobId);
  const phase = phaseTimer(o.timings);
  try {
    const me = ctx.requireOffice();
    const peer = trustedOffice(ctx.db, o.peer);
    if (!peer) throw new AppError('NOT_FOUND', `尚未与行政区划代码为 ${o.peer} 的单位配对。请先在“数据交换 → 配对”中导入对方的身份文件。`);
    if (!o.passphrase) throw new AppError('VALIDATION', '请输入双方约定的交换口令。');
    const dir = o.dir ?? defaultExportDir(ctx);
    if (!o.dir) fs.mkdirSync(dir, { recursive: true });
    await report('读取待发送的变更', 5);
    phase('setup');

    const key = ensureOwnKey(ctx);
    // All reads before the first await, so the package is one consistent moment.
    const { ranges, changes } = outgoing(ctx.db, me, peer.officeCode);
    const acks = [...holdings(ctx.db, me.officeCode).values()].map((h) => ({ origin: h.origin, epoch: h.epoch, seq: h.seq }));
    const latest = ctx.db.prepare('SELECT max(hlc) FROM change_log').pluck().get() as string | null;
    const senderHlc = new HybridClock(me.officeCode, latest).tick();
    phase('read changes');

    await report('压缩并由口令生成密钥', 15);
    phase('progress');
    const kdf = o.kdf ?? DEFAULT_KDF;
    const chunkSize = o.chunkSize ?? DEFAULT_CHUNK_SIZE;
    const salt = randomBytes(16);
    const nonce = randomBytes(12);
    const packageId = randomUUID();
    // The key derivation (scrypt) and the gzip both run on libuv's thread pool: side by side, while this
    // thread makes the JSON. A failure of either surfaces from the Promise.all; the early catch only keeps
    // a scrypt failure during the JSON from counting as an unhandled rejection.
    const derived = deriveKeys(o.passphrase, salt, kdf);
    derived.catch(() => {});
    const compressed = encodeChanges(changes);
    phase('encode JSON');
    const [plain, keys] = await Promise.all([compressed, derived]);
    phase('gzip and scrypt, side by side');
    const payload = await encryptChunks(plain, keys.enc, nonce, chunkSize, Buffer.from(packageId), (done, total) =>
      report('加密', 30 + (50 * done) / total),
    );

    const now = new Date();
    const header: PackageHeader = {
      format: FORMAT_VERSION,
      packageId,
      createdAt: now.toISOString(),
      appVersion: APP_VERSION,
      schemaVersion: o.schemaVersion ?? latestSchemaVersion(),
      from: { code: me.officeCode, type: me.officeType, epoch: me.epoch },
      to: { code: peer.officeCode },
      senderHlc,
      ranges,
      acks,
      counts: countByEntity(changes),
      changes: changes.length,
      kdf: { name: 'scrypt', salt: salt.toString('base64'), ...kdf },
      keyCheck: keys.check,
      cipher: { name: 'aes-256-gcm', nonce: nonce.toString('base64'), chunkSize, chunkCount: Math.max(1, Math.ceil(plain.length / chunkSize)) },
      payload: { bytes: payload.length, plainBytes: plain.length, sha256: sha256Hex(payload) },
      signer: key.keyId,
    };
    phase('encrypt');
    const bytes = encodePackage(Buffer.from(canonicalJson(header), 'utf8'), (signed) => signBytes(key.privateKey, signed), payload);
    const fileName = packageFileName(me.officeCode, peer.officeCode, now, packageId);

    phase('sign');
    await report('写入U盘并读回校验', 85);
    phase('progress');
    const file = writeVerified(
      dir,
      fileName,
      bytes,
      (back) => {
        // What the other office will check, with the passphrase just typed: signature, hash, every chunk.
        const env = verifySignature(back, key.publicKey);
        if (!openPayload(env, keys.enc).equals(plain)) throw new AppError('PACKAGE_INVALID', '写入后读回校验未通过，请换一个U盘重试。');
      },
      o.io ?? nodeIo,
    );

    phase('write, read back, verify');
    const result: HandoffExportResult = { packageId, file, fileName, changes: changes.length, bytes: bytes.length, counts: header.counts };
    ctx.repo.transaction(() => {
      recordHistory(ctx, {
        id: randomUUID(),
        direction: 'export',
        packageId,
        peerOffice: peer.officeCode,
        peerName: peer.officeName,
        fileName,
        filePath: file,
        changes: changes.length,
        summary: `导出给${peer.officeName}：${changes.length} 条变更`,
        report: result,
      });
      ctx.repo.audit({
        action: 'export',
        entity: 'handoff',
        entityId: packageId,
        summary: `导出数据交换包给${peer.officeName}（${peer.officeCode}）：${changes.length} 条变更，文件 ${fileName}`,
      });
    });
    phase('history, audit');
    await report('完成', 100);
    return result;
  } finally {
    finishJob(o.jobId);
  }
}

function countByEntity(changes: Change[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of changes) counts[c.entity] = (counts[c.entity] ?? 0) + 1;
  return counts;
}
