import type { Db } from '../db/connection.js';
import { seqKey } from './changes.js';
import { ownerWrite } from './ownership.js';

/**
 * Who had seen what, and which of several changes to one field wins.
 *
 * Every field of a row is decided by the changes that touched it. A change
 * that was made after seeing another one overwrites it: that is ordinary
 * editing, whatever the clocks say. Changes that did not see each other are
 * the "heads"; when their values differ that is a conflict (冲突), and the
 * winner is the head with the greatest key:
 *   (the writer's side owns the field, hybrid clock, origin office, epoch, seq)
 * The same set of changes gives the same heads and winner on every office,
 * so all offices converge, whatever order the packages came in.
 */
export interface OpRef {
  origin: string;
  epoch: string;
  seq: number;
  hlc: string;
  op: 'insert' | 'update' | 'delete';
  fields: Record<string, unknown>;
}

type VersionVector = Map<string, number>;

/**
 * What each office had seen when it made a change: its own earlier changes of
 * the same epoch, plus the version vector of its newest earlier
 * handoff_knowledge row (written whenever it applied a package).
 */
export class Knowledge {
  private byWriter: Map<string, { seq: number; vv: VersionVector }[]> | null = null;

  constructor(private readonly db: Db) {}

  private load(): Map<string, { seq: number; vv: VersionVector }[]> {
    if (this.byWriter) return this.byWriter;
    const map = new Map<string, { seq: number; vv: VersionVector }[]>();
    const rows = this.db
      .prepare("SELECT origin_office, epoch, seq, fields_json FROM change_log WHERE entity = 'handoff_knowledge' AND op = 'insert'")
      .all() as { origin_office: string; epoch: string; seq: number; fields_json: string }[];
    for (const r of rows) {
      let vv: VersionVector;
      try {
        const fields = JSON.parse(r.fields_json) as { vv_json?: string };
        vv = new Map(Object.entries(JSON.parse(fields.vv_json ?? '{}') as Record<string, number>));
      } catch {
        continue;
      }
      const key = seqKey(r.origin_office, r.epoch);
      const list = map.get(key) ?? [];
      list.push({ seq: r.seq, vv });
      map.set(key, list);
    }
    for (const list of map.values()) list.sort((a, b) => a.seq - b.seq);
    this.byWriter = map;
    return map;
  }

  /** The version vector `origin` had when it wrote change `seq` of `epoch` (null: it had applied no package yet). */
  at(origin: string, epoch: string, seq: number): VersionVector | null {
    const list = this.load().get(seqKey(origin, epoch));
    if (!list) return null;
    let lo = 0;
    let hi = list.length - 1;
    let found: VersionVector | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.seq < seq) {
        found = list[mid]!.vv;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** True when the writer of `later` had `earlier` when it wrote it. */
  saw(earlier: OpRef, later: OpRef): boolean {
    if (earlier.origin === later.origin && earlier.epoch === later.epoch) return earlier.seq < later.seq;
    const vv = this.at(later.origin, later.epoch, later.seq);
    return vv !== null && (vv.get(seqKey(earlier.origin, earlier.epoch)) ?? 0) >= earlier.seq;
  }
}

/** The changes of one field that no other change of it had seen. */
export function headsOf(ops: OpRef[], knowledge: Knowledge): OpRef[] {
  if (ops.length === 1) return ops;
  // Within one office and epoch, the later change saw the earlier one.
  const latest = new Map<string, OpRef>();
  for (const o of ops) {
    const key = seqKey(o.origin, o.epoch);
    const cur = latest.get(key);
    if (!cur || cur.seq < o.seq) latest.set(key, o);
  }
  let candidates = [...latest.values()];
  // Whoever changed a row had the row, so had seen its insert.
  if (candidates.length > 1) candidates = candidates.filter((o) => o.op !== 'insert');
  if (candidates.length <= 1) return candidates;
  return candidates.filter((a) => !candidates.some((b) => b !== a && knowledge.saw(a, b)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders two changes of `table.field`: positive when `a` wins. */
export function compareKeys(table: string, field: string, a: OpRef, b: OpRef): number {
  return (
    ownerWrite(table, field, a.origin) - ownerWrite(table, field, b.origin) ||
    cmp(a.hlc, b.hlc) ||
    cmp(a.origin, b.origin) ||
    cmp(a.epoch, b.epoch) ||
    a.seq - b.seq
  );
}

export function winnerOf(table: string, field: string, heads: OpRef[]): OpRef {
  let best = heads[0]!;
  for (const h of heads) if (compareKeys(table, field, h, best) > 0) best = h;
  return best;
}

/** Which rule decided between the winner and a loser, in the words the conflicts screen uses. */
export function ruleOf(table: string, field: string, winner: OpRef, loser: OpRef): 'owner' | 'clock' | 'office-code tie' {
  if (ownerWrite(table, field, winner.origin) !== ownerWrite(table, field, loser.origin)) return 'owner';
  // The clock's time part (milliseconds and counter) is everything before the node.
  const time = (hlc: string) => hlc.split('-').slice(0, 2).join('-');
  if (time(winner.hlc) !== time(loser.hlc)) return 'clock';
  return 'office-code tie';
}
