import type { Level } from '../../../shared/dictionaries.js';
import type { Term } from './calendar.js';
import type { City, County, Province, Township } from './geography.js';
import type { DemoPerson, PersonFactory } from './people.js';
import type { DemoSeat, Issuer } from './plan.js';
import { apportion, type Rng } from './random.js';

/**
 * Seats, congress by congress. Township and county deputies are elected in
 * numbered constituencies (第N选区) of one to three seats; city, provincial and
 * national deputies are elected by the congress below, which is their
 * 原选举单位. People can hold seats at two levels, so higher congresses draw
 * part of their members from the deputies already planned.
 */
export class SeatBook {
  readonly persons: DemoPerson[] = [];
  readonly seats: DemoSeat[] = [];
  private readonly certificates = new Map<string, number>();
  private readonly holders = new Map<string, Set<DemoPerson>>();

  constructor(readonly factory: PersonFactory) {}

  person(rng: Rng, level: Level, home: Township): DemoPerson {
    const p = this.factory.make(rng, level, home);
    this.persons.push(p);
    return p;
  }

  /** Whether the person already holds a seat in this congress term. */
  holds(person: DemoPerson, level: Level, term: Term): boolean {
    return this.holders.get(`${level}|${term.name}`)?.has(person) ?? false;
  }

  /** Continues a certificate series at `next` (a township's slice of the county series). */
  startCertificates(level: Level, term: Term, scope: string, next: number): void {
    this.certificates.set(`${level}|${term.name}|${scope}`, next - 1);
  }

  seat(person: DemoPerson, o: SeatOptions): DemoSeat {
    const key = `${o.level}|${o.term.name}`;
    let holders = this.holders.get(key);
    if (!holders) this.holders.set(key, (holders = new Set()));
    if (holders.has(person)) throw new Error(`demo: ${person.name} would hold two ${key} seats`);
    holders.add(person);
    // 代表证号 is unique within level + term; the area code in front keeps townships apart.
    const certKey = `${key}|${o.scope}`;
    const n = (this.certificates.get(certKey) ?? 0) + 1;
    this.certificates.set(certKey, n);
    const width = o.level === 'township' || o.level === 'county' ? 3 : 4;
    const seat: DemoSeat = {
      person,
      level: o.level,
      term: o.term,
      township: o.township,
      constituency: o.constituency,
      certificateNo: `${o.scope}-${o.term.number}-${String(n).padStart(width, '0')}`,
      group: null,
      station: null,
      isReelected: false,
      startDate: o.term.elected,
      startMethod: 'general',
      status: 'current',
      endDate: null,
      endReason: null,
      note: null,
      events: [],
      previousTerm: o.previousTerm ?? false,
      issuer: o.issuer,
    };
    this.seats.push(seat);
    return seat;
  }
}

export interface SeatOptions {
  level: Level;
  term: Term;
  township: Township;
  constituency: string;
  /** Area code that prefixes the certificate number. */
  scope: string;
  issuer: Issuer;
  previousTerm?: boolean;
}

const stem = (name: string) => name.replace(/(镇|乡|街道)$/, '');

export const issuers = {
  township: (t: Township): Issuer => ({ key: `township:${t.code}`, prefix: `${stem(t.name)}人主` }),
  county: (c: County): Issuer => ({ key: `county:${c.code}`, prefix: `${c.name.slice(0, 1)}人常` }),
  city: (c: City): Issuer => ({ key: `city:${c.code}`, prefix: `${c.name.slice(0, 1)}人常` }),
  province: (p: Province): Issuer => ({ key: `province:${p.code}`, prefix: `${p.abbr}人常` }),
  national: (): Issuer => ({ key: 'national', prefix: '全国人大常委会公告' }),
};

/** Splits `count` seats into constituencies of 1–3 seats, numbered from `first`; returns the next free number. */
export function constituencies(rng: Rng, count: number, first: number, each: (name: string) => void): number {
  let no = first;
  for (let left = count; left > 0; no++) {
    const size = Math.min(left, rng.weighted([[1, 3], [2, 4], [3, 2]]));
    for (let i = 0; i < size; i++) each(`第${no}选区`);
    left -= size;
  }
  return no;
}

