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
  const opened = { db, path: resolved, migration };
  open.set(resolved, opened);
  return opened;
}

export function closeDatabase(file: string): void {
  const resolved = file === ':memory:' ? file : path.resolve(file);
  const existing = open.get(resolved);
  if (existing) {
    if (existing.db.open) existing.db.close();
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
  if (code === 'SQLITE_CANTOPEN') return new AppError('READ_ONLY', `无法打开数据库文件${where}，请检查路径和权限。`);
  return err instanceof Error ? err : new Error(String(err));
}
