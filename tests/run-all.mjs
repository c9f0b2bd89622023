// The README's test command: unit and integration tests (vitest, real SQLite
// files), then end-to-end tests (Playwright driving the built renderer in
// Debian's Chromium through the serve door). Ends with one summary line,
// "tests: N passed, N failed", and a non-zero exit if anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const artifacts = path.join(root, 'tests', '.artifacts');
mkdirSync(artifacts, { recursive: true });
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (cmd, args, env = {}) =>
  spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

let passed = 0;
let failed = 0;
let skipped = 0;
const only = process.argv[2]; // "unit" or "e2e" to run one half

if (only !== 'e2e') {
  const report = path.join(artifacts, 'vitest.json');
  rmSync(report, { force: true });
  const status = run(bin('vitest'), ['run', '--config', 'tests/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    passed += r.numPassedTests;
    skipped += r.numPendingTests + r.numTodoTests;
    failed += r.numFailedTests + (status !== 0 && r.numFailedTests === 0 ? 1 : 0);
  } else failed += 1;
}

if (only !== 'unit') {
  if (run('npm', ['run', '-s', 'build:renderer']) !== 0) failed += 1;
  const report = path.join(artifacts, 'playwright.json');
  rmSync(report, { force: true });
  const status = run(bin('playwright'), ['test', '-c', 'tests/e2e/playwright.config.ts', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: report,
  });
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    passed += r.stats.expected + r.stats.flaky;
    skipped += r.stats.skipped;
    failed += r.stats.unexpected + (status !== 0 && r.stats.unexpected === 0 ? 1 : 0);
  } else failed += 1;
}

// A skipped check proves nothing: say so above the summary line, whose form stays fixed.
if (skipped > 0) console.log(`\nskipped: ${skipped} (see the reports in tests/.artifacts)`);
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
