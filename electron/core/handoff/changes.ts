import type { CoreContext } from '../context.js';
import type { Db } from '../db/connection.js';
import { nowIso } from '../db/repository.js';
import type { PackageRange } from './format.js';
import { officeTypeOf, routes } from './ownership.js';

/**
 * The change log as the handoff sees it: one change_log row, carried as-is.
 * A change is named by (origin office, epoch, seq); seq is gap-free within
 * its (origin, epoch), so "what I hold" is one number per sequence.
 */
export interface Change {
  origin: string;
  epoch: string;
  seq: number;
  hlc: string;
  entity: string;
  entityId: string;
  op: 'insert' | 'update' | 'delete';
  /** The change_log's fields_json, byte for byte. */
  fields: string;
  at: string;
  /** `fields` parsed, when it already was (never written anywhere). */
  values?: Record<string, unknown>;
}

export interface ChangeLogRow {
  origin_office: string;
  epoch: string;
  seq: number;
  hlc: string;
  entity: string;
  entity_id: string;
  op: Change['op'];
  fields_json: string;
  at: string;
}

/** A change_log row as `SELECT origin_office, seq, epoch, hlc, entity, entity_id, op, fields_json, at` gives it raw. */
type RawChangeLogRow = [string, number, string, string, string, string, Change['op'], string, string];

function fromRaw(r: RawChangeLogRow): ChangeLogRow {
  return { origin_office: r[0], seq: r[1], epoch: r[2], hlc: r[3], entity: r[4], entity_id: r[5], op: r[6], fields_json: r[7], at: r[8] };
}

export function toChange(r: ChangeLogRow): Change {
  return {
    origin: r.origin_office,
    epoch: r.epoch,
    seq: r.seq,
    hlc: r.hlc,
    entity: r.entity,
    entityId: r.entity_id,
    op: r.op,
    fields: r.fields_json,
    at: r.at,
  };
}

export const opId = (c: { origin: string; epoch: string; seq: number }) => `${c.origin}/${c.epoch}/${c.seq}`;
export const seqKey = (origin: string, epoch: string) => `${origin}:${epoch}`;

/** The highest seq held without a gap, per `origin:epoch`. */
export type Holdings = Map<string, { origin: string; epoch: string; seq: number }>;

/**
 * What this database holds: received sequences from handoff_holdings, this
 * office's own sequences (every epoch: a restored database keeps the old
 * epoch's changes up to the backup) from change_log.
 */
export function holdings(db: Db, ownCode: string): Holdings {
  const held: Holdings = new Map();
  const put = (origin: string, epoch: string, seq: number) => {
    const key = seqKey(origin, epoch);
    const cur = held.get(key);
    if (!cur || cur.seq < seq) held.set(key, { origin, epoch, seq });
  };
  for (const r of db.prepare('SELECT origin_office, epoch, seq FROM handoff_holdings').all() as {
    origin_office: string;
    epoch: string;
    seq: number;
  }[]) {
    put(r.origin_office, r.epoch, r.seq);
  }
  for (const r of db
    .prepare('SELECT epoch, max(seq) AS seq FROM change_log WHERE origin_office = ? GROUP BY epoch')
    .all(ownCode) as { epoch: string; seq: number }[]) {
    put(ownCode, r.epoch, r.seq);
  }
  return held;
}

export function heldSeq(held: Holdings, origin: string, epoch: string): number {
  return held.get(seqKey(origin, epoch))?.seq ?? 0;
}

export function peerAcks(db: Db, peer: string): Map<string, number> {
  const rows = db.prepare('SELECT origin_office, epoch, seq FROM handoff_peer_acks WHERE peer_office = ?').all(peer) as {
    origin_office: string;
    epoch: string;
    seq: number;
  }[];
  return new Map(rows.map((r) => [seqKey(r.origin_office, r.epoch), r.seq]));
}

/**
 * Stores what the sender says it holds, unless a newer package from it was
 * already read (a stick delivered late must not move the acknowledgements back).
 */
export function rememberPeerAcks(
  ctx: CoreContext,
  peer: string,
  senderHlc: string,
  packageId: string,
  acks: { origin: string; epoch: string; seq: number }[],
): void {
  const state = ctx.db.prepare('SELECT sender_hlc FROM handoff_peer_state WHERE peer_office = ?').get(peer) as
    | { sender_hlc: string }
    | undefined;
  if (state && state.sender_hlc >= senderHlc) return;
  ctx.db.prepare('DELETE FROM handoff_peer_acks WHERE peer_office = ?').run(peer);
  const put = ctx.db.prepare('INSERT INTO handoff_peer_acks (peer_office, origin_office, epoch, seq) VALUES (?, ?, ?, ?)');
  for (const a of acks) put.run(peer, a.origin, a.epoch, a.seq);
  ctx.db
    .prepare(
      `INSERT INTO handoff_peer_state (peer_office, sender_hlc, package_id, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (peer_office) DO UPDATE SET sender_hlc = excluded.sender_hlc, package_id = excluded.package_id,
         updated_at = excluded.updated_at`,
    )
    .run(peer, senderHlc, packageId, nowIso());
}

