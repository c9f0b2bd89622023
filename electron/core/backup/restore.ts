import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { BackupInfo, BackupPreview, BackupCounts, RestoreResult } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { CoreContext } from '../context.js';
import { latestSchemaVersion } from '../db/migrate.js';
import { countRecords } from './counts.js';
import { backupDirOf, fileStamp, fsyncDir, partialName, translateFsError, writeFileAtomic } from './files.js';
import { decodeBackup, type BackupHeader } from './format.js';
import { rememberFingerprint, rememberProgress, renewEpoch } from './identity.js';
import { backupBefore } from './service.js';
import { KEPT_ACROSS_RESTORE, mirrorDir } from './settings.js';
import { infoFromHeader } from './store.js';

function locationOf(ctx: CoreContext, file: string): BackupInfo['location'] {
  const dir = path.dirname(path.resolve(file));
  if (dir === backupDirOf(ctx.dbPath)) return 'data';
  return dir === mirrorDir(ctx) ? 'mirror' : 'other';
}

function schemaStatus(version: number): BackupPreview['schemaStatus'] {
  const latest = latestSchemaVersion();
  return version === latest ? 'current' : version < latest ? 'older' : 'newer';
}

/** Decodes a backup into a temporary database file beside `dbPath` and checks it with SQLite. The caller removes it. */
function unpackChecked(file: string, dbPath: string, passphrase?: string): { header: BackupHeader; temp: string; counts: BackupCounts } {
  const { header, sqlite } = decodeBackup(file, passphrase);
  const temp = partialName(path.dirname(dbPath), `${path.basename(dbPath)}.restore`);
  writeFileAtomic(temp, [sqlite], '恢复用的临时文件');
  try {
    const db = new Database(temp, { readonly: true, fileMustExist: true });
    try {
      const result = db.pragma('integrity_check', { simple: true });
      if (result !== 'ok') throw new AppError('DB_CORRUPT', `备份中的数据库未通过完整性检查（${String(result)}），不能用于恢复。`);
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version !== header.schemaVersion) throw new AppError('DB_CORRUPT', '备份文件头与其中的数据库版本不一致，不能用于恢复。');
      return { header, temp, counts: countRecords(db) };
    } finally {
      db.close();
    }
  } catch (err) {
    removeWithSidecars(temp);
    throw err instanceof AppError ? err : new AppError('DB_CORRUPT', `备份中的数据库无法打开：${(err as Error).message}`);
  }
}

function sameOffice(ctx: CoreContext, header: BackupHeader): boolean | null {
  const office = ctx.office();
  if (!office || !header.office) return null;
  return office.officeCode === header.office.code;
}

/** Checks a backup all the way (checksum, passphrase, decompression, SQLite integrity) and compares it with now. */
export function previewBackup(ctx: CoreContext, file: string, passphrase?: string): BackupPreview {
  const { header, temp } = unpackChecked(path.resolve(file), ctx.dbPath, passphrase);
  removeWithSidecars(temp);
  let current: BackupCounts | null = null;
  if (!ctx.damage) current = countRecords(ctx.db);
  return {
    info: infoFromHeader(path.resolve(file), header, fs.statSync(file).size, locationOf(ctx, file)),
    verified: true,
    sameOffice: sameOffice(ctx, header),
    schemaStatus: schemaStatus(header.schemaVersion),
    current,
  };
}

/** Settings of this PC, read before the swap and written back after it. */
function keptSettings(ctx: CoreContext): [string, string][] {
  if (ctx.damage && !ctx.damage.readable) return [];
  try {
    const rows = ctx.db
      .prepare(`SELECT key, value FROM local_state WHERE key IN (${KEPT_ACROSS_RESTORE.map(() => '?').join(', ')})`)
      .all(...KEPT_ACROSS_RESTORE) as { key: string; value: string }[];
    return rows.map((r) => [r.key, r.value]);
  } catch {
    return [];
  }
}

