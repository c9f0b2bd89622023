import type { Level } from '../../../shared/dictionaries.js';
import { idCheckChar } from '../../../shared/idcard.js';
import type { County, Geography, Township } from './geography.js';
import { personName } from './names.js';
import type { Rng, Weighted } from './random.js';
import { job, type Composition } from './workUnits.js';

/**
 * One synthetic person: demographics drawn from the profile of their 代表构成
 * (cadres older and better schooled, farmers mostly without fixed income …),
 * and an ID number that agrees with their birth date, gender and county.
 */
export interface DemoPerson {
  name: string;
  gender: '男' | '女';
  ethnicity: string;
  birthDate: string;
  nativePlace: string;
  politicalAffiliation: string;
  education: string;
  degree: string | null;
  workUnit: string;
  composition: Composition;
  phone: string;
  address: string;
  idNumber: string;
  hasFixedIncome: boolean;
  bankName: string | null;
  bankAccount: string | null;
  note: string | null;
  /** Where they live: the township their seats are filed under. Not a column. */
  home: Township;
}

/**
 * 代表构成 by level. 基层 (workers + farmers + professionals) come out near the
 * national figures: 52% of county and 76% of township deputies (domain brief).
 */
export const COMPOSITION_BY_LEVEL: Record<Level, Weighted<Composition>> = {
  township: [['一线工人', 10], ['农民', 54], ['专业技术人员', 12], ['党政领导干部', 14], ['企业负责人', 7], ['其他', 3]],
  county: [['一线工人', 12], ['农民', 28], ['专业技术人员', 12], ['党政领导干部', 27], ['企业负责人', 14], ['解放军', 1], ['其他', 6]],
  city: [['一线工人', 10], ['农民', 12], ['专业技术人员', 20], ['党政领导干部', 33], ['企业负责人', 17], ['解放军', 3], ['其他', 5]],
  province: [['一线工人', 8], ['农民', 9], ['专业技术人员', 22], ['党政领导干部', 35], ['企业负责人', 17], ['解放军', 4], ['其他', 5]],
  national: [['一线工人', 9], ['农民', 8], ['专业技术人员', 22], ['党政领导干部', 34], ['企业负责人', 20], ['其他', 7]],
};

interface Profile {
  female: number;
  /** Birth year: mean and half-width (the standard deviation is a third of it). */
  born: [mean: number, spread: number];
  politics: Weighted<string>;
  education: Weighted<string>;
}

const PROFILES: Record<Composition, Profile> = {
  农民: {
    female: 0.37,
    born: [1971, 27],
    politics: [['中共党员', 58], ['群众', 36], ['中共预备党员', 2], ['共青团员', 2], ['无党派人士', 2]],
    education: [['小学及以下', 6], ['初中', 32], ['高中', 26], ['中专', 12], ['大专', 18], ['大学本科', 6]],
  },
  一线工人: {
    female: 0.35,
    born: [1980, 27],
    politics: [['中共党员', 54], ['群众', 36], ['共青团员', 5], ['中共预备党员', 3], ['无党派人士', 2]],
    education: [['初中', 18], ['高中', 30], ['中专', 25], ['大专', 19], ['大学本科', 8]],
  },
  专业技术人员: {
    female: 0.5,
    born: [1978, 24],
    politics: [
      ['中共党员', 50], ['群众', 24], ['无党派人士', 9], ['九三学社社员', 3], ['农工党党员', 3], ['民进会员', 3],
      ['民盟盟员', 3], ['共青团员', 3], ['中共预备党员', 2],
    ],
    education: [['中专', 4], ['大专', 20], ['大学本科', 60], ['硕士研究生', 14], ['博士研究生', 2]],
  },
  党政领导干部: {
    female: 0.23,
    born: [1976, 18],
    politics: [['中共党员', 94], ['无党派人士', 2], ['民盟盟员', 2], ['民革会员', 1], ['九三学社社员', 1]],
    education: [['大专', 8], ['大学本科', 60], ['硕士研究生', 30], ['博士研究生', 2]],
  },
  企业负责人: {
    female: 0.28,
    born: [1973, 24],
    politics: [['中共党员', 50], ['群众', 30], ['无党派人士', 9], ['民建会员', 8], ['民革会员', 2], ['致公党党员', 1]],
    education: [['初中', 4], ['高中', 14], ['中专', 8], ['大专', 34], ['大学本科', 32], ['硕士研究生', 8]],
  },
  解放军: {
    female: 0.05,
    born: [1977, 15],
    politics: [['中共党员', 100]],
    education: [['大专', 15], ['大学本科', 70], ['硕士研究生', 15]],
  },
  其他: {
    female: 0.4,
    born: [1972, 27],
    politics: [['中共党员', 40], ['群众', 30], ['无党派人士', 15], ['民进会员', 5], ['民盟盟员', 5], ['民革会员', 4], ['台盟盟员', 1]],
    education: [['初中', 10], ['高中', 20], ['大专', 30], ['大学本科', 35], ['硕士研究生', 5]],
  },
};

/** Township cadres: fewer postgraduates than county ones. */
const TOWNSHIP_CADRE_EDUCATION: Weighted<string> = [['大专', 20], ['大学本科', 70], ['硕士研究生', 10]];

