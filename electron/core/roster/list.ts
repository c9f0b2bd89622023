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
 * order of the office's own spreadsheet. An index that continues (status,
 * level, township, term, rowid) serves it, so no query sorts the whole table:
 *
 * - Filters on seat columns only: count per (status, level) from the index
 *   seats_filter, then read the page from the one or two (status, level)
 *   "arms" it falls in, each an index range read in order with LIMIT/OFFSET
 *   (orderedWindow).
 * - Text found only in names: the same, from search_name_chars (migration
 *   0008), which lists each seat under each character of its person's name
 *   with the columns above — 李 matches one seat in twelve, and still no
 *   join and no sort.
 * - Otherwise (group, station, text in phone or certificate numbers), which
 *   narrows to few seats: collect the matching rowids first, then order just
 *   those (searchWindow).
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

/**
 * Conditions on the columns the list filters by (status, level, township,
 * term): seats_filter answers them on seats, and search_name_chars has the
 * same columns, so they hold for either under the alias `s`. Deleted seats
 * are the caller's to leave out (search_name_chars has none).
 */
function filterWhere(q: RosterQuery): Where {
  const st = statuses(q);
  const sql = [`s.status IN (${st.map(() => '?').join(', ')})`];
  const params: unknown[] = [...st];
  for (const [column, value] of [['level', q.level], ['township', q.township], ['term', q.term]] as const) {
    if (value) {
      sql.push(`s.${column} = ?`);
      params.push(value);
    }
  }
  return { sql, params };
}

/** `SELECT … FROM ${from} AND <filters>`: seats `s` found one way, with its rowid as `rowid`. */
interface Source {
  from: string;
  params: unknown[];
  /** The seat's rowid in `from` (search_name_chars has it as a column). */
  rowid: string;
  /** Found by an index that says quickly whether anything matches: asked on its own first. */
  probe: boolean;
}

/** The characters GLOB '*[^ -~]*' finds (the condition of the index seats_certificate_wide). */
const NOT_PRINTABLE_ASCII = /[^ -~]/;

/**
 * An FTS5 query for the rows of a trigram table (migration 0008) that may
 * hold `text` (3 characters or more): they must have its trigrams, here
 * every third one and the last, each quoted. Only a candidate test: the
 * sources check the text itself with instr().
 */
function trigramQuery(text: string): string {
  const chars = [...text];
  const starts: number[] = [];
  for (let i = 0; i + 3 < chars.length; i += 3) starts.push(i);
  starts.push(chars.length - 3);
  return starts.map((i) => `"${chars.slice(i, i + 3).join('').replaceAll('"', '""')}"`).join(' AND ');
}

/**
 * Where the text is found — 代表证号, 姓名, or 联系电话 (4 digits or more) —
 * as sources over seats `s` that each take the filters' conditions. None
 * reads every name, phone or certificate number, except a certificate
 * search for one or two ASCII characters (which matches most of the roster
 * anyway):
 *
 * - names: search_name_chars, under the text's rarest character, checking
 *   the whole text on the name kept there (no join at all);
 * - phones and certificate numbers of 3 characters or more: the trigram
 *   tables, then the seat (and person) by rowid, checking with instr();
 * - a shorter certificate text with Chinese (or any other non-ASCII)
 *   characters can only be inside a certificate number that has such
 *   characters too: the index seats_certificate_wide holds just those.
 *
 * CROSS JOIN keeps SQLite from turning a join around.
 */
function textSources(ctx: CoreContext, text: string): { names: Source | null; others: Source[] } {
  const digits = /^[\d\s\-+]+$/.test(text);
  const others: Source[] = [];
  if ([...text].length >= 3) {
    others.push({
      from: 'search_certificates f CROSS JOIN seats s ON s.rowid = f.rowid WHERE search_certificates MATCH ? AND s.deleted_at IS NULL AND instr(s.certificate_no, ?) > 0',
      params: [trigramQuery(text), text],
      rowid: 's.rowid',
      probe: true,
    });
  } else if (NOT_PRINTABLE_ASCII.test(text)) {
    others.push({
      from: "seats s INDEXED BY seats_certificate_wide WHERE s.certificate_no GLOB '*[^ -~]*' AND s.deleted_at IS NULL AND instr(s.certificate_no, ?) > 0",
      params: [text],
      rowid: 's.rowid',
      probe: true,
    });
  } else {
    others.push({
      from: 'seats s INDEXED BY seats_certificate WHERE s.deleted_at IS NULL AND instr(s.certificate_no, ?) > 0',
      params: [text],
      rowid: 's.rowid',
      probe: false,
    });
  }
  if (digits) {
    // Shorter digit strings would match most of the roster anyway.
    const phone = text.replace(/\s/g, '');
    if (text.replace(/\D/g, '').length >= 4) {
      others.push({
        from:
          'search_phones f CROSS JOIN persons p ON p.rowid = f.rowid CROSS JOIN seats s ON s.person_id = p.id ' +
          'WHERE search_phones MATCH ? AND instr(p.phone, ?) > 0 AND s.deleted_at IS NULL',
        params: [trigramQuery(phone), phone],
        rowid: 's.rowid',
        probe: true,
      });
    }
    return { names: null, others };
  }
  const ch = rarestCharacter(ctx, text);
  const names: Source =
    ch === text
      ? { from: 'search_name_chars s INDEXED BY search_name_chars_find WHERE s.ch = ?', params: [ch], rowid: 's.seat_rowid', probe: false }
      : {
          from: 'search_name_chars s INDEXED BY search_name_chars_find WHERE s.ch = ? AND instr(s.name, ?) > 0',
          params: [ch, text],
          rowid: 's.seat_rowid',
          probe: false,
        };
  return { names, others };
}

