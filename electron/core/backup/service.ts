import fs from 'node:fs';
import path from 'node:path';
import type { BackupInfo, BackupReason } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { CoreContext } from '../context.js';
import { BACKUP_EXT, backupDirOf, fileStamp, isInsideDataFolder, isWritableDir, writeFileAtomic } from './files.js';
import { readVerifiedPayload } from './format.js';
import { rememberProgress } from './identity.js';
import { makeOfficeKey, readOfficeKey, unlockOfficeKey, writeOfficeKey, type OfficeKeyBlock } from './officeKey.js';
import { mirrorDir } from './settings.js';
import { infoOf, listFolder, takeSnapshot, writeSnapshot, type Snapshot } from './store.js';

function refuseWhenDamaged(ctx: CoreContext): void {
  if (ctx.damage) {
    throw new AppError('DB_CORRUPT', `${ctx.damage.message} 损坏的数据库不能再备份，请恢复一份完好的备份。`);
  }
}

function snapshotOf(ctx: CoreContext, reason: BackupReason, detail: string | null): Snapshot {
  refuseWhenDamaged(ctx);
  if (ctx.db.inTransaction) {
    throw new Error(`backupBefore('${reason}') was called inside a transaction: back up first, then start the transaction`);
  }
  return takeSnapshot(ctx.db, ctx.dbPath, reason, detail, backupDirOf(ctx.dbPath));
}

/**
 * Backs the database up into the data folder before a risky operation. Call
 * it before the operation's transaction (not inside it); when it throws (disk
 * full, read-only disk …) do not go on with the operation.
 *
 *   const backup = backupBefore(ctx, 'import', `代表名册导入：${file.name}`);
 */
export function backupBefore(ctx: CoreContext, reason: BackupReason, detail?: string): BackupInfo {
  const snapshot = snapshotOf(ctx, reason, detail ?? null);
  const info = writeSnapshot(snapshot, ctx.dbPath, { dir: backupDirOf(ctx.dbPath), location: 'data', encryptTo: null, rotate: true });
  rememberProgress(ctx.db, ctx.dbPath);
  return info;
}

/** The configured second folder when it can be written now (a USB drive may be out). */
export function reachableMirror(ctx: CoreContext): string | null {
  const dir = mirrorDir(ctx);
  return dir && isWritableDir(dir) ? dir : null;
}

function mirrorTarget(ctx: CoreContext): { dir: string; key: OfficeKeyBlock } {
  const dir = mirrorDir(ctx);
  if (!dir) throw new AppError('VALIDATION', '尚未设置第二备份位置（另一文件夹或U盘）。请在“备份设置”中设置。');
  if (!isWritableDir(dir)) throw new AppError('NOT_FOUND', `第二备份位置现在不能写入：${dir}。如果是U盘，请插好后重试。`);
  const key = readOfficeKey(ctx.db);
  if (!key) throw new AppError('VALIDATION', '复制到数据目录以外的备份必须加密：请先设置本单位口令。');
  return { dir, key };
}

/** A snapshot into the data folder and, when asked or configured, an encrypted copy into the second folder. */
export function writeLocalAndMirror(
  ctx: CoreContext,
  reason: BackupReason,
  detail: string | null,
  toMirror: boolean,
): { local: BackupInfo; mirror: BackupInfo | null } {
  const target = toMirror ? mirrorTarget(ctx) : null;
  const snapshot = snapshotOf(ctx, reason, detail);
  const local = writeSnapshot(snapshot, ctx.dbPath, { dir: backupDirOf(ctx.dbPath), location: 'data', encryptTo: null, rotate: true });
  const mirror = target
    ? writeSnapshot(snapshot, ctx.dbPath, { dir: target.dir, location: 'mirror', encryptTo: target.key, rotate: true })
    : null;
  return { local, mirror };
}

/** 立即备份 (by hand): audited. */
export function createManualBackup(ctx: CoreContext, toMirror: boolean): { local: BackupInfo; mirror: BackupInfo | null } {
  const result = writeLocalAndMirror(ctx, 'manual', null, toMirror);
  ctx.repo.audit({
    action: 'backup',
    entity: 'backup',
    summary: result.mirror ? `手动备份，并加密复制到第二备份位置：${result.mirror.fileName}` : `手动备份：${result.local.fileName}`,
  });
  return result;
}

