import {
  SeatBook,
  countySeatsByTownship,
  issuers,
  pickDualHolders,
  planCountyCongress,
  planElectedUpward,
  planTownshipCongress,
  residentTownship,
} from './congresses.js';
import { hasCongress, planGeography, type County, type DemoScale, type Geography, type OfficeAnchorInput } from './geography.js';
import { assignReelection, planPreviousCountyTerm, reelectedShare } from './history.js';
import { applyLifecycle, numberDocuments } from './lifecycle.js';
import { planGroups, planStations } from './organise.js';
import { PersonFactory } from './people.js';
import type { DemoPlan, DemoSeat } from './plan.js';
import { Rng, apportion } from './random.js';

/**
 * What each scale contains (domain brief, "Scale"):
 * - township: one township office's roster — its ~50 township deputies, the
 *   8–12 county deputies elected there (some hold both seats), perhaps a city deputy;
 * - county: 20–28 townships, 250–300 county and ~2,500 township deputies, the
 *   city/provincial/national deputies living in the county, and the previous
 *   county congress;
 * - province: 122 counties in 14 cities, all five levels (~138,000 seats, as in Hunan).
 */
export function planDemo(office: OfficeAnchorInput, scale: DemoScale, seed: number): DemoPlan {
  const root = new Rng(seed);
  const geo = planGeography(root.fork('geography'), scale, office);
  const book = new SeatBook(new PersonFactory(geo));
  const rng = root.fork('roster');
  const homeCountySeats =
    scale === 'township' ? planTownshipScale(rng, book, geo) : scale === 'county' ? planCountyScale(rng, book, geo) : planProvinceScale(rng, book, geo);

  applyLifecycle(root.fork('lifecycle'), book.seats);
  const share = reelectedShare(root.fork('reelection'));
  const decided =
    scale === 'county' ? planPreviousCountyTerm(root.fork('history'), book, geo.homeCounty, homeCountySeats, share) : new Set<DemoSeat>();
  assignReelection(root.fork('reelection'), book.seats, share, decided);

  const stations = planStations(root.fork('stations'), book.seats, scale === 'township' ? [1, 2] : [0, 4]);
  const groups = planGroups(root.fork('groups'), book.seats);
  numberDocuments(root.fork('documents'), book.seats);
  return { persons: book.persons, seats: book.seats, groups, stations };
}

function planTownshipScale(rng: Rng, book: SeatBook, geo: Geography): DemoSeat[] {
  const t = geo.homeTownship;
  const county = t.county;
  // A 街道 has no congress of its own: its office follows the county deputies elected there.
  const countySeats = planCountyCongress(rng, book, county, [t], [hasCongress(t) ? rng.int(8, 12) : rng.int(20, 30)], rng.int(10, 90));
  if (hasCongress(t)) planTownshipCongress(rng, book, t, rng.int(45, 56), pickDualHolders(rng, countySeats, t));
  if (rng.chance(0.6)) {
    planElectedUpward(rng, book, {
      level: 'city',
      term: county.city.term,
      count: 1,
      electedBy: county.name,
      scope: county.city.code,
      issuer: issuers.city(county.city),
      pool: countySeats.map((s) => s.person),
      dualShare: 0.5,
      home: () => t,
    });
  }
  return countySeats;
}

interface CountySizes {
  countySeats: [number, number];
  /** All township deputies of the county, given how many townships have a congress. */
  townshipSeats: (rng: Rng, townships: number) => number;
}

const HOME: CountySizes = { countySeats: [250, 300], townshipSeats: (rng) => rng.int(2300, 2700) };
const OTHER: CountySizes = { countySeats: [190, 300], townshipSeats: (rng, n) => n * rng.int(70, 102) };

