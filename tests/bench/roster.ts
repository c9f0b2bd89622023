/**
 * Roster at province scale (~137,000 seats from the demo generator):
 * export vs a raw exceljs streaming write of the same cells, import of that
 * workbook vs a raw exceljs streaming read + raw better-sqlite3 insert, and
 * paged roster queries.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { CoreContext } from '../../electron/core/context.js';
import { closeAllDatabases } from '../../electron/core/db/connection.js';
import { ensureDemoOffice, generateDemo } from '../../electron/core/demo/index.js';
import { setupOffice } from '../../electron/core/office/service.js';
import { exportRosterWorkbook } from '../../electron/core/reports/roster.js';
import { importRosterFile } from '../../electron/core/roster/import/index.js';
import { listSeats, type RosterQuery } from '../../electron/core/roster/service.js';
import { limitMetric, ratioMetric, time, type Metric } from './types.js';

const FLOOR_SQL = `SELECT p.name, p.gender, p.ethnicity, p.birth_date, p.political_affiliation, p.education, p.work_unit,
  p.composition, s.level, s.term, s.constituency, s.township, s.certificate_no, p.phone, p.id_number, s.note
  FROM seats s JOIN persons p ON p.id = s.person_id WHERE s.deleted_at IS NULL ORDER BY s.level, s.township, p.name`;

async function rawExport(db: Database.Database, out: string): Promise<number> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useStyles: false, useSharedStrings: false });
  const ws = wb.addWorksheet('raw');
  let n = 0;
  for (const row of db.prepare(FLOOR_SQL).raw().iterate() as Iterable<unknown[]>) {
    ws.addRow([++n, ...row]).commit();
  }
  ws.commit();
  await wb.commit();
  return n;
}

async function rawImport(file: string, dbFile: string): Promise<number> {
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  const cols = Array.from({ length: 24 }, (_, i) => `c${i}`);
  db.exec(`CREATE TABLE raw (${cols.map((c) => `${c} TEXT`).join(', ')})`);
  const insert = db.prepare(`INSERT INTO raw VALUES (${cols.map(() => '?').join(', ')})`);
  let n = 0;
  const rows: unknown[][] = [];
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore', worksheets: 'emit' });
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = (row.values as unknown[]).slice(1);
      rows.push(cols.map((_, i) => (values[i] == null ? null : String(values[i]))));
    }
  }
  db.transaction(() => {
    for (const r of rows) {
      insert.run(...r);
      n++;
    }
  })();
  db.close();
  return n;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * App and floor timed in PAIRS interleaved pairs (which goes first alternates),
 * reporting the pair with the median ratio: one pair is at the mercy of
 * whatever else the machine is doing, and a slow spell slows both of a pair.
 */
const PAIRS = 3;

async function pairedRatio<T>(
  log: (line: string) => void,
  app: (run: number) => Promise<T>,
  floor: (run: number) => Promise<unknown>,
): Promise<{ ms: number; floorMs: number; value: T }> {
  const pairs: { ms: number; floorMs: number; value: T }[] = [];
  for (let run = 0; run < PAIRS; run++) {
    let floorMs = 0;
    if (run % 2 === 1) floorMs = (await time(() => floor(run))).ms;
    const timed = await time(() => app(run));
    if (run % 2 === 0) floorMs = (await time(() => floor(run))).ms;
    pairs.push({ ms: timed.ms, floorMs, value: timed.value });
    log(`  app ${timed.ms.toFixed(0)} ms, floor ${floorMs.toFixed(0)} ms (${(timed.ms / floorMs).toFixed(2)})`);
  }
  const ratio = median(pairs.map((p) => p.ms / p.floorMs));
  return pairs.find((p) => p.ms / p.floorMs === ratio)!;
}

async function queryMs(ctx: CoreContext, q: Partial<RosterQuery>): Promise<number> {
  const full: RosterQuery = { status: 'active', page: 1, pageSize: 50, ...q };
  listSeats(ctx, full); // warm the cache
  const runs: number[] = [];
  for (let i = 0; i < 7; i++) runs.push((await time(() => listSeats(ctx, full))).ms);
  return median(runs);
}

