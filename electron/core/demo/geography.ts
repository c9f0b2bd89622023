import type { OfficeIdentity } from '../../../shared/contract/index.js';
import { dateBetween, term, type Term } from './calendar.js';
import { COMMUNITY_STEMS, PROVINCES, STREETS, placeStem } from './placeNames.js';
import type { Rng } from './random.js';

/**
 * The invented map the demo lives on: province → cities → counties →
 * townships → villages, with GB/T 2260-shaped codes. It is anchored to the
 * office: the home county and township take the office's code (and its name
 * when the name says 县/镇/乡), so the ID numbers the generator writes carry
 * the office's area code.
 */
export const DEMO_SCALES = ['township', 'county', 'province'] as const;
export type DemoScale = (typeof DEMO_SCALES)[number];
export type TownshipKind = '镇' | '乡' | '街道';

export interface Township {
  code: string; // 9 digits
  name: string; // 青山镇
  kind: TownshipKind;
  villages: string[]; // 石桥村 …
  communities: string[]; // 城东社区 …
  /** Relative population: sizes the congress and the number of county seats elected there. */
  weight: number;
  county: County;
}

export interface County {
  code: string; // 6 digits
  name: string; // 枫林县
  city: City;
  townships: Township[];
  streets: string[];
  /** Township congress, county congress and the county congress before it. */
  townshipTerm: Term;
  countyTerm: Term;
  previousCountyTerm: Term;
  /** Share of ethnic-minority residents (Hunan-like: 土家族, 苗族, 侗族, 瑶族). */
  minorityShare: number;
}

export interface City {
  code: string; // 4 digits
  name: string;
  term: Term;
  counties: County[];
}

export interface Province {
  code: string;
  name: string;
  abbr: string;
  term: Term;
  nationalTerm: Term;
  cities: City[];
}

export interface Geography {
  province: Province;
  homeCounty: County;
  homeTownship: Township;
  /** Counties whose deputies are generated (home first). Other counties only lend names to 籍贯. */
  dataCounties: County[];
  allCounties: County[];
}

interface Sizes {
  cities: number;
  counties: number; // total in the province
  homeTownships: [number, number];
  otherTownships: [number, number];
}

const SIZES: Record<DemoScale, Sizes> = {
  township: { cities: 1, counties: 5, homeTownships: [12, 18], otherTownships: [0, 0] },
  county: { cities: 1, counties: 7, homeTownships: [20, 28], otherTownships: [0, 0] },
  // Hunan: 14 cities and prefectures, 122 counties, 1,529 townships (seed 002).
  province: { cities: 14, counties: 122, homeTownships: [20, 28], otherTownships: [10, 15] },
};

export type OfficeAnchorInput = Pick<OfficeIdentity, 'officeCode' | 'officeName' | 'officeType'>;

export function planGeography(rng: Rng, scale: DemoScale, office: OfficeAnchorInput): Geography {
  const anchor = officeAnchor(office);
  const sizes = SIZES[scale];
  const usedStems = new Set<string>();
  const provinceInfo = PROVINCES[anchor.provinceCode] ?? { name: '本省', abbr: '省' };
  const province: Province = {
    code: anchor.provinceCode,
    ...provinceInfo,
    term: term(14, dateBetween(rng, '2022-12-20', '2023-01-10')),
    nationalTerm: term(14, dateBetween(rng, '2023-01-11', '2023-01-20')),
    cities: [],
  };

  const cityCodes = pickCodes(anchor.cityCode, sizes.cities, 61, 99);
  const countyCounts = spreadCounties(rng, sizes.counties, sizes.cities);
  const allCounties: County[] = [];
  for (let c = 0; c < sizes.cities; c++) {
    const code = province.code + cityCodes[c]!;
    const city: City = {
      code,
      name: placeStem(rng, usedStems, 0) + '市',
      term: term(c === 0 ? 16 : rng.weighted([[15, 1], [16, 3], [17, 1]]), dateBetween(rng, '2021-12-18', '2022-01-16')),
      counties: [],
    };
    province.cities.push(city);
    const home = c === 0;
    const n = countyCounts[c]!;
    const kinds = Array.from({ length: n }, (_, i) => (home && i === 0 ? anchor.countyKind : countyKind(rng)));
    const suffixes = countySuffixes(kinds, home ? anchor.countyCode : null);
    for (let i = 0; i < n; i++) {
      const isHome = home && i === 0;
      const name = isHome && anchor.countyName ? anchor.countyName : placeStem(rng, usedStems, 0) + kinds[i];
      if (isHome && anchor.countyName) usedStems.add(anchor.countyName.slice(0, -1));
      const county = makeCounty(rng, city, code + suffixes[i]!, name, isHome);
      city.counties.push(county);
      allCounties.push(county);
    }
  }

  const homeCounty = allCounties[0]!;
  const dataCounties = scale === 'province' ? allCounties : [homeCounty];
  for (const county of dataCounties) {
    const isHome = county === homeCounty;
    const [lo, hi] = isHome ? sizes.homeTownships : sizes.otherTownships;
    addTownships(rng, county, rng.int(lo, hi), usedStems, isHome ? anchor : null);
  }
  const homeTownship = homeCounty.townships.find((t) => t.code === anchor.townshipCode) ?? firstCongress(homeCounty);
  return { province, homeCounty, homeTownship, dataCounties, allCounties };
}

