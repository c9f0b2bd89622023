import type { Page, SeatRow } from '../../../shared/contract/index.js';
import { LEVELS, type SeatStatus } from '../../../shared/dictionaries.js';
import type { CoreContext } from '../context.js';
import { toSeatRow, type SeatListDbRow } from './records.js';
import type { RosterQuery } from './service.js';

/**
 * The roster list, fast at province scale (140,000 seats).
 *
 * Display order: status (在任, 暂停, 资格终止), level (全国 … 乡镇), township,
 * term, then the order seats were entered or imported (rowid) — which is the
 * order of the office's own spreadsheet. Every part of it is served by the
 * index seats_filter (deleted_at, status, level, township, term; rowid is
 * implicit), so no query sorts the whole table:
 *
 * - Filters on seat columns only: count per (status, level) from the index,
 *   then read the page from the one or two (status, level) "arms" it falls in,
 *   each an index range read in order with LIMIT/OFFSET.
 * - Filters that narrow to few seats (text, group, station): collect the
 *   matching rowids first, then order just those.
 *
 * Either way the page's rows are then fetched by rowid with their joins.
 * Sorting by name was dropped: it needs a join before the sort (seconds at
 * this scale) and code-point order of Chinese names means little to a clerk.
 */

const STATUS_ORDER: SeatStatus[] = ['current', 'suspended', 'ended'];
const rank = (column: string, values: readonly string[]) =>
  `CASE ${column} ${values.map((v, i) => `WHEN '${v}' THEN ${i}`).join(' ')} END`;
const ORDER_SQL = `${rank('s.status', STATUS_ORDER)}, ${rank('s.level', LEVELS)}, s.township, s.term, s.rowid`;

interface Where {
  sql: string[];
  params: unknown[];
}

function statuses(q: RosterQuery): SeatStatus[] {
  if (q.status === 'all') return STATUS_ORDER;
  if (q.status === 'active') return ['current', 'suspended'];
  return [q.status];
}

/** Conditions on seat columns that seats_filter can answer. */
function seatWhere(q: RosterQuery): Where {
  const sql = ['s.deleted_at IS NULL'];
  const params: unknown[] = [];
  const st = statuses(q);
  sql.push(`s.status IN (${st.map(() => '?').join(', ')})`);
  params.push(...st);
  for (const [column, value] of [['level', q.level], ['township', q.township], ['term', q.term]] as const) {
    if (value) {
      sql.push(`s.${column} = ?`);
      params.push(value);
    }
  }
  return { sql, params };
}

/**
 * Where the text is found — 代表证号, 姓名, or 联系电话 (4 digits or more):
 * queries over seats `s` that each take the filters' conditions. Each reads
 * a small index and joins outward, never scanning a table; CROSS JOIN keeps
 * SQLite from turning the join around. Since migration 0006 the name and
 * phone indexes carry the person's id and seats_person the columns the list
 * filters and orders by, so a name search reads neither the persons nor the
 * seats table; and a text with Chinese characters is looked for only among
 * the certificate numbers that have such characters (normally none).
 */
function textSources(text: string): { certificate: Source; person: Source | null } {
  const digits = /^[\d\s\-+]+$/.test(text);
  const certificate: Source = NOT_PRINTABLE_ASCII.test(text)
    ? {
        from: "seats s INDEXED BY seats_certificate_wide WHERE s.certificate_no GLOB '*[^ -~]*' AND instr(s.certificate_no, ?) > 0",
        params: [text],
        rare: true,
      }
    : { from: 'seats s INDEXED BY seats_certificate WHERE instr(s.certificate_no, ?) > 0', params: [text], rare: false };
  if (!digits) {
    return {
      certificate,
      person: { from: 'persons p INDEXED BY persons_name CROSS JOIN seats s ON s.person_id = p.id WHERE instr(p.name, ?) > 0', params: [text] },
    };
  }
  // Shorter digit strings would match most of the roster anyway.
  if (text.replace(/\D/g, '').length < 4) return { certificate, person: null };
  return {
    certificate,
    person: {
      from: 'persons p INDEXED BY persons_phone CROSS JOIN seats s ON s.person_id = p.id WHERE p.phone IS NOT NULL AND instr(p.phone, ?) > 0',
      params: [text.replace(/\s/g, '')],
    },
  };
}

/** The same text search as a condition on one seat `s` (its certificate number, its person's name or phone). */
function textTest(text: string): Where {
  const digits = /^[\d\s\-+]+$/.test(text);
  const person = !digits ? 'p.name' : text.replace(/\D/g, '').length >= 4 ? 'p.phone' : null;
  const value = person === 'p.phone' ? text.replace(/\s/g, '') : text;
  return person
    ? {
        sql: [`(instr(s.certificate_no, ?) > 0 OR EXISTS (SELECT 1 FROM persons p WHERE p.id = s.person_id AND instr(${person}, ?) > 0))`],
        params: [text, value],
      }
    : { sql: ['instr(s.certificate_no, ?) > 0'], params: [text] };
}

/** `SELECT … FROM ${from} AND <filters>`: seats found one way. */
interface Source {
  from: string;
  params: unknown[];
  /** Usually finds nothing: asked on its own first. */
  rare?: boolean;
}

/** The characters GLOB '*[^ -~]*' finds (the condition of the index seats_certificate_wide). */
const NOT_PRINTABLE_ASCII = /[^ -~]/;

interface Window {
  total: number;
  rowids: number[];
}

