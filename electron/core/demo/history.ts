import type { County } from './geography.js';
import { constituencies, issuers, type SeatBook } from './congresses.js';
import type { DemoPerson } from './people.js';
import { TERM_EXPIRED, type DemoSeat } from './plan.js';
import { apportion, type Rng } from './random.js';

/**
 * Re-election (是否连任). For the county congress of a county-scale demo the
 * previous term is generated too, so 连任 deputies really hold a seat of the
 * term before; elsewhere the flag is set as an imported roster would have it.
 */
export function reelectedShare(rng: Rng): number {
  return 0.3 + rng.float() * 0.1;
}

/**
 * The county congress of the previous term, ended at the current general
 * election. Returns the current county seats whose 连任 flag it decided.
 */
export function planPreviousCountyTerm(rng: Rng, book: SeatBook, county: County, current: DemoSeat[], share: number): Set<DemoSeat> {
  const term = county.previousCountyTerm;
  const general = current.filter((s) => s.level === 'county' && s.startMethod === 'general');
  const returning = new Set(rng.sample(general, Math.round(general.length * share)));
  for (const s of current) if (s.level === 'county') s.isReelected = returning.has(s);

  const size = Math.max(returning.size, current.filter((s) => s.level === 'county').length + rng.int(-12, 8));
  const counts = apportion(size, county.townships.map((t) => t.weight));
  const issuer = issuers.county(county);
  let no = 1;
  county.townships.forEach((t, i) => {
    const back: DemoPerson[] = [...returning].filter((s) => s.township === t).map((s) => s.person);
    const count = Math.max(counts[i] ?? 0, back.length);
    const people = rng.shuffle([...back, ...Array<null>(count - back.length).fill(null)]);
    let k = 0;
    no = constituencies(rng, count, no, (constituency) => {
      const person = people[k++] ?? book.person(rng, 'county', t);
      const seat = book.seat(person, { level: 'county', term, township: t, constituency, scope: county.code, issuer, previousTerm: true });
      seat.status = 'ended';
      seat.endDate = county.countyTerm.elected;
      seat.endReason = TERM_EXPIRED;
      seat.isReelected = rng.chance(share);
    });
  });
  return new Set(current.filter((s) => s.level === 'county'));
}

/** 连任 for the seats no history decided: a share of general-election seats; by-elected deputies are new. */
export function assignReelection(rng: Rng, seats: DemoSeat[], share: number, decided: Set<DemoSeat>): void {
  for (const s of seats) {
    if (s.previousTerm || decided.has(s)) continue;
    s.isReelected = s.startMethod === 'general' && rng.chance(share);
  }
}
