import { describe, expect, it } from 'vitest';
import type { Level } from '../../shared/dictionaries.js';
import {
  computeDue,
  DEFAULT_POLICY,
  parsePeriod,
  type Payee,
  type SeatSpan,
  type SubsidyPolicy,
  type SubsidyStandard,
} from '../../shared/subsidies/index.js';

/**
 * Hand-computed figures (yuan × 100 = fen). The standards follow 桂东县:
 * 县级及以上 300 元/月, 乡镇 200 元/月 raised to 300 元/月 from July 2025,
 * county deputies 1,200 元 a year; all for deputies without fixed income.
 */
const COUNTY_UP: SubsidyStandard = {
  id: 'county-up',
  name: '县级及以上代表履职补贴',
  kind: 'monthly',
  levels: ['national', 'province', 'city', 'county'],
  condition: 'no_fixed_income',
  rates: [{ from: '2025-01-01', amountFen: 30000 }],
};
const TOWNSHIP: SubsidyStandard = {
  id: 'township',
  name: '乡镇代表履职补贴',
  kind: 'monthly',
  levels: ['township'],
  condition: 'no_fixed_income',
  rates: [
    { from: '2025-07-01', amountFen: 30000 },
    { from: '2025-01-01', amountFen: 20000 },
  ],
};
const YEARLY: SubsidyStandard = {
  id: 'yearly',
  name: '县人大代表年度履职补贴',
  kind: 'yearly',
  levels: ['county'],
  condition: 'no_fixed_income',
  rates: [{ from: '2025-01-01', amountFen: 120000 }],
};
const STANDARDS = [COUNTY_UP, TOWNSHIP, YEARLY];
const YEAR = parsePeriod('2025')!.months;

const seat = (level: Level, start: string | null = '2021-10-15', end: string | null = null, suspensions: SeatSpan['suspensions'] = []): SeatSpan => ({
  level,
  start,
  end,
  suspensions,
});
const person = (...seats: SeatSpan[]): Payee => ({ hasFixedIncome: false, seats });
const policy = (p: Partial<SubsidyPolicy> = {}): SubsidyPolicy => ({ ...DEFAULT_POLICY, ...p });
const due = (payee: Payee, p: Partial<SubsidyPolicy> = {}, months = YEAR, standards = STANDARDS) =>
  computeDue(payee, standards, policy(p), months);

describe('periods', () => {
  it('parses months, quarters, halves and years', () => {
    expect(parsePeriod('2025-03')).toMatchObject({ code: '2025-03', kind: 'month', start: '2025-03-01', end: '2025-03-31', label: '2025年3月' });
    expect(parsePeriod('2024-02')!.end).toBe('2024-02-29');
    expect(parsePeriod('2025q1')).toMatchObject({ code: '2025Q1', months: ['2025-01', '2025-02', '2025-03'], label: '2025年第一季度' });
    expect(parsePeriod('2025H2')).toMatchObject({ start: '2025-07-01', end: '2025-12-31', label: '2025年下半年' });
    expect(parsePeriod('2025')!.months).toHaveLength(12);
    expect(parsePeriod('2025-13')).toBeNull();
    expect(parsePeriod('2025Q5')).toBeNull();
    expect(parsePeriod('March')).toBeNull();
  });
});

describe('a full year at the standard rates', () => {
  it('county deputy: 12 × 300 + 1,200 = 4,800 元', () => {
    const d = due(person(seat('county')));
    expect(d.amountFen).toBe(480000);
    expect(d.months).toBe(12);
    expect(d.levels).toEqual(['county']);
    expect(d.standardText).toBe('300元/月；县人大代表年度履职补贴1,200元');
  });

  it('township deputy, standard raised from 200 to 300 in July: 6 × 200 + 6 × 300 = 3,000 元', () => {
    const d = due(person(seat('township')));
    expect(d.amountFen).toBe(300000);
    expect(d.months).toBe(12);
    expect(d.standardText).toBe('1-6月200元/月，7-12月300元/月');
    expect(d.monthly.find((m) => m.month === '2025-06')!.amountFen).toBe(20000);
    expect(d.monthly.find((m) => m.month === '2025-07')!.amountFen).toBe(30000);
  });

  it('pays nothing to deputies with fixed income or with the flag not recorded', () => {
    expect(due({ hasFixedIncome: true, seats: [seat('county')] }).amountFen).toBe(0);
    expect(due({ hasFixedIncome: null, seats: [seat('county')] }).amountFen).toBe(0);
  });

  it('a standard for all deputies pays regardless of income', () => {
    const allCounty: SubsidyStandard = { ...YEARLY, condition: 'all' };
    expect(due({ hasFixedIncome: true, seats: [seat('county')] }, {}, YEAR, [allCounty]).amountFen).toBe(120000);
  });
});

