import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors.js';
import type { CoreContext } from '../context.js';
import { isInsideDataFolder, isWritableDir } from './files.js';
import { readOfficeKey } from './officeKey.js';

/**
 * Local settings of the backup (local_state, never synced). They describe
 * this PC, not the data, so a restore carries them over (see restore.ts).
 */
export const MIRROR_KEY = 'backup_mirror_dir';
/** Keys a restore must not roll back: they belong to the PC and the office, not to the data of that day. */
export const KEPT_ACROSS_RESTORE = [MIRROR_KEY, 'office_passphrase'];

export function readLocal(ctx: CoreContext, key: string): string | null {
  try {
    const row = ctx.db.prepare('SELECT value FROM local_state WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  } catch {
    return null;
  }
}

export function writeLocal(ctx: CoreContext, key: string, value: string | null): void {
  if (value === null) ctx.db.prepare('DELETE FROM local_state WHERE key = ?').run(key);
  else {
    ctx.db
      .prepare('INSERT INTO local_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }
}

export function mirrorDir(ctx: CoreContext): string | null {
  return readLocal(ctx, MIRROR_KEY);
}

/** Sets (or clears) the second backup folder; it must exist, be writable and lie outside the data folder. */
export function setMirrorDir(ctx: CoreContext, dir: string | null): void {
  if (dir === null || dir === '') {
    ctx.repo.transaction(() => {
      writeLocal(ctx, MIRROR_KEY, null);
      ctx.repo.audit({ action: 'settings', entity: 'backup', summary: '取消第二备份位置' });
    });
    return;
  }
  const resolved = path.resolve(dir);
  if (!path.isAbsolute(dir)) throw new AppError('VALIDATION', '请填写完整的文件夹路径，例如 E:\\人大备份 或 /media/usb/人大备份。');
  if (isInsideDataFolder(ctx.dbPath, resolved)) {
    throw new AppError('VALIDATION', '第二备份位置不能在数据目录之内：电脑硬盘损坏时两份会一起丢失。请选择另一块磁盘或U盘。');
  }
  if (!fs.existsSync(resolved) || !fs.statSync(resolved).isDirectory()) {
    throw new AppError('VALIDATION', `文件夹不存在：${resolved}。如果是U盘，请先插好U盘并建好文件夹。`);
  }
  if (!isWritableDir(resolved)) throw new AppError('READ_ONLY', `文件夹不能写入：${resolved}。请检查权限或U盘写保护开关。`);
  if (!readOfficeKey(ctx.db)) {
    throw new AppError('VALIDATION', '复制到数据目录以外的备份必须加密：请先设置本单位口令，再设置第二备份位置。');
  }
  ctx.repo.transaction(() => {
    writeLocal(ctx, MIRROR_KEY, resolved);
    ctx.repo.audit({ action: 'settings', entity: 'backup', summary: `设置第二备份位置：${resolved}`, after: { mirrorDir: resolved } });
  });
}
