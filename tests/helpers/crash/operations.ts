import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { backupBefore, listBackups } from '../../../electron/core/backup/index.js';
import { restoreBackup } from '../../../electron/core/backup/restore.js';
import { CoreContext } from '../../../electron/core/context.js';
import { closeDatabase } from '../../../electron/core/db/connection.js';
import { createDispatcher } from '../../../electron/core/dispatcher.js';
import { exportPackage } from '../../../electron/core/handoff/exportPackage.js';
import { importPackage } from '../../../electron/core/handoff/importPackage.js';
import { identityFile, parseIdentity, trustIdentity } from '../../../electron/core/handoff/keys.js';
import { setupOffice } from '../../../electron/core/office/service.js';
import { importRosterFile } from '../../../electron/core/roster/import/index.js';

/**
 * The operations the kill test interrupts. Each runs in a child process as
 * the app runs it (backup first, then its transaction), and after the kill
 * `outcome` reads the database and says which whole state it is in — or
 * throws when it finds part of an operation. A new operation is one more
 * entry here.
 */
export interface CrashOperation {
  name: string;
  /** The real module, or a stand-in written here until the module exists. */
  real: boolean;
  /** Parent, once: the office and the data the operation needs. */
  prepare(ctx: CoreContext): Promise<void>;
  /** Parent, per iteration: files the operation reads (e.g. a workbook); returns its argument. */
  input?(dir: string, iteration: number): Promise<string>;
  /** Worker: the operation. */
  run(ctx: CoreContext, iteration: number, arg: string): Promise<void>;
  /** Parent, after the kill: the whole state found, e.g. 'none' / 'all'. Throws on a partial write. */
  outcome(db: Database, iteration: number): string;
}

export class PartialWrite extends Error {}

const count = (db: Database, sql: string, ...params: unknown[]) => db.prepare(sql).pluck().get(...params) as number;

function allOrNone(what: string, found: number[], whole: number[]): 'none' | 'all' {
  if (found.every((n) => n === 0)) return 'none';
  if (found.every((n, i) => n === whole[i])) return 'all';
  throw new PartialWrite(`${what}: found ${found.join('/')} of ${whole.join('/')}`);
}

