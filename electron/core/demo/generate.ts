import { AppError } from '../../../shared/errors.js';
import type { CoreContext } from '../context.js';
import { generateFundsAndSubsidies, type FundsDemoSummary } from './fundsSubsidies.js';
import { generateScoringDemo, type ScoringDemoSummary } from './scoring.js';
import type { DemoScale } from './geography.js';
import { summarise, type DemoSummary } from './plan.js';
import { Rng } from './random.js';
import { planDemo } from './scales.js';
import { writePlan, type Progress } from './write.js';
import { withSearchKept } from '../roster/search.js';

export interface DemoOptions {
  scale: DemoScale;
  /** Same seed, same data (apart from the ids and timestamps the repository stamps). */
  seed?: number;
  onProgress?: Progress;
}

export const DEFAULT_DEMO_SEED = 2021;

const SCALE_LABELS: Record<DemoScale, string> = { township: '乡镇', county: '县级', province: '全省' };

/**
 * Fills an empty roster with synthetic deputies (never real people) for
 * demos, tests and benchmarks: plans everything in memory from the seed,
 * then writes it in one transaction with one summary audit entry.
 */
export function generateDemo(ctx: CoreContext, options: DemoOptions): DemoSummary & Partial<FundsDemoSummary> & Partial<ScoringDemoSummary> {
  const office = ctx.requireOffice();
  const existing = ctx.db.prepare('SELECT count(*) FROM persons WHERE deleted_at IS NULL').pluck().get() as number;
  if (existing > 0) {
    throw new AppError('CONFLICT', `数据库中已有 ${existing} 名代表，演示数据只能生成到空的数据库中。请换一个新的数据库文件再试。`);
  }
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const plan = planDemo(office, options.scale, seed);
  const summary: DemoSummary & Partial<FundsDemoSummary> & Partial<ScoringDemoSummary> = summarise(plan);
  withPageCache(ctx, () => ctx.repo.transaction(() => {
    // Into an empty roster: the list's search tables are built once at the end, not row by row.
    withSearchKept(ctx.db, { persons: plan.persons.length, seats: plan.seats.length }, () => writePlan(ctx, plan, options.onProgress));
    Object.assign(summary, generateFundsAndSubsidies(ctx, new Rng(seed).fork('funds-subsidies'), options.scale));
    Object.assign(summary, generateScoringDemo(ctx, new Rng(seed).fork('scoring'), options.scale));
    ctx.repo.audit({
      action: 'demo',
      summary:
        `生成演示数据（${SCALE_LABELS[options.scale]}规模，种子 ${seed}）：代表 ${summary.persons} 人，席位 ${summary.seats} 个` +
        `（补选 ${summary.byElections}，资格终止 ${summary.endedSeats}，暂停执行职务 ${summary.suspendedSeats}，上届 ${summary.previousTermSeats}），` +
        `代表小组 ${summary.groups} 个，联络站 ${summary.stations} 个，涉及乡镇（街道）${summary.townships} 个`,
      after: { scale: options.scale, seed, ...summary },
    });
  }));
  return summary;
}

/**
 * SQLite's default page cache is 2 MiB. Random UUID keys make every insert
 * touch a different index page, so a large province demo spills and re-reads
 * pages all transaction long; 64 MiB for the duration of the write avoids
 * most of that. The connection's own setting is restored afterwards.
 */
function withPageCache<T>(ctx: CoreContext, fn: () => T): T {
  const before = ctx.db.pragma('cache_size', { simple: true }) as number;
  const wanted = -64 * 1024; // negative = KiB
  const pageSize = ctx.db.pragma('page_size', { simple: true }) as number;
  const bigger = (before < 0 ? -before * 1024 : before * pageSize) < 64 * 1024 * 1024;
  if (bigger) ctx.db.pragma(`cache_size = ${wanted}`);
  try {
    return fn();
  } finally {
    if (bigger) ctx.db.pragma(`cache_size = ${before}`);
  }
}
