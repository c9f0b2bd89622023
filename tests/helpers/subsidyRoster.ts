import type { CoreContext } from '../../electron/core/context.js';
import type { Dispatch } from '../../electron/core/dispatcher.js';
import type { Level } from '../../shared/dictionaries.js';
import type { Result } from '../../shared/errors.js';
import { idCheckChar } from '../../shared/idcard.js';

let serial = 100;
/** A checksum-valid synthetic ID number (never a real person's); odd sequence → 男. */
function syntheticId(): string {
  const first17 = `43028119700101${String(serial++ * 2 + 1).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

export function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data;
}

export interface SeatSpec {
  level: Level;
  start: string;
  startMethod?: 'general' | 'by_election';
}

/** Adds a person with seats through the roster methods; returns person and seat ids. */
export async function addPerson(
  call: Dispatch,
  name: string,
  seats: SeatSpec[],
  options: { fixedIncome?: boolean | null; bank?: boolean } = {},
): Promise<{ personId: string; seatIds: string[] }> {
  let personId = '';
  const seatIds: string[] = [];
  // A second seat finds the same person by ID number.
  const idNumber = syntheticId();
  for (const s of seats) {
    const person = {
      name,
      idNumber,
      hasFixedIncome: options.fixedIncome === undefined ? false : options.fixedIncome,
      bankName: options.bank === false ? null : '青山镇农村信用社',
      bankAccount: options.bank === false ? null : `62210000${String(Math.abs(hash(name))).padStart(11, '0').slice(0, 11)}`,
    };
    const created = ok(
      await call('roster.create', {
        person,
        seat: { level: s.level, term: s.level === 'county' ? '第十八届' : '第十九届', township: '青山镇', startDate: s.start, startMethod: s.startMethod ?? 'general' },
      }),
    ) as { personId: string; seatId: string };
    personId = created.personId;
    seatIds.push(created.seatId);
  }
  return { personId, seatIds };
}

function hash(s: string): number {
  let h = 7;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}

/** What the lifecycle actions write: the seat's status and end, and a dated event. */
export function endSeat(ctx: CoreContext, seatId: string, date: string, reason: string): void {
  ctx.repo.update('seats', seatId, { status: 'ended', end_date: date, end_reason: reason });
  ctx.repo.insert('seat_events', { seat_id: seatId, kind: 'ended', date, reason });
}

export function suspendSeat(ctx: CoreContext, seatId: string, from: string, until: string | null): void {
  ctx.repo.insert('seat_events', { seat_id: seatId, kind: 'suspended', date: from, reason: '因涉嫌犯罪被羁押' });
  if (until) ctx.repo.insert('seat_events', { seat_id: seatId, kind: 'restored', date: until, reason: '恢复执行代表职务' });
  else ctx.repo.update('seats', seatId, { status: 'suspended' });
}

/** 桂东县's standards, with the township rate raised from 200 to 300 元 in July 2025. */
export async function addStandards(call: Dispatch): Promise<{ countyUp: string; township: string; yearly: string }> {
  const countyUp = ok(
    await call('subsidies.standardCreate', {
      name: '县级及以上代表履职补贴',
      kind: 'monthly',
      levels: ['national', 'province', 'city', 'county'],
      condition: 'no_fixed_income',
      amountFen: 30000,
      effectiveFrom: '2025-01-01',
    }),
  ) as { id: string };
  const township = ok(
    await call('subsidies.standardCreate', {
      name: '乡镇代表履职补贴',
      kind: 'monthly',
      levels: ['township'],
      condition: 'no_fixed_income',
      amountFen: 20000,
      effectiveFrom: '2025-01-01',
    }),
  ) as { id: string };
  ok(await call('subsidies.rateAdd', { standardId: township.id, effectiveFrom: '2025-07-01', amountFen: 30000 }));
  const yearly = ok(
    await call('subsidies.standardCreate', {
      name: '县人大代表年度履职补贴',
      kind: 'yearly',
      levels: ['county'],
      condition: 'no_fixed_income',
      amountFen: 120000,
      effectiveFrom: '2025-01-01',
    }),
  ) as { id: string };
  return { countyUp: countyUp.id, township: township.id, yearly: yearly.id };
}

export interface Scenario {
  ids: Record<string, { personId: string; seatIds: string[] }>;
}

/**
 * The roster the acceptance check describes, paid by hand (yuan, 2025, 就高不就低,
 * months from the month the seat starts to the month it ends, suspended months unpaid):
 *   张县代 county all year                12×300 + 1,200            = 4,800
 *   李乡代 township all year              6×200 + 6×300             = 3,000
 *   王补选 township by-election 20 Aug    5×300 (Aug–Dec)           = 1,500
 *   赵终止 county, ended 10 May           5×300 + 1,200×5/12        = 2,000
 *   钱暂停 township, suspended 10 Mar–20 Jun: Jan–Mar, Jun at 200 + Jul–Dec at 300 = 2,600
 *   孙兼任 county + township              12×300 + 1,200            = 4,800 (both: 7,800)
 *   周固定 township, has fixed income                                 = 0
 *   吴无账 township, no bank account      6×200 + 6×300             = 3,000
 *   total                                                            21,700
 */
export async function buildScenario(ctx: CoreContext, call: Dispatch): Promise<Scenario> {
  const ids: Scenario['ids'] = {};
  ids.张县代 = await addPerson(call, '张县代', [{ level: 'county', start: '2021-10-15' }]);
  ids.李乡代 = await addPerson(call, '李乡代', [{ level: 'township', start: '2021-10-15' }]);
  ids.王补选 = await addPerson(call, '王补选', [{ level: 'township', start: '2025-08-20', startMethod: 'by_election' }]);
  ids.赵终止 = await addPerson(call, '赵终止', [{ level: 'county', start: '2021-10-15' }]);
  ids.钱暂停 = await addPerson(call, '钱暂停', [{ level: 'township', start: '2021-10-15' }]);
  ids.孙兼任 = await addPerson(call, '孙兼任', [
    { level: 'county', start: '2021-10-15' },
    { level: 'township', start: '2021-10-15' },
  ]);
  ids.周固定 = await addPerson(call, '周固定', [{ level: 'township', start: '2021-10-15' }], { fixedIncome: true });
  ids.吴无账 = await addPerson(call, '吴无账', [{ level: 'township', start: '2021-10-15' }], { bank: false });
  endSeat(ctx, ids.赵终止.seatIds[0]!, '2025-05-10', '死亡');
  suspendSeat(ctx, ids.钱暂停.seatIds[0]!, '2025-03-10', '2025-06-20');
  await addStandards(call);
  return { ids };
}
