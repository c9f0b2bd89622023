import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { BackupInfo, CheckReport } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { CoreContext } from '../context.js';
import type { Db } from '../db/connection.js';
import { latestSchemaVersion } from '../db/migrate.js';
import { countRecords } from './counts.js';
import { readVerifiedPayload } from './format.js';

/** The full check (`deputy-desk check`, the 完整性检查 button): integrity, foreign keys, schema version, counts. */
export function checkDb(db: Db, file: string): CheckReport {
  const appSchemaVersion = latestSchemaVersion();
  const problems: string[] = [];
  let integrity: string[];
  try {
    integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  } catch (err) {
    integrity = [(err as Error).message];
  }
  if (!(integrity.length === 1 && integrity[0] === 'ok')) {
    problems.push(`完整性检查未通过（${integrity.length} 处问题），例如：${integrity.slice(0, 3).join('；')}`);
  }
  let foreignKeyProblems: CheckReport['foreignKeyProblems'] = [];
  try {
    foreignKeyProblems = (db.pragma('foreign_key_check') as { table: string; rowid: number | null; parent: string }[]).map(
      (r) => ({ table: r.table, rowid: r.rowid, parent: r.parent }),
    );
  } catch (err) {
    problems.push(`外键检查无法完成：${(err as Error).message}`);
  }
  if (foreignKeyProblems.length) {
    problems.push(`有 ${foreignKeyProblems.length} 条记录引用了不存在的记录（例如 ${foreignKeyProblems[0]!.table} 引用 ${foreignKeyProblems[0]!.parent}）`);
  }
  let schemaVersion = 0;
  let office: CheckReport['office'] = null;
  let counts: CheckReport['counts'] = {};
  try {
    schemaVersion = db.pragma('user_version', { simple: true }) as number;
    counts = countRecords(db);
    const row = db.prepare('SELECT office_code, office_name, epoch FROM office_identity WHERE id = 1').get() as
      | { office_code: string; office_name: string; epoch: string }
      | undefined;
    office = row ? { code: row.office_code, name: row.office_name, epoch: row.epoch } : null;
  } catch (err) {
    problems.push(`无法读取数据库内容：${(err as Error).message}`);
  }
  const schemaStatus = schemaVersion === appSchemaVersion ? 'current' : schemaVersion < appSchemaVersion ? 'older' : 'newer';
  if (schemaStatus === 'newer') problems.push(`数据库版本 ${schemaVersion} 比本程序（${appSchemaVersion}）新，请升级程序`);
  let sizeBytes = 0;
  try {
    sizeBytes = fs.statSync(file).size;
  } catch {
    // :memory: or gone
  }
  return {
    ok: problems.length === 0,
    file,
    integrity,
    foreignKeyProblems,
    schemaVersion,
    appSchemaVersion,
    schemaStatus,
    office,
    counts,
    sizeBytes,
    problems,
  };
}

/**
 * `deputy-desk check --db FILE`: opens the file read-only, without migrating
 * or creating anything, so checking never changes what is checked.
 */
export function checkFile(file: string): CheckReport {
  const resolved = path.resolve(file);
  if (!fs.existsSync(resolved)) throw new AppError('NOT_FOUND', `数据库文件不存在：${resolved}`);
  let db: Db;
  try {
    db = new Database(resolved, { readonly: true, fileMustExist: true });
  } catch (err) {
    return unreadable(resolved, err);
  }
  try {
    return checkDb(db, resolved);
  } catch (err) {
    return unreadable(resolved, err);
  } finally {
    db.close();
  }
}

function unreadable(file: string, err: unknown): CheckReport {
  const message = (err as Error).message ?? String(err);
  return {
    ok: false,
    file,
    integrity: [message],
    foreignKeyProblems: [],
    schemaVersion: 0,
    appSchemaVersion: latestSchemaVersion(),
    schemaStatus: 'older',
    office: null,
    counts: {},
    sizeBytes: fs.existsSync(file) ? fs.statSync(file).size : 0,
    problems: [`数据库文件无法读取（${message}），文件已损坏或不是本程序的数据库。`],
  };
}

/** The context's own database, fully checked (the button on the backups screen). */
export function checkContext(ctx: CoreContext): CheckReport {
  if (ctx.damage && !ctx.damage.readable) return unreadable(ctx.dbPath, new Error(ctx.damage.message));
  return checkDb(ctx.db, ctx.dbPath);
}

/** The newest backup whose checksum verifies: what a damaged database is offered. */
export function newestGoodBackup(candidates: BackupInfo[]): BackupInfo | null {
  for (const info of candidates) {
    if (info.problem) continue;
    try {
      readVerifiedPayload(info.file);
      return info;
    } catch {
      // damaged too: try the next older one
    }
  }
  return null;
}