/** County congress and every township congress of one county; returns the county seats. */
function planWholeCounty(rng: Rng, book: SeatBook, county: County, sizes: CountySizes): DemoSeat[] {
  const countySeats = planCountyCongress(rng, book, county, county.townships, countySeatsByTownship(county, rng.int(...sizes.countySeats)));
  const towns = county.townships.filter(hasCongress);
  // The Election Law sizes a township congress between 40 and 160 deputies.
  const counts = apportion(sizes.townshipSeats(rng, towns.length), towns.map((t) => t.weight)).map((n) => Math.min(160, Math.max(40, n)));
  towns.forEach((t, i) => planTownshipCongress(rng, book, t, counts[i]!, pickDualHolders(rng, countySeats, t)));
  return countySeats;
}

function planCountyScale(rng: Rng, book: SeatBook, geo: Geography): DemoSeat[] {
  const county = geo.homeCounty;
  const city = county.city;
  const countySeats = planWholeCounty(rng, book, county, HOME);
  // Deputies to higher congresses who live in the county, as a county office tracks them.
  const citySeats = planElectedUpward(rng, book, {
    level: 'city',
    term: city.term,
    count: rng.int(30, 45),
    electedBy: county.name,
    scope: city.code,
    issuer: issuers.city(city),
    pool: countySeats.map((s) => s.person),
    dualShare: 0.45,
    home: () => residentTownship(rng, county),
  });
  const provinceSeats = planElectedUpward(rng, book, {
    level: 'province',
    term: geo.province.term,
    count: rng.int(3, 6),
    electedBy: city.name,
    scope: geo.province.code,
    issuer: issuers.province(geo.province),
    pool: [...citySeats, ...countySeats].map((s) => s.person),
    dualShare: 0.5,
    home: () => residentTownship(rng, county),
  });
  if (rng.chance(0.5)) {
    planElectedUpward(rng, book, {
      level: 'national',
      term: geo.province.nationalTerm,
      count: 1,
      electedBy: geo.province.name,
      scope: 'QG',
      issuer: issuers.national(),
      pool: provinceSeats.map((s) => s.person),
      dualShare: 0.6,
      home: () => residentTownship(rng, county),
    });
  }
  return countySeats;
}

function planProvinceScale(rng: Rng, book: SeatBook, geo: Geography): DemoSeat[] {
  const countySeats = new Map<County, DemoSeat[]>();
  for (const county of geo.dataCounties) countySeats.set(county, planWholeCounty(rng, book, county, county === geo.homeCounty ? HOME : OTHER));

  // Each county congress elects its city's deputies (about 50 per county, ~6,500 in all).
  const citySeats = new Map<County, DemoSeat[]>();
  for (const county of geo.dataCounties) {
    const city = county.city;
    citySeats.set(
      county,
      planElectedUpward(rng, book, {
        level: 'city',
        term: city.term,
        count: rng.int(40, 65),
        electedBy: county.name,
        scope: city.code,
        issuer: issuers.city(city),
        pool: countySeats.get(county)!.map((s) => s.person),
        dualShare: 0.45,
        home: () => residentTownship(rng, county),
      }),
    );
  }

  // Each city congress elects provincial deputies in proportion to its counties (~770 in all).
  const province = geo.province;
  const perCity = apportion(rng.int(750, 790), province.cities.map((c) => c.counties.length));
  const provinceSeats: DemoSeat[] = [];
  province.cities.forEach((city, i) => {
    const pool = city.counties.flatMap((c) => citySeats.get(c) ?? []).map((s) => s.person);
    provinceSeats.push(
      ...planElectedUpward(rng, book, {
        level: 'province',
        term: province.term,
        count: perCity[i]!,
        electedBy: city.name,
        scope: province.code,
        issuer: issuers.province(province),
        pool,
        dualShare: 0.45,
        home: () => residentTownship(rng, rng.pick(city.counties)),
      }),
    );
  });

  // The provincial congress elects the national deputies (~120).
  planElectedUpward(rng, book, {
    level: 'national',
    term: province.nationalTerm,
    count: rng.int(115, 125),
    electedBy: province.name,
    scope: 'QG',
    issuer: issuers.national(),
    pool: provinceSeats.map((s) => s.person),
    dualShare: 0.6,
    home: () => residentTownship(rng, rng.pick(geo.dataCounties)),
  });
  return countySeats.get(geo.homeCounty)!;
}