async function ok<T>(p: Promise<{ ok: true; data: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data;
}

function setupTownship(ctx: CoreContext): void {
  setupOffice(ctx, { officeType: 'township', officeCode: '430281101', officeName: '青山镇' });
}

/** Deputies without fixed income, with bank accounts: what a subsidy batch pays. */
function addDeputies(ctx: CoreContext, n: number): void {
  ctx.repo.transaction(() => {
    for (let i = 0; i < n; i++) {
      const personId = ctx.repo.insert(
        'persons',
        { name: `代表${i}`, gender: i % 2 ? '男' : '女', has_fixed_income: 0, bank_name: '农村信用社', bank_account: `6221${String(i).padStart(12, '0')}` },
        { audit: false },
      );
      ctx.repo.insert(
        'seats',
        { person_id: personId, level: 'township', term: '第十九届', township: '青山镇', start_date: '2000-01-01', start_method: 'general' },
        { audit: false },
      );
    }
  });
}

const ROSTER_ROWS = 600;
const rosterName = (iteration: number, n: number) => `导${iteration}号${n}`;

const HANDOFF_DEPUTIES = 200;
const HANDOFF_PASS = '青山-醴陵 交换口令';
const handoffName = (iteration: number, n: number) => `交${iteration}号${n}`;
/** The township's database lives beside the county's (the kill target). */
const townshipPath = (countyDb: string) => path.join(path.dirname(countyDb), 'township.sqlite');
const DEPUTIES = 800;

export const OPERATIONS: CrashOperation[] = [
  {
    // The real roster import (electron/core/roster/import) of a 600-row workbook.
    name: 'roster-import',
    real: true,
    async prepare(ctx) {
      setupTownship(ctx);
    },
    async input(dir, iteration) {
      const file = path.join(dir, `roster-${iteration}.xlsx`);
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('乡镇代表');
      ws.addRow(['序号', '姓名', '性别', '民族', '层级', '届次', '所属乡镇', '工作单位及职务']);
      for (let n = 0; n < ROSTER_ROWS; n++) {
        ws.addRow([n + 1, rosterName(iteration, n), n % 2 ? '男' : '女', '汉族', '乡镇', '第十九届', '青山镇', '青山镇红星村村民']);
      }
      await wb.xlsx.writeFile(file);
      return file;
    },
    async run(_ctx, _iteration, file) {
      // The import backs the database up first itself (backupBefore 'import'), then writes in one transaction.
      await importRosterFile(_ctx, file);
    },
    outcome(db, iteration) {
      const like = `${rosterName(iteration, 0).replace(/0$/, '')}%`;
      return allOrNone(
        'roster import',
        [
          count(db, 'SELECT count(*) FROM persons WHERE name LIKE ? AND deleted_at IS NULL', like),
          count(db, 'SELECT count(*) FROM seats s JOIN persons p ON p.id = s.person_id WHERE p.name LIKE ? AND s.deleted_at IS NULL', like),
          // The roster search's rows for them (migration 0008), rebuilt in the import's transaction.
          count(db, "SELECT count(*) FROM search_name_chars WHERE ch = '导' AND name LIKE ?", like),
        ],
        [ROSTER_ROWS, ROSTER_ROWS, ROSTER_ROWS],
      );
    },
  },
  {
    // The real subsidy batch (electron/core/subsidies): generate the draft (one transaction), back up, issue it (another).
    name: 'batch-issue',
    real: true,
    async prepare(ctx) {
      setupTownship(ctx);
      addDeputies(ctx, DEPUTIES);
      await ok(
        createDispatcher(ctx)('subsidies.standardCreate', {
          name: '乡镇代表履职补贴',
          kind: 'monthly',
          levels: ['township'],
          condition: 'no_fixed_income',
          amountFen: 20000,
          effectiveFrom: '2000-01-01',
        }),
      );
    },
    async run(ctx, iteration) {
      const call = createDispatcher(ctx);
      const run = (await ok(call('subsidies.run', { period: `${2001 + iteration}-06` }))) as { batchId: string };
      await ok(call('subsidies.issue', { batchId: run.batchId })); // backs up first (backupBefore 'batch-issue')
    },
    outcome(db, iteration) {
      const batches = db
        .prepare("SELECT id, status, line_count FROM subsidy_batches WHERE period = ? AND deleted_at IS NULL")
        .all(`${2001 + iteration}-06`) as { id: string; status: string; line_count: number }[];
      if (batches.length === 0) {
        const orphans = count(db, 'SELECT count(*) FROM subsidy_batch_lines WHERE batch_id NOT IN (SELECT id FROM subsidy_batches)');
        if (orphans) throw new PartialWrite(`${orphans} batch lines without their batch`);
        return 'none';
      }
      if (batches.length > 1) throw new PartialWrite(`two batches for one period`);
      const b = batches[0]!;
      const lines = count(db, 'SELECT count(*) FROM subsidy_batch_lines WHERE batch_id = ? AND deleted_at IS NULL', b.id);
      const total = count(db, 'SELECT coalesce(sum(amount_fen), 0) FROM subsidy_batch_lines WHERE batch_id = ? AND deleted_at IS NULL', b.id);
      if (lines !== DEPUTIES || b.line_count !== DEPUTIES || total !== DEPUTIES * 20000) {
        throw new PartialWrite(`batch ${b.status}: ${lines} lines (header says ${b.line_count}), ${total} fen`);
      }
      return b.status; // 'draft' (killed between the two steps) or 'issued'
    },
  },
  {
    // The real handoff import (electron/core/handoff): a township adds 200 deputies and writes a
    // package for the county; the county imports it (checks, backs up, applies in one transaction).
    // Packages are cumulative, so a package whose import was killed comes again in the next one.
    name: 'handoff-import',
    real: true,
    async prepare(county) {
      setupOffice(county, { officeType: 'county', officeCode: '430281', officeName: '醴陵市' });
      const township = new CoreContext(townshipPath(county.dbPath), { operator: '青山镇文书' });
      setupTownship(township);
      trustIdentity(county, parseIdentity(JSON.stringify(identityFile(township))), false);
      trustIdentity(township, parseIdentity(JSON.stringify(identityFile(county))), false);
      closeDatabase(township.dbPath);
    },
    async input(dir, iteration) {
      const township = new CoreContext(townshipPath(path.join(dir, 'office.sqlite')), { operator: '青山镇文书' });
      try {
        township.repo.transaction(() => {
          for (let n = 0; n < HANDOFF_DEPUTIES; n++) {
            const personId = township.repo.insert('persons', { name: handoffName(iteration, n), gender: n % 2 ? '男' : '女' }, { audit: false });
            township.repo.insert('seats', { person_id: personId, level: 'township', term: '第十九届', township: '青山镇' }, { audit: false });
          }
        });
        const pkg = await exportPackage(township, { peer: '430281', dir, passphrase: HANDOFF_PASS, kdf: { N: 1024, r: 8, p: 1 } });
        return pkg.file;
      } finally {
        closeDatabase(township.dbPath);
      }
    },
    async run(county, _iteration, file) {
      await importPackage(county, fs.readFileSync(file), path.basename(file), HANDOFF_PASS);
    },
    outcome(db, iteration) {
      const like = `${handoffName(iteration, 0).replace(/0$/, '')}%`;
      return allOrNone(
        'handoff import',
        [
          count(db, 'SELECT count(*) FROM persons WHERE name LIKE ? AND deleted_at IS NULL', like),
          count(db, 'SELECT count(*) FROM seats s JOIN persons p ON p.id = s.person_id WHERE p.name LIKE ? AND s.deleted_at IS NULL', like),
          count(db, "SELECT count(*) FROM search_name_chars WHERE ch = '交' AND name LIKE ?", like),
        ],
        [HANDOFF_DEPUTIES, HANDOFF_DEPUTIES, HANDOFF_DEPUTIES],
      );
    },
  },
  {
    // The real restore (electron/core/backup/restore.ts): a marker row is committed, then a backup
    // without it is restored over the open database.
    name: 'restore',
    real: true,
    async prepare(ctx) {
      setupTownship(ctx);
      addDeputies(ctx, 200);
      backupBefore(ctx, 'manual', '恢复测试用的备份');
    },
    async run(ctx, iteration) {
      ctx.repo.insert('liaison_stations', { name: `恢复前标记${iteration}` });
      const oldest = listBackups(ctx).filter((b) => b.reason === 'manual').at(-1)!;
      restoreBackup(ctx, oldest.file);
    },
    outcome(db, iteration) {
      if (count(db, 'SELECT count(*) FROM persons WHERE deleted_at IS NULL') !== 200) throw new PartialWrite('deputies lost');
      const marker = count(db, 'SELECT count(*) FROM liaison_stations WHERE name = ?', `恢复前标记${iteration}`);
      return marker === 0 ? 'restored' : 'not restored';
    },
  },
];