/**
 * The character of `text` that the fewest seats' names have, counting no
 * further than the best so far: from the end, as given names' characters
 * are rarer than surnames (李华: 华's 3,000 seats, then 李 up to 3,000).
 */
function rarestCharacter(ctx: CoreContext, text: string): string {
  const chars = [...new Set(text)].reverse();
  if (chars.length === 1) return chars[0]!;
  const count = ctx.db.prepare('SELECT count(*) FROM (SELECT 1 FROM search_name_chars INDEXED BY search_name_chars_find WHERE ch = ? LIMIT ?)').pluck();
  let best = chars[0]!;
  let fewest = Infinity;
  for (const ch of chars) {
    const n = count.get(ch, Number.isFinite(fewest) ? fewest : -1) as number;
    if (n < fewest) {
      fewest = n;
      best = ch;
      if (n === 0) break;
    }
  }
  return best;
}

/**
 * The same text search as a condition on one seat `s` (its certificate number,
 * its person's name or phone). The roster's Excel export and printout filter
 * with it too, so they hold exactly the rows the screen lists.
 */
export function textTest(text: string): Where {
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

interface Window {
  total: number;
  rowids: number[];
}

/**
 * Text, group or station: collect the matching seats in order and cut the
 * page out — unless the text is found only in names, whose seats
 * search_name_chars lists in order (orderedWindow). Null: none of these filters.
 */
function searchWindow(ctx: CoreContext, q: RosterQuery, limit: number, offset: number): Window | null {
  const filters = filterWhere(q);
  const where = [...filters.sql];
  const params = [...filters.params];
  let sources: Source[];
  if (q.groupId || q.stationId) {
    // A group or station has few seats: read them from its index, and test the text on each.
    for (const [column, value] of [['group_id', q.groupId], ['station_id', q.stationId]] as const) {
      if (!value) continue;
      where.push(`s.${column} = ?`);
      params.push(value);
    }
    sources = [
      { from: `seats s INDEXED BY ${q.groupId ? 'seats_group' : 'seats_station'} WHERE s.deleted_at IS NULL`, params: [], rowid: 's.rowid', probe: false },
    ];
    if (q.q) {
      const test = textTest(q.q);
      where.push(...test.sql);
      params.push(...test.params);
    }
  } else if (q.q) {
    const { names, others } = textSources(ctx, q.q);
    // Phone and certificate numbers rarely hold a name's text (and a 4-digit
    // text is rarely in a certificate number): drop the sources that find nothing.
    const found = others.filter(
      (source) => !source.probe || ctx.db.prepare(`SELECT 1 FROM ${source.from} AND ${where.join(' AND ')} LIMIT 1`).get(...source.params, ...params),
    );
    if (names && found.length === 0) return orderedWindow(ctx, q, names, limit, offset);
    sources = names ? [names, ...found] : found;
    if (sources.length === 0) return { total: 0, rowids: [] };
  } else {
    return null;
  }
  const select = (source: Source) =>
    `SELECT ${source.rowid} AS rid, s.status, s.level, s.township, s.term FROM ${source.from} AND ${where.join(' AND ')}`;
  const rowids = ctx.db
    .prepare(`SELECT rid FROM (${sources.map(select).join(' UNION ')}) s ORDER BY ${ORDER_SQL.replace('s.rowid', 's.rid')}`)
    .pluck()
    .all(...sources.flatMap((source) => [...source.params, ...params])) as number[];
  return { total: rowids.length, rowids: rowids.slice(offset, offset + limit) };
}

/** All seats that are not deleted, for the filters on seat columns alone. */
const ALL_SEATS: Source = { from: 'seats s WHERE s.deleted_at IS NULL', params: [], rowid: 's.rowid', probe: false };

/**
 * The page cut from the (status, level) arms of `source` in display order.
 * Each arm is one range of an index that continues (township, term, rowid)
 * — seats_filter for the seats, search_name_chars_find for a name search —
 * counted and read by seeks into it: a township filter never scans the
 * other townships.
 */
function orderedWindow(ctx: CoreContext, q: RosterQuery, source: Source, limit: number, offset: number): Window {
  const where = ['s.status = ?', 's.level = ?'];
  const params: unknown[] = [];
  for (const [column, value] of [['township', q.township], ['term', q.term]] as const) {
    if (value) {
      where.push(`s.${column} = ?`);
      params.push(value);
    }
  }
  const count = ctx.db.prepare(`SELECT count(*) FROM ${source.from} AND ${where.join(' AND ')}`).pluck();
  const read = ctx.db
    .prepare(`SELECT ${source.rowid} FROM ${source.from} AND ${where.join(' AND ')} ORDER BY s.township, s.term, ${source.rowid} LIMIT ? OFFSET ?`)
    .pluck();

  let total = 0;
  const rowids: number[] = [];
  let skip = offset;
  for (const status of statuses(q)) {
    for (const level of q.level ? [q.level] : LEVELS) {
      const n = count.get(...source.params, status, level, ...params) as number;
      total += n;
      if (rowids.length >= limit || n === 0) continue;
      if (skip >= n) {
        skip -= n;
        continue;
      }
      rowids.push(...(read.all(...source.params, status, level, ...params, limit - rowids.length, skip) as number[]));
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
  const limit = q.pageSize;
  const offset = (q.page - 1) * q.pageSize;
  const { total, rowids } = searchWindow(ctx, q, limit, offset) ?? orderedWindow(ctx, q, ALL_SEATS, limit, offset);
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
