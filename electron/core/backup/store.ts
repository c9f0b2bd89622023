import fs from 'node:fs';
import path from 'node:path';
import {
  BACKUP_REASON_LABELS,
  type BackupInfo,
  type BackupLocation,
  type BackupReason,
} from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { Db } from '../db/connection.js';
import { APP_VERSION } from '../version.js';
import { countRecords } from './counts.js';
import {
  BACKUP_EXT,
  backupDirOf,
  fileStamp,
  partialName,
  removeStalePartials,
  translateFsError,
  writeFileAtomic,
} from './files.js';
import { compress, encodeBackup, readHeader, readVerifiedPayload, type BackupHeader, type HeaderFields } from './format.js';
import type { OfficeKeyBlock } from './officeKey.js';
import { backupsToDelete } from './rotation.js';

/** A consistent copy of the database, compressed once and written to as many places as needed. */
export interface Snapshot {
  fields: HeaderFields;
  gzipped: Buffer;
  plainSize: number;
}

function readOfficeRaw(db: Db): HeaderFields['office'] {
  try {
    const row = db.prepare('SELECT office_code, office_name, office_type FROM office_identity WHERE id = 1').get() as
      | { office_code: string; office_name: string; office_type: string }
      | undefined;
    return row ? { code: row.office_code, name: row.office_name, type: row.office_type } : null;
  } catch {
    return null; // a database from before the office table: nothing to name
  }
}

/**
 * Takes the snapshot with `VACUUM INTO` (a consistent, compact copy made by
 * SQLite itself while the database stays open) into a temporary file in
 * `workDir`, then reads it into memory. Must not run inside a transaction:
 * the caller backs up first, then starts its transaction.
 */
