import { createHash } from 'node:crypto';
import { chineseNumber } from './calendar.js';
import { localities, type Township } from './geography.js';
import type { DemoGroup, DemoSeat, DemoStation } from './plan.js';
import { apportion, type Rng } from './random.js';

/**
 * 代表联络站 and 代表小组. Every township with deputies has a station at its
 * government plus a few at villages or communities (a county ends up with
 * 40–180). Township deputies form groups of about seven to twelve by
 * constituency; county and higher deputies living in a township form that
 * township's county-deputy group, merged with the next township's when
 * fewer than three are serving. Seats of the previous term join neither.
 */
const RECEPTION_DAYS = ['每月第一个星期三', '每月10日', '每月15日', '每月最后一个星期五', '每月5日、20日', '每月第二个星期二'];

/** Seats grouped by township, townships in the order they first appear. */
function byTownship(seats: DemoSeat[]): Map<Township, DemoSeat[]> {
  const map = new Map<Township, DemoSeat[]>();
  for (const s of seats) {
    if (s.previousTerm) continue;
    let list = map.get(s.township);
    if (!list) map.set(s.township, (list = []));
    list.push(s);
  }
  return map;
}

const serving = (s: DemoSeat) => s.status !== 'ended';

export function planStations(rng: Rng, seats: DemoSeat[], extra: [number, number]): DemoStation[] {
  const stations: DemoStation[] = [];
  for (const [t, list] of byTownship(seats)) {
    const county = t.county.name;
    const seat = t.kind === '街道' ? '街道办事处' : '人民政府';
    const main: DemoStation = {
      name: `${t.name}人大代表联络站`,
      township: t.name,
      address: `${county}${t.name}${seat}${rng.pick(['一楼', '二楼', '便民服务中心二楼', '党群服务中心一楼'])}`,
      receptionDay: rng.pick(RECEPTION_DAYS),
      note: null,
      leader: null,
      phone: null,
    };
    const local = rng.sample(localities(t), rng.int(extra[0], extra[1])).map<DemoStation>((place) => ({
      name: `${t.name}${place}人大代表联络站`,
      township: t.name,
      address: `${county}${t.name}${place}${place.endsWith('村') ? '村部' : '党群服务中心'}`,
      receptionDay: rng.pick(RECEPTION_DAYS),
      note: place.endsWith('村') ? '设在村级党群服务中心' : null,
      leader: null,
      phone: null,
    }));
    stations.push(main, ...local);
    for (const s of list) s.station = local.length === 0 || rng.chance(0.55) ? main : rng.pick(local);
    for (const station of [main, ...local]) staffStation(station, list);
  }
  return stations;
}

/**
 * 负责人: a serving cadre among the station's deputies, else its first serving
 * deputy. 联系电话: an office landline made from the station's name, so the
 * seeded random sequence (and every other demo figure) stays as it was.
 */
function staffStation(station: DemoStation, seats: DemoSeat[]): void {
  const members = seats.filter((s) => s.station === station && serving(s));
  const leader = members.find((s) => s.person.composition === '党政领导干部') ?? members[0];
  station.leader = leader?.person.name ?? null;
  const digits = BigInt('0x' + createHash('sha256').update(station.name).digest('hex').slice(0, 12)).toString().padStart(10, '0');
  // Area codes outside the big cities are 0 + three digits starting 3–9 (0731, 0851 …).
  station.phone = `0${3 + (Number(digits[0]) % 7)}${digits.slice(1, 3)}-2${digits.slice(3, 10)}`;
}

const constituencyNo = (s: DemoSeat) => Number(s.constituency.match(/\d+/)?.[0] ?? 0);

export function planGroups(rng: Rng, seats: DemoSeat[]): DemoGroup[] {
  const groups: DemoGroup[] = [];
  const upper: [Township, DemoSeat[]][] = [];
  for (const [t, list] of byTownship(seats)) {
    const own = list.filter((s) => s.level === 'township').sort((a, b) => constituencyNo(a) - constituencyNo(b));
    if (own.length > 0) groups.push(...townshipGroups(rng, t, own));
    const higher = list.filter((s) => s.level !== 'township');
    if (higher.length > 0) upper.push([t, higher]);
  }
  groups.push(...countyGroups(upper));
  return groups;
}

function townshipGroups(rng: Rng, t: Township, seats: DemoSeat[]): DemoGroup[] {
  const count = Math.max(1, Math.round(seats.length / rng.int(8, 11)));
  const chunks = mergeSmall(splitEvenly(seats, count));
  const places = localities(t);
  // Named after a village of each 片 when there are enough villages, else numbered.
  const byPlace = places.length >= chunks.length && rng.chance(0.6);
  const step = places.length / chunks.length;
  return chunks.map((members, i) =>
    group(
      byPlace ? `${t.name}${places[Math.floor(i * step)]!.replace(/(村|社区)$/, '')}片代表小组` : `${t.name}第${chineseNumber(i + 1)}代表小组`,
      'township',
      t.name,
      members,
      null,
    ),
  );
}

function countyGroups(upper: [Township, DemoSeat[]][]): DemoGroup[] {
  // Bins of consecutive townships of one county, closed once three deputies are serving.
  const bins: { towns: Township[]; members: DemoSeat[] }[] = [];
  let open: { towns: Township[]; members: DemoSeat[] } | null = null;
  upper.forEach(([t, list], i) => {
    open ??= { towns: [], members: [] };
    open.towns.push(t);
    open.members.push(...list);
    const next = upper[i + 1];
    const countyEnds = next === undefined || next[0].county !== t.county;
    if (open.members.filter(serving).length >= 3 || countyEnds) {
      const last = bins[bins.length - 1];
      // A county's last townships, too few on their own, join the bin before (same county only).
      if (open.members.filter(serving).length < 3 && last && last.towns[0]!.county === t.county) {
        last.towns.push(...open.towns);
        last.members.push(...open.members);
      } else bins.push(open);
      open = null;
    }
  });
  return bins.map(({ towns, members }) => {
    const k = towns[0]!.county.name.slice(-1); // 县/市/区 人大代表
    const joint = towns.length > 1;
    const name = joint ? `${towns.map((t) => t.name).join('、')}${k}人大代表联合小组` : `${towns[0]!.name}${k}人大代表小组`;
    return group(name, 'county', towns[0]!.name, members, joint ? '相邻乡镇联合组成' : null);
  });
}

function splitEvenly<T>(items: T[], parts: number): T[][] {
  const sizes = apportion(items.length, Array(parts).fill(1));
  const out: T[][] = [];
  let at = 0;
  for (const n of sizes) out.push(items.slice(at, (at += n)));
  return out;
}

/** Folds a chunk with fewer than three serving deputies into its neighbour. */
function mergeSmall(chunks: DemoSeat[][]): DemoSeat[][] {
  const out: DemoSeat[][] = [];
  for (const c of chunks) {
    const last = out[out.length - 1];
    if (last && (c.filter(serving).length < 3 || last.filter(serving).length < 3)) last.push(...c);
    else out.push([...c]);
  }
  return out;
}

/** The leader is a serving cadre where there is one, else the first serving member. */
function group(name: string, level: DemoGroup['level'], township: string, members: DemoSeat[], note: string | null): DemoGroup {
  const active = members.filter(serving);
  const leader = active.find((s) => s.person.composition === '党政领导干部') ?? active[0] ?? members[0];
  const g: DemoGroup = { name, level, township, leader: leader?.person.name ?? null, note };
  for (const s of members) s.group = g;
  return g;
}
