import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors.js';

/** Backups of a database live in `backups/` beside it (the data folder). */
export function backupDirOf(dbPath: string): string {
  return path.join(path.dirname(path.resolve(dbPath)), 'backups');
}

export const BACKUP_EXT = '.ddbak';
/** Names of files being written; never listed, removed when stale. */
export const PARTIAL_EXT = '.partial';

/** True when `dir` is the data folder or inside it: a backup there stays on this PC's disk. */
export function isInsideDataFolder(dbPath: string, dir: string): boolean {
  const data = path.dirname(path.resolve(dbPath));
  const rel = path.relative(data, path.resolve(dir));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Node file-system errors in words a clerk can act on; `what` says which file or folder. */
export function translateFsError(err: unknown, what: string): Error {
  if (err instanceof AppError) return err;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') {
    return new AppError('DISK_FULL', `磁盘空间已满，${what}未能写入，已写的部分已删除。请清理磁盘或换一个位置后重试。`);
  }
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || code.startsWith('SQLITE_READONLY')) {
    return new AppError('READ_ONLY', `${what}所在的位置是只读的或没有写入权限，未能写入。请检查U盘的写保护开关或文件夹权限。`);
  }
  if (code === 'ENOENT') return new AppError('NOT_FOUND', `找不到${what}。如果是U盘，请确认已插好。`);
  if (code === 'EIO') return new AppError('READ_ONLY', `读写${what}时出错（设备可能已损坏或被拔出）。`);
  return err instanceof Error ? err : new Error(String(err));
}

/** Makes a rename durable: the directory entry is flushed too (a no-op where the OS refuses, e.g. Windows). */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows cannot open a directory for fsync; NTFS journals the rename itself.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** A temporary name in `dir` that listings ignore. */
export function partialName(dir: string, base: string): string {
  return path.join(dir, `.${base}.${randomUUID().slice(0, 8)}${PARTIAL_EXT}`);
}

/**
 * Writes `parts` to `target` so that the file is either complete or absent:
 * into a temporary name, flushed, renamed, the folder flushed. On any failure
 * the temporary file is removed and the error says so in Chinese.
 */
export function writeFileAtomic(target: string, parts: Buffer[], what: string): void {
  const dir = path.dirname(target);
  const temp = partialName(dir, path.basename(target));
  let fd: number | undefined;
  try {
    fs.mkdirSync(dir, { recursive: true });
    fd = fs.openSync(temp, 'wx');
    for (const part of parts) {
      let offset = 0;
      while (offset < part.length) offset += fs.writeSync(fd, part, offset, part.length - offset);
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, target);
    fsyncDir(dir);
  } catch (err) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing; the unlink below matters more
      }
    }
    fs.rmSync(temp, { force: true });
    throw translateFsError(err, what);
  }
}

/** Removes temporary files left by a process that was killed mid-write (older than an hour: not someone else's in progress). */
export function removeStalePartials(dir: string, now = Date.now()): number {
  let removed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.endsWith(PARTIAL_EXT)) continue;
    const full = path.join(dir, name);
    try {
      if (now - fs.statSync(full).mtimeMs > 3600_000) {
        fs.rmSync(full, { force: true });
        removed++;
      }
    } catch {
      // vanished meanwhile
    }
  }
  return removed;
}

/** 20250115-083012-123 in local time: sorts by time, readable in a file list. */
export function fileStamp(date: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-` +
    `${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}-${p(date.getMilliseconds(), 3)}`
  );
}

/** A folder can be written: it exists and a probe file can be created and removed. */
export function isWritableDir(dir: string): boolean {
  try {
    if (!fs.statSync(dir).isDirectory()) return false;
    const probe = partialName(dir, 'probe');
    fs.writeFileSync(probe, '');
    fs.rmSync(probe, { force: true });
    return true;
  } catch {
    return false;
  }
}