export async function benchRoster(log: (line: string) => void): Promise<Metric[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deputy-desk-bench-roster-'));
  try {
    log('building province-scale demo data (this takes a while)…');
    const province = new CoreContext(path.join(dir, 'province.sqlite'), { operator: 'bench' });
    ensureDemoOffice(province, 'province');
    const built = await time(() => generateDemo(province, { scale: 'province', seed: 2021 }));
    const seats = province.db.prepare('SELECT count(*) FROM seats WHERE deleted_at IS NULL').pluck().get() as number;
    log(`  ${seats} seats in ${(built.ms / 1000).toFixed(1)} s`);

    const metrics: Metric[] = [];
    const township = province.db
      .prepare("SELECT township FROM seats WHERE level = 'township' GROUP BY township ORDER BY count(*) DESC LIMIT 1")
      .pluck()
      .get() as string;
    metrics.push(limitMetric('roster page: level + township filter', await queryMs(province, { level: 'township', township }), 50));
    metrics.push(limitMetric('roster page: text search', await queryMs(province, { q: '李' }), 50));
    // The other texts a clerk types: a whole name, part of a phone or certificate number, a typo.
    const someone = province.db
      .prepare(
        `SELECT p.name, p.phone, s.certificate_no AS certificate FROM seats s JOIN persons p ON p.id = s.person_id
         WHERE s.level = 'county' AND s.deleted_at IS NULL ORDER BY s.rowid LIMIT 1 OFFSET 777`,
      )
      .get() as { name: string; phone: string; certificate: string };
    const texts: [string, Partial<RosterQuery>][] = [
      [`full name (${someone.name})`, { q: someone.name }],
      ['李 + level + township', { q: '李', level: 'township', township }],
      ['7 phone digits', { q: someone.phone.slice(3, 10) }],
      [`certificate fragment (${someone.certificate.slice(-6)})`, { q: someone.certificate.slice(-6) }],
      ['no match', { q: '龘' }],
    ];
    for (const [what, q] of texts) metrics.push(limitMetric(`roster page: text search, ${what}`, await queryMs(province, q), 50));
    metrics.push(limitMetric('roster page: unfiltered, page 100', await queryMs(province, { page: 100 }), 50));

    log(`export (${PAIRS} pairs)…`);
    const exportFile = path.join(dir, 'export.xlsx');
    let floorRows = 0;
    const exported = await pairedRatio(
      log,
      () => exportRosterWorkbook(province, { status: 'active', unmasked: true }, exportFile),
      async () => (floorRows = await rawExport(province.db, path.join(dir, 'raw.xlsx'))),
    );
    log(`  ${exported.value.rows} rows; floor wrote ${floorRows}`);
    metrics.push(ratioMetric(`roster export (${exported.value.rows} rows)`, exported.ms, exported.floorMs, 1.3));

    log(`import (${PAIRS} pairs)…`);
    // Each run imports into a new database: a second import into the same one finds nothing to do.
    const counties = Array.from({ length: PAIRS }, (_, run) => {
      const county = new CoreContext(path.join(dir, `import-${run}.sqlite`), { operator: 'bench' });
      setupOffice(county, { officeType: 'county', officeCode: '436124', officeName: '枫林县人大常委会' });
      return county;
    });
    const imported = await pairedRatio(
      log,
      (run) => importRosterFile(counties[run]!, exportFile),
      (run) => rawImport(exportFile, path.join(dir, `raw-${run}.sqlite`)),
    );
    const report = imported.value;
    log(`  imported ${report.imported}, updated ${report.updated}, unchanged ${report.unchanged}, errors ${report.errors.length}`);
    metrics.push(ratioMetric(`roster import (${report.imported} rows)`, imported.ms, imported.floorMs, 1.5));
    return metrics;
  } finally {
    closeAllDatabases();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
