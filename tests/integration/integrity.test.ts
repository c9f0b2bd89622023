import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupBefore } from '../../electron/core/backup/index.js';
import { CoreContext } from '../../electron/core/context.js';
import { closeAllDatabases } from '../../electron/core/db/connection.js';
import { createDispatcher } from '../../electron/core/dispatcher.js';
import { setupOffice } from '../../electron/core/office/service.js';
import type { BackupStatus, CheckReport, RestoreResult } from '../../shared/contract/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const PAGE = 4096;

/** A real database with enough rows to span a few hundred pages, closed (WAL checkpointed into the file). */
function filledDatabase(dir: string, stations = 2000): string {
  const file = path.join(dir, 'office.sqlite');
  const ctx = new CoreContext(file, { operator: '测试员' });
  setupOffice(ctx, { officeType: 'township', officeCode: '430281101', officeName: '青山镇' });
  ctx.repo.transaction(() => {
    for (let i = 0; i < stations; i++) {
      ctx.repo.insert('liaison_stations', { name: `联络站${i}`, address: '青山镇人民路'.repeat(8) }, { audit: false });
    }
  });
  closeAllDatabases();
  return file;
}

/** Overwrites whole pages in the middle of the file, as a failing disk or a bad copy would. */
function damagePages(file: string, pages: number[]): void {
  const fd = fs.openSync(file, 'r+');
  for (const p of pages) fs.writeSync(fd, Buffer.alloc(PAGE, 0x5a), 0, PAGE, p * PAGE);
  fs.closeSync(fd);
}

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('a damaged database', () => {
  it('opens read-only with a clear message, offers the newest good backup, and a restore brings the data back', async () => {
    const dir = tempDir();
    const file = filledDatabase(dir);
    const before = new CoreContext(file);
    const good = backupBefore(before, 'manual');
    closeAllDatabases();
    const pages = fs.statSync(file).size / PAGE;
    damagePages(file, [Math.floor(pages / 2), Math.floor(pages / 2) + 1, Math.floor(pages / 3)]);

    const ctx = new CoreContext(file);
    expect(ctx.damage).toMatchObject({ readable: true });
    expect(ctx.damage!.message).toMatch(/已损坏.*只读/);
    expect(ctx.db.readonly).toBe(true);
    const dispatch = createDispatcher(ctx);

    // Reading still works; writing answers in words that lead to the restore.
    expect((await dispatch('office.get', {})).ok).toBe(true);
    const write = await dispatch('roster.create', { person: { name: '张三' }, seat: { level: 'township', term: '第十九届' } });
    expect(write).toMatchObject({ ok: false, error: { code: 'DB_CORRUPT' } });
    expect(!write.ok && write.error.message).toMatch(/只读方式打开.*恢复最近的完好备份/);

    const status = (await dispatch('backup.status', {})) as { ok: true; data: BackupStatus };
    expect(status.data.damage?.readable).toBe(true);
    expect(status.data.newestGood?.file).toBe(good.file);

    const check = (await dispatch('backup.check', {})) as { ok: true; data: CheckReport };
    expect(check.data.ok).toBe(false);

    const restored = (await dispatch('backup.restore', { file: good.file, confirm: true })) as { ok: true; data: RestoreResult };
    expect(restored.ok).toBe(true);
    expect(restored.data.safetyBackup).toBeNull();
    expect(fs.existsSync(restored.data.damagedCopy!)).toBe(true); // kept whole for a specialist
    expect(ctx.damage).toBeNull();
    expect(ctx.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(ctx.db.prepare('SELECT count(*) FROM liaison_stations').pluck().get()).toBe(2000);
    expect((await dispatch('roster.create', { person: { name: '张三' }, seat: { level: 'township', term: '第十九届' } })).ok).toBe(true);

    closeAllDatabases();
    expect(new CoreContext(file).damage).toBeNull();
  });

  it('that cannot be read at all still lets the office restore a backup, and nothing else', async () => {
    const dir = tempDir();
    const file = filledDatabase(dir, 200);
    const good = backupBefore(new CoreContext(file), 'daily');
    closeAllDatabases();
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(100, 0), 0, 100, 0); // the SQLite header is gone
    fs.closeSync(fd);

    const ctx = new CoreContext(file);
    expect(ctx.damage).toMatchObject({ readable: false });
    const dispatch = createDispatcher(ctx);
    expect(await dispatch('roster.list', {})).toMatchObject({ ok: false, error: { code: 'DB_CORRUPT' } });
    expect(await dispatch('office.get', {})).toEqual({ ok: true, data: null });
    const status = (await dispatch('backup.status', {})) as { ok: true; data: BackupStatus };
    expect(status.data.damage?.readable).toBe(false);
    expect(status.data.newestGood?.fileName).toBe(good.fileName);

    expect((await dispatch('backup.restore', { file: good.file, confirm: true })).ok).toBe(true);
    expect(ctx.requireOffice().officeName).toBe('青山镇');
    expect((await dispatch('roster.list', {})).ok).toBe(true);
  });
});

