import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CoreContext } from '../../electron/core/context.js';
import { ensureDemoOffice, generateDemo } from '../../electron/core/demo/index.js';
import { tempDir } from '../helpers/tmp.js';

const rows = (ctx: CoreContext, sql: string, ...params: unknown[]) => ctx.db.prepare(sql).all(...params) as Record<string, number | string>[];
const one = (ctx: CoreContext, sql: string, ...params: unknown[]) => ctx.db.prepare(sql).pluck().get(...params) as number;

describe('demo: funds and subsidies pay out as a real township would', () => {
  it('writes funds with a year of spending within budget (or approved), standards and quarterly batches', () => {
    const ctx = new CoreContext(path.join(tempDir(), 'demo.sqlite'), { operator: '测试员' });
    ensureDemoOffice(ctx, 'township');
    const summary = generateDemo(ctx, { scale: 'township', seed: 7 });
    expect(summary).toMatchObject({ funds: 8, subsidyStandards: 1, subsidyBatches: 6 });

    // Every fund (and every station's share) is within budget unless an approval is on record.
    const funds = rows(
      ctx,
      `SELECT f.id, f.year, f.kind, f.budget_fen, f.unit_amount_fen, coalesce(sum(e.amount_fen), 0) AS spent, coalesce(sum(e.over_budget), 0) AS approvals
       FROM funds f LEFT JOIN fund_entries e ON e.fund_id = f.id GROUP BY f.id`,
    );
    expect(funds.map((f) => f.kind).sort()).toEqual(['per_deputy', 'per_deputy', 'per_station', 'per_station', 'special', 'special', 'training', 'training']);
    for (const f of funds) {
      if (Number(f.spent) > Number(f.budget_fen)) expect(Number(f.approvals)).toBeGreaterThan(0);
      expect(Number(f.spent)).toBeGreaterThan(0);
    }
    const shares = rows(
      ctx,
      `SELECT e.station_id, f.unit_amount_fen AS share, sum(e.amount_fen) AS spent, sum(e.over_budget) AS approvals
       FROM fund_entries e JOIN funds f ON f.id = e.fund_id WHERE f.kind = 'per_station' GROUP BY f.id, e.station_id`,
    );
    for (const s of shares) if (Number(s.spent) > Number(s.share)) expect(Number(s.approvals)).toBe(1);
    expect(one(ctx, `SELECT count(*) FROM fund_entries WHERE over_budget = 1 AND (approval_reason IS NULL OR approval_reason = '')`)).toBe(0);
    // A year of spending in 2025, half a year in 2026.
    expect(one(ctx, `SELECT count(DISTINCT substr(date, 1, 7)) FROM fund_entries WHERE date LIKE '2025-%'`)).toBeGreaterThanOrEqual(10);
    expect(one(ctx, `SELECT max(date) FROM fund_entries`) as unknown as string <= '2026-06-30').toBe(true);

    // Deputies without fixed income have bank details, so the batches list no missing account.
    const batches = rows(ctx, 'SELECT id, period, status, total_fen, line_count, exceptions_json FROM subsidy_batches ORDER BY period_start');
    expect(batches.map((b) => `${b.period}:${b.status}`)).toEqual([
      '2025Q1:issued',
      '2025Q2:issued',
      '2025Q3:issued',
      '2025Q4:issued',
      '2026Q1:issued',
      '2026Q2:draft',
    ]);
    for (const b of batches) expect(String(b.exceptions_json)).not.toContain('missing_bank_account');
    // Township standard 200 元/月; Q1 2026 paid at 200, then raised to 300 from January: the Q2 draft pays 3 × 100 each for Q1.
    const q1 = batches[4]!;
    const q1Lines = rows(ctx, 'SELECT person_id, amount_fen, months FROM subsidy_batch_lines WHERE batch_id = ?', q1.id);
    for (const l of q1Lines) expect(Number(l.amount_fen)).toBe(Number(l.months) * 20000);
    const adjustments = rows(ctx, `SELECT person_id, amount_fen, adjusts_period FROM subsidy_batch_lines WHERE batch_id = ? AND kind = 'adjustment'`, batches[5]!.id);
    expect(adjustments.length).toBe(q1Lines.length);
    for (const a of adjustments) {
      const paid = q1Lines.find((l) => l.person_id === a.person_id)!;
      expect(a.adjusts_period).toBe('2026Q1');
      expect(Number(a.amount_fen)).toBe(Number(paid.months) * 10000);
    }
  }, 120_000);
});
