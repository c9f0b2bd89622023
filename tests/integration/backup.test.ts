import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupBefore, ensureDailyBackup, listBackups } from '../../electron/core/backup/index.js';
import { decodeBackup, encodeBackup, MAGIC, readHeader } from '../../electron/core/backup/format.js';
import { previewBackup, restoreBackup } from '../../electron/core/backup/restore.js';
import { CoreContext } from '../../electron/core/context.js';
import { closeAllDatabases } from '../../electron/core/db/connection.js';
import { latestSchemaVersion, loadMigrations, migrate } from '../../electron/core/db/migrate.js';
import { backupForMigration } from '../../electron/core/backup/store.js';
import { createDispatcher } from '../../electron/core/dispatcher.js';
import { setupOffice } from '../../electron/core/office/service.js';
import { AppError } from '../../shared/errors.js';
import { tempDir, townshipContext } from '../helpers/tmp.js';

function addStations(ctx: CoreContext, n: number, prefix = '站'): void {
  ctx.repo.transaction(() => {
    for (let i = 0; i < n; i++) ctx.repo.insert('liaison_stations', { name: `${prefix}${i}`, township: '青山镇' }, { audit: false });
  });
}

function stationCount(ctx: CoreContext): number {
  return ctx.db.prepare('SELECT count(*) FROM liaison_stations WHERE deleted_at IS NULL').pluck().get() as number;
}

function addDeputy(ctx: CoreContext, name: string): void {
  const personId = ctx.repo.insert('persons', { name, gender: '女', phone: '13812345678' });
  ctx.repo.insert('seats', { person_id: personId, level: 'township', term: '第十九届', township: '青山镇' });
}