interface Anchor {
  provinceCode: string;
  cityCode: string; // 2 digits within the province
  countyCode: string; // 6 digits
  countyKind: string;
  countyName: string | null;
  townshipCode: string | null;
  townshipName: string | null;
}

/** What the office code and name say about where the demo should be. */
export function officeAnchor(office: OfficeAnchorInput): Anchor {
  const code = office.officeCode;
  const base = office.officeName.split(/人大|人民代表大会/)[0] || office.officeName;
  const m = base.match(/^(.*?(?:自治县|县|市|区|旗))?(.+?(?:镇|乡|街道))$/);
  const countyName = m ? m[1] || null : /^.{2,}(县|市|区|旗)$/.test(base) ? base : null;
  // GB/T 2260: 01–20 are 区, 81–99 县级市, the rest 县.
  const digits = Number(code.slice(4, 6));
  const countyKind = countyName?.match(/(县|市|区|旗)$/)?.[1] ?? (digits >= 81 ? '市' : digits <= 20 ? '区' : '县');
  return {
    provinceCode: code.slice(0, 2),
    cityCode: code.slice(2, 4),
    countyCode: code.slice(0, 6),
    countyKind,
    countyName,
    townshipCode: code.length >= 9 ? code.slice(0, 9) : null,
    townshipName: m && m[2] ? m[2] : null,
  };
}

function countyKind(rng: Rng): string {
  return rng.weighted([['县', 7], ['市', 1.5], ['区', 1.5]]);
}

/** Code digits follow GB/T 2260: 区 01–20, 县 21–80, 县级市 81–99. */
function countySuffixes(kinds: string[], homeCode: string | null): string[] {
  const next = { 区: 2, 县: 21, 市: 81 } as Record<string, number>;
  const home = homeCode ? homeCode.slice(4, 6) : null;
  return kinds.map((kind, i) => {
    if (i === 0 && home) return home;
    const key = kind in next ? kind : '县';
    let n = next[key]!;
    while (String(n).padStart(2, '0') === home) n++;
    next[key] = n + 1;
    return String(n).padStart(2, '0');
  });
}

/** `count` distinct two-digit codes, `first` first, the rest from [from, to] avoiding it. */
function pickCodes(first: string, count: number, from: number, to: number): string[] {
  const codes = [first];
  for (let n = from; codes.length < count && n <= to; n++) {
    const c = String(n).padStart(2, '0');
    if (c !== first) codes.push(c);
  }
  return codes;
}

function spreadCounties(rng: Rng, total: number, cities: number): number[] {
  if (cities === 1) return [total];
  const counts = Array.from({ length: cities }, () => rng.int(5, 12));
  let sum = counts.reduce((a, b) => a + b, 0);
  for (let i = 0; sum !== total; i = (i + 1) % cities) {
    if (sum < total) (counts[i]!++, sum++);
    else if (counts[i]! > 3) (counts[i]!--, sum--);
  }
  return counts;
}

