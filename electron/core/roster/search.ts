import type { Db } from '../db/connection.js';

/**
 * The search tables of the roster list (migration 0008: search_name_chars,
 * search_name_pending, search_certificates, search_phones) are derived from
 * persons and seats by triggers named search_*. Each trigger costs a row
 * write some tens of microseconds, which doubled the time of a
 * 140,000-row import. So a write that adds many rows at once runs without
 * them and rebuilds the tables from persons and seats in one pass at the end,
 * in the same transaction: nobody ever sees them out of step.
 */

/** Below this many new rows the triggers cost less than a rebuild. */
const REBUILD_MIN_ROWS = 500;

/**
 * Runs `fn` (inside the caller's transaction) and keeps the search tables
 * right: by the triggers as usual, or — when it adds at least half as many
 * seats or persons as there are — by a rebuild afterwards, without the
 * triggers and the big index while it runs.
 */
export function withSearchKept<T>(db: Db, adding: { persons: number; seats: number }, fn: () => T): T {
  if (!db.inTransaction) throw new Error('withSearchKept must run inside a transaction');
  const present = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  const worth = (n: number, table: string) => n >= REBUILD_MIN_ROWS && n * 2 >= present(table);
  if (!worth(adding.seats, 'seats') && !worth(adding.persons, 'persons')) return fn();

  const objects = db
    .prepare(
      `SELECT type, name, sql FROM sqlite_master
       WHERE (type = 'trigger' AND name LIKE 'search\\_%' ESCAPE '\\') OR (type = 'index' AND name = 'search_name_chars_find')`,
    )
    .all() as { type: 'trigger' | 'index'; name: string; sql: string }[];
  for (const o of objects) db.exec(`DROP ${o.type === 'trigger' ? 'TRIGGER' : 'INDEX'} ${JSON.stringify(o.name)}`);
  const restore = () => {
    rebuildSearch(db);
    // The index from sorted keys at once, faster than row by row.
    for (const o of objects) db.exec(o.sql);
  };
  let result: T;
  try {
    result = fn();
  } catch (err) {
    // The caller's transaction normally undoes all of this; should it commit instead, the triggers must be back.
    try {
      restore();
    } catch {
      // the first error is the one to report
    }
    throw err;
  }
  restore();
  return result;
}

/**
 * The search tables from persons and seats, as migration 0008 first filled them.
 *
 * The FTS5 tables take their rows in rowid order: FTS5 writes its pending
 * terms out as a new segment whenever a rowid is lower than the last one.
 * Without the ORDER BY, SQLite reads certificate numbers from
 * seats_certificate whenever that index is there (the handoff, the demo),
 * in number order: 1.2–2 s instead of 0.2–0.35 s at province scale, and an index
 * twice the size. (The roster import drops that index while it writes, so
 * it read them in rowid order already.)
 */
export function rebuildSearch(db: Db): void {
  db.exec(`
    DELETE FROM search_name_chars;
    DELETE FROM search_name_pending;
    INSERT INTO search_certificates (search_certificates) VALUES ('delete-all');
    INSERT INTO search_phones (search_phones) VALUES ('delete-all');

    INSERT OR IGNORE INTO search_name_chars (seat_rowid, ch, status, level, township, term, name)
    SELECT seat_rowid, ch, status, level, township, term, name FROM search_name_chars_due;
    INSERT INTO search_name_pending (seat_rowid, person_id)
    SELECT rowid, person_id FROM seats s WHERE deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM persons WHERE id = s.person_id);
    INSERT INTO search_certificates (rowid, certificate_no) SELECT rowid, certificate_no FROM seats WHERE certificate_no IS NOT NULL ORDER BY rowid;
    INSERT INTO search_phones (rowid, phone) SELECT rowid, phone FROM persons WHERE phone IS NOT NULL ORDER BY rowid;
  `);
}
