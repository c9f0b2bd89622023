import path from 'node:path';
import type { BackupInfo, BackupStatus } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { CoreContext } from '../context.js';
import { backupDirOf, removeStalePartials } from './files.js';
import { readVerifiedPayload } from './format.js';
import { newestGoodBackup } from './integrity.js';
import { readOfficeKey } from './officeKey.js';
import { listBackups, reachableMirror, writeLocalAndMirror } from './service.js';
import { mirrorDir } from './settings.js';
import { listFolder, writeSnapshot, type Snapshot } from './store.js';

type AutoOutcome = NonNullable<BackupStatus['autoBackup']>;
const outcomes = new WeakMap<CoreContext, AutoOutcome>();

function sameLocalDay(iso: string, now: Date): boolean {
  const d = new Date(iso);
  return d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
}

function todaysDaily(backups: BackupInfo[], dbPath: string, now: Date): BackupInfo | undefined {
  const base = path.basename(dbPath, path.extname(dbPath));
  return backups.find(
    (b) => !b.problem && b.reason === 'daily' && b.fileName.startsWith(`${base}-`) && sameLocalDay(b.createdAt, now),
  );
}

/** Re-encrypts an existing local backup into the second folder (the USB drive was out when it was made). */
function copyToMirror(ctx: CoreContext, local: BackupInfo, dir: string): BackupInfo {
  const key = readOfficeKey(ctx.db);
  if (!key) throw new AppError('VALIDATION', '复制到第二备份位置需要先设置本单位口令。');
  const { header, stored } = readVerifiedPayload(local.file);
  const snapshot: Snapshot = {
    fields: {
      appVersion: header.appVersion,
      schemaVersion: header.schemaVersion,
      office: header.office,
      createdAt: header.createdAt,
      reason: header.reason,
      detail: header.detail,
      dbFileName: header.dbFileName,
      counts: header.counts,
    },
    gzipped: stored,
    plainSize: header.payload.plainSize,
  };
  return writeSnapshot(snapshot, ctx.dbPath, { dir, location: 'mirror', encryptTo: key, rotate: true });
}

/**
 * Once a day when the app starts (Electron and serve call it after opening
 * the database): a backup into the data folder unless today's exists, and an
 * encrypted copy into the second folder when it is set and plugged in.
 * Never throws: a failed backup must not keep the office out of its data;
 * the outcome is shown on the backups screen and in the banner.
 */
export function ensureDailyBackup(ctx: CoreContext, now = new Date()): AutoOutcome | null {
  if (ctx.dbPath === ':memory:' || ctx.damage) return null;
  let outcome: AutoOutcome;
  try {
    if (!ctx.office()) return null; // nothing worth keeping before the first-run setup
    removeStalePartials(backupDirOf(ctx.dbPath), now.getTime());
    removeStalePartials(path.dirname(ctx.dbPath), now.getTime());
    const mirror = mirrorDir(ctx);
    const reachable = mirror ? reachableMirror(ctx) : null;
    const canMirror = reachable !== null && readOfficeKey(ctx.db) !== null;
    let local = todaysDaily(listFolder(backupDirOf(ctx.dbPath), 'data'), ctx.dbPath, now);
    let mirrored: BackupInfo | null | undefined = canMirror ? todaysDaily(listFolder(reachable, 'mirror'), ctx.dbPath, now) : null;
    if (!local) {
      const made = writeLocalAndMirror(ctx, 'daily', null, canMirror && !mirrored);
      local = made.local;
      mirrored = mirrored ?? made.mirror;
    } else if (canMirror && !mirrored) {
      mirrored = copyToMirror(ctx, local, reachable);
    }
    const parts = [`今日自动备份已完成：${local.fileName}`];
    if (mirror && !reachable) parts.push(`第二备份位置现在不可用（${mirror}），U盘插好后可在“备份与恢复”中手动复制`);
    else if (mirror && !canMirror) parts.push('第二备份位置需要先设置本单位口令');
    else if (mirrored) parts.push('已加密复制到第二备份位置');
    outcome = { ok: !(mirror && !mirrored), message: parts.join('；'), at: now.toISOString() };
  } catch (err) {
    const message = err instanceof AppError ? err.message : (err as Error).message;
    outcome = { ok: false, message: `今日自动备份失败：${message}`, at: now.toISOString() };
  }
  outcomes.set(ctx, outcome);
  return outcome;
}

export function backupStatus(ctx: CoreContext): BackupStatus {
  const backups = listBackups(ctx);
  const mirror = mirrorDir(ctx);
  return {
    dbPath: ctx.dbPath,
    backupDir: backupDirOf(ctx.dbPath),
    mirrorDir: mirror,
    mirrorReachable: mirror ? reachableMirror(ctx) !== null : false,
    passphraseSet: readOfficeKey(ctx.db) !== null,
    lastBackup: backups.find((b) => !b.problem) ?? null,
    autoBackup: outcomes.get(ctx) ?? null,
    damage: ctx.damage ? { message: ctx.damage.message, readable: ctx.damage.readable } : null,
    newestGood: ctx.damage ? newestGoodBackup(backups) : null,
  };
}