describe('deputy-desk check', () => {
  it('reports integrity, foreign keys, schema version and counts without touching the file', () => {
    const dir = tempDir();
    const file = filledDatabase(dir, 30);
    const hash = sha(file);
    const sound = runCli(['check', '--db', file, '--json']);
    expect(sound.status).toBe(0);
    const report = sound.json<CheckReport>();
    expect(report).toMatchObject({ ok: true, integrity: ['ok'], foreignKeyProblems: [], schemaStatus: 'current', problems: [] });
    expect(report.schemaVersion).toBe(report.appSchemaVersion);
    expect(report.office).toMatchObject({ code: '430281101', name: '青山镇' });
    expect(report.counts).toMatchObject({ persons: 0, seats: 0, auditEntries: 1 });
    expect(sha(file)).toBe(hash);
    expect(fs.existsSync(path.join(dir, 'backups'))).toBe(false);

    damagePages(file, [5, 6]);
    const broken = runCli(['check', '--db', file, '--json']);
    expect(broken.status).toBe(1);
    expect(broken.json<CheckReport>()).toMatchObject({ ok: false });
    expect(broken.json<CheckReport>().problems[0]).toMatch(/完整性检查未通过|无法读取/);

    const missing = runCli(['check', '--db', path.join(dir, 'none.sqlite'), '--json']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('数据库文件不存在');
  }, 120_000);
});

/** A small RAM disk: as root in a container that may mount (CI here); elsewhere the fallback below runs instead. */
function mountTmpfs(dir: string, size: string): boolean {
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status === 0;
}
const canMount = (() => {
  if (process.getuid?.() !== 0) return false;
  const probe = fs.mkdtempSync('/tmp/dd-mount-probe-');
  const ok = mountTmpfs(probe, '1m');
  if (ok) spawnSync('umount', [probe]);
  fs.rmSync(probe, { recursive: true, force: true });
  return ok;
})();

describe.skipIf(!canMount)('a full or read-only disk', () => {
  it('a full disk: a clear message, the transaction and the backup leave nothing half-written', async () => {
    const dir = fs.mkdtempSync('/tmp/dd-full-');
    expect(mountTmpfs(dir, '3m')).toBe(true);
    try {
      const file = path.join(dir, 'office.sqlite');
      const ctx = new CoreContext(file);
      setupOffice(ctx, { officeType: 'township', officeCode: '430281101', officeName: '青山镇' });
      ctx.repo.insert('liaison_stations', { name: '石桥代表联络站' });
      const free = () => {
        const st = fs.statfsSync(dir);
        return st.bavail * st.bsize;
      };
      fs.writeFileSync(path.join(dir, 'filler'), Buffer.alloc(free() - 150_000));
      const dispatch = createDispatcher(ctx);

      // A multi-row write that does not fit: refused whole.
      const many = () =>
        ctx.repo.transaction(() => {
          for (let i = 0; i < 3000; i++) {
            ctx.repo.insert('liaison_stations', { name: `站${i}`, address: '很长的地址'.repeat(30) }, { audit: false });
          }
        });
      expect(many).toThrow(/full/);
      expect(ctx.db.prepare('SELECT count(*) FROM liaison_stations').pluck().get()).toBe(1);

      // Through a door the message is Chinese and says what to do.
      const backup = await dispatch('backup.create', {});
      expect(backup).toMatchObject({ ok: false, error: { code: 'DISK_FULL' } });
      expect(!backup.ok && backup.error.message).toMatch(/磁盘空间已满.*清理磁盘/);
      expect(fs.readdirSync(path.join(dir, 'backups'))).toEqual([]); // no partial file left

      fs.rmSync(path.join(dir, 'filler'));
      closeAllDatabases();
      const again = new CoreContext(file);
      expect(again.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(again.db.prepare('SELECT name FROM liaison_stations').pluck().all()).toEqual(['石桥代表联络站']);
    } finally {
      closeAllDatabases();
      spawnSync('umount', [dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a read-only disk: a clear message and the file untouched', { timeout: 120_000 }, () => {
    const dir = fs.mkdtempSync('/tmp/dd-ro-');
    expect(mountTmpfs(dir, '4m')).toBe(true);
    try {
      const file = path.join(dir, 'office.sqlite');
      const ctx = new CoreContext(file);
      setupOffice(ctx, { officeType: 'township', officeCode: '430281101', officeName: '青山镇' });
      closeAllDatabases();
      const hash = sha(file);
      expect(spawnSync('mount', ['-o', 'remount,ro', dir]).status).toBe(0);
      const opened = runCli(['call', 'office.get', '--db', file]);
      expect(opened.status).toBe(1);
      expect(opened.stderr).toMatch(/只读.*写保护/);
      expect(sha(file)).toBe(hash);
    } finally {
      closeAllDatabases();
      spawnSync('umount', [dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * A full database without a RAM disk: SQLite's page limit raises the same
 * SQLITE_FULL a full disk does, so this runs on every machine, including
 * those where the tmpfs tests above cannot mount and are skipped.
 */
describe('a full database (SQLite page limit)', () => {
  it('a write that does not fit is refused whole with a clear Chinese message', async () => {
    const dir = tempDir('dd-pagelimit-');
    const file = path.join(dir, 'office.sqlite');
    const ctx = new CoreContext(file);
    setupOffice(ctx, { officeType: 'township', officeCode: '430281101', officeName: '青山镇' });
    ctx.repo.insert('liaison_stations', { name: '石桥代表联络站' });
    const pages = ctx.db.pragma('page_count', { simple: true }) as number;
    ctx.db.pragma(`max_page_count = ${pages + 8}`);
    const many = () =>
      ctx.repo.transaction(() => {
        for (let i = 0; i < 3000; i++) ctx.repo.insert('liaison_stations', { name: `站${i}`, address: '很长的地址'.repeat(30) }, { audit: false });
      });
    expect(many).toThrow(/full/);
    const dispatch = createDispatcher(ctx);
    // Through a door: stations are added until the file is full; the first refusal is the clear message.
    ctx.db.pragma(`max_page_count = ${ctx.db.pragma('page_count', { simple: true }) as number}`);
    let added = 0;
    let refused: Awaited<ReturnType<typeof dispatch>> | null = null;
    while (!refused && added < 500) {
      const r = await dispatch('stations.create', { name: `新站${added}`, address: '青山镇人民路'.repeat(10) });
      if (r.ok) added++;
      else refused = r;
    }
    expect(refused).toMatchObject({ ok: false, error: { code: 'DISK_FULL' } });
    expect(refused && !refused.ok && refused.error.message).toMatch(/磁盘空间已满.*清理磁盘/);
    closeAllDatabases();
    const again = new CoreContext(file);
    expect(again.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(again.db.prepare('SELECT count(*) FROM liaison_stations').pluck().get()).toBe(1 + added);
    closeAllDatabases();
  });
});
