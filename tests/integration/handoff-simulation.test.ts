import { describe, expect, it } from 'vitest';
import type { CoreContext } from '../../electron/core/context.js';
import { AppError } from '../../shared/errors.js';
import { opId } from '../../electron/core/handoff/changes.js';
import { call, dataDump, exportFor, importInto, network } from '../helpers/handoff.js';

/**
 * One county and five townships making random edits while packages arrive
 * late, twice, out of order or not at all; then quiet rounds until every
 * replica holds the same data. An independent record of who had seen which
 * change (taken from each office's change log at the moment of each edit)
 * says which values lost; every one of them must be in every office's
 * conflict records.
 */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Recorded {
  id: string;
  entity: string;
  entityId: string;
  op: string;
  fields: Record<string, unknown>;
  /** The changes of this row the office held when it made this one. */
  seen: Set<string>;
}

interface Parcel {
  from: CoreContext;
  to: CoreContext;
  bytes: Buffer;
  due: number;
}

const SKIP = new Set(['id', 'origin_office', 'created_at', 'updated_at', 'deleted_at']);

describe('handoff simulation', () => {
  it('one county and five townships, random edits, packages delivered late, twice, out of order or lost, until every replica is identical and no losing value is missing from the conflict records', async () => {
    const rnd = mulberry32(20261121);
    const pick = <T,>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const { county, townships } = network(5);
    const offices = [county, ...townships];
    const code = (ctx: CoreContext) => ctx.requireOffice().officeCode;
    const recorded = new Map<string, Recorded>();
    const lastSeq = new Map<CoreContext, number>(offices.map((o) => [o, 0]));

    const ownSeq = (ctx: CoreContext) =>
      (ctx.db.prepare('SELECT coalesce(max(seq), 0) FROM change_log WHERE origin_office = ? AND epoch = ?').pluck().get(code(ctx), ctx.requireOffice().epoch) as number);
    /** Runs an edit and records, for each change it made, what the office held of that row. */
    const edit = async (ctx: CoreContext, fn: () => unknown) => {
      await fn();
      const fresh = ctx.db
        .prepare('SELECT * FROM change_log WHERE origin_office = ? AND epoch = ? AND seq > ? ORDER BY seq')
        .all(code(ctx), ctx.requireOffice().epoch, lastSeq.get(ctx)!) as { origin_office: string; epoch: string; seq: number; entity: string; entity_id: string; op: string; fields_json: string }[];
      const freshIds = new Set(fresh.map((r) => opId({ origin: r.origin_office, epoch: r.epoch, seq: r.seq })));
      for (const r of fresh) {
        const held = ctx.db.prepare('SELECT origin_office, epoch, seq FROM change_log WHERE entity = ? AND entity_id = ?').all(r.entity, r.entity_id) as { origin_office: string; epoch: string; seq: number }[];
        const seen = new Set(held.map((h) => opId({ origin: h.origin_office, epoch: h.epoch, seq: h.seq })).filter((id) => !freshIds.has(id)));
        const id = opId({ origin: r.origin_office, epoch: r.epoch, seq: r.seq });
        recorded.set(id, { id, entity: r.entity, entityId: r.entity_id, op: r.op, fields: JSON.parse(r.fields_json), seen });
      }
      lastSeq.set(ctx, ownSeq(ctx));
    };
    const liveSeats = (ctx: CoreContext) =>
      ctx.db.prepare('SELECT s.id, s.level, s.term, p.name FROM seats s JOIN persons p ON p.id = s.person_id WHERE s.deleted_at IS NULL AND p.deleted_at IS NULL').all() as { id: string; level: 'township'; term: string; name: string }[];
    const live = (ctx: CoreContext, table: string, where = '1') =>
      ctx.db.prepare(`SELECT id FROM ${table} WHERE deleted_at IS NULL AND ${where}`).pluck().all() as string[];

    let stamp = 0;
    const text = (ctx: CoreContext) => `${code(ctx).slice(-3)}-${++stamp}`;
    const randomEdit = async (ctx: CoreContext) => {
      const isCounty = ctx === county;
      const seats = liveSeats(ctx);
      const r = rnd();
      if ((!isCounty && r < 0.15) || seats.length < 3) {
        return edit(ctx, () => call(ctx, 'roster.create', {
          person: { name: `代表${++stamp}`, phone: `139${String(stamp).padStart(8, '0')}` },
          seat: { level: 'township', term: '第十九届', township: ctx.requireOffice().officeName },
        }));
      }
      const seat = pick(seats);
      if (r < 0.5) {
        const field = pick(['note', 'phone', 'address', 'workUnit'] as const);
        return edit(ctx, () => call(ctx, 'roster.update', { seatId: seat.id, person: { name: seat.name, [field]: text(ctx) }, seat: { level: seat.level, term: seat.term } }));
      }
      if (r < 0.72) {
        const field = pick(['note', 'constituency', 'certificateNo'] as const);
        return edit(ctx, () => call(ctx, 'roster.update', { seatId: seat.id, person: { name: seat.name }, seat: { level: seat.level, term: seat.term, [field]: text(ctx) } }));
      }
      if (r < 0.78) return edit(ctx, () => call(ctx, 'roster.remove', { seatId: seat.id }));
      if (isCounty) {
        const activities = live(ctx, 'activities');
        if (r < 0.9 && activities.length) {
          return edit(ctx, () => ctx.repo.update('activities', pick(activities), { review_status: pick(['confirmed', 'rejected', 'pending']), reviewed_by: text(ctx) }));
        }
        const rules = live(ctx, 'rule_sets');
        if (rules.length === 0 || rnd() < 0.2) {
          return edit(ctx, () => ctx.repo.insert('rule_sets', { period: `20${20 + stamp}`, name: `规则${text(ctx)}` }));
        }
        return edit(ctx, () => ctx.repo.update('rule_sets', pick(rules), { note: text(ctx) }));
      }
      const activities = live(ctx, 'activities', `origin_office = '${code(ctx)}'`);
      if (r < 0.86 || activities.length === 0) {
        return edit(ctx, () => ctx.repo.insert('activities', { type: '视察', date: '2026-05-01', title: `活动${text(ctx)}` }));
      }
      const rules = live(ctx, 'rule_sets', "length(origin_office) = 6");
      if (r < 0.93 && rules.length) return edit(ctx, () => ctx.repo.update('rule_sets', pick(rules), { note: text(ctx) }));
      return edit(ctx, () => ctx.repo.update('activities', pick(activities), { title: `活动${text(ctx)}`, review_status: 'pending' }));
    };

    const queue: Parcel[] = [];
    const deliver = async (p: Parcel) => {
      try {
        await importInto(p.to, { bytes: p.bytes });
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'PACKAGE_GAP') throw err;
        return false;
      }
      lastSeq.set(p.to, ownSeq(p.to)); // imports add only knowledge rows of its own: not edits
      return true;
    };
    const peersOf = (ctx: CoreContext) => (ctx === county ? townships : [county]);

    const ROUNDS = 14;
    let lost = 0;
    let twice = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const ctx of offices) {
        const n = 1 + Math.floor(rnd() * 3);
        for (let i = 0; i < n; i++) await randomEdit(ctx);
      }
      for (const from of offices) {
        for (const to of peersOf(from)) {
          if (rnd() < 0.3) continue; // nobody went this time
          const { bytes } = await exportFor(from, to);
          if (rnd() < 0.2) {
            lost++;
            continue;
          }
          queue.push({ from, to, bytes, due: round + Math.floor(rnd() * 3) });
          if (rnd() < 0.2) {
            twice++;
            queue.push({ from, to, bytes, due: round + Math.floor(rnd() * 4) });
          }
        }
      }
      const due = queue.filter((p) => p.due <= round).sort(() => rnd() - 0.5);
      for (const p of due) {
        queue.splice(queue.indexOf(p), 1);
        if (!(await deliver(p)) && rnd() < 0.7) queue.push({ ...p, due: round + 1 });
      }
    }
    expect(lost).toBeGreaterThan(0);
    expect(twice).toBeGreaterThan(0);

    // Quiet rounds: every office sends, every stick arrives, in order.
    let converged = false;
    for (let quiet = 0; quiet < 6 && !converged; quiet++) {
      for (const t of townships) expect(await deliver({ from: t, to: county, bytes: (await exportFor(t, county)).bytes, due: 0 })).toBe(true);
      for (const t of townships) expect(await deliver({ from: county, to: t, bytes: (await exportFor(county, t)).bytes, due: 0 })).toBe(true);
      converged = townships.every((t) => dataDump(county, code(t)) === dataDump(t, code(t)));
    }
    expect(converged, 'replicas still differ after the quiet rounds').toBe(true);
    for (const t of townships) expect(dataDump(t, code(t))).toBe(dataDump(county, code(t)));
    for (const o of offices) expect(o.db.prepare('SELECT count(*) FROM handoff_blocked').pluck().get()).toBe(0);

    // The losing values, from what each office had seen when it edited.
    const ops = [...recorded.values()].filter((o) => o.op !== 'insert');
    const byField = new Map<string, Recorded[]>();
    for (const o of ops) {
      for (const f of Object.keys(o.fields)) {
        if (SKIP.has(f)) continue;
        const key = `${o.entity}|${o.entityId}|${f}`;
        byField.set(key, [...(byField.get(key) ?? []), o]);
      }
    }
    const expected: { entity: string; entityId: string; field: string; loser: string; rule?: string }[] = [];
    let heads = 0;
    for (const [key, list] of byField) {
      const [entity, entityId, field] = key.split('|') as [string, string, string];
      const final = county.db.prepare(`SELECT ${field} AS v FROM ${entity} WHERE id = ?`).get(entityId) as { v: unknown };
      const unseen = list.filter((o) => !list.some((other) => other !== o && other.seen.has(o.id)));
      heads += unseen.length > 1 ? 1 : 0;
      for (const o of unseen) if ((o.fields[field] ?? null) !== (final.v ?? null)) expected.push({ entity, entityId, field, loser: o.id });
    }
    const deletes = [...recorded.values()].filter((o) => o.op === 'delete');
    for (const e of ops.filter((o) => o.op === 'update')) {
      const dels = deletes.filter((d) => d.entity === e.entity && d.entityId === e.entityId);
      if (dels.length && !dels.some((d) => d.seen.has(e.id))) {
        const isHead = Object.keys(e.fields).some((f) => !SKIP.has(f) && !ops.some((o) => o !== e && o.entityId === e.entityId && f in o.fields && o.seen.has(e.id)));
        if (isHead) expected.push({ entity: e.entity, entityId: e.entityId, field: '*', loser: e.id, rule: 'delete' });
      }
    }
    expect(heads, 'the run should produce concurrent edits').toBeGreaterThan(3);
    expect(expected.length, 'the run should produce losing values').toBeGreaterThan(3);

    for (const o of offices) {
      const records = o.db.prepare('SELECT entity, entity_id, field, loser_op, rule FROM handoff_conflicts').all() as { entity: string; entity_id: string; field: string; loser_op: string; rule: string }[];
      const has = (x: (typeof expected)[number]) =>
        records.some((r) => r.entity === x.entity && r.entity_id === x.entityId && r.loser_op === x.loser && (x.field === '*' ? r.rule === 'delete' : r.field === x.field));
      const holds = (x: (typeof expected)[number]) => o.db.prepare(`SELECT count(*) FROM ${x.entity} WHERE id = ?`).pluck().get(x.entityId) === 1;
      const missing = expected.filter((x) => holds(x) && !has(x));
      expect(missing, `${code(o)} lacks conflict records`).toEqual([]);
    }
  }, 300_000); // about 20 s on an idle 2-core PC; generous for a busy one
});