export function raiseHoldings(db: Db, origin: string, epoch: string, seq: number): void {
  db.prepare(
    `INSERT INTO handoff_holdings (origin_office, epoch, seq) VALUES (?, ?, ?)
     ON CONFLICT (origin_office, epoch) DO UPDATE SET seq = max(seq, excluded.seq)`,
  ).run(origin, epoch, seq);
}

/** Sequence numbers read per query (see outgoing). */
const READ_WINDOW = 2000;

export interface Outgoing {
  ranges: PackageRange[];
  changes: Change[];
}

/**
 * Everything the addressee has not acknowledged, from any origin (that is how
 * the county relays one township's changes and heals a restored database),
 * filtered by where rows go (ownership.ts), in (origin, epoch, seq) order.
 *
 * A range is "full" when this office holds every change of it that the
 * addressee should get: always at the county, and at a township for its own
 * changes. A township also returns other offices' changes the county lacks
 * (after the county restored a backup), as partial ranges: they fill in but
 * never count as complete.
 */
export function outgoing(db: Db, me: { officeCode: string }, peer: string): Outgoing {
  const held = holdings(db, me.officeCode);
  const acks = peerAcks(db, peer);
  const county = officeTypeOf(me.officeCode) === 'county';
  const ranges: PackageRange[] = [];
  const changes: Change[] = [];
  // Raw rows, a window of sequence numbers at a time: a county-scale year is tens of thousands of changes,
  // better-sqlite3 building an object per row (one property at a time) costs more than reading them, and
  // one .all() over all of them keeps every value in one handle scope that each garbage collection walks.
  const select = db
    .prepare(
      `SELECT origin_office, seq, epoch, hlc, entity, entity_id, op, fields_json, at FROM change_log
       WHERE origin_office = ? AND epoch = ? AND seq > ? AND seq <= ? ORDER BY seq`,
    )
    .raw();
  const origins = new RowOrigins(db);
  const sorted = [...held.values()].sort((a, b) => (a.origin === b.origin ? cmp(a.epoch, b.epoch) : cmp(a.origin, b.origin)));
  for (const h of sorted) {
    const acked = acks.get(seqKey(h.origin, h.epoch)) ?? 0;
    const full = county || h.origin === me.officeCode;
    // A partial range offers whatever is here above the ack, up to the last change held at all.
    const top = full ? h.seq : maxSeq(db, h.origin, h.epoch);
    if (top <= acked) continue;
    const rows: ChangeLogRow[] = [];
    for (let from = acked; from < top; from += READ_WINDOW) {
      for (const raw of select.all(h.origin, h.epoch, from, Math.min(top, from + READ_WINDOW)) as RawChangeLogRow[]) {
        const r = fromRaw(raw);
        if (routes(r.entity, peer, () => origins.of(r.entity, r.entity_id, r))) rows.push(r);
      }
    }
    if (!full && rows.length === 0) continue;
    ranges.push({
      origin: h.origin,
      epoch: h.epoch,
      from: full ? acked + 1 : rows[0]!.seq,
      to: full ? top : rows[rows.length - 1]!.seq,
      full,
      count: rows.length,
    });
    for (const r of rows) changes.push(toChange(r));
  }
  return { ranges, changes };
}

function maxSeq(db: Db, origin: string, epoch: string): number {
  return (
    (db.prepare('SELECT max(seq) FROM change_log WHERE origin_office = ? AND epoch = ?').pluck().get(origin, epoch) as number | null) ?? 0
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The office a row was born at (its origin_office), looked up once per row. */
class RowOrigins {
  private readonly cache = new Map<string, string | null>();
  private readonly tables: Set<string>;
  constructor(private readonly db: Db) {
    this.tables = new Set(
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[],
    );
  }
  of(entity: string, id: string, row: ChangeLogRow): string | null {
    const key = `${entity}\u0000${id}`;
    if (this.cache.has(key)) return this.cache.get(key)!;
    let origin: string | null = null;
    if (row.op === 'insert') origin = (JSON.parse(row.fields_json) as { origin_office?: string }).origin_office ?? null;
    if (!origin && this.tables.has(entity)) {
      origin = (this.db.prepare(`SELECT origin_office FROM "${entity}" WHERE id = ?`).pluck().get(id) as string | undefined) ?? null;
    }
    this.cache.set(key, origin);
    return origin;
  }
}

/**
 * About how many changes the next package to `peer` would carry: exact from a
 * township, an upper bound from the county (before leaving out other
 * townships' own records). Cheap: no change is read.
 */
export function pendingCount(db: Db, me: { officeCode: string }, peer: string): number {
  const acks = peerAcks(db, peer);
  let n = 0;
  for (const h of holdings(db, me.officeCode).values()) {
    if (officeTypeOf(me.officeCode) !== 'county' && h.origin !== me.officeCode) continue;
    n += Math.max(0, h.seq - (acks.get(seqKey(h.origin, h.epoch)) ?? 0));
  }
  return n;
}
