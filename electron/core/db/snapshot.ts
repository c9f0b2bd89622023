import Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import { onDatabaseClose, translateSqliteError, type Db } from './connection.js';

/**
 * A read-only connection of its own, inside one read transaction, for a read
 * that spans awaits: the roster export streams 140,000 rows while the zip
 * catches up. A cursor left open on the shared connection would make every
 * write elsewhere fail ("connection is busy") until the export ended; reading
 * in chunks instead costs a second pass over the data. Under WAL this reader
 * sees one consistent snapshot while the shared connection keeps writing.
 *
 * Closing the shared connection (a restore swaps the file) ends the file's
 * snapshots first, so the file is free to replace; their reads then fail.
 */
export class ReadSnapshot {
  readonly db: Db;
  private cursor: IterableIterator<unknown> | null = null;
  private lost = false;

  constructor(readonly path: string) {
    try {
      this.db = new Database(path, { readonly: true, fileMustExist: true });
    } catch (err) {
      throw translateSqliteError(err, path);
    }
    try {
      this.db.pragma('busy_timeout = 5000');
      // Its own page cache, freed on close: 64 MB holds a province's seats and persons.
      this.db.pragma('cache_size = -65536');
      this.db.exec('BEGIN');
    } catch (err) {
      this.db.close();
      throw translateSqliteError(err, path);
    }
    open.add(this);
  }

  /** The rows of `stmt` one at a time; the cursor may stay open across awaits. */
  *iterate<T>(stmt: Database.Statement, params: readonly unknown[]): Generator<T> {
    const cursor = stmt.iterate(...params) as IterableIterator<T>;
    this.cursor = cursor;
    try {
      for (;;) {
        if (this.lost) throw new AppError('CONFLICT', '数据库已关闭（例如正在恢复备份），本次导出已中止，请重新导出。');
        const next = cursor.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      this.cursor = null;
      cursor.return?.();
    }
  }

  close(): void {
    open.delete(this);
    this.cursor?.return?.();
    this.cursor = null;
    if (this.db.open) this.db.close();
  }

  /** The shared connection is closing: end the read, free the file. */
  lose(): void {
    this.lost = true;
    this.close();
  }
}

const open = new Set<ReadSnapshot>();

/**
 * Ends the snapshots of the database at `path` (resolved): before it closes,
 * and before a checkpoint that would otherwise wait for them (busy_timeout).
 */
export function endSnapshots(path: string): void {
  for (const snapshot of [...open]) if (snapshot.path === path) snapshot.lose();
}

onDatabaseClose((opened) => endSnapshots(opened.path));

/** Runs `fn` with a snapshot of the database at `path`, closed afterwards. */
export async function withReadSnapshot<T>(path: string, fn: (snapshot: ReadSnapshot) => Promise<T>): Promise<T> {
  const snapshot = new ReadSnapshot(path);
  try {
    return await fn(snapshot);
  } finally {
    snapshot.close();
  }
}
