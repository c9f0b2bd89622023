import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import { backupForMigration } from '../backup/store.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Next to this file in the source tree; next to the bundle in a build (electron/build.mjs copies them). */
function migrationsDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'migrations'), path.join(here, 'db', 'migrations')];
  const found = candidates.find((dir) => fs.existsSync(dir));
  if (!found) throw new Error(`migrations folder not found near ${here}`);
  return found;
}

export function loadMigrations(dir = migrationsDir()): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 4)), name: f, sql: fs.readFileSync(path.join(dir, f), 'utf8') }))
    .map((m, i) => {
      if (m.version !== i + 1) throw new Error(`migration ${m.name} is out of sequence (expected ${i + 1})`);
      return m;
    });
}

export function latestSchemaVersion(): number {
  return loadMigrations().length;
}

/** Read-only check, run before anything (even the WAL switch) writes to the file. */
export function assertNotNewer(db: Database, latest = latestSchemaVersion()): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > latest) {
    throw new AppError(
      'DB_NEWER',
      `此数据库由较新版本的程序写入（数据库版本 ${version}），本程序只支持到版本 ${latest}。请升级本程序后再打开，数据未作任何改动。`,
    );
  }
  return version;
}

export interface MigrationOutcome {
  from: number;
  to: number;
  backupFile: string | null;
}

/**
 * Brings the database to the newest schema. Refuses a database written by a
 * newer app; backs the file up (backups/*.ddbak) before touching a database that has data.
 */
export function migrate(db: Database, dbPath: string, migrations = loadMigrations()): MigrationOutcome {
  const from = assertNotNewer(db, migrations.length);
  const to = migrations.length;
  if (from === to) return { from, to, backupFile: null };

  let backupFile: string | null = null;
  if (from > 0 && dbPath !== ':memory:') {
    // A regular backup file (reason “migration”), so it shows in the restore list.
    backupFile = backupForMigration(db, dbPath, from, to).file;
  }
  for (const m of migrations.slice(from)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { from, to, backupFile };
}
