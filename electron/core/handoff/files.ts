import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HandoffDrive } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { fsyncDir, translateFsError } from '../backup/files.js';

/**
 * Writing the package to a USB drive so that a final-named file is always
 * complete: write `<name>.part`, flush, rename, flush the folder, read it
 * back. On any failure (drive full, pulled out, write-protected) the partial
 * and final files are removed. The file operations are injectable so tests
 * can fail a write halfway.
 */
export interface PackageIo {
  writeFile(file: string, data: Buffer): void;
  rename(from: string, to: string): void;
  readFile(file: string): Buffer;
  unlink(file: string): void;
}

export const nodeIo: PackageIo = {
  writeFile(file, data) {
    const fd = fs.openSync(file, 'wx');
    try {
      let offset = 0;
      while (offset < data.length) offset += fs.writeSync(fd, data, offset, Math.min(1 << 20, data.length - offset));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  },
  rename: (from, to) => fs.renameSync(from, to),
  readFile: (file) => fs.readFileSync(file),
  unlink: (file) => fs.rmSync(file, { force: true }),
};

/** ASCII only, nothing FAT32 or Windows refuses: DD_430281101_to_430281_20261121T1305_1a2b3c4d.ddpkg */
export function packageFileName(from: string, to: string, at: Date, packageId: string): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}T${p(at.getHours())}${p(at.getMinutes())}`;
  return `DD_${from}_to_${to}_${stamp}_${packageId.replace(/-/g, '').slice(0, 8)}.ddpkg`;
}

export function writeVerified(dir: string, fileName: string, data: Buffer, verify: (bytes: Buffer) => void, io: PackageIo = nodeIo): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (err) {
    throw translateFsError(err, `保存位置“${dir}”`);
  }
  if (!stat.isDirectory()) throw new AppError('VALIDATION', `保存位置“${dir}”不是文件夹，请选择U盘或文件夹。`);
  const target = path.join(dir, fileName);
  const part = `${target}.part`;
  let renamed = false;
  try {
    io.writeFile(part, data);
    io.rename(part, target);
    renamed = true;
    fsyncDir(dir);
    const back = io.readFile(target);
    if (!back.equals(data)) throw new AppError('READ_ONLY', '写入U盘后读回的内容与原文件不一致，U盘可能有坏块。请换一个U盘重试。');
    verify(back);
    return target;
  } catch (err) {
    for (const f of renamed ? [target, part] : [part]) {
      try {
        io.unlink(f);
      } catch {
        // The drive may be gone; nothing final-named was left complete, which is what matters.
      }
    }
    throw translateFsError(err, '数据交换包');
  }
}

/**
 * Removable drives the clerk can pick: drive letters other than C: on
 * Windows; mounted folders under /media and /run/media on Linux (UOS, Kylin).
 */
export function listDrives(): HandoffDrive[] {
  const candidates: string[] = [];
  if (process.platform === 'win32') {
    for (let c = 'D'.charCodeAt(0); c <= 'Z'.charCodeAt(0); c++) {
      const root = `${String.fromCharCode(c)}:\\`;
      if (fs.existsSync(root)) candidates.push(root);
    }
  } else {
    const user = safeUser();
    const bases = [user && `/media/${user}`, user && `/run/media/${user}`, '/media', '/mnt'].filter(Boolean) as string[];
    const mounts = mountPoints();
    for (const base of bases) {
      for (const name of safeList(base)) {
        const full = path.join(base, name);
        if (candidates.includes(full) || (user && full === `/media/${user}`)) continue;
        if (mounts && !mounts.has(full)) continue;
        candidates.push(full);
      }
    }
  }
  return candidates.map((p) => ({ path: p, label: process.platform === 'win32' ? p.slice(0, 2) : path.basename(p), ...space(p) }));
}

function safeUser(): string | null {
  try {
    return os.userInfo().username;
  } catch {
    return null;
  }
}

function safeList(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

/** Mounted folders from /proc/mounts; null where it cannot be read (then every folder is offered). */
function mountPoints(): Set<string> | null {
  try {
    const text = fs.readFileSync('/proc/mounts', 'utf8');
    // Spaces in mount points are written as \040.
    return new Set(text.split('\n').map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' ')).filter(Boolean));
  } catch {
    return null;
  }
}

function space(dir: string): { freeBytes: number | null; totalBytes: number | null } {
  try {
    const s = fs.statfsSync(dir);
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  } catch {
    return { freeBytes: null, totalBytes: null };
  }
}
