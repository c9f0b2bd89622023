import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readVerifiedPayload } from '../../electron/core/backup/format.js';
import { CoreContext } from '../../electron/core/context.js';
import { closeAllDatabases } from '../../electron/core/db/connection.js';
import { migrate } from '../../electron/core/db/migrate.js';
import { OPERATIONS, type CrashOperation } from '../helpers/crash/operations.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Power-cut safety: a child process runs a large operation (the real roster
 * import, the real subsidy batch generate-and-issue, the real handoff package
 * import, a restore) and is SIGKILLed at a random moment, again and again on the same file.
 * After every kill the database must pass integrity_check and hold either
 * all of the operation or none of it, and every backup file must be whole.
 */
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const ITERATIONS = Number(process.env.CRASH_ITERATIONS ?? 8); // per operation; more: CRASH_ITERATIONS=100
let workerDir = '';

beforeAll(async () => {
  // A bundle starts in a fraction of the time tsx needs: more kills per second of test.
  fs.mkdirSync(path.join(ROOT, 'tests', '.artifacts'), { recursive: true }); // absent in a fresh clone run without run-all
  workerDir = fs.mkdtempSync(path.join(ROOT, 'tests', '.artifacts', 'crash-worker-'));
  fs.writeFileSync(path.join(workerDir, 'shim.js'), "export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;\n");
  await build({
    entryPoints: [path.join(ROOT, 'tests/helpers/crash/worker.ts')],
    outfile: path.join(workerDir, 'worker.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3', 'electron'],
    define: { 'import.meta.url': 'importMetaUrl' },
    inject: [path.join(workerDir, 'shim.js')],
    logLevel: 'error',
  });
  fs.cpSync(path.join(ROOT, 'electron/core/db/migrations'), path.join(workerDir, 'migrations'), { recursive: true });
}, 120_000);

afterAll(() => {
  if (workerDir) fs.rmSync(workerDir, { recursive: true, force: true });
});

interface Run {
  reachedReady: boolean;
  finished: boolean;
  killed: boolean;
  exitCode: number | null;
  stderr: string;
  /** From “ready” to the end, and from the first row written to the end. */
  ms: number;
  writingMs: number;
}

/** When to kill: so long after “ready” (anywhere: the backup, the reading, the writing) or after the first row written. */
type Kill = { after: 'ready' | 'writing'; ms: number } | null;

/** Runs the worker and kills it as asked. */
function runWorker(db: string, op: string, iteration: number, arg: string, kill: Kill): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(workerDir, 'worker.cjs'), db, op, String(iteration), arg], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: Run = { reachedReady: false, finished: false, killed: false, exitCode: null, stderr: '', ms: 0, writingMs: 0 };
    let readyAt = 0;
    let writingAt = 0;
    const arm = (moment: 'ready' | 'writing') => {
      if (kill?.after !== moment) return;
      setTimeout(() => {
        run.killed = child.exitCode === null && child.kill('SIGKILL');
      }, kill.ms);
    };
    child.stderr.on('data', (d: Buffer) => (run.stderr += d.toString()));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'ready') {
        run.reachedReady = true;
        readyAt = Date.now();
        arm('ready');
      } else if (line === 'writing') {
        writingAt = Date.now();
        arm('writing');
      } else if (line === 'done') run.finished = true;
      else run.stderr += `${line}\n`;
    });
    child.on('exit', (code) => {
      run.exitCode = code;
      const end = Date.now();
      run.ms = end - (readyAt || end);
      run.writingMs = end - (writingAt || end);
      resolve(run);
    });
  });
}

/**
 * The indexes and triggers of the newest schema (a bulk import drops and
 * rebuilds some indexes, and the roster search's triggers, inside its transaction).
 */
function schemaIndexes(db: Database.Database): string[] {
  return db.prepare("SELECT type || ' ' || name FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY type, name").pluck().all() as string[];
}
const fresh = new Database(':memory:');
migrate(fresh, ':memory:');
const INDEXES = schemaIndexes(fresh);
fresh.close();

/** What the app would find on the next start, checked without the app. */
function inspect(db: string, op: CrashOperation, iteration: number): string {
  const raw = new Database(db); // read-write: replays the WAL as the app would
  try {
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(raw.pragma('foreign_key_check')).toEqual([]);
    expect(schemaIndexes(raw)).toEqual(INDEXES);
    // The change log stays gap-free per office and epoch.
    const gaps = raw
      .prepare('SELECT origin_office, epoch, count(*) AS n, max(seq) AS top FROM change_log GROUP BY origin_office, epoch HAVING n <> top')
      .all();
    expect(gaps).toEqual([]);
    return op.outcome(raw, iteration);
  } finally {
    raw.close();
  }
}

/** Every backup file present verifies (a killed backup leaves only a temporary file, never a bad .ddbak). */
function assertBackupsWhole(dir: string): number {
  const backups = path.join(dir, 'backups');
  if (!fs.existsSync(backups)) return 0;
  const files = fs.readdirSync(backups).filter((n) => n.endsWith('.ddbak'));
  for (const f of files) readVerifiedPayload(path.join(backups, f));
  return files.length;
}

function randomInt(max: number): number {
  return Math.floor(Math.random() * (max + 1));
}

describe('SIGKILL at random moments', () => {
  for (const op of OPERATIONS) {
    it(`${op.name}${op.real ? '' : ' (stand-in)'}: all or none after every kill, the file always sound`, async () => {
      const dir = tempDir(`crash-${op.name}-`);
      const db = path.join(dir, 'office.sqlite');
      const prepared = new CoreContext(db, { operator: '测试员' });
      await op.prepare(prepared);
      closeAllDatabases();

      const outcomes: string[] = [];
      let duration = 0;
      let writing = 0;
      for (let i = 0; i < ITERATIONS; i++) {
        const arg = op.input ? await op.input(dir, i) : '';
        // The first run is not killed: it proves the operation works and measures it. Then one kill
        // in three lands anywhere after start; two in three while rows are being written.
        const kill: Kill =
          i === 0
            ? null
            : i % 3 === 1
              ? { after: 'ready', ms: randomInt(Math.max(50, Math.round(duration * 1.2))) }
              : { after: 'writing', ms: randomInt(Math.max(20, Math.round(writing * 1.1))) };
        const run = await runWorker(db, op.name, i, arg, kill);
        if (!run.reachedReady || (!run.killed && run.exitCode !== 0)) {
          throw new Error(`worker failed (exit ${run.exitCode}):\n${run.stderr}`);
        }
        if (i === 0) [duration, writing] = [run.ms, run.writingMs];
        const outcome = inspect(db, op, i);
        if (run.finished) expect(outcome).not.toBe('none'); // “done” was said: it must all be there
        outcomes.push(`${outcome}${run.killed ? '' : '(ran to the end)'}`);
        assertBackupsWhole(dir);
      }
      // The app opens the file undamaged after all that.
      const after = new CoreContext(db);
      expect(after.damage).toBeNull();
      closeAllDatabases();
      console.log(`[crash] ${op.name}: ${ITERATIONS} runs, first ${duration} ms (writing ${writing} ms); outcomes: ${outcomes.join(', ')}`);
    }, 240_000);
  }
});
