import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CoreContext } from '../../electron/core/context.js';
import { closeAllDatabases } from '../../electron/core/db/connection.js';
import { exportPackage } from '../../electron/core/handoff/exportPackage.js';
import { importPackage } from '../../electron/core/handoff/importPackage.js';
import type { PhaseTimings } from '../../electron/core/handoff/phases.js';
import { identityFile, parseIdentity, trustIdentity } from '../../electron/core/handoff/keys.js';
import { syncedTables } from '../../electron/core/handoff/ownership.js';
import { setupOffice } from '../../electron/core/office/service.js';
import { limitMetric, ratioMetric, time, type Metric } from './types.js';

/**
 * USB handoff at county scale: a township's year (3,000 seats, 20,000
 * activity participations, fund spending and monthly payout batches), all
 * written through the repository so the change log is real. Export from the
 * township and import into an empty county with the app's defaults (scrypt
 * N=2^15, pre-import backup), against a raw `VACUUM INTO` copy of the same data.
 */
const SEATS = 3000;
const ACTIVITIES = 400;
const PARTICIPATIONS = 20000;
const PASS = 'bench passphrase';

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function buildTownshipYear(ctx: CoreContext): Record<string, number> {
  const rnd = lcg(7);
  const surnames = '王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗';
  const given = '建国秀英志强丽华明军红梅海燕文杰春兰德胜玉兰';
  const quiet = { audit: false } as const;
  const counts: Record<string, number> = {};
  const bump = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);
  ctx.repo.transaction(() => {
    const groups = Array.from({ length: 30 }, (_, i) => ctx.repo.insert('deputy_groups', { name: `第${i + 1}代表小组`, township: '青山镇' }, quiet));
    const stations = Array.from({ length: 12 }, (_, i) => ctx.repo.insert('liaison_stations', { name: `第${i + 1}联络站`, township: '青山镇' }, quiet));
    const seats: string[] = [];
    const persons: string[] = [];
    for (let i = 0; i < SEATS; i++) {
      const name = surnames[i % surnames.length]! + given[(i * 7) % given.length]! + given[(i * 3 + 1) % given.length]!;
      const personId = ctx.repo.insert('persons', {
        name,
        gender: i % 2 ? '男' : '女',
        phone: `139${String(10000000 + i)}`,
        address: `青山镇第${(i % 40) + 1}村`,
        has_fixed_income: i % 5 === 0 ? 0 : 1,
        bank_name: '农村商业银行',
        bank_account: `62170033${String(10000000000 + i)}`,
      }, quiet);
      persons.push(personId);
      seats.push(ctx.repo.insert('seats', {
        person_id: personId,
        level: i < 300 ? 'county' : 'township',
        term: '第十九届',
        township: '青山镇',
        group_id: groups[i % groups.length],
        station_id: stations[i % stations.length],
        status: 'current',
      }, quiet));
      bump('seats');
    }
    const activities = Array.from({ length: ACTIVITIES }, (_, i) =>
      ctx.repo.insert('activities', { type: ['视察', '调研', '接待选民', '学习培训'][i % 4], date: `2026-${String((i % 12) + 1).padStart(2, '0')}-15`, title: `活动${i + 1}` }, quiet),
    );
    for (let i = 0; i < PARTICIPATIONS; i++) {
      // Each activity gets 50 different deputies.
      const a = Math.floor(i / (PARTICIPATIONS / ACTIVITIES));
      const seat = seats[(a * 37 + (i % 50) * 61) % seats.length]!;
      ctx.repo.insert('activity_participants', { activity_id: activities[a], seat_id: seat, attendance: rnd() < 0.9 ? '出席' : '请假' }, quiet);
      bump('participations');
    }
    const funds = [0, 1, 2].map((k) => ctx.repo.insert('funds', { year: 2026, name: `活动经费${k + 1}`, kind: 'per_deputy', budget_fen: 6_000_000_00 }, quiet));
    for (let i = 0; i < 600; i++) {
      ctx.repo.insert('fund_entries', { fund_id: funds[i % 3], date: '2026-06-01', amount_fen: 10000 + i, purpose: '代表活动', payee: '青山镇人大', voucher_no: `凭${i}` }, quiet);
      bump('fund entries');
    }
    for (let m = 1; m <= 12; m++) {
      const period = `2026-${String(m).padStart(2, '0')}`;
      const batch = ctx.repo.insert('subsidy_batches', {
        period, period_start: `${period}-01`, period_end: `${period}-28`, title: `${period}补贴`, status: 'draft', total_fen: 0,
        line_count: 0, policy_json: '{}', exceptions_json: '[]', basis_json: '[]', generated_at: '2026-01-01T00:00:00Z',
      }, quiet);
      for (let k = 0; k < 120; k++) {
        const p = persons[(k * 5) % persons.length]!;
        ctx.repo.insert('subsidy_batch_lines', {
          batch_id: batch, seq: k + 1, kind: 'regular', person_id: p, name: '代表', level: 'township', levels: 'township',
          standard_text: '每月200元', months: 1, amount_fen: 20000, detail_json: '{}',
        }, quiet);
        bump('subsidy lines');
      }
      ctx.repo.update('subsidy_batches', batch, { status: 'issued', total_fen: 2400000, line_count: 120 }, quiet);
    }
  });
  return counts;
}

