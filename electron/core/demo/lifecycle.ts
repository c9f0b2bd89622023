import { END_REASONS } from '../../../shared/dictionaries.js';
import { DEMO_TODAY, addDays, dateBetween, minDate } from './calendar.js';
import type { DemoPerson } from './people.js';
import type { DemoEvent, DemoSeat, EventKind } from './plan.js';
import type { Rng, Weighted } from './random.js';

/**
 * What happened to seats during the term (Deputies Law, Election Law):
 * by-elections (补选, ~3–5%), seats that ended early (代表资格终止, ~2–3%),
 * suspensions (暂停执行代表职务, ~0.3%) and a few suspensions already lifted.
 * Each change gets a dated seat_events row; document numbers come last.
 */
type EndReason = (typeof END_REASONS)[number];

const END_WEIGHTS: Weighted<EndReason> = [
  ['迁出或调离本行政区域', 45],
  ['辞职被接受', 30],
  ['死亡', 14],
  ['未经批准两次不出席本级人民代表大会会议', 4],
  ['依照法律被剥夺政治权利', 3],
  ['被罢免', 2],
  ['丧失行为能力', 1.5],
  ['丧失中华人民共和国国籍', 0.5],
];

/** Reasons that end every seat the person holds, not just the one in question. */
const ENDS_ALL_SEATS = new Set<string>(['死亡', '依照法律被剥夺政治权利', '丧失行为能力', '丧失中华人民共和国国籍']);
/** Moving out of the county ends county and township seats; a city deputy may stay one. */
const ENDS_LOCAL_SEATS = new Set<string>(['迁出或调离本行政区域']);

const END_NOTES: Partial<Record<EndReason, readonly string[]>> = {
  迁出或调离本行政区域: ['工作调动，调离本行政区域', '户籍迁出本行政区域', '调任外地工作'],
  辞职被接受: ['因工作变动辞去代表职务', '因身体原因辞去代表职务', '因个人原因辞去代表职务'],
  死亡: ['因病去世', '因意外事故去世'],
};

export interface LifecycleRates {
  byElection: number;
  ended: number;
  suspended: number;
  restored: number;
}

export function lifecycleRates(rng: Rng): LifecycleRates {
  return { byElection: 0.03 + rng.float() * 0.02, ended: 0.02 + rng.float() * 0.01, suspended: 0.003, restored: 0.002 };
}

function event(kind: EventKind, date: string, seat: DemoSeat, reason: string | null, note: string | null, documented = true): DemoEvent {
  return { kind, date, documentNo: null, issuer: documented ? seat.issuer : null, reason, note };
}

/** Small scales still show each kind once; a 60-seat township would otherwise round to none. */
function howMany(n: number, rate: number, atLeastOne: boolean): number {
  const k = Math.round(n * rate);
  return atLeastOne && n >= 20 ? Math.max(1, k) : k;
}

/** Applies by-elections, early ends and suspensions to the current term's general-election seats. */
export function applyLifecycle(rng: Rng, seats: DemoSeat[], rates: LifecycleRates = lifecycleRates(rng)): void {
  const byPerson = new Map<DemoPerson, DemoSeat[]>();
  for (const s of seats) {
    const list = byPerson.get(s.person);
    if (list) list.push(s);
    else byPerson.set(s.person, [s]);
  }
  const eligible = seats.filter((s) => !s.previousTerm && s.status === 'current' && s.startMethod === 'general');
  const n = eligible.length;
  const order = rng.shuffle(eligible);
  const counts = [
    howMany(n, rates.byElection, true),
    howMany(n, rates.ended, true),
    howMany(n, rates.suspended, false),
    howMany(n, rates.restored, false),
  ];
  const touched = new Set<DemoSeat>();
  let at = 0;
  const take = (k: number) => order.slice(at, (at += k)).filter((s) => !touched.has(s));
  for (const seat of take(counts[0]!)) byElection(rng, seat, touched);
  for (const seat of take(counts[1]!)) end(rng, seat, byPerson, touched);
  for (const seat of take(counts[2]!)) suspend(rng, seat, byPerson, touched);
  for (const seat of take(counts[3]!)) suspendAndRestore(rng, seat, touched);
}

function byElection(rng: Rng, seat: DemoSeat, touched: Set<DemoSeat>): void {
  const t = seat.term;
  const date = dateBetween(rng, addDays(t.elected, 180), minDate(DEMO_TODAY, addDays(t.ends, -90)));
  seat.startMethod = 'by_election';
  seat.startDate = date;
  seat.isReelected = false;
  seat.events.push(event('by_election', date, seat, null, '补选产生'));
  touched.add(seat);
}