/**
 * `backup create --to DIR` (IT staff, the CLI): one backup into a folder
 * named by hand. Inside the data folder it stays plain; anywhere else it is
 * encrypted for the office key, or for the passphrase given here when the
 * office has none yet. With neither, it is written plain with a warning, so
 * that a script never ends up with no backup at all; the app's own second
 * folder always requires the office passphrase (settings.ts).
 */
export function createBackupIn(ctx: CoreContext, dir: string, passphrase?: string): { info: BackupInfo; warning: string | null } {
  const resolved = path.resolve(dir);
  const inside = isInsideDataFolder(ctx.dbPath, resolved);
  let key: OfficeKeyBlock | null = null;
  let warning: string | null = null;
  if (!inside) {
    const office = readOfficeKey(ctx.db);
    if (office) {
      if (passphrase) unlockOfficeKey(office, passphrase); // a typo must not leave a file nobody can open
      key = office;
    } else if (passphrase) {
      if (passphrase.length < 8) throw new AppError('VALIDATION', '口令至少8个字符。');
      key = makeOfficeKey(passphrase);
    } else {
      warning =
        `尚未设置本单位口令，这份写到数据目录以外的备份（${resolved}）没有加密，含有个人信息，请妥善保管。` +
        '请尽快设置口令：deputy-desk backup passphrase --db FILE --passphrase 口令。';
    }
  }
  const snapshot = snapshotOf(ctx, 'manual', null);
  const info = writeSnapshot(snapshot, ctx.dbPath, { dir: resolved, location: inside ? 'data' : 'other', encryptTo: key, rotate: false });
  ctx.repo.audit({
    action: 'backup',
    entity: 'backup',
    summary: `手动备份到 ${resolved}：${info.fileName}${key ? '（已加密）' : inside ? '' : '（未加密）'}`,
  });
  return { info, warning };
}

/** Sets or changes the office passphrase. Changing needs the current one; old encrypted backups keep needing the old one. */
export function setOfficePassphrase(ctx: CoreContext, passphrase: string, current?: string): void {
  refuseWhenDamaged(ctx);
  const existing = readOfficeKey(ctx.db);
  if (existing) {
    if (!current) throw new AppError('UNAUTHORIZED', '已经设置过本单位口令：更改口令需要先输入当前口令。');
    unlockOfficeKey(existing, current);
  }
  if (passphrase.length < 8) throw new AppError('VALIDATION', '口令至少8个字符。');
  const block = makeOfficeKey(passphrase);
  ctx.repo.transaction(() => {
    writeOfficeKey(ctx.db, block);
    ctx.repo.audit({
      action: 'settings',
      entity: 'backup',
      summary: existing ? '更改本单位口令（此前加密的备份仍需用原口令恢复）' : '设置本单位口令',
    });
  });
}

/** The data folder's backups and the second folder's (when set), newest first; or one folder named by hand. */
export function listBackups(ctx: CoreContext, dir?: string): BackupInfo[] {
  if (dir) {
    const resolved = path.resolve(dir);
    const location = resolved === backupDirOf(ctx.dbPath) ? 'data' : resolved === mirrorDir(ctx) ? 'mirror' : 'other';
    return listFolder(resolved, location);
  }
  const all = listFolder(backupDirOf(ctx.dbPath), 'data');
  const mirror = mirrorDir(ctx);
  if (mirror) all.push(...listFolder(mirror, 'mirror'));
  return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/**
 * A backup file sent through the page (browser upload, e.g. from a USB drive):
 * checked, then kept in the data folder's backups so it can be previewed and
 * restored like the others. Rotation never removes it (not one of our names).
 */
export function acceptUploadedBackup(ctx: CoreContext, name: string, bytes: Buffer): BackupInfo {
  const dir = backupDirOf(ctx.dbPath);
  const safe = name.replace(/[\\/:*?"<>|\r\n]+/g, '_').replace(/\.ddbak$/i, '').slice(0, 80);
  const target = path.join(dir, `uploaded-${fileStamp(new Date())}-${safe}${BACKUP_EXT}`);
  writeFileAtomic(target, [bytes], '上传的备份文件');
  try {
    readVerifiedPayload(target);
  } catch (err) {
    fs.rmSync(target, { force: true });
    throw err;
  }
  return infoOf(target, 'data');
}