/** Where the time went, biggest first: "  phases: scrypt 180, …". */
function phaseLine(phases: PhaseTimings): string {
  const parts = Object.entries(phases)
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => `${name} ${ms.toFixed(0)}`);
  return `  phases (ms): ${parts.join(', ')}`;
}

/**
 * The least any import can do: the township's change log and data rows
 * inserted with prepared statements into a fresh database of the same schema.
 */
function rawInserts(source: CoreContext, file: string): void {
  const target = new CoreContext(file);
  const db = target.db;
  // Every table a package carries (the handoff's own list), plus the change log.
  const tables = ['change_log', ...syncedTables(source.db)].sort((a, b) => Number(a === 'subsidy_batches') - Number(b === 'subsidy_batches')); // lines before their issued batch
  db.transaction(() => {
    db.pragma('defer_foreign_keys = ON');
    for (const table of tables) {
      const rows = source.db.prepare(`SELECT * FROM "${table}"`).raw().all() as unknown[][];
      if (rows.length === 0) continue;
      const cols = (source.db.prepare(`SELECT * FROM "${table}" LIMIT 1`).columns()).map((c) => `"${c.name}"`);
      const insert = db.prepare(`INSERT INTO "${table}" (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
      for (const r of rows) insert.run(...r);
    }
  })();
}

/**
 * Not a floor for the targets, an explanation printed beside them: every
 * synced row and the change log copied inside SQLite (INSERT … SELECT from
 * the attached township, no JavaScript at all) into an empty database with
 * the app's schema, so its indexes, triggers and deferred foreign keys. Any
 * import that merges rather than copies pages pays at least this.
 */
function copyInsideSqlite(source: CoreContext, file: string): void {
  const db = new CoreContext(file).db;
  db.prepare('ATTACH ? AS township').run(source.dbPath);
  // Lines before their issued batch, as the import writes them.
  const tables = ['change_log', ...syncedTables(source.db).sort((a, b) => Number(a === 'subsidy_batches') - Number(b === 'subsidy_batches'))];
  db.transaction(() => {
    db.pragma('defer_foreign_keys = ON');
    for (const table of tables) {
      const cols = (db.prepare(`SELECT * FROM township."${table}" LIMIT 0`).columns()).map((c) => `"${c.name}"`).join(', ');
      db.prepare(`INSERT INTO main."${table}" (${cols}) SELECT ${cols} FROM township."${table}"`).run();
    }
  })();
  db.prepare('DETACH township').run();
}

export async function benchHandoff(log: (line: string) => void): Promise<Metric[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-bench-handoff-'));
  try {
    const township = new CoreContext(path.join(dir, 'township.sqlite'));
    setupOffice(township, { officeType: 'township', officeCode: '430281101', officeName: '青山镇' });
    const county = new CoreContext(path.join(dir, 'county.sqlite'));
    setupOffice(county, { officeType: 'county', officeCode: '430281', officeName: '醴陵市' });
    trustIdentity(county, parseIdentity(JSON.stringify(identityFile(township))), false);
    trustIdentity(township, parseIdentity(JSON.stringify(identityFile(county))), false);

    const built = await time(() => buildTownshipYear(township));
    const changes = township.db.prepare('SELECT count(*) FROM change_log').pluck().get() as number;
    log(`built a township year in ${built.ms.toFixed(0)} ms: ${JSON.stringify(built.value)}, ${changes} changes`);

    const usb = path.join(dir, 'usb');
    fs.mkdirSync(usb);
    // CPU time beside wall time: on a busy machine the wall clock mostly measures the other processes.
    const cpu = async <T,>(fn: () => T | Promise<T>) => {
      const start = process.cpuUsage();
      const r = await time(fn);
      const used = process.cpuUsage(start);
      return { ...r, cpuMs: (used.user + used.system) / 1000 };
    };
    const exportPhases: PhaseTimings = {};
    const exported = await cpu(() => exportPackage(township, { peer: '430281', dir: usb, passphrase: PASS, timings: exportPhases }));
    log(`export: ${exported.value.changes} changes, ${(exported.value.bytes / 1024 / 1024).toFixed(1)} MB package, ${exported.ms.toFixed(0)} ms (cpu ${exported.cpuMs.toFixed(0)} ms)`);
    log(phaseLine(exportPhases));
    const bytes = fs.readFileSync(exported.value.file);
    const importPhases: PhaseTimings = {};
    const imported = await cpu(() => importPackage(county, bytes, exported.value.fileName, PASS, { timings: importPhases }));
    log(`import: new ${imported.value.new}, backup ${imported.value.backupFile ? 'taken' : 'none'}, ${imported.ms.toFixed(0)} ms (cpu ${imported.cpuMs.toFixed(0)} ms)`);
    log(phaseLine(importPhases));
    if (imported.value.new < SEATS * 2 + PARTICIPATIONS) throw new Error('the import did not apply the whole package');

    // Floors: a raw copy of the same data, and the same rows inserted raw into an empty county.
    const floor = await cpu(() => township.db.prepare('VACUUM INTO ?').run(path.join(dir, 'copy.sqlite')));
    log(`VACUUM INTO of the township: ${floor.ms.toFixed(0)} ms (cpu ${floor.cpuMs.toFixed(0)} ms)`);
    const raw = await cpu(() => rawInserts(township, path.join(dir, 'raw.sqlite')));
    log(`the same rows inserted raw (change log and tables, one transaction): ${raw.ms.toFixed(0)} ms (cpu ${raw.cpuMs.toFixed(0)} ms)`);
    const inside = await cpu(() => copyInsideSqlite(township, path.join(dir, 'inside.sqlite')));
    log(
      `for comparison, not a target: every synced row and the change log copied inside SQLite (INSERT … SELECT, same schema, ` +
        `indexes, triggers, foreign keys): ${inside.ms.toFixed(0)} ms (cpu ${inside.cpuMs.toFixed(0)} ms)`,
    );
    return [
      limitMetric('handoff export, township year (3,000 seats, 20,000 participations)', exported.ms, 2000),
      limitMetric('handoff import of it into the county', imported.ms, 2000),
      ratioMetric('handoff import vs VACUUM INTO copy', imported.ms, floor.ms, 3),
      ratioMetric('handoff import vs raw inserts of the same rows', imported.ms, raw.ms, 3),
      // No target: what writing these rows costs in this schema before any JavaScript, beside the floor above.
      { name: 'for comparison: the same rows copied inside SQLite (INSERT … SELECT) vs VACUUM INTO', ms: inside.ms, floorMs: floor.ms, ratio: inside.ms / floor.ms },
    ];
  } finally {
    closeAllDatabases();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