export function takeSnapshot(
  db: Db,
  dbPath: string,
  reason: BackupReason,
  detail: string | null,
  workDir: string,
  now = new Date(),
): Snapshot {
  if (db.inTransaction) throw new Error('backup must be taken before the transaction starts, not inside it');
  const temp = partialName(workDir, 'snapshot.sqlite');
  try {
    fs.mkdirSync(workDir, { recursive: true });
    db.prepare('VACUUM INTO ?').run(temp);
    const sqlite = fs.readFileSync(temp);
    return {
      fields: {
        appVersion: APP_VERSION,
        schemaVersion: db.pragma('user_version', { simple: true }) as number,
        office: readOfficeRaw(db),
        createdAt: now.toISOString(),
        reason,
        detail,
        dbFileName: path.basename(dbPath),
        counts: countRecords(db),
      },
      gzipped: compress(sqlite),
      plainSize: sqlite.length,
    };
  } catch (err) {
    throw translateFsError(err, '备份文件');
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

export function backupFileName(dbPath: string, reason: BackupReason, createdAt: Date): string {
  return `${path.basename(dbPath, path.extname(dbPath))}-${fileStamp(createdAt)}-${reason}${BACKUP_EXT}`;
}

/** Our own names (rotation touches nothing else): base-YYYYMMDD-HHMMSS-mmm-reason.ddbak */
const OWN_NAME = /^(.+)-(\d{8}-\d{6}-\d{3})-([a-z-]+)(-\d+)?\.ddbak$/;

export interface WriteTarget {
  dir: string;
  location: BackupLocation;
  /** Encrypt for this office key (required outside the data folder). */
  encryptTo: OfficeKeyBlock | null;
  /** Apply the keep rules to this folder afterwards. */
  rotate: boolean;
}

/** Writes one snapshot into one folder, safely, checks it by reading it back, then rotates. */
export function writeSnapshot(snapshot: Snapshot, dbPath: string, target: WriteTarget): BackupInfo {
  const createdAt = new Date(snapshot.fields.createdAt);
  let name = backupFileName(dbPath, snapshot.fields.reason, createdAt);
  for (let n = 2; fs.existsSync(path.join(target.dir, name)); n++) {
    name = name.replace(/(-\d+)?\.ddbak$/, `-${n}${BACKUP_EXT}`);
  }
  const file = path.join(target.dir, name);
  const what = target.location === 'data' ? '备份文件' : `备份文件（${target.dir}）`;
  writeFileAtomic(file, encodeBackup(snapshot.fields, snapshot.gzipped, snapshot.plainSize, target.encryptTo), what);
  try {
    // A bad USB stick can accept bytes it will not give back: read it back before calling it a backup.
    readVerifiedPayload(file);
  } catch (err) {
    fs.rmSync(file, { force: true });
    if (err instanceof AppError) {
      throw new AppError('DB_CORRUPT', `备份写入后读回校验未通过（${target.dir}），该位置的存储设备可能有问题，已删除这份备份。`);
    }
    throw translateFsError(err, what);
  }
  if (target.rotate) rotateFolder(target.dir, dbPath);
  return infoOf(file, target.location);
}

export function infoFromHeader(file: string, header: BackupHeader, sizeBytes: number, location: BackupLocation): BackupInfo {
  return {
    file,
    fileName: path.basename(file),
    location,
    createdAt: header.createdAt,
    reason: header.reason,
    reasonLabel: BACKUP_REASON_LABELS[header.reason] ?? header.reason,
    detail: header.detail ?? null,
    appVersion: header.appVersion,
    schemaVersion: header.schemaVersion,
    officeCode: header.office?.code ?? null,
    officeName: header.office?.name ?? null,
    counts: header.counts ?? {},
    sizeBytes,
    encrypted: header.payload.encryption !== null,
    problem: null,
  };
}

/** One file's entry; a file whose header cannot be read is listed with its problem. */
export function infoOf(file: string, location: BackupLocation): BackupInfo {
  try {
    const { header, fileSize } = readHeader(file);
    return infoFromHeader(file, header, fileSize, location);
  } catch (err) {
    let size = 0;
    let mtime = new Date(0);
    try {
      const st = fs.statSync(file);
      size = st.size;
      mtime = st.mtime;
    } catch {
      // listed anyway, with the problem
    }
    return {
      file,
      fileName: path.basename(file),
      location,
      createdAt: mtime.toISOString(),
      reason: 'manual',
      reasonLabel: '无法识别',
      detail: null,
      appVersion: '',
      schemaVersion: 0,
      officeCode: null,
      officeName: null,
      counts: {},
      sizeBytes: size,
      encrypted: false,
      problem: err instanceof AppError ? err.message : '无法读取此文件',
    };
  }
}

/** The backups in a folder, newest first. A missing folder has none. */
export function listFolder(dir: string, location: BackupLocation): BackupInfo[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith(BACKUP_EXT) && !n.startsWith('.'))
    .map((n) => infoOf(path.join(dir, n), location))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Applies the keep rules to this database's own backups in `dir`. */
export function rotateFolder(dir: string, dbPath: string, now = new Date()): string[] {
  const base = path.basename(dbPath, path.extname(dbPath));
  const dbFileName = path.basename(dbPath);
  const mine = listFolder(dir, 'data').filter((b) => {
    const m = OWN_NAME.exec(b.fileName);
    if (!m || m[1] !== base || b.problem) return false;
    try {
      return readHeader(b.file).header.dbFileName === dbFileName;
    } catch {
      return false;
    }
  });
  const doomed = backupsToDelete(
    mine.map((b) => ({ id: b.file, createdAt: new Date(b.createdAt), reason: b.reason })),
    now,
  );
  for (const file of doomed) fs.rmSync(file, { force: true });
  removeStalePartials(dir, now.getTime());
  return doomed;
}

/** The data folder's backups of this database file. */
export function localBackups(dbPath: string): BackupInfo[] {
  return listFolder(backupDirOf(dbPath), 'data');
}

/**
 * The migration runner's copy before it changes the schema (no context
 * exists yet). Kept in the list with reason “migration”.
 */
export function backupForMigration(db: Db, dbPath: string, from: number, to: number): BackupInfo {
  const dir = backupDirOf(dbPath);
  const snapshot = takeSnapshot(db, dbPath, 'migration', `数据库结构升级前（版本 ${from} → ${to}）`, dir);
  return writeSnapshot(snapshot, dbPath, { dir, location: 'data', encryptTo: null, rotate: true });
}

export function assertNoHeaderProblem(info: BackupInfo): void {
  if (info.problem) throw new AppError('DB_CORRUPT', `备份文件不可用：${info.problem}`);
}