function makeCounty(rng: Rng, city: City, code: string, name: string, isHome: boolean): County {
  // Most Hunan counties held their 2021 county and township elections on one day.
  const elected = isHome ? dateBetween(rng, '2021-11-08', '2021-11-26') : dateBetween(rng, '2021-10-15', '2021-12-15');
  const countyNo = isHome ? 18 : rng.weighted([[16, 1], [17, 3], [18, 5], [19, 1]]);
  const townshipNo = isHome ? 19 : rng.weighted([[17, 1], [18, 3], [19, 4], [20, 2], [21, 1]]);
  return {
    code,
    name,
    city,
    townships: [],
    streets: rng.sample(STREETS, rng.int(8, 14)),
    townshipTerm: term(townshipNo, elected),
    countyTerm: term(countyNo, elected),
    previousCountyTerm: term(countyNo - 1, dateBetween(rng, '2016-10-15', '2016-12-15')),
    minorityShare: isHome ? 0.05 + rng.float() * 0.1 : rng.chance(0.15) ? 0.3 + rng.float() * 0.5 : 0.01 + rng.float() * 0.1,
  };
}

function addTownships(rng: Rng, county: County, count: number, used: Set<string>, anchor: Anchor | null): void {
  const subdistricts = county.name.endsWith('区') ? Math.max(3, Math.round(count * 0.4)) : rng.int(1, Math.min(4, Math.max(1, count - 2)));
  const next = { 街道: 1, 镇: 101, 乡: 201 } as Record<TownshipKind, number>;
  const homeSuffix = anchor?.townshipCode?.slice(6, 9) ?? null;
  const homeName = anchor?.townshipName ?? null;
  const homeKind: TownshipKind | null = homeName ? (homeName.endsWith('街道') ? '街道' : homeName.endsWith('乡') ? '乡' : '镇') : null;
  for (let i = 0; i < count; i++) {
    const isHome = i === 0 && anchor !== null && (homeSuffix !== null || homeName !== null);
    let kind: TownshipKind = i < subdistricts ? '街道' : rng.chance(0.3) ? '乡' : '镇';
    if (isHome) kind = homeKind ?? '镇';
    let suffix: string;
    if (isHome && homeSuffix) suffix = homeSuffix;
    else {
      do suffix = String(next[kind]++).padStart(3, '0');
      while (suffix === homeSuffix);
    }
    const stem = isHome && homeName ? homeName.replace(/(镇|乡|街道)$/, '') : placeStem(rng, used);
    if (isHome && homeName) used.add(stem);
    county.townships.push(makeTownship(rng, county, county.code + suffix, stem + kind, kind));
  }
  // Code order is the order offices list them in: 街道, then 镇, then 乡.
  county.townships.sort((a, b) => a.code.localeCompare(b.code));
}

function makeTownship(rng: Rng, county: County, code: string, name: string, kind: TownshipKind): Township {
  const local = new Set<string>();
  const villageCount = kind === '街道' ? rng.int(0, 4) : kind === '乡' ? rng.int(6, 14) : rng.int(10, 24);
  const communityCount = kind === '街道' ? rng.int(4, 10) : kind === '镇' ? rng.int(1, 4) : rng.int(0, 1);
  const weight = kind === '街道' ? 1.2 + rng.float() * 0.8 : kind === '镇' ? 0.7 + rng.float() * 0.8 : 0.4 + rng.float() * 0.5;
  return {
    code,
    name,
    kind,
    villages: Array.from({ length: villageCount }, () => placeStem(rng, local, 0.1) + '村'),
    communities: rng.sample(COMMUNITY_STEMS, communityCount).map((s) => s + '社区'),
    weight,
    county,
  };
}

/** Townships with a congress of their own: 街道 have none (their residents elect county deputies only). */
export function hasCongress(t: Township): boolean {
  return t.kind !== '街道';
}

function firstCongress(county: County): Township {
  return county.townships.find(hasCongress) ?? county.townships[0]!;
}

/** 片/村 names to label groups and stations; 街道 have communities instead of villages. */
export function localities(t: Township): string[] {
  return t.villages.length > 0 ? t.villages : t.communities;
}