describe('by-election mid-year', () => {
  const byElected = person(seat('township', '2025-08-20'));
  it('month of election counts under the default rule: Aug–Dec 5 × 300 = 1,500 元', () => {
    expect(due(byElected)).toMatchObject({ amountFen: 150000, months: 5 });
  });
  it('15th-day rule: elected on the 20th, August does not count: 4 × 300 = 1,200 元', () => {
    expect(due(byElected, { monthRule: 'cutoff', cutoffDay: 15 })).toMatchObject({ amountFen: 120000, months: 4 });
  });
  it('whole months only: 4 × 300 = 1,200 元', () => {
    expect(due(byElected, { monthRule: 'full' })).toMatchObject({ amountFen: 120000, months: 4 });
  });

  const county = person(seat('county', '2025-04-10'));
  it('county deputy from 10 April: 9 × 300 + 1,200 × 9/12 = 2,700 + 900 = 3,600 元', () => {
    const d = due(county);
    expect(d.amountFen).toBe(360000);
    expect(d.yearly).toEqual([expect.objectContaining({ months: 9, amountFen: 90000, prorated: true })]);
    expect(d.standardText).toBe('300元/月；县人大代表年度履职补贴900元（按9个月折算）');
  });
  it('same, yearly allowance not prorated: 2,700 + 1,200 = 3,900 元', () => {
    expect(due(county, { prorateYearly: false }).amountFen).toBe(390000);
  });
  it('same, whole months only: 8 × 300 + 1,200 × 8/12 = 2,400 + 800 = 3,200 元', () => {
    expect(due(county, { monthRule: 'full' }).amountFen).toBe(320000);
  });
  it('15th-day rule: held on 15 April, so April counts: 3,600 元', () => {
    expect(due(county, { monthRule: 'cutoff' }).amountFen).toBe(360000);
  });
});

describe('seat ended mid-year', () => {
  const ended = person(seat('county', '2021-10-15', '2025-05-10'));
  it('to the month it ends: 5 × 300 + 1,200 × 5/12 = 1,500 + 500 = 2,000 元', () => {
    expect(due(ended)).toMatchObject({ amountFen: 200000, months: 5 });
  });
  it('15th-day rule: ended on the 10th, May does not count: 4 × 300 + 400 = 1,600 元', () => {
    expect(due(ended, { monthRule: 'cutoff' }).amountFen).toBe(160000);
  });
  it('yearly not prorated: 1,500 + 1,200 = 2,700 元', () => {
    expect(due(ended, { prorateYearly: false }).amountFen).toBe(270000);
  });
  it('a seat that ended before the period pays nothing', () => {
    expect(due(person(seat('county', '2021-10-15', '2024-12-31'))).amountFen).toBe(0);
  });
});

describe('suspension (暂停执行代表职务)', () => {
  const suspended = person(seat('township', '2021-10-15', null, [{ from: '2025-03-10', until: '2025-06-20' }]));
  it('not paid, months partly held count: Jan–Mar, Jun at 200 + Jul–Dec at 300 = 800 + 1,800 = 2,600 元', () => {
    expect(due(suspended)).toMatchObject({ amountFen: 260000, months: 10 });
  });
  it('paid by setting: the full 3,000 元', () => {
    expect(due(suspended, { paySuspended: true })).toMatchObject({ amountFen: 300000, months: 12 });
  });
  it('15th-day rule: suspended on 15 March and on 15 June: Jan, Feb at 200 + Jul–Dec = 2,200 元', () => {
    expect(due(suspended, { monthRule: 'cutoff' })).toMatchObject({ amountFen: 220000, months: 8 });
  });
  it('whole months only: the same 2,200 元', () => {
    expect(due(suspended, { monthRule: 'full' }).amountFen).toBe(220000);
  });
  it('never restored from 1 October: Jan–Jun 1,200 + Jul–Sep 900 = 2,100 元', () => {
    const p = person(seat('township', '2021-10-15', null, [{ from: '2025-10-01', until: null }]));
    expect(due(p)).toMatchObject({ amountFen: 210000, months: 9 });
  });
  it('a county deputy suspended all year gets no yearly allowance either', () => {
    const p = person(seat('county', '2021-10-15', null, [{ from: '2024-11-01', until: null }]));
    expect(due(p).amountFen).toBe(0);
    expect(due(p, { paySuspended: true }).amountFen).toBe(480000);
  });
});

