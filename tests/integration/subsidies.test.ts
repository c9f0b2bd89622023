import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CoreContext } from '../../electron/core/context.js';
import { createDispatcher, type Dispatch } from '../../electron/core/dispatcher.js';
import type { BatchDetail, BatchSummary, RunResult } from '../../shared/contract/index.js';
import { addPerson, buildScenario, ok, type Scenario } from '../helpers/subsidyRoster.js';
import { townshipContext } from '../helpers/tmp.js';

const byName = (r: RunResult) => Object.fromEntries(r.lines.filter((l) => l.kind === 'regular').map((l) => [l.name, l]));

async function setup(): Promise<{ ctx: CoreContext; call: Dispatch; scenario: Scenario }> {
  const ctx = townshipContext();
  const call = createDispatcher(ctx);
  const scenario = await buildScenario(ctx, call);
  return { ctx, call, scenario };
}

describe('subsidies run: the year paid by hand', () => {
  it('matches the hand-computed figures to the fen and writes nothing on a dry run', async () => {
    const { ctx, call, scenario } = await setup();
    const r = ok(await call('subsidies.run', { period: '2025', dryRun: true })) as RunResult;
    const lines = byName(r);
    expect(Object.keys(lines).sort()).toEqual(['吴无账', '孙兼任', '张县代', '李乡代', '王补选', '赵终止', '钱暂停'].sort());
    expect(lines.张县代).toMatchObject({ level: 'county', months: 12, amountFen: 480000 });
    expect(lines.李乡代).toMatchObject({ level: 'township', months: 12, amountFen: 300000, standardText: '1-6月200元/月，7-12月300元/月' });
    expect(lines.王补选).toMatchObject({ months: 5, amountFen: 150000 });
    expect(lines.赵终止).toMatchObject({ months: 5, amountFen: 200000 });
    expect(lines.钱暂停).toMatchObject({ months: 10, amountFen: 260000 });
    expect(lines.孙兼任).toMatchObject({ level: 'county', levels: ['county'], months: 12, amountFen: 480000 });
    expect(lines.吴无账).toMatchObject({ amountFen: 300000 });
    expect(r.totalFen).toBe(2170000);
    expect(r.batchId).toBeNull();
    expect(ctx.db.prepare('SELECT count(*) FROM subsidy_batches').pluck().get()).toBe(0);

    const kinds = r.exceptions.map((e) => `${e.name}:${e.kind}`).sort();
    expect(kinds).toEqual(['吴无账:missing_bank_account', '赵终止:seat_ended', '钱暂停:seat_suspended'].sort());
    expect(r.exceptions.find((e) => e.kind === 'seat_ended')!.message).toContain('2025-05-10');
    expect(scenario.ids.周固定).toBeDefined();
  });

  it('pays both levels when the office chooses so', async () => {
    const { call } = await setup();
    ok(await call('subsidies.policySet', { dualSeatRule: 'both', monthRule: 'inclusive', paySuspended: false, prorateYearly: true }));
    const r = ok(await call('subsidies.run', { period: '2025', dryRun: true })) as RunResult;
    expect(byName(r).孙兼任).toMatchObject({ levels: ['county', 'township'], amountFen: 780000 });
    expect(r.totalFen).toBe(2170000 + 300000);
  });

  it('follows the partial-month and suspension settings', async () => {
    const { call } = await setup();
    ok(await call('subsidies.policySet', { dualSeatRule: 'higher', monthRule: 'cutoff', cutoffDay: 15, paySuspended: true, prorateYearly: false }));
    const lines = byName(ok(await call('subsidies.run', { period: '2025', dryRun: true })) as RunResult);
    // by-election on 20 Aug: August not counted → 4 × 300
    expect(lines.王补选!.amountFen).toBe(120000);
    // ended 10 May: May not counted → 4 × 300 + the full 1,200
    expect(lines.赵终止!.amountFen).toBe(120000 + 120000);
    // suspended months paid
    expect(lines.钱暂停!.amountFen).toBe(300000);
  });

  it('refuses a period it cannot read, in Chinese', async () => {
    const { call } = await setup();
    const r = await call('subsidies.run', { period: '2025年3月' });
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('2025Q1') } });
  });

  it('flags a change of the fixed-income flag recorded since the period began', async () => {
    const ctx = townshipContext();
    const call = createDispatcher(ctx);
    const { personId } = await addPerson(call, '冯变更', [{ level: 'township', start: '2021-10-15' }]);
    await buildScenario(ctx, call);
    ctx.repo.update('persons', personId, { has_fixed_income: 1 });
    const r = ok(await call('subsidies.run', { period: '2025-03', dryRun: true })) as RunResult;
    expect(r.exceptions.filter((e) => e.name === '冯变更').map((e) => e.kind)).toEqual(['fixed_income_changed']);
    expect(r.lines.find((l) => l.name === '冯变更')).toBeUndefined();
  });
});