const MINORITIES: Weighted<string> = [['土家族', 35], ['苗族', 30], ['侗族', 15], ['瑶族', 14], ['回族', 3], ['白族', 3]];

const PHONE_PREFIXES = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156',
  '157', '158', '159', '166', '173', '175', '176', '177', '180', '181', '182', '183', '185', '186', '187', '188',
  '189', '191', '193', '198', '199',
];

/** Unique keys across the whole demo, and the geography people come from. */
export class PersonFactory {
  private readonly idNumbers = new Set<string>();
  private readonly phones = new Set<string>();
  /** Unique posts already given out (one 镇长 per 镇). */
  readonly taken = new Set<string>();

  constructor(private readonly geo: Geography) {}

  make(rng: Rng, level: Level, home: Township, wanted?: Composition): DemoPerson {
    let composition = wanted ?? rng.weighted(COMPOSITION_BY_LEVEL[level]);
    // 街道 without villages have no farmers to elect.
    if (composition === '农民' && home.villages.length === 0) composition = '一线工人';
    const profile = PROFILES[composition];
    const gender = rng.chance(profile.female) ? '女' : '男';
    const birthYear = rng.bell(profile.born[0], profile.born[1], 1955, 1998);
    const birthDate = birthDay(rng, birthYear);
    const ethnicity = rng.chance(home.county.minorityShare) ? rng.weighted(MINORITIES) : '汉族';
    const native = rng.chance(0.9) ? home.county : rng.pick(this.geo.allCounties);
    const education = rng.weighted(composition === '党政领导干部' && level === 'township' ? TOWNSHIP_CADRE_EDUCATION : profile.education);
    const work = job({ rng, level, township: home, gender, taken: this.taken }, composition);
    const bank = work.fixedIncome ? null : bankAccount(rng, home);
    return {
      name: personName(rng, { gender, birthYear, ethnicity }),
      gender,
      ethnicity,
      birthDate,
      nativePlace: nativePlace(this.geo, native),
      politicalAffiliation: PARTY_POST.test(work.unit) ? '中共党员' : politics(rng, profile, birthYear),
      education,
      degree: degree(rng, education),
      workUnit: work.unit,
      composition,
      phone: this.phone(rng),
      address: work.address,
      idNumber: this.idNumber(rng, native.code, birthDate, gender),
      hasFixedIncome: work.fixedIncome,
      bankName: bank?.name ?? null,
      bankAccount: bank?.account ?? null,
      note: null,
      home,
    };
  }

  /** GB 11643: area code, birth date, two random digits, gender digit (odd = 男), check character. */
  private idNumber(rng: Rng, area: string, birthDate: string, gender: '男' | '女'): string {
    for (;;) {
      const genderDigit = 2 * rng.int(0, 4) + (gender === '男' ? 1 : 0);
      const first17 = area + birthDate.replaceAll('-', '') + rng.digits(2) + genderDigit;
      const id = first17 + idCheckChar(first17);
      if (!this.idNumbers.has(id)) {
        this.idNumbers.add(id);
        return id;
      }
    }
  }

  private phone(rng: Rng): string {
    for (;;) {
      const phone = rng.pick(PHONE_PREFIXES) + rng.digits(8);
      if (!this.phones.has(phone)) {
        this.phones.add(phone);
        return phone;
      }
    }
  }
}

function birthDay(rng: Rng, year: number): string {
  const month = rng.int(1, 12);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(rng.int(1, days)).padStart(2, '0')}`;
}

/** Posts only a CPC member can hold: village and township party secretaries, committee members. */
const PARTY_POST = /书记|党委委员|党工委委员|党支部委员|委常委/;

/** 共青团员 only up to 28; older "members" have aged out into 群众. */
function politics(rng: Rng, profile: Profile, birthYear: number): string {
  const p = rng.weighted(profile.politics);
  return p === '共青团员' && birthYear < 1993 ? '群众' : p;
}

function degree(rng: Rng, education: string): string | null {
  if (education === '博士研究生') return '博士';
  if (education === '硕士研究生') return rng.chance(0.8) ? '硕士' : '学士';
  if (education === '大学本科') return rng.chance(0.85) ? '学士' : null;
  return null;
}

/** 籍贯 as rosters write it: 湖南枫林. */
function nativePlace(geo: Geography, county: County): string {
  const province = geo.province.name.replace(/(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区)$/, '');
  const stem = county.name.length > 2 ? county.name.slice(0, -1) : county.name;
  return geo.province.name === '本省' ? county.name : province + stem;
}

/** Accounts for subsidies: debit cards of the banks townships pay through, with a valid Luhn digit. */
function bankAccount(rng: Rng, home: Township): { name: string; account: string } {
  const countyStem = home.county.name.length > 2 ? home.county.name.slice(0, -1) : home.county.name;
  const townStem = home.name.replace(/(镇|乡|街道)$/, '');
  const [name, bin] = rng.weighted<[string, string]>([
    [[`${countyStem}农村商业银行${townStem}支行`, '622169'], 6],
    [[`中国邮政储蓄银行${home.county.name}支行`, '621799'], 2],
    [[`中国农业银行${home.county.name}支行`, '622848'], 2],
  ]);
  const first18 = bin + rng.digits(12);
  return { name, account: first18 + luhnDigit(first18) };
}

function luhnDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}
