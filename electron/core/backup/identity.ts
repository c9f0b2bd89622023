import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CoreContext } from '../context.js';
import { onDatabaseClose, type Db, type OpenedDatabase } from '../db/connection.js';
import { recordKnowledgeOfNewEpoch } from '../handoff/knowledge.js';

/**
 * Telling a copied or rolled-back database from the original (design: “a
 * random epoch that changes when a database is created, restored or
 * copied”). Two marks, checked when a context opens the file:
 *
 * 1. Where it lives — in local_state, a fingerprint of the PC's name, the
 *    file's full path and its file id (inode; NTFS file index on Windows).
 *    SQLite never replaces its own file, so it stays put while the office
 *    works; a copy in another folder or on another PC differs. Moving the
 *    data folder counts as a copy too: harmless, the epoch only tells the
 *    other side to expect a new history.
 * 2. How far it has come — beside the file, `<db>.epoch.json` holds the epoch
 *    and this office's last change-log sequence, written on open and on
 *    close. An older copy put back over the file (same path, maybe the same
 *    inode) has a lower sequence under the same epoch: the office would hand
 *    out sequence numbers it already used.
 * Either way the database gets a new epoch before anything is written with
 * the old one. A restore through the app renews it itself (restore.ts).
 */
const STATE_KEY = 'db_fingerprint';

export function fingerprintOf(dbPath: string): string {
  let full = fs.realpathSync(dbPath);
  if (process.platform === 'win32') full = full.toLowerCase();
  const ino = fs.statSync(full, { bigint: true }).ino;
  return createHash('sha256').update(`${os.hostname()}\n${full}\n${ino}`).digest('hex').slice(0, 32);
}

export function rememberFingerprint(ctx: CoreContext): void {
  ctx.db
    .prepare('INSERT INTO local_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
    .run(STATE_KEY, fingerprintOf(ctx.dbPath));
}

interface Progress {
  epoch: string;
  seq: number;
}

export function guardFileOf(dbPath: string): string {
  return `${dbPath}.epoch.json`;
}

function progressOf(db: Db): Progress | null {
  try {
    const office = db.prepare('SELECT office_code, epoch FROM office_identity WHERE id = 1').get() as
      | { office_code: string; epoch: string }
      | undefined;
    if (!office) return null;
    const seq = db
      .prepare('SELECT coalesce(max(seq), 0) FROM change_log WHERE origin_office = ? AND epoch = ?')
      .pluck()
      .get(office.office_code, office.epoch) as number;
    return { epoch: office.epoch, seq };
  } catch {
    return null;
  }
}

function readGuard(dbPath: string): Progress | null {
  try {
    const g = JSON.parse(fs.readFileSync(guardFileOf(dbPath), 'utf8')) as Progress;
    return typeof g.epoch === 'string' && typeof g.seq === 'number' ? g : null;
  } catch {
    return null;
  }
}

/** Notes how far the file has come (open, close, before risky operations). Best effort: a note, not data. */
export function rememberProgress(db: Db, dbPath: string): void {
  if (dbPath === ':memory:' || !db.open) return;
  const progress = progressOf(db);
  if (!progress) return;
  const target = guardFileOf(dbPath);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.partial`);
  try {
    fs.writeFileSync(temp, JSON.stringify({ ...progress, at: new Date().toISOString() }));
    fs.renameSync(temp, target);
  } catch {
    fs.rmSync(temp, { force: true });
  }
}

onDatabaseClose((opened: OpenedDatabase) => {
  if (!opened.damage && !opened.db.readonly) rememberProgress(opened.db, opened.path);
});

/**
 * A new random epoch; audited with `summary` unless null (the caller audits).
 * Returns it. The new epoch starts with what the database holds as its
 * handoff knowledge (knowledge.ts), so its first changes are known to have
 * seen the old epoch's. Call inside the caller's transaction.
 */
export function renewEpoch(ctx: CoreContext, summary: string | null): string {
  const before = ctx.office()?.epoch ?? null;
  const epoch = randomUUID();
  ctx.db.prepare('UPDATE office_identity SET epoch = ? WHERE id = 1').run(epoch);
  ctx.forgetOffice();
  recordKnowledgeOfNewEpoch(ctx);
  if (summary) ctx.repo.audit({ action: 'epoch', entity: 'office_identity', summary, before: { epoch: before }, after: { epoch } });
  return epoch;
}

/**
 * Runs when a context opens a database: remembers the fingerprint the first
 * time, and renews the epoch when the file turns out to be a copy or an
 * older copy put back.
 */
export function noticeCopiedDatabase(ctx: CoreContext): void {
  if (ctx.dbPath === ':memory:' || ctx.damage || !fs.existsSync(ctx.dbPath)) return;
  const now = fingerprintOf(ctx.dbPath);
  const row = ctx.db.prepare('SELECT value FROM local_state WHERE key = ?').get(STATE_KEY) as { value: string } | undefined;
  const guard = readGuard(ctx.dbPath);
  const progress = progressOf(ctx.db);
  const copied = row !== undefined && row.value !== now;
  const rolledBack = !copied && guard !== null && progress !== null && guard.epoch === progress.epoch && progress.seq < guard.seq;
  if (row?.value !== now || rolledBack) {
    ctx.repo.transaction(() => {
      rememberFingerprint(ctx);
      if (copied && ctx.office()) {
        renewEpoch(ctx, `数据库文件被复制或移动（${path.basename(ctx.dbPath)}），已更换交接标识，以免与原文件的修改混淆`);
      } else if (rolledBack) {
        renewEpoch(
          ctx,
          `数据库文件被换成了较早的副本（修改记录从第 ${guard!.seq} 条退回到第 ${progress!.seq} 条），已更换交接标识，以免与已交出的修改混淆`,
        );
      }
    });
  }
  rememberProgress(ctx.db, ctx.dbPath);
}