describe('batches: draft, issue, lock, adjust', () => {
  it('issues a half-year, refuses every edit, and corrects it with adjusting lines in the next batch', async () => {
    const { ctx, call, scenario } = await setup();

    const h1 = ok(await call('subsidies.run', { period: '2025H1' })) as RunResult;
    expect(h1.batchId).toBeTruthy();
    // H1 by hand: 张 1,800; 李 1,200; 赵 Jan–May 1,500; 钱 Jan–Mar + Jun 800; 孙 1,800; 吴 1,200
    expect(h1.totalFen).toBe(830000);
    expect(byName(h1).王补选).toBeUndefined();

    // Re-running a draft replaces it: same id, no duplicate lines.
    const again = ok(await call('subsidies.run', { period: '2025H1' })) as RunResult;
    expect(again).toMatchObject({ batchId: h1.batchId, replacedDraft: true, totalFen: 830000 });
    expect(ctx.db.prepare('SELECT count(*) FROM subsidy_batch_lines WHERE deleted_at IS NULL').pluck().get()).toBe(6);

    const detail = ok(await call('subsidies.batch', { batchId: h1.batchId! })) as BatchDetail;
    expect(detail.batch.status).toBe('draft');
    expect(detail.lines[0]!.bankAccountMasked).toMatch(/^6221 \*\*\*\* \*\*\*\* \d{4}$/);
    expect(JSON.stringify(detail)).not.toMatch(/62210000\d{11}/);
    ok(await call('subsidies.lineNote', { lineId: detail.lines[0]!.id, note: '本人领取' }));

    const issued = ok(await call('subsidies.issue', { batchId: h1.batchId! })) as BatchSummary;
    expect(issued).toMatchObject({ status: 'issued', totalFen: 830000, issuedBy: '测试员' });
    // A backup was taken before issuing.
    const backups = fs.readdirSync(path.join(path.dirname(ctx.dbPath), 'backups'));
    expect(backups.filter((f) => f.endsWith('-batch-issue.ddbak'))).toHaveLength(1);

    // Locked: every change is refused at the core.
    const refusals = [
      await call('subsidies.lineNote', { lineId: detail.lines[0]!.id, note: '改' }),
      await call('subsidies.removeBatch', { batchId: h1.batchId! }),
      await call('subsidies.issue', { batchId: h1.batchId! }),
      await call('subsidies.run', { period: '2025H1' }),
      await call('subsidies.run', { period: '2025Q2', dryRun: true }),
      await call('subsidies.run', { period: '2025' }),
    ];
    for (const r of refusals) expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect((refusals[0] as { error: { message: string } }).error.message).toContain('已于');
    expect((refusals[3] as { error: { message: string } }).error.message).toContain('调整行');
    // Even raw SQL cannot change it.
    expect(() => ctx.db.prepare('UPDATE subsidy_batch_lines SET amount_fen = 1 WHERE batch_id = ?').run(h1.batchId)).toThrow(/已发放/);
    expect(() => ctx.db.prepare("UPDATE subsidy_batches SET status = 'draft' WHERE id = ?").run(h1.batchId)).toThrow(/已发放/);
    expect(ctx.db.prepare('SELECT sum(amount_fen) FROM subsidy_batch_lines WHERE batch_id = ? AND deleted_at IS NULL').pluck().get(h1.batchId)).toBe(830000);

    // Late news: 赵's seat really ended on 20 March; a by-election on 5 May was not recorded.
    ctx.repo.update('seats', scenario.ids.赵终止!.seatIds[0]!, { end_date: '2025-03-20' });
    const late = await addPerson(call, '郑迟录', [{ level: 'township', start: '2025-05-05', startMethod: 'by_election' }]);

    const h2 = ok(await call('subsidies.run', { period: '2025H2' })) as RunResult;
    const adjustments = h2.lines.filter((l) => l.kind === 'adjustment');
    expect(adjustments.map((l) => [l.name, l.amountFen, l.adjustsPeriod])).toEqual(
      expect.arrayContaining([
        ['赵终止', -60000, '2025H1'],
        ['郑迟录', 40000, '2025H1'],
      ]),
    );
    expect(adjustments).toHaveLength(2);
    expect(adjustments.find((l) => l.name === '赵终止')).toMatchObject({ standardText: '扣回2025年上半年', note: '应发900.00元，已发1,500.00元' });
    const regular = byName(h2);
    // H2 by hand: 张 1,800 + 1,200; 李 1,800; 王 1,500; 赵 yearly 1,200×3/12 = 300; 钱 1,800; 孙 3,000; 吴 1,800; 郑 1,800
    expect(regular.赵终止).toMatchObject({ months: 3, amountFen: 30000 });
    expect(regular.郑迟录!.personId).toBe(late.personId);
    expect(h2.totalFen).toBe(1500000 - 20000);
    expect(h2.exceptions.find((e) => e.name === '赵终止' && e.kind === 'negative_net')).toBeDefined();

    // The year adds up: what 赵 got for 2025 is what is due for 2025 now.
    ok(await call('subsidies.issue', { batchId: h2.batchId! }));
    const paid赵 = ctx.db
      .prepare('SELECT sum(amount_fen) FROM subsidy_batch_lines WHERE person_id = ? AND deleted_at IS NULL')
      .pluck()
      .get(scenario.ids.赵终止!.personId);
    expect(paid赵).toBe(3 * 30000 + 30000);

    // Nothing left to adjust: a later run lists no adjusting lines.
    const q1 = ok(await call('subsidies.run', { period: '2026Q1', dryRun: true })) as RunResult;
    expect(q1.lines.filter((l) => l.kind === 'adjustment')).toEqual([]);

    const list = ok(await call('subsidies.batches', {})) as BatchSummary[];
    expect(list.map((b) => [b.period, b.status, b.adjustmentCount])).toEqual([
      ['2025H2', 'issued', 2],
      ['2025H1', 'issued', 0],
    ]);
  });

  it('refuses to issue a draft whose adjustments went stale when an earlier batch was issued', async () => {
    const { call } = await setup();
    const jan = ok(await call('subsidies.run', { period: '2025-01' })) as RunResult;
    const feb = ok(await call('subsidies.run', { period: '2025-02' })) as RunResult;
    ok(await call('subsidies.issue', { batchId: jan.batchId! }));
    const r = await call('subsidies.issue', { batchId: feb.batchId! });
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('重新生成') } });
    ok(await call('subsidies.run', { period: '2025-02' }));
    ok(await call('subsidies.issue', { batchId: feb.batchId! }));
  });

  it('refuses a period overlapping a draft of another period', async () => {
    const { call } = await setup();
    ok(await call('subsidies.run', { period: '2025-03' }));
    const r = await call('subsidies.run', { period: '2025Q1' });
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('草稿') } });
  });
});

describe('standards', () => {
  it('keeps rates by date and refuses a rate that does not start on the 1st', async () => {
    const ctx = townshipContext();
    const call = createDispatcher(ctx);
    const { addStandards } = await import('../helpers/subsidyRoster.js');
    const ids = await addStandards(call);
    const list = ok(await call('subsidies.standards', {})) as { id: string; rates: { effectiveFrom: string; amountFen: number }[] }[];
    expect(list.find((s) => s.id === ids.township)!.rates.map((r) => [r.effectiveFrom, r.amountFen])).toEqual([
      ['2025-01-01', 20000],
      ['2025-07-01', 30000],
    ]);
    const bad = await call('subsidies.rateAdd', { standardId: ids.township, effectiveFrom: '2025-07-15', amountFen: 30000 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('生效日期') } });
    const twin = await call('subsidies.rateAdd', { standardId: ids.township, effectiveFrom: '2025-07-01', amountFen: 25000 });
    expect(twin).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('says what to do when there is no standard yet', async () => {
    const ctx = townshipContext();
    const r = await createDispatcher(ctx)('subsidies.run', { period: '2025' });
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('补贴标准') } });
  });
});
