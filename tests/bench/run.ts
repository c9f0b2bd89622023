/**
 * `npm run bench [-- --json] [-- --only NAME]`: measures the app against
 * floors measured in the same run on the same machine (raw exceljs, raw
 * better-sqlite3, VACUUM INTO), so the ratios mean something on any PC.
 * Each domain adds a suite: an async function returning metrics.
 */
import { benchHandoff } from './handoff.js';
import { benchRoster } from './roster.js';
import { benchScoring } from './scoring.js';
import type { Metric, Suite } from './types.js';

const SUITES: Record<string, Suite> = {
  roster: benchRoster,
  scoring: benchScoring,
  handoff: benchHandoff,
};

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
  const log = (line: string) => {
    if (!json) process.stdout.write(line + '\n');
    else process.stderr.write(line + '\n');
  };
  const metrics: Metric[] = [];
  for (const [name, suite] of Object.entries(SUITES)) {
    if (only && only !== name) continue;
    log(`== ${name}`);
    metrics.push(...(await suite(log)));
  }
  if (json) {
    process.stdout.write(JSON.stringify({ metrics }, null, 2) + '\n');
    return;
  }
  const rows = metrics.map((m) => [
    m.name,
    m.ms.toFixed(0),
    m.floorMs === undefined ? '' : m.floorMs.toFixed(0),
    m.ratio === undefined ? '' : m.ratio.toFixed(2),
    m.target ?? '',
    m.pass === undefined ? '' : m.pass ? 'ok' : 'MISSED',
  ]);
  const head = ['metric', 'ms', 'floor ms', 'ratio', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const fmt = (r: string[]) => r.map((c, i) => String(c).padEnd(widths[i]!)).join('  ');
  log('');
  log(fmt(head));
  for (const r of rows) log(fmt(r as string[]));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