async function rejects(p: unknown): Promise<AppError> {
  try {
    await (typeof p === 'function' ? (p as () => unknown)() : p);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected an AppError');
}

describe('backup files', () => {
  it('carry a clear header (app and schema version, office, time, reason, counts, checksum) and the whole database', () => {
    const ctx = townshipContext();
    addDeputy(ctx, '李春梅');
    addDeputy(ctx, '王建国');
    addStations(ctx, 3);
    const info = backupBefore(ctx, 'import', '代表名册导入：名册.xlsx');

    expect(path.dirname(info.file)).toBe(path.join(path.dirname(ctx.dbPath), 'backups'));
    expect(info).toMatchObject({
      reason: 'import',
      reasonLabel: '导入前',
      detail: '代表名册导入：名册.xlsx',
      schemaVersion: latestSchemaVersion(),
      officeCode: '430281101',
      officeName: '青山镇',
      encrypted: false,
      location: 'data',
      problem: null,
    });
    expect(info.counts).toMatchObject({ persons: 2, seats: 2, activities: 0, spending: 0 });

    const bytes = fs.readFileSync(info.file);
    expect(bytes.subarray(0, 8).equals(MAGIC)).toBe(true);
    const { header } = readHeader(info.file);
    expect(header.payload.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(header.appVersion).toBe('0.1.0');

    const { sqlite } = decodeBackup(info.file);
    const copyFile = path.join(tempDir(), 'copy.sqlite');
    fs.writeFileSync(copyFile, sqlite);
    const copy = new Database(copyFile, { readonly: true });
    expect(copy.prepare('SELECT name FROM persons ORDER BY name').pluck().all()).toEqual(['李春梅', '王建国']);
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
  });

  it('are listed newest first with their reason and counts', async () => {
    const ctx = townshipContext();
    const dispatch = createDispatcher(ctx);
    backupBefore(ctx, 'import');
    addStations(ctx, 2);
    backupBefore(ctx, 'batch-issue', '发放 2025年3月 补贴');
    const created = await dispatch('backup.create', {});
    expect(created.ok).toBe(true);
    const list = await dispatch('backup.list', {});
    expect(list.ok).toBe(true);
    const rows = (list as { data: { reason: string; counts: Record<string, number> }[] }).data;
    expect(rows.map((r) => r.reason)).toEqual(['manual', 'batch-issue', 'import']);
    expect(rows[2]!.counts.auditEntries).toBe(1); // the office setup
  });

  it('a damaged or truncated backup is caught by its checksum before anything is restored', async () => {
    const ctx = townshipContext();
    addStations(ctx, 50);
    const info = backupBefore(ctx, 'manual');
    const bytes = fs.readFileSync(info.file);

    const flipped = path.join(path.dirname(info.file), 'flipped.ddbak');
    const copy = Buffer.from(bytes);
    copy[copy.length - 100] = copy[copy.length - 100]! ^ 0xff;
    fs.writeFileSync(flipped, copy);
    expect((await rejects(() => previewBackup(ctx, flipped))).message).toMatch(/校验和不符/);

    const cut = path.join(path.dirname(info.file), 'cut.ddbak');
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    expect((await rejects(() => restoreBackup(ctx, cut))).message).toMatch(/不完整/);

    const notOurs = path.join(path.dirname(info.file), 'x.ddbak');
    fs.writeFileSync(notOurs, 'SQLite format 3\0 whatever');
    expect((await rejects(() => restoreBackup(ctx, notOurs))).message).toMatch(/不是本程序的备份文件/);
    const listed = listBackups(ctx).find((b) => b.fileName === 'x.ddbak');
    expect(listed?.problem).toMatch(/不是本程序的备份文件/);
    expect(stationCount(ctx)).toBe(50);
  });
});

describe('restore', () => {
  it('backs up the current state first, brings the old data back, changes the epoch and logs it', async () => {
    const ctx = townshipContext({ operator: '李文书' });
    const dispatch = createDispatcher(ctx);
    addStations(ctx, 10);
    const backup = backupBefore(ctx, 'import');
    addStations(ctx, 5, '后来的站');
    const epochBefore = ctx.requireOffice().epoch;

    const preview = await dispatch('backup.preview', { file: backup.file });
    expect(preview).toMatchObject({ ok: true, data: { verified: true, sameOffice: true, schemaStatus: 'current' } });

    const refused = await dispatch('backup.restore', { file: backup.file });
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    const result = await dispatch('backup.restore', { file: backup.file, confirm: true });
    expect(result.ok).toBe(true);
    const data = (result as { data: { safetyBackup: { file: string; reason: string }; epoch: string } }).data;
    expect(stationCount(ctx)).toBe(10);
    expect(data.epoch).not.toBe(epochBefore);
    expect(ctx.requireOffice().epoch).toBe(data.epoch);

    // The state before the restore was kept and holds the 15 stations.
    expect(data.safetyBackup.reason).toBe('restore');
    const safety = decodeBackup(data.safetyBackup.file);
    const f = path.join(tempDir(), 's.sqlite');
    fs.writeFileSync(f, safety.sqlite);
    const db = new Database(f, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM liaison_stations').pluck().get()).toBe(15);
    db.close();

    const entry = ctx.db.prepare("SELECT * FROM audit_log WHERE action = 'restore'").get() as Record<string, string | undefined>;
    expect(entry.operator).toBe('李文书');
    expect(entry.summary).toContain(backup.fileName);
    expect(JSON.parse(entry.after_json!).epoch).toBe(data.epoch);

    // New writes carry the new epoch; the database stays sound after reopening.
    const added = ctx.repo.insert('liaison_stations', { name: '恢复后新增' });
    expect(ctx.db.prepare('SELECT epoch FROM change_log WHERE entity_id = ?').pluck().get(added)).toBe(data.epoch);
    closeAllDatabases();
    const again = new CoreContext(ctx.dbPath);
    expect(again.requireOffice().epoch).toBe(data.epoch);
    expect(again.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('restores on another PC into a new database file', () => {
    const ctx = townshipContext();
    addDeputy(ctx, '陈秀兰');
    const backup = backupBefore(ctx, 'manual');
    const sourceEpoch = ctx.requireOffice().epoch;

    // “Another machine”: another folder, a fresh database with no office yet.
    const elsewhere = new CoreContext(path.join(tempDir('other-pc-'), 'deputy-desk.sqlite'));
    const carried = path.join(path.dirname(elsewhere.dbPath), 'carried.ddbak');
    fs.copyFileSync(backup.file, carried);
    const result = restoreBackup(elsewhere, carried);
    expect(result.safetyBackup).toBeNull(); // nothing to lose on an empty database
    expect(elsewhere.requireOffice().officeName).toBe('青山镇');
    expect(elsewhere.requireOffice().epoch).not.toBe(sourceEpoch);
    expect(elsewhere.db.prepare('SELECT name FROM persons').pluck().all()).toEqual(['陈秀兰']);
  });

  it('restores a backup made by an older version of the program, upgrading it on the way', () => {
    const dir = tempDir('old-version-');
    const oldFile = path.join(dir, 'old.sqlite');
    const raw = new Database(oldFile);
    migrate(raw, oldFile, loadMigrations().slice(0, 1)); // the schema of version 1
    raw.prepare("INSERT INTO office_identity VALUES (1, 'township', '430281101', '青山镇', 'old-epoch', '2020-01-01T00:00:00.000Z')").run();
    raw
      .prepare("INSERT INTO liaison_stations (id, name, origin_office, created_at, updated_at) VALUES ('s1', '老联络站', '430281101', '2020', '2020')")
      .run();
    const old = backupForMigration(raw, oldFile, 1, latestSchemaVersion());
    raw.close();
    expect(old.schemaVersion).toBe(1);

    const ctx = townshipContext();
    expect(previewBackup(ctx, old.file).schemaStatus).toBe('older');
    restoreBackup(ctx, old.file);
    expect(ctx.db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion());
    expect(ctx.db.prepare('SELECT name FROM liaison_stations').pluck().all()).toEqual(['老联络站']);
    expect(ctx.requireOffice().epoch).not.toBe('old-epoch');
    // The upgrade itself was backed up first, as every migration is.
    expect(listBackups(ctx).filter((b) => b.reason === 'migration')).toHaveLength(1);
  });

  it("refuses another office's backup and a backup from a newer program, changing nothing", async () => {
    const ours = townshipContext();
    addStations(ours, 3);
    const other = new CoreContext(path.join(tempDir(), 'other.sqlite'));
    setupOffice(other, { officeType: 'township', officeCode: '430281102', officeName: '石桥镇' });
    const theirs = backupBefore(other, 'manual');
    const err = await rejects(() => restoreBackup(ours, theirs.file));
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain('石桥镇');

    // A backup claiming a newer schema (as a newer program would write).
    const own = backupBefore(ours, 'manual');
    const { header, sqlite } = decodeBackup(own.file);
    const bumped = Buffer.from(sqlite);
    bumped.writeUInt32BE(99, 60); // user_version lives at offset 60 of the SQLite header
    const newer = path.join(path.dirname(own.file), 'newer.ddbak');
    const { format: _f, app: _a, payload: _p, ...fields } = header;
    fs.writeFileSync(newer, Buffer.concat(encodeBackup({ ...fields, schemaVersion: 99 }, (await import('node:zlib')).gzipSync(bumped), bumped.length, null)));
    expect((await rejects(() => restoreBackup(ours, newer))).code).toBe('DB_NEWER');
    expect(stationCount(ours)).toBe(3);
  });
});

describe('encryption outside the data folder', () => {
  it('the second folder gets an encrypted copy that only the office passphrase opens, on any PC', async () => {
    const ctx = townshipContext();
    const dispatch = createDispatcher(ctx);
    addDeputy(ctx, '赵德胜');
    const usb = tempDir('usb-');

    const noKey = await dispatch('backup.settings', { mirrorDir: usb });
    expect(noKey).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect((await dispatch('backup.setPassphrase', { newPassphrase: '青山镇2025备份' })).ok).toBe(true);
    const inside = await dispatch('backup.settings', { mirrorDir: path.join(path.dirname(ctx.dbPath), 'backups') });
    expect(inside).toMatchObject({ ok: false, error: { message: expect.stringContaining('不能在数据目录之内') } });
    expect((await dispatch('backup.settings', { mirrorDir: usb })).ok).toBe(true);

    const outcome = ensureDailyBackup(ctx);
    expect(outcome).toMatchObject({ ok: true });
    const onUsb = fs.readdirSync(usb).filter((n) => n.endsWith('.ddbak'));
    expect(onUsb).toHaveLength(1);
    const file = path.join(usb, onUsb[0]!);
    const bytes = fs.readFileSync(file);
    // Names, phones and the SQLite signature are nowhere in clear.
    expect(bytes.includes(Buffer.from('赵德胜'))).toBe(false);
    expect(bytes.includes(Buffer.from('13812345678'))).toBe(false);
    expect(readHeader(file).header.payload.encryption).not.toBeNull();
    expect(readHeader(file).header.office?.name).toBe('青山镇');

    // A new PC: no database, only the stick and the passphrase.
    const newPc = new CoreContext(path.join(tempDir('new-pc-'), 'deputy-desk.sqlite'));
    expect((await rejects(() => restoreBackup(newPc, file))).code).toBe('UNAUTHORIZED');
    expect((await rejects(() => restoreBackup(newPc, file, '错误的口令123'))).message).toMatch(/口令不正确/);
    restoreBackup(newPc, file, '青山镇2025备份');
    expect(newPc.db.prepare('SELECT name FROM persons').pluck().all()).toEqual(['赵德胜']);
  });

  it('changing the passphrase needs the current one', async () => {
    const ctx = townshipContext();
    const dispatch = createDispatcher(ctx);
    await dispatch('backup.setPassphrase', { newPassphrase: 'first-pass-1' });
    expect(await dispatch('backup.setPassphrase', { newPassphrase: 'second-pass-2' })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(await dispatch('backup.setPassphrase', { newPassphrase: 'second-pass-2', currentPassphrase: 'wrong-pass' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED' },
    });
    expect((await dispatch('backup.setPassphrase', { newPassphrase: 'second-pass-2', currentPassphrase: 'first-pass-1' })).ok).toBe(true);
    // The passphrase itself is stored nowhere.
    const stored = ctx.db.prepare('SELECT group_concat(value) FROM local_state').pluck().get() as string;
    expect(stored).not.toContain('second-pass-2');
    expect(stored).not.toContain('first-pass-1');
  });
});

describe('daily backup', () => {
  it('once a day when the app starts, not before the office exists', () => {
    const fresh = new CoreContext(path.join(tempDir(), 'new.sqlite'));
    expect(ensureDailyBackup(fresh)).toBeNull();

    const ctx = townshipContext();
    const monday = new Date(2025, 2, 3, 9);
    expect(ensureDailyBackup(ctx, monday)?.ok).toBe(true);
    ensureDailyBackup(ctx, new Date(2025, 2, 3, 17));
    const daily = () => listBackups(ctx).filter((b) => b.reason === 'daily');
    // The backup's own time is now; the day it counts for is the `now` given. One per day.
    expect(fs.readdirSync(path.join(path.dirname(ctx.dbPath), 'backups'))).toHaveLength(1);
    expect(daily()).toHaveLength(1);
  });
});

describe('copied databases get a new handoff epoch', () => {
  it('a copy in another folder or an old file copied back changes the epoch; reopening the same file does not', () => {
    const ctx = townshipContext();
    const original = ctx.requireOffice().epoch;
    closeAllDatabases();
    expect(new CoreContext(ctx.dbPath).requireOffice().epoch).toBe(original);
    closeAllDatabases();

    const copyPath = path.join(tempDir('copy-'), 'test.sqlite');
    fs.copyFileSync(ctx.dbPath, copyPath);
    const copy = new CoreContext(copyPath);
    expect(copy.requireOffice().epoch).not.toBe(original);
    expect(copy.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'epoch'").pluck().get()).toBe(1);
    closeAllDatabases();

    // The office works on; then yesterday's copy is put back over the file in place (same path, same inode).
    const yesterday = path.join(tempDir('saved-'), 'yesterday.sqlite');
    fs.copyFileSync(ctx.dbPath, yesterday);
    const working = new CoreContext(ctx.dbPath);
    working.repo.insert('liaison_stations', { name: '今天新增' });
    closeAllDatabases();
    const inode = fs.statSync(ctx.dbPath).ino;
    fs.writeFileSync(ctx.dbPath, fs.readFileSync(yesterday));
    expect(fs.statSync(ctx.dbPath).ino).toBe(inode);
    const putBack = new CoreContext(ctx.dbPath);
    expect(putBack.requireOffice().epoch).not.toBe(original);
    expect(putBack.db.prepare("SELECT summary FROM audit_log WHERE action = 'epoch'").pluck().get()).toMatch(/较早的副本/);
    closeAllDatabases();
    // …once: the next open finds everything in order.
    const epoch = new CoreContext(ctx.dbPath).requireOffice().epoch;
    closeAllDatabases();
    expect(new CoreContext(ctx.dbPath).requireOffice().epoch).toBe(epoch);
  });
});

describe('deputy-desk backup (CLI)', () => {
  it('create, list and restore on another machine, as JSON; encrypted when it leaves the data folder', async () => {
    const { runCli } = await import('../helpers/cli.js');
    const pcA = tempDir('pc-a-');
    const db = path.join(pcA, 'deputy-desk.sqlite');
    const ctx = new CoreContext(db);
    setupOffice(ctx, { officeType: 'township', officeCode: '430281101', officeName: '青山镇' });
    addDeputy(ctx, '李春梅');
    ctx.repo.insert('persons', { name: '王建国' });
    closeAllDatabases();

    const created = runCli(['backup', 'create', '--db', db, '--json']);
    expect(created.status).toBe(0);
    const info = created.json<{ file: string; reason: string; counts: Record<string, number>; encrypted: boolean }>();
    expect(info).toMatchObject({ reason: 'manual', encrypted: false, counts: { persons: 2, seats: 1 } });

    const usb = tempDir('usb-');
    const env = { DEPUTY_DESK_PASSPHRASE: '青山镇口令2025' };
    const toUsb = runCli(['backup', 'create', '--db', db, '--to', usb, '--json'], { env });
    expect(toUsb.status).toBe(0);
    const sealed = toUsb.json<{ file: string; encrypted: boolean; location: string }>();
    expect(sealed).toMatchObject({ encrypted: true, location: 'other' });

    const listed = runCli(['backup', 'list', '--db', db, '--json']);
    expect(listed.json<{ file: string }[]>().map((b) => b.file)).toEqual([info.file]);
    expect(runCli(['backup', 'list', '--db', db, '--dir', usb, '--json']).json<{ file: string }[]>().map((b) => b.file)).toEqual([sealed.file]);

    // Machine B: only the USB stick and the passphrase.
    const pcB = tempDir('pc-b-');
    const dbB = path.join(pcB, 'deputy-desk.sqlite');
    const refused = runCli(['backup', 'restore', sealed.file, '--db', dbB, '--json']);
    expect(refused.status).toBe(1);
    expect(refused.json<{ error: { code: string } }>().error.code).toBe('UNAUTHORIZED');
    const restored = runCli(['backup', 'restore', sealed.file, '--db', dbB, '--json'], { env });
    expect(restored.status).toBe(0);
    expect(restored.json<{ restored: { officeName: string }; epoch: string }>().restored.officeName).toBe('青山镇');
    const check = runCli(['check', '--db', dbB, '--json']).json<{ ok: boolean; counts: Record<string, number>; office: { epoch: string } }>();
    expect(check).toMatchObject({ ok: true, counts: { persons: 2, seats: 1 } });
    expect(check.office.epoch).toBe(restored.json<{ epoch: string }>().epoch);
  }, 240_000);
});