/** The person's other seats of the current term that are still untouched. */
function otherSeats(seat: DemoSeat, all: Map<DemoPerson, DemoSeat[]>, touched: Set<DemoSeat>): DemoSeat[] {
  return (all.get(seat.person) ?? []).filter((s) => s !== seat && !s.previousTerm && s.status === 'current' && !touched.has(s));
}

function end(rng: Rng, seat: DemoSeat, all: Map<DemoPerson, DemoSeat[]>, touched: Set<DemoSeat>): void {
  const reason = rng.weighted(END_WEIGHTS);
  const others = ENDS_ALL_SEATS.has(reason)
    ? otherSeats(seat, all, touched)
    : ENDS_LOCAL_SEATS.has(reason)
      ? otherSeats(seat, all, touched).filter((s) => s.level === 'county' || s.level === 'township')
      : [];
  // After the latest start among the seats it ends: nobody dies before taking a later seat.
  const latestStart = [seat, ...others].map((s) => s.startDate).sort().pop()!;
  const date = dateBetween(rng, addDays(latestStart, 120), DEMO_TODAY);
  const notes = END_NOTES[reason];
  const note = notes ? rng.pick(notes) : null;
  endSeat(rng, seat, date, reason, note, touched);
  // Each body announces on its own day, a little after the first.
  for (const other of others) endSeat(rng, other, minDate(DEMO_TODAY, addDays(date, rng.int(0, 30))), reason, note, touched);
}

function endSeat(rng: Rng, seat: DemoSeat, date: string, reason: string, note: string | null, touched: Set<DemoSeat>): void {
  if (reason === '辞职被接受') {
    seat.events.push(event('resigned', addDays(date, -rng.int(10, 40)), seat, null, '本人书面提出辞去代表职务', false));
  }
  seat.status = 'ended';
  seat.endDate = date;
  seat.endReason = reason;
  seat.note = note;
  seat.events.push(event('ended', date, seat, reason, note));
  touched.add(seat);
}

const SUSPEND_REASONS: Weighted<string> = [
  ['因涉嫌犯罪被羁押', 3],
  ['正在受刑事审判', 1],
];

function suspend(rng: Rng, seat: DemoSeat, all: Map<DemoPerson, DemoSeat[]>, touched: Set<DemoSeat>): void {
  const reason = rng.weighted(SUSPEND_REASONS);
  const date = dateBetween(rng, addDays(seat.startDate, 365), addDays(DEMO_TODAY, -20));
  // A detained deputy is suspended by every body whose deputy they are.
  for (const s of [seat, ...otherSeats(seat, all, touched)]) {
    s.status = 'suspended';
    s.note = '暂停执行代表职务';
    s.events.push(event('suspended', s === seat ? date : minDate(DEMO_TODAY, addDays(date, rng.int(0, 15))), s, reason, null));
    touched.add(s);
  }
}

function suspendAndRestore(rng: Rng, seat: DemoSeat, touched: Set<DemoSeat>): void {
  const from = dateBetween(rng, addDays(seat.startDate, 200), addDays(DEMO_TODAY, -260));
  const to = addDays(from, rng.int(60, 240));
  seat.events.push(event('suspended', from, seat, '因涉嫌犯罪被羁押', null));
  seat.events.push(event('restored', to, seat, '羁押解除，经审查不追究刑事责任', '恢复执行代表职务'));
  touched.add(seat);
}

/**
 * 文号 like 枫人常〔2024〕12号: numbered per issuing body and year in date
 * order, with gaps for the body's other documents of that year.
 */
export function numberDocuments(rng: Rng, seats: DemoSeat[]): void {
  const byBodyYear = new Map<string, DemoEvent[]>();
  for (const seat of seats) {
    for (const e of seat.events) {
      if (!e.issuer) continue;
      const key = `${e.issuer.key}|${e.date.slice(0, 4)}`;
      let list = byBodyYear.get(key);
      if (!list) byBodyYear.set(key, (list = []));
      list.push(e);
    }
  }
  for (const list of byBodyYear.values()) {
    // Stable sort: same-day events keep planning order, so numbering is deterministic.
    list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    let n = rng.int(1, 4);
    let lastDate = '';
    for (const e of list) {
      // Same body, same day: one announcement covers them all.
      if (e.date !== lastDate && lastDate !== '') n += rng.int(1, 4);
      lastDate = e.date;
      e.documentNo = `${e.issuer!.prefix}〔${e.date.slice(0, 4)}〕${n}号`;
    }
  }
}