/** A damaged database is not backed up (it may not even read): it is moved aside whole, for a specialist. */
function moveDamagedAside(dbPath: string): string {
  const dir = path.join(backupDirOf(dbPath), 'damaged');
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, `${path.basename(dbPath)}-damaged-${fileStamp(new Date())}`);
  fs.copyFileSync(dbPath, target);
  for (const suffix of ['-wal', '-shm']) {
    if (fs.existsSync(dbPath + suffix)) fs.copyFileSync(dbPath + suffix, target + suffix);
  }
  return target;
}

/**
 * Restores a backup over the open database:
 * 1. decode and check it completely into a temporary file (nothing touched yet);
 * 2. refuse a newer schema or another office's data;
 * 3. back up the current state (a damaged file is copied aside instead);
 * 4. close the connection, drop the old WAL, rename the checked file over the
 *    database (atomic), reopen (an older schema is migrated on open);
 * 5. carry over this PC's settings, give the database a new handoff epoch,
 *    and record the restore in the audit log.
 * A crash before step 4 leaves the old database; after it, the new one.
 */
export function restoreBackup(ctx: CoreContext, file: string, passphrase?: string): RestoreResult {
  const source = path.resolve(file);
  const { header, temp } = unpackChecked(source, ctx.dbPath, passphrase);
  try {
    if (schemaStatus(header.schemaVersion) === 'newer') {
      throw new AppError(
        'DB_NEWER',
        `此备份由较新版本的程序生成（数据库版本 ${header.schemaVersion}，本程序只支持到 ${latestSchemaVersion()}），请升级本程序后再恢复。`,
      );
    }
    if (sameOffice(ctx, header) === false) {
      const office = ctx.office()!;
      throw new AppError(
        'CONFLICT',
        `此备份属于“${header.office!.name}”（${header.office!.code}），而当前数据库属于“${office.officeName}”（${office.officeCode}），不能恢复到这里。如需查看该单位的数据，请恢复到一个新的数据库文件。`,
      );
    }
    const settings = keptSettings(ctx);
    let safetyBackup: BackupInfo | null = null;
    let damagedCopy: string | null = null;
    if (ctx.damage) damagedCopy = moveDamagedAside(ctx.dbPath);
    else if (ctx.office()) safetyBackup = backupBefore(ctx, 'restore', `恢复 ${path.basename(source)} 之前的数据`);

    const previousEpoch = ctx.office()?.epoch ?? null;
    ctx.reopen(() => {
      try {
        for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(ctx.dbPath + suffix, { force: true });
        fs.renameSync(temp, ctx.dbPath);
        fsyncDir(path.dirname(ctx.dbPath));
      } catch (err) {
        throw translateFsError(err, '数据库文件');
      }
    });

    const restored = infoFromHeader(source, header, fs.statSync(source).size, locationOf(ctx, source));
    const epoch = ctx.repo.transaction(() => {
      const put = ctx.db.prepare(
        'INSERT INTO local_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      );
      for (const [key, value] of settings) put.run(key, value);
      rememberFingerprint(ctx);
      const renewed = ctx.office() ? renewEpoch(ctx, null) : null;
      ctx.repo.audit({
        action: 'restore',
        entity: 'backup',
        summary:
          `恢复备份：${restored.fileName}（${restored.reasonLabel}，备份时间 ${restored.createdAt}）` +
          (safetyBackup ? `；恢复前的数据已备份为 ${safetyBackup.fileName}` : '') +
          (damagedCopy ? `；损坏的数据库已另存为 ${damagedCopy}` : '') +
          '；交接标识已更换',
        before: { epoch: previousEpoch },
        after: { epoch: renewed, backup: restored.fileName, counts: restored.counts },
      });
      return renewed ?? '';
    });
    rememberProgress(ctx.db, ctx.dbPath);
    return { restored, safetyBackup, damagedCopy, epoch };
  } finally {
    removeWithSidecars(temp);
  }
}

function removeWithSidecars(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}
