import { LEVELS, LEVEL_LABELS, type Level } from '../../../shared/dictionaries.js';
import type { OfficeIdentity } from '../../../shared/contract/index.js';
import type { Db } from '../db/connection.js';
import { textTest } from '../roster/list.js';

/** `level` as the contract takes it (one, several or none) → a de-duplicated list in dictionary order. */
export function levelList(level: Level | Level[] | undefined): Level[] {
  if (level === undefined) return [];
  const set = new Set(Array.isArray(level) ? level : [level]);
  return LEVELS.filter((l) => set.has(l));
}

/** The office's own level: a county office's deputies are 县, a township's are 乡镇. */
export function officeLevel(office: OfficeIdentity): Level {
  return office.officeType === 'county' ? 'county' : 'township';
}

/** ORDER BY expression: 全国, 省, 市, 县, 乡镇. */
export const LEVEL_RANK_SQL = `CASE s.level ${LEVELS.map((l, i) => `WHEN '${l}' THEN ${i}`).join(' ')} END`;

export interface SeatWhere {
  sql: string;
  params: unknown[];
}

export interface SeatFilter {
  q?: string;
  levels: Level[];
  term?: string;
  township?: string;
  groupId?: string;
  stationId?: string;
  status: 'current' | 'suspended' | 'ended' | 'all' | 'active';
}

/** WHERE over `seats s JOIN persons p`, the same rules as the roster screen. */
export function seatWhere(f: SeatFilter): SeatWhere {
  const where = ['s.deleted_at IS NULL', 'p.deleted_at IS NULL'];
  const params: unknown[] = [];
  if (f.status === 'active') where.push("s.status IN ('current', 'suspended')");
  else if (f.status !== 'all') {
    where.push('s.status = ?');
    params.push(f.status);
  }
  if (f.levels.length > 0) {
    where.push(`s.level IN (${f.levels.map(() => '?').join(', ')})`);
    params.push(...f.levels);
  }
  if (f.term) {
    where.push('s.term = ?');
    params.push(f.term);
  }
  if (f.township) {
    where.push('s.township = ?');
    params.push(f.township);
  }
  if (f.groupId) {
    where.push('s.group_id = ?');
    params.push(f.groupId);
  }
  if (f.stationId) {
    where.push('s.station_id = ?');
    params.push(f.stationId);
  }
  if (f.q) {
    const text = textTest(f.q);
    where.push(...text.sql);
    params.push(...text.params);
  }
  return { sql: `WHERE ${where.join(' AND ')}`, params };
}

/** 青山镇人大主席团 → 青山镇; 平江县人大常委会 → 平江县 (the place the congress is of). */
export function placeName(officeName: string): string {
  const stripped = officeName
    .replace(/(人民代表大会常务委员会|人民代表大会主席团|人大常委会|人大主席团|人大工委|人民代表大会|人大)$/u, '')
    .trim();
  return stripped || officeName;
}

/**
 * The title of a roster or statistics table, e.g. 青山镇第十九届人民代表大会代表名册.
 * Deputies of the office's own congress: "<place><term>人民代表大会"; others
 * name their level ("青山镇第十八届县人大代表名册"); several levels: "<place>人大代表名册".
 */
export function congressTitle(
  office: OfficeIdentity,
  levels: Level[],
  term: string | undefined | null,
  township: string | undefined | null,
  suffix: string,
): string {
  const place = placeName(office.officeName);
  const t = term ?? '';
  if (levels.length === 1) {
    const level = levels[0]!;
    if (level === officeLevel(office)) {
      const part = township && township !== place ? `（${township}）` : '';
      return `${place}${t}人民代表大会${suffix}${part}`;
    }
    if (level === 'township' && township) return `${township}${t}人民代表大会${suffix}`;
    return `${place}${t}${LEVEL_LABELS[level]}人大${suffix}`;
  }
  const part = township && township !== place ? `（${township}）` : '';
  return `${place}${t}人大${suffix}${part}`;
}

/**
 * SQLite's default page cache is 2 MiB; a report over 140,000 seats joins
 * persons by UUID all over the file. 64 MiB while the report reads, then the
 * connection's own setting again.
 */
export async function withReadCache<T>(db: Db, fn: () => T | Promise<T>): Promise<T> {
  const restore = raiseCache(db);
  try {
    return await fn();
  } finally {
    restore();
  }
}

export function withReadCacheSync<T>(db: Db, fn: () => T): T {
  const restore = raiseCache(db);
  try {
    return fn();
  } finally {
    restore();
  }
}

const REPORT_CACHE_KIB = 65536;

function raiseCache(db: Db): () => void {
  const before = db.pragma('cache_size', { simple: true }) as number;
  // Negative: KiB; positive: pages (4 KiB here). Leave a larger setting alone.
  const kib = before < 0 ? -before : before * 4;
  if (kib >= REPORT_CACHE_KIB) return () => undefined;
  db.pragma(`cache_size = -${REPORT_CACHE_KIB}`);
  return () => {
    if (db.open) db.pragma(`cache_size = ${before}`);
  };
}