/** Text, group or station: few seats, so collect them all in order and cut the page out. */
function narrowWindow(ctx: CoreContext, q: RosterQuery, base: Where, limit: number, offset: number): Window | null {
  const where = [...base.sql];
  const params = [...base.params];
  for (const [column, value] of [['group_id', q.groupId], ['station_id', q.stationId]] as const) {
    if (!value) continue;
    where.push(`s.${column} = ?`);
    params.push(value);
  }
  let sources: Source[];
  if (q.groupId || q.stationId) {
    // A group or station has few seats: read them from its index, and test the text on each.
    sources = [{ from: `seats s INDEXED BY ${q.groupId ? 'seats_group' : 'seats_station'} WHERE 1`, params: [] }];
    if (q.q) {
      const test = textTest(q.q);
      where.push(...test.sql);
      params.push(...test.params);
    }
  } else if (q.q) {
    const { certificate, person } = textSources(q.q);
    sources = person ? [certificate, person] : [certificate];
    // One query instead of a UNION when the certificate numbers cannot hold the text.
    if (certificate.rare && person) {
      const any = ctx.db.prepare(`SELECT 1 FROM ${certificate.from} AND ${where.join(' AND ')} LIMIT 1`).get(...certificate.params, ...params);
      if (!any) sources = [person];
    }
  } else {
    return null;
  }
  const select = (source: Source) => `SELECT s.rowid AS rid, s.status, s.level, s.township, s.term FROM ${source.from} AND ${where.join(' AND ')}`;
  const rowids = (
    sources.length === 1
      ? ctx.db.prepare(`${select(sources[0]!)} ORDER BY ${ORDER_SQL}`).pluck().all(...sources[0]!.params, ...params)
      : ctx.db
          .prepare(`SELECT rid FROM (${sources.map(select).join(' UNION ')}) s ORDER BY ${ORDER_SQL.replace('s.rowid', 's.rid')}`)
          .pluck()
          .all(...sources.flatMap((source) => [...source.params, ...params]))
  ) as number[];
  return { total: rowids.length, rowids: rowids.slice(offset, offset + limit) };
}

/**
 * Seat-column filters only: the page is cut from the (status, level) arms in
 * display order. Each arm is one range of seats_filter, counted and read by
 * seeks into it — a township filter never scans the other townships.
 */
function indexedWindow(ctx: CoreContext, q: RosterQuery, limit: number, offset: number): Window {
  const where = ['s.deleted_at IS NULL', 's.status = ?', 's.level = ?'];
  const params: unknown[] = [];
  for (const [column, value] of [['township', q.township], ['term', q.term]] as const) {
    if (value) {
      where.push(`s.${column} = ?`);
      params.push(value);
    }
  }
  const count = ctx.db.prepare(`SELECT count(*) FROM seats s WHERE ${where.join(' AND ')}`).pluck();
  const read = ctx.db
    .prepare(`SELECT s.rowid FROM seats s WHERE ${where.join(' AND ')} ORDER BY s.township, s.term, s.rowid LIMIT ? OFFSET ?`)
    .pluck();

  let total = 0;
  const rowids: number[] = [];
  let skip = offset;
  for (const status of statuses(q)) {
    for (const level of q.level ? [q.level] : LEVELS) {
      const n = count.get(status, level, ...params) as number;
      total += n;
      if (rowids.length >= limit || n === 0) continue;
      if (skip >= n) {
        skip -= n;
        continue;
      }
      rowids.push(...(read.all(status, level, ...params, limit - rowids.length, skip) as number[]));
      skip = 0;
    }
  }
  return { total, rowids };
}

const ROWS_BY_ROWID = `SELECT p.*, s.*, s.rowid AS seat_rowid, s.id AS seat_id, g.name AS group_name, st.name AS station_name
  FROM seats s
  JOIN persons p ON p.id = s.person_id
  LEFT JOIN deputy_groups g ON g.id = s.group_id
  LEFT JOIN liaison_stations st ON st.id = s.station_id
  WHERE s.rowid IN (SELECT value FROM json_each(?))`;

export function listSeats(ctx: CoreContext, q: RosterQuery): Page<SeatRow> {
  const base = seatWhere(q);
  const limit = q.pageSize;
  const offset = (q.page - 1) * q.pageSize;
  const { total, rowids } = narrowWindow(ctx, q, base, limit, offset) ?? indexedWindow(ctx, q, limit, offset);
  const rows = rowids.length
    ? (ctx.db.prepare(ROWS_BY_ROWID).all(JSON.stringify(rowids)) as (SeatListDbRow & { seat_rowid: number })[])
    : [];
  const byRowid = new Map(rows.map((r) => [r.seat_rowid, r]));
  return {
    rows: rowids.map((id) => toSeatRow(byRowid.get(id)!)),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** Seats matching `where` (which must name its own deleted_at condition), in roster order: member lists. */
export function seatRowsWhere(ctx: CoreContext, where: string, params: unknown[]): SeatRow[] {
  const rows = ctx.db
    .prepare(
      `SELECT p.*, s.*, s.id AS seat_id, g.name AS group_name, st.name AS station_name
       FROM seats s
       JOIN persons p ON p.id = s.person_id
       LEFT JOIN deputy_groups g ON g.id = s.group_id
       LEFT JOIN liaison_stations st ON st.id = s.station_id
       WHERE ${where}
       ORDER BY ${ORDER_SQL}`,
    )
    .all(...params) as SeatListDbRow[];
  return rows.map(toSeatRow);
}