describe('a person with county and township seats', () => {
  const dual = person(seat('county'), seat('township'));
  it('就高不就低: 12 × 300 + 1,200 = 4,800 元', () => {
    const d = due(dual);
    expect(d.amountFen).toBe(480000);
    expect(d.levels).toEqual(['county']);
  });
  it('both levels: 3,600 + 3,000 + 1,200 = 7,800 元', () => {
    const d = due(dual, { dualSeatRule: 'both' });
    expect(d.amountFen).toBe(780000);
    expect(d.levels).toEqual(['county', 'township']);
    expect(d.standardText).toBe('1-6月500元/月，7-12月600元/月；县人大代表年度履职补贴1,200元');
  });
  it('county seat ended 30 June, township seat goes on: 1,800 + 1,800 + 600 = 4,200 元 (higher) / 1,800 + 3,000 + 600 = 5,400 元 (both)', () => {
    const p = person(seat('county', '2021-10-15', '2025-06-30'), seat('township'));
    const higher = due(p);
    expect(higher.amountFen).toBe(420000);
    expect(higher.levels).toEqual(['county', 'township']);
    expect(due(p, { dualSeatRule: 'both' }).amountFen).toBe(540000);
  });
  it('in the first half the county rate wins, so raising the township rate changes nothing there', () => {
    const d = due(dual, {}, parsePeriod('2025H1')!.months);
    expect(d.amountFen).toBe(180000);
    expect(d.monthly.every((m) => m.shares.length === 1 && m.shares[0]!.standardId === 'county-up')).toBe(true);
  });
});

describe('successive terms and other edges', () => {
  it('re-election: the old term ends on the 15th, the new one starts on the 16th; whole-month rule sees one full month', () => {
    const p = person(seat('county', '2021-10-15', '2025-03-15'), seat('county', '2025-03-16'));
    expect(due(p, { monthRule: 'full' })).toMatchObject({ amountFen: 480000, months: 12 });
    // Two seats at one level are one standard: never paid twice, even under "both".
    expect(due(p, { dualSeatRule: 'both' }).amountFen).toBe(480000);
  });

  it('the yearly allowance is settled only in the period that holds December', () => {
    const p = person(seat('county'));
    expect(due(p, {}, parsePeriod('2025Q3')!.months).amountFen).toBe(90000);
    expect(due(p, {}, parsePeriod('2025Q4')!.months).amountFen).toBe(90000 + 120000);
    expect(due(p, {}, parsePeriod('2025-12')!.months)).toMatchObject({ amountFen: 30000 + 120000, months: 1 });
  });

  it('a yearly standard that changes mid-year is prorated month by month: (6 × 1,200 + 6 × 2,400) / 12 = 1,800 元', () => {
    const raised: SubsidyStandard = { ...YEARLY, rates: [...YEARLY.rates, { from: '2025-07-01', amountFen: 240000 }] };
    expect(due(person(seat('county')), {}, YEAR, [raised]).amountFen).toBe(180000);
    // Not prorated: the rate in force in the last qualifying month.
    expect(due(person(seat('county')), { prorateYearly: false }, YEAR, [raised]).amountFen).toBe(240000);
  });

  it('rounds a prorated yearly amount half up to the fen: 1,000 × 5/12 = 416.67 元', () => {
    const thousand: SubsidyStandard = { ...YEARLY, rates: [{ from: '2025-01-01', amountFen: 100000 }] };
    expect(due(person(seat('county', '2025-08-01')), {}, YEAR, [thousand]).amountFen).toBe(41667);
  });

  it('the cutoff day falls back to the last day of a short month', () => {
    const p = person(seat('township', '2025-02-27'));
    expect(due(p, { monthRule: 'cutoff', cutoffDay: 31 }, ['2025-02']).amountFen).toBe(20000);
    expect(due(person(seat('township', '2025-03-01')), { monthRule: 'cutoff', cutoffDay: 31 }, ['2025-02']).amountFen).toBe(0);
  });

  it('no rate before a standard first applies', () => {
    const late: SubsidyStandard = { ...TOWNSHIP, rates: [{ from: '2025-04-01', amountFen: 20000 }] };
    expect(due(person(seat('township')), {}, parsePeriod('2025Q1')!.months, [late]).amountFen).toBe(0);
    expect(due(person(seat('township')), {}, parsePeriod('2025H1')!.months, [late]).amountFen).toBe(60000);
  });
});
