import { describe, expect, it } from 'vitest';
import { closeDatabase } from '../../electron/core/db/connection.js';
import { ReadSnapshot, withReadSnapshot } from '../../electron/core/db/snapshot.js';
import { AppError } from '../../shared/errors.js';
import { townshipContext } from '../helpers/tmp.js';

/** A township database with `n` rows in local_state (k0001…), for a cursor to walk. */
function contextWithRows(n: number) {
  const ctx = townshipContext();
  const put = ctx.db.prepare('INSERT INTO local_state (key, value) VALUES (?, ?)');
  ctx.db.transaction(() => {
    for (let i = 1; i <= n; i++) put.run(`k${String(i).padStart(4, '0')}`, 'old');
  })();
  return ctx;
}

const KEYS = "SELECT key, value FROM local_state WHERE key LIKE 'k%' ORDER BY key";

describe('read snapshots (long exports)', () => {
  it('keeps a cursor open across awaits while the shared connection writes, and reads one consistent state', async () => {
    const ctx = contextWithRows(50);
    const seen = await withReadSnapshot(ctx.dbPath, async (snapshot) => {
      const rows: [string, string][] = [];
      for (const row of snapshot.iterate<[string, string]>(snapshot.db.prepare(KEYS).raw(), [])) {
        rows.push(row);
        if (rows.length === 10) {
          await new Promise((resolve) => setImmediate(resolve));
          // A write elsewhere succeeds while the cursor is open (a shared-connection cursor would make it throw "busy").
          ctx.db.prepare("UPDATE local_state SET value = 'new' WHERE key LIKE 'k%'").run();
          ctx.db.prepare("INSERT INTO local_state (key, value) VALUES ('k9999', 'new')").run();
        }
      }
      return rows;
    });
    expect(seen).toHaveLength(50);
    expect(seen.every(([, value]) => value === 'old')).toBe(true);
    expect(ctx.db.prepare("SELECT count(*) FROM local_state WHERE value = 'new'").pluck().get()).toBe(51);
  });

  it('ends when the shared connection closes (a restore), so the file is free and the export fails loudly', async () => {
    const ctx = contextWithRows(20);
    const snapshot = new ReadSnapshot(ctx.dbPath);
    const rows = snapshot.iterate(snapshot.db.prepare(KEYS).raw(), []);
    expect(rows.next().done).toBe(false);
    closeDatabase(ctx.dbPath);
    expect(snapshot.db.open).toBe(false);
    expect(() => rows.next()).toThrow(AppError);
    snapshot.close(); // harmless twice
  });

  it('does not hold up a reopen (its checkpoint would wait busy_timeout for the reader)', async () => {
    const ctx = contextWithRows(20);
    const snapshot = new ReadSnapshot(ctx.dbPath);
    const rows = snapshot.iterate(snapshot.db.prepare(KEYS).raw(), []);
    rows.next();
    ctx.db.prepare("UPDATE local_state SET value = 'new' WHERE key = 'k0001'").run();
    const started = performance.now();
    ctx.reopen();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(() => rows.next()).toThrow(AppError);
    expect(ctx.db.prepare("SELECT value FROM local_state WHERE key = 'k0001'").pluck().get()).toBe('new');
  });
});
