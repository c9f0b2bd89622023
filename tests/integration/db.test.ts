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

  it('insertMany writes the same rows, change-log and audit entries as insert one by one', () => {
    const rows = [
      { name: '甲站', township: '青山镇' },
      { name: '乙站', township: null, address: '石桥村"一组"\\' },
      { name: '丙站', note: undefined },
    ];
    const one = townshipContext({ operator: '李文书' });
    const many = townshipContext({ operator: '李文书' });
    one.repo.insert('liaison_stations', { name: '先有的' });
    many.repo.insert('liaison_stations', { name: '先有的' });
    const idsOne = rows.map((r) => one.repo.insert('liaison_stations', r));
    const idsMany = many.repo.insertMany('liaison_stations', rows);
    expect(idsMany).toHaveLength(3);
    expect(new Set(idsMany).size).toBe(3);
    for (const id of idsMany) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const stamp = /\d{4}-\d\d-\d\dT[\d:.]+Z/g;
    const table = (ctx: CoreContext, ids: string[]) =>
      ids.map((id) => {
        const { id: _id, created_at, updated_at, ...rest } = ctx.repo.get('liaison_stations', id)!;
        expect(created_at).toBe(updated_at);
        return rest;
      });
    expect(table(many, idsMany)).toEqual(table(one, idsOne));

    const log = (ctx: CoreContext, ids: string[]) =>
      (ctx.db.prepare('SELECT * FROM change_log ORDER BY seq').all() as Record<string, string | number>[]).map((c) => ({
        ...c,
        entity_id: ids.indexOf(c.entity_id as string),
        fields_json: (c.fields_json as string).replace(stamp, 'T'),
        at: 'T',
        hlc: 'H',
        epoch: 'E',
      }));
    expect(log(many, idsMany)).toEqual(log(one, idsOne));
    const hlcs = many.db.prepare('SELECT hlc FROM change_log ORDER BY seq').pluck().all() as string[];
    expect([...hlcs].sort()).toEqual(hlcs);
    expect(new Set(hlcs).size).toBe(hlcs.length);

    const audit = (ctx: CoreContext, ids: string[]) =>
      (ctx.db.prepare("SELECT * FROM audit_log WHERE action = 'create' ORDER BY id").all() as Record<string, string>[]).map((a) => ({
        ...a,
        id: 0,
        at: 'T',
        entity_id: ids.indexOf(a.entity_id!),
        after_json: a.after_json!.replace(stamp, 'T').replace(/"id":"[^"]+"/, '"id":"X"'),
      }));
    expect(audit(many, idsMany)).toEqual(audit(one, idsOne));
    // A bulk write without per-row audit still logs every row for handoff.
    expect(many.repo.insertMany('liaison_stations', [{ name: '丁站' }], { audit: false })).toHaveLength(1);
    expect(many.db.prepare('SELECT count(*) FROM change_log').pluck().get()).toBe(5);
    expect(many.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'create'").pluck().get()).toBe(4);
    expect(() => many.repo.insertMany('liaison_stations', [{ name: '戊站', origin_office: 'x' }])).toThrow(/not a writable column/);
  });

  it('insertMany without audit logs exactly the JSON insert() logs, whichever way each entry is made', () => {
    // Plain text and whole numbers: logged by SQLite from the row written; the rest from JavaScript.
    const rows = [
      { name: '王\n芳', has_fixed_income: 1, phone: '13800000000', work_unit: '青山镇"红星"村\\委\t会\u0001\u2028😀' },
      { name: '李四', has_fixed_income: true },
      { name: 'x\ud800y' },
      { name: '张三', note: undefined, gender: '男' },
      { name: '赵六', bank_account: 6217000012 },
      { name: '孙七', native_place: null, has_fixed_income: 0 },
      { name: '周八', note: 1.5 },
    ];
    const one = townshipContext();
    const many = townshipContext();
    const idsOne = one.repo.transaction(() => rows.map((r) => one.repo.insert('persons', r, { audit: false })));
    const idsMany = many.repo.bulk(() => many.repo.insertMany('persons', rows, { audit: false }));
    const stamp = /\d{4}-\d\d-\d\dT[\d:.]+Z/g;
    const log = (ctx: CoreContext, ids: string[]) =>
      (ctx.db.prepare('SELECT seq, entity, entity_id, op, fields_json FROM change_log ORDER BY seq').all() as Record<string, string>[]).map(
        (c) => ({ ...c, entity_id: ids.indexOf(c.entity_id!), fields_json: c.fields_json!.replace(stamp, 'T') }),
      );
    const logged = log(many, idsMany);
    expect(logged).toEqual(log(one, idsOne));
    expect(logged.map((c) => c.entity_id)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(JSON.parse(logged[0]!.fields_json!)).toMatchObject({ name: '王\n芳', has_fixed_income: 1 });
    const audits = "SELECT count(*) FROM audit_log WHERE entity = 'persons'";
    expect(many.db.prepare(audits).pluck().get()).toBe(0);
    expect(one.db.prepare(audits).pluck().get()).toBe(0);
  });

  it('insertMany writes runs of rows with the same columns several per statement, in row order', () => {
    // Runs longer and shorter than a statement's worth, columns changing between them.
    const rows = Array.from({ length: 47 }, (_, i) =>
      i < 23 || i >= 30 ? { name: `张${i}`, phone: i % 3 ? `1380000${String(i).padStart(4, '0')}` : null } : { name: `李${i}`, gender: '女' },
    );
    const one = townshipContext();
    const many = townshipContext();
    const idsOne = one.repo.transaction(() => rows.map((r) => one.repo.insert('persons', r, { audit: false })));
    const idsMany = many.repo.bulk(() => many.repo.insertMany('persons', rows, { audit: false }));
    const stamp = /\d{4}-\d\d-\d\dT[\d:.]+Z/g;
    const written = (ctx: CoreContext, ids: string[]) =>
      (ctx.db.prepare('SELECT id, name, gender, phone FROM persons ORDER BY rowid').all() as Record<string, string>[]).map((r) => ({
        ...r,
        id: ids.indexOf(r.id!),
      }));
    expect(written(many, idsMany)).toEqual(written(one, idsOne));
    expect(written(many, idsMany).map((r) => r.id)).toEqual(rows.map((_, i) => i));
    const log = (ctx: CoreContext, ids: string[]) =>
      (ctx.db.prepare('SELECT seq, entity_id, fields_json FROM change_log ORDER BY seq').all() as Record<string, string>[]).map((c) => ({
        ...c,
        entity_id: ids.indexOf(c.entity_id!),
        fields_json: c.fields_json!.replace(stamp, 'T'),
      }));
    expect(log(many, idsMany)).toEqual(log(one, idsOne));
    expect(log(many, idsMany).map((c) => c.entity_id)).toEqual(rows.map((_, i) => i));
  });

  it('bulk() rebuilds the indexes of a table that doubles, inside its transaction', () => {
    const ctx = townshipContext();
    const indexes = () =>
      ctx.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('persons', 'change_log') ORDER BY name").all();
    const before = indexes();
    const schemaVersion = () => ctx.db.pragma('schema_version', { simple: true }) as number;
    const version = schemaVersion();
    expect(before.map((i) => (i as { name: string }).name)).toContain('persons_name');
    const people = Array.from({ length: 6000 }, (_, i) => ({ name: `张${i}`, id_number: i % 2 ? null : `4302811990${String(i).padStart(8, '0')}` }));

    // A failure part way: nothing written, every index still there.
    expect(() =>
      ctx.repo.bulk(
        () => {
          ctx.repo.insertMany('persons', people, { audit: false });
          throw new Error('boom');
        },
        { rebuildIndexes: { persons: people.length, change_log: people.length } },
      ),
    ).toThrow('boom');
    expect(indexes()).toEqual(before);
    expect(schemaVersion()).toBe(version);
    expect(ctx.db.prepare('SELECT count(*) FROM persons').pluck().get()).toBe(0);

    ctx.repo.bulk(() => ctx.repo.insertMany('persons', people, { audit: false }), {
      rebuildIndexes: { persons: people.length, change_log: people.length },
    });
    expect(indexes()).toEqual(before);
    expect(schemaVersion()).toBeGreaterThan(version); // dropped and created again
    expect(ctx.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(ctx.db.prepare('SELECT count(*) FROM persons INDEXED BY persons_name WHERE name = ?').pluck().get('张77')).toBe(1);
    const seqs = ctx.db.prepare('SELECT seq FROM change_log ORDER BY seq').pluck().all();
    expect(seqs).toEqual(Array.from({ length: 6000 }, (_, i) => i + 1));
    // The rows went in under the ids returned, in order.
    const names = ctx.db.prepare("SELECT p.name FROM change_log c JOIN persons p ON p.id = c.entity_id ORDER BY c.seq LIMIT 3").pluck().all();
    expect(names).toEqual(['张0', '张1', '张2']);
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

  it('stays open on the old file when a restore cannot swap the file in', () => {
    const ctx = townshipContext();
    const id = ctx.repo.insert('liaison_stations', { name: '甲站' });
    // As when Windows refuses the rename because another program holds the file.
    expect(() => ctx.reopen(() => { throw new AppError('READ_ONLY', '数据库文件被占用'); })).toThrow('数据库文件被占用');
    expect(ctx.db.open).toBe(true);
    expect(ctx.repo.get('liaison_stations', id)?.name).toBe('甲站');
    ctx.repo.insert('liaison_stations', { name: '乙站' });
    expect(ctx.db.prepare('SELECT count(*) FROM liaison_stations').pluck().get()).toBe(2);
  });
});
