import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import { assertNotNewer, migrate, type MigrationOutcome } from './migrate.js';

export type Db = Database.Database;

export interface OpenedDatabase {
  db: Db;
  path: string;
  migration: MigrationOutcome;
  /** Set when the file failed its integrity check on open: then `db` is read-only (or, unreadable, an empty stand-in). */
  damage: DatabaseDamage | null;
}

export interface DatabaseDamage {
  /** Chinese, for the banner. */
  message: string;
  /** false: not even readable; only a restore helps. */
  readable: boolean;
}

const open = new Map<string, OpenedDatabase>();

/**
 * One connection per database file for the whole process: better-sqlite3 is
 * synchronous, so one connection serialises every write without locks.
 */
export function openDatabase(file: string): OpenedDatabase {
  const resolved = file === ':memory:' ? file : path.resolve(file);
  const existing = open.get(resolved);
  if (existing && existing.db.open) return existing;

  if (resolved !== ':memory:') fs.mkdirSync(path.dirname(resolved), { recursive: true });
  let db: Db;
  try {
    db = new Database(resolved);
  } catch (err) {
    throw translateSqliteError(err, resolved);
  }
  // A damaged file is opened read-only, never migrated or written: the
  // office can still read it and restore a backup (electron/core/backup).
  const problem = resolved === ':memory:' ? null : quickCheck(db, resolved);
  if (problem !== null) {
    db.close();
    const damaged = openDamaged(resolved);
    open.set(resolved, damaged);
    return damaged;
  }
  try {
    assertNotNewer(db);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // FULL: a power cut may cost the last transaction, never a committed one.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
  } catch (err) {
    db.close();
    throw translateSqliteError(err, resolved);
  }
  let migration: MigrationOutcome;
  try {
    migration = migrate(db, resolved);
  } catch (err) {
    db.close();
    throw translateSqliteError(err, resolved);
  }
  const opened = { db, path: resolved, migration, damage: null };
  open.set(resolved, opened);
  return opened;
}

/** SQLite's quick_check (the fast part of integrity_check); null when the file is sound. */
function quickCheck(db: Db, file: string): string | null {
  try {
    const rows = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
    return rows.length === 1 && rows[0] === 'ok' ? null : rows.slice(0, 3).join('；');
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return (err as Error).message;
    db.close();
    throw translateSqliteError(err, file);
  }
}

/** SQLite's own words (English) stay out of the banner; the 完整性检查 shows them. */
function openDamaged(file: string): OpenedDatabase {
  const message = '数据库文件已损坏（完整性检查未通过）。为保护数据，现以只读方式打开：可以查看，但不能修改。';
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const version = db.pragma('user_version', { simple: true }) as number;
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      return { db, path: file, migration: { from: version, to: version, backupFile: null }, damage: { message, readable: true } };
    } catch {
      db.close();
    }
  } catch {
    // not even readable: fall through
  }
  return {
    // An empty stand-in so the doors still answer: the backup screen lists backups and restores one.
    db: new Database(':memory:'),
    path: file,
    migration: { from: 0, to: 0, backupFile: null },
    damage: { message: '数据库文件已损坏，无法读取。', readable: false },
  };
}

type CloseHook = (opened: OpenedDatabase) => void;
const closeHooks: CloseHook[] = [];

/** Runs just before a database is closed (the backup module notes how far the file has come). */
export function onDatabaseClose(hook: CloseHook): void {
  if (!closeHooks.includes(hook)) closeHooks.push(hook);
}

export function closeDatabase(file: string): void {
  const resolved = file === ':memory:' ? file : path.resolve(file);
  const existing = open.get(resolved);
  if (existing) {
    if (existing.db.open) {
      for (const hook of closeHooks) {
        try {
          hook(existing);
        } catch {
          // closing must not fail because of a note
        }
      }
      existing.db.close();
    }
    open.delete(resolved);
  }
}

export function closeAllDatabases(): void {
  for (const key of [...open.keys()]) closeDatabase(key);
}

/** SQLite's English errors become messages a clerk can act on. */
export function translateSqliteError(err: unknown, file?: string): Error {
  if (err instanceof AppError) return err;
  const code = (err as { code?: string }).code ?? '';
  const where = file ? `（${file}）` : '';
  if (code === 'SQLITE_FULL') return new AppError('DISK_FULL', `磁盘空间已满，本次操作未保存${where}。请清理磁盘后重试。`);
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY'))
    return new AppError('READ_ONLY', `数据库文件只读，无法保存${where}。请检查文件权限或是否在只读介质上。`);
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB')
    return new AppError('DB_CORRUPT', `数据库文件已损坏或不是本程序的数据库${where}。请从备份恢复。`);
  if (code === 'SQLITE_CANTOPEN') {
    if (file && file !== ':memory:' && !canWrite(path.dirname(file))) {
      return new AppError(
        'READ_ONLY',
        `数据库所在的文件夹是只读的${where}（例如写保护的U盘、光盘或没有写入权限），无法打开。请去掉写保护，或把数据库复制到可写的位置后再打开。`,
      );
    }
    return new AppError('READ_ONLY', `无法打开数据库文件${where}，请检查路径和权限。`);
  }
  return err instanceof Error ? err : new Error(String(err));
}

function canWrite(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
