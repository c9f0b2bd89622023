/**
 * A fingerprint of a period's scores, to check that a change to the scoring
 * computation gives exactly the same results (run before and after on the
 * same database file and compare):
 *
 *   npx tsx tests/bench/scoring-digest.ts FILE PERIOD [OUT.tsv]
 *
 * It covers every seat's identity, total, grade, ranks, group sizes, counted
 * records, explained result and explanation lines (as the UI shows them), the
 * CLI's `scores --json` rows (whole period and one township), the alerts
 * and the seat order of the computed list (which may change: nothing shown
 * depends on it). OUT.tsv gets one hash per seat, to find which
 * seats differ.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { CoreContext } from '../../electron/core/context.js';
import { computePeriodUncached, townshipKey } from '../../electron/core/scoring/compute.js';
import { scoreAlerts } from '../../electron/core/scoring/alerts.js';
import { scoresForCli } from '../../electron/core/scoring/scores.js';
import { explainScore } from '../../shared/scoring/index.js';

const [file, period = '2025', out] = process.argv.slice(2);
if (!file) throw new Error('usage: scoring-digest.ts FILE [PERIOD] [OUT.tsv]');
const ctx = new CoreContext(file, { operator: 'digest' });
const scores = computePeriodUncached(ctx, period);
const hash = (v: unknown) => crypto.createHash('sha256').update(typeof v === 'string' ? v : JSON.stringify(v)).digest('hex');

const perSeat: string[] = [];
const all = crypto.createHash('sha256');
for (const s of [...scores.seats].sort((a, b) => (a.seatId < b.seatId ? -1 : a.seatId > b.seatId ? 1 : 0))) {
  const spec = scores.specs.get(s.ruleSetId)!;
  const record = {
    seatId: s.seatId,
    name: s.name,
    certificateNo: s.certificateNo,
    level: s.level,
    township: s.township,
    groupId: s.groupId,
    groupName: s.groupName,
    ruleSetId: s.ruleSetId,
    total: s.total,
    grade: s.grade,
    rankInTownship: s.rankInTownship,
    rankInLevel: s.rankInLevel,
    townshipCount: scores.groupSizes.get(townshipKey(s)),
    levelCount: scores.groupSizes.get(s.level),
    frozen: s.frozen,
    counts: s.counts,
    result: s.result,
    lines: explainScore(s.result, spec.items, { includeEmpty: true }),
    dossierLines: explainScore(s.result, spec.items),
  };
  const h = hash(record);
  all.update(h);
  perSeat.push(`${s.seatId}\t${h}`);
}
const cli = scoresForCli(ctx, { period });
const township = [...new Set(scores.seats.map((s) => s.township).filter((t): t is string => t !== null))].sort()[0];
const cliTownship = township ? scoresForCli(ctx, { period, township }) : null;
const summary = {
  period: scores.period.id,
  seats: scores.seats.length,
  seatsDigest: all.digest('hex'),
  groupSizes: hash([...scores.groupSizes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  cli: hash(cli),
  cliTownship: cliTownship ? hash(cliTownship) : null,
  alerts: hash(scoreAlerts(ctx, period)),
  alertsTownship: township ? hash(scoreAlerts(ctx, period, township)) : null,
  alertCount: scoreAlerts(ctx, period).length,
  order: hash(scores.seats.map((s) => s.seatId)),
  ruleSets: scores.ruleSets.map((r) => r.id),
};
console.log(JSON.stringify(summary, null, 2));
if (out) fs.writeFileSync(out, perSeat.join('\n') + '\n');
