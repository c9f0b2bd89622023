import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { decodeBackup } from '../../electron/core/backup/format.js';
import { CoreContext } from '../../electron/core/context.js';
import { closeAllDatabases, openDatabase } from '../../electron/core/db/connection.js';
import { loadMigrations, migrate } from '../../electron/core/db/migrate.js';
import { AppError } from '../../shared/errors.js';
import { tempDir, townshipContext } from '../helpers/tmp.js';

describe('database and migrations', () => {
  it('opens a new file in WAL mode with foreign keys on, at the newest schema', () => {
    const file = path.join(tempDir(), 'a.sqlite');
    const { db, migration } = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(migration).toEqual({ from: 0, to: loadMigrations().length, backupFile: null });
    expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations().length);
  });

  it('keeps one connection per file', () => {
    const file = path.join(tempDir(), 'a.sqlite');
    expect(openDatabase(file).db).toBe(openDatabase(file).db);
  });

  it('refuses a database written by a newer app, naming both versions, and leaves it untouched', () => {
    const file = path.join(tempDir(), 'newer.sqlite');
    const raw = new Database(file);
    raw.pragma('user_version = 99');
    raw.close();
    const before = fs.readFileSync(file);
    let error: unknown;
    try {
      openDatabase(file);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('DB_NEWER');
    expect((error as AppError).message).toContain('99');
    expect((error as AppError).message).toContain(String(loadMigrations().length));
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('copies the database aside before migrating one that has data', () => {
    const dir = tempDir();
    const file = path.join(dir, 'old.sqlite');
    const migrations = loadMigrations();
    const db = new Database(file);
    // Bring it to version 1 and add data, then pretend a version 2 migration ships.
    migrate(db, file, migrations.slice(0, 1));
    db.prepare("INSERT INTO local_state (key, value) VALUES ('k', 'v')").run();
    const next = { version: 2, name: '0002_test.sql', sql: 'CREATE TABLE added_later (x TEXT);' };
    const outcome = migrate(db, file, [migrations[0]!, next]);
    db.close();
    expect(outcome.from).toBe(1);
    expect(outcome.backupFile).toBeTruthy();
    // A regular backup file (listed for restore with reason “migration”); its database is the old one.
    const { header, sqlite } = decodeBackup(outcome.backupFile!);
    expect(header.reason).toBe('migration');
    expect(header.schemaVersion).toBe(1);
    fs.writeFileSync(path.join(dir, 'copy.sqlite'), sqlite);
    const copy = new Database(path.join(dir, 'copy.sqlite'), { readonly: true });
    expect(copy.pragma('user_version', { simple: true })).toBe(1);
    expect(copy.prepare('SELECT value FROM local_state').pluck().get()).toBe('v');
    copy.close();
  });

  it('rolls a failing migration back whole', () => {
    const file = path.join(tempDir(), 'bad.sqlite');
    const db = new Database(file);
    const migrations = loadMigrations();
    migrate(db, file, migrations);
    const broken = { version: migrations.length + 1, name: 'x.sql', sql: 'CREATE TABLE t1 (x); CREATE TABLE t1 (y);' };
    expect(() => migrate(db, file, [...migrations, broken])).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 't1'").pluck().get()).toBe(0);
    db.close();
  });
});

describe('repository: every write is stamped, audited and logged for handoff', () => {
  it('insert stamps a UUID and timestamps and appends audit and change log rows', () => {
    const ctx = townshipContext({ operator: '李文书' });
    const id = ctx.repo.insert('liaison_stations', { name: '石桥代表联络站', township: '青山镇' });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const row = ctx.repo.get('liaison_stations', id)!;
    expect(row.origin_office).toBe('430281101');
    expect(row.created_at).toBe(row.updated_at);
    const audit = ctx.db.prepare("SELECT * FROM audit_log WHERE entity_id = ?").all(id) as Record<string, string>[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'create', operator: '李文书', entity: 'liaison_stations' });
    expect(JSON.parse(audit[0]!.after_json!).name).toBe('石桥代表联络站');
    const change = ctx.db.prepare('SELECT * FROM change_log WHERE entity_id = ?').get(id) as Record<string, unknown>;
    expect(change).toMatchObject({ origin_office: '430281101', seq: 1, op: 'insert', entity: 'liaison_stations' });
    expect(change.epoch).toBe(ctx.requireOffice().epoch);
  });

  it('update writes only changed fields, with before and after', () => {
    const ctx = townshipContext();
    const id = ctx.repo.insert('liaison_stations', { name: '甲站', township: '青山镇' });
    expect(ctx.repo.update('liaison_stations', id, { name: '甲站', township: '青山镇' })).toEqual([]);
    expect(ctx.repo.update('liaison_stations', id, { name: '乙站', township: '青山镇' })).toEqual(['name']);
    const audit = ctx.db.prepare("SELECT * FROM audit_log WHERE action = 'update'").all() as Record<string, string>[];
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.before_json!)).toEqual({ name: '甲站' });
    expect(JSON.parse(audit[0]!.after_json!)).toMatchObject({ name: '乙站' });
    const changes = ctx.db.prepare('SELECT op, fields_json FROM change_log ORDER BY seq').all() as { op: string; fields_json: string }[];
    expect(changes.map((c) => c.op)).toEqual(['insert', 'update']);
    expect(Object.keys(JSON.parse(changes[1]!.fields_json)).sort()).toEqual(['name', 'updated_at']);
  });

  it('deletes by tombstone: the row stays, marked, and the deletion is logged', () => {
    const ctx = townshipContext();
    const id = ctx.repo.insert('liaison_stations', { name: '甲站' });
    ctx.repo.tombstone('liaison_stations', id);
    const row = ctx.repo.get('liaison_stations', id)!;
    expect(row.deleted_at).toBeTruthy();
    expect(ctx.db.prepare("SELECT op FROM change_log WHERE seq = 2").pluck().get()).toBe('delete');
    expect(() => ctx.repo.tombstone('liaison_stations', id)).toThrow(/不存在或已被删除/);
  });

  it('keeps the sequence gap-free when a transaction rolls back, and clocks increasing', () => {
    const ctx = townshipContext();
    ctx.repo.insert('liaison_stations', { name: '一' });
    expect(() =>
      ctx.repo.transaction(() => {
        ctx.repo.insert('liaison_stations', { name: '二' });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    for (let i = 0; i < 50; i++) ctx.repo.insert('liaison_stations', { name: `站${i}` });
    const rows = ctx.db.prepare('SELECT seq, hlc FROM change_log ORDER BY seq').all() as { seq: number; hlc: string }[];
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.hlc > rows[i - 1]!.hlc).toBe(true);
    expect(ctx.db.prepare("SELECT count(*) FROM liaison_stations WHERE name = '二'").pluck().get()).toBe(0);
  });

  it('refuses to write before the office is set up', () => {
    const ctx = new CoreContext(path.join(tempDir(), 'x.sqlite'));
    expect(() => ctx.repo.insert('liaison_stations', { name: '甲' })).toThrow(/首次运行/);
  });

  it('keeps the audit log append-only', () => {
    const ctx = townshipContext();
    expect(() => ctx.db.prepare('UPDATE audit_log SET operator = ?').run('x')).toThrow(/append-only/);
    expect(() => ctx.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });

  it('persists across reopen', () => {
    const ctx = townshipContext();
    const id = ctx.repo.insert('liaison_stations', { name: '甲站' });
    closeAllDatabases();
    const again = new CoreContext(ctx.dbPath);
    expect(again.repo.get('liaison_stations', id)?.name).toBe('甲站');
    expect(again.requireOffice().officeName).toBe('青山镇');
  });
});