/**
 * County deputies elected in the given townships, `counts[i]` in each, with
 * constituencies and certificates numbered from `first` (a township office
 * sees only its own slice of the county's numbering).
 */
export function planCountyCongress(
  rng: Rng,
  book: SeatBook,
  county: County,
  townships: Township[],
  counts: number[],
  first = 1,
): DemoSeat[] {
  const term = county.countyTerm;
  const out: DemoSeat[] = [];
  if (first > 1) book.startCertificates('county', term, county.code, first);
  let no = first;
  townships.forEach((t, i) => {
    no = constituencies(rng, counts[i] ?? 0, no, (constituency) => {
      const seat = book.seat(book.person(rng, 'county', t), {
        level: 'county',
        term,
        township: t,
        constituency,
        scope: county.code,
        issuer: issuers.county(county),
      });
      out.push(seat);
    });
  });
  return out;
}

/** County seats spread over all the county's townships by population. */
export function countySeatsByTownship(county: County, total: number): number[] {
  return apportion(total, county.townships.map((t) => t.weight));
}

/**
 * Cadres and village heads who sit in the county congress usually sit in
 * their township's congress too (the domain's dual seats).
 */
export function pickDualHolders(rng: Rng, countySeats: DemoSeat[], township: Township): DemoPerson[] {
  return countySeats
    .filter((s) => s.township === township)
    .map((s) => s.person)
    .filter((p) => {
      if (p.composition === '党政领导干部' && p.workUnit.startsWith(township.name)) return rng.chance(0.85);
      if (p.composition === '农民' && p.workUnit.includes('书记')) return rng.chance(0.5);
      return rng.chance(0.06);
    });
}

/** A township congress of `size`, the dual holders placed among freshly drawn deputies. */
export function planTownshipCongress(rng: Rng, book: SeatBook, township: Township, size: number, duals: DemoPerson[]): DemoSeat[] {
  const term = township.county.townshipTerm;
  const slots: (DemoPerson | null)[] = rng.shuffle([...duals.slice(0, size), ...Array<null>(Math.max(0, size - duals.length)).fill(null)]);
  const out: DemoSeat[] = [];
  let i = 0;
  constituencies(rng, size, 1, (constituency) => {
    const person = slots[i++] ?? book.person(rng, 'township', township);
    out.push(
      book.seat(person, {
        level: 'township',
        term,
        township,
        constituency,
        scope: township.code,
        issuer: issuers.township(township),
      }),
    );
  });
  return out;
}

/**
 * Deputies a congress elects to the congress above (原选举单位 = the electing
 * body): a share are its own deputies, preferably cadres and entrepreneurs,
 * the rest people from the area who hold no other seat.
 */
export function planElectedUpward(
  rng: Rng,
  book: SeatBook,
  o: {
    level: Level;
    term: Term;
    count: number;
    electedBy: string;
    scope: string;
    issuer: Issuer;
    /** Deputies of lower congresses who may also take this seat. */
    pool: DemoPerson[];
    dualShare: number;
    /** Where a newly drawn deputy lives. */
    home: () => Township;
  },
): DemoSeat[] {
  const preferred = new Set(['党政领导干部', '企业负责人', '专业技术人员']);
  const candidates = rng.shuffle(o.pool).sort((a, b) => Number(preferred.has(b.composition)) - Number(preferred.has(a.composition)));
  let next = 0;
  const out: DemoSeat[] = [];
  for (let i = 0; i < o.count; i++) {
    let person: DemoPerson | undefined;
    if (rng.chance(o.dualShare)) {
      while (next < candidates.length && book.holds(candidates[next]!, o.level, o.term)) next++;
      person = candidates[next++];
    }
    person ??= book.person(rng, o.level, o.home());
    out.push(
      book.seat(person, {
        level: o.level,
        term: o.term,
        township: person.home,
        constituency: o.electedBy,
        scope: o.scope,
        issuer: o.issuer,
      }),
    );
  }
  return out;
}

const townshipWeights = new WeakMap<County, [Township, number][]>();

/** A township of the county, drawn by population. */
export function residentTownship(rng: Rng, county: County): Township {
  let table = townshipWeights.get(county);
  if (!table) townshipWeights.set(county, (table = county.townships.map((t) => [t, t.weight])));
  return rng.weighted(table);
}
