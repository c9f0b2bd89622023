import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { HandoffImportReport } from '../../shared/contract/index.js';
import { Applier, type RowKind, type RowWork } from '../../electron/core/handoff/apply.js';
import type { Change } from '../../electron/core/handoff/changes.js';
import { identityFile, parseIdentity, trustIdentity } from '../../electron/core/handoff/keys.js';
import type { CoreContext } from '../../electron/core/context.js';
import { latestSchemaVersion } from '../../electron/core/db/migrate.js';
import { COUNTY, TOWNSHIPS, canonicalDump, countRows, dataDump, exportFor, failure, importInto, office, pair } from '../helpers/handoff.js';

/**
 * The import writes most rows many per statement and reads rows back a
 * window at a time (apply.ts: applyRows, insertFresh, takeRead). Row by row
 * (`bulk: false`) is the plain path; both must leave exactly the same data,
 * bookkeeping and report, including when a statement is refused halfway.
 */
const T1 = TOWNSHIPS[0]!;

/** Two counties that hold the same and trust the township: one imports in bulk, the other row by row. */
function twoCounties(township: CoreContext): { bulk: CoreContext; rows: CoreContext } {
  const bulk = office(COUNTY.code, COUNTY.name);
  const rows = office(COUNTY.code, COUNTY.name);
  pair(bulk, township);
  trustIdentity(rows, parseIdentity(JSON.stringify(identityFile(township))), false);
  return { bulk, rows };
}

/** What must not depend on the path: the report without times and random ids. */
function comparable(r: HandoffImportReport) {
  return {
    ...r,
    importedAt: undefined,
    conflicts: r.conflicts.map((c) => ({ ...c, id: undefined, detectedAt: undefined })),
  };
}

function bookkeeping(ctx: CoreContext) {
  return {
    blocked: ctx.db.prepare('SELECT entity, entity_id, reason FROM handoff_blocked ORDER BY entity, entity_id').all(),
    // The scoring keys are numbered locally; what they say must be the same.
    attendance: ctx.db
      .prepare(
        `SELECT a.activity_id, s.seat_id, t.att FROM score_attendance t
         JOIN score_activity_keys a ON a.n = t.activity_n JOIN score_seat_keys s ON s.n = t.seat_n
         ORDER BY a.activity_id, s.seat_id`,
      )
      .all(),
    changes: ctx.db
      .prepare("SELECT origin_office, seq, hlc, entity, entity_id, op, fields_json FROM change_log WHERE origin_office <> ? ORDER BY 1, 2")
      .all(COUNTY.code),
  };
}

async function bothWays(township: CoreContext, counties: { bulk: CoreContext; rows: CoreContext }) {
  const pkg = await exportFor(township, counties.bulk);
  const bulk = await importInto(counties.bulk, pkg);
  const rows = await importInto(counties.rows, pkg, { bulk: false });
  expect(comparable(bulk)).toEqual(comparable(rows));
  expect(dataDump(counties.bulk, T1.code)).toBe(dataDump(counties.rows, T1.code));
  expect(bookkeeping(counties.bulk)).toEqual(bookkeeping(counties.rows));
  return bulk;
}

/** A township's year in small: every table the bench fills, rows of several tables interleaved, edits and deletions. */
function townshipYear(t: CoreContext): { persons: string[]; seats: string[]; participants: string[] } {
  const quiet = { audit: false } as const;
  const persons: string[] = [];
  const seats: string[] = [];
  const participants: string[] = [];
  t.repo.transaction(() => {
    const groups = [1, 2, 3].map((i) => t.repo.insert('deputy_groups', { name: `第${i}代表小组`, township: T1.name }, quiet));
    const stations = [1, 2].map((i) => t.repo.insert('liaison_stations', { name: `第${i}联络站`, township: T1.name }, quiet));
    for (let i = 0; i < 40; i++) {
      const p = t.repo.insert('persons', { name: `代表${i}`, phone: `139${String(10000000 + i)}`, has_fixed_income: i % 3 ? 1 : 0 }, quiet);
      persons.push(p);
      seats.push(
        t.repo.insert('seats', { person_id: p, level: 'township', term: '第十九届', township: T1.name, group_id: groups[i % 3], station_id: stations[i % 2] }, quiet),
      );
    }
    t.repo.update('persons', persons[3]!, { address: '石桥村' }, quiet); // two changes: not written in bulk
    t.repo.tombstone('seats', seats[5]!, quiet);
    const activities = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => t.repo.insert('activities', { type: '视察', date: `2026-0${i + 1}-10`, title: `活动${i}` }, quiet));
    // More than one statement's worth (BULK_ROWS), so the chunking and the rest in powers of two are used.
    for (let i = 0; i < 300; i++) {
      participants.push(
        t.repo.insert('activity_participants', { activity_id: activities[Math.floor(i / 40)], seat_id: seats[(i * 7) % 40], attendance: i % 9 ? '出席' : '请假' }, quiet),
      );
    }
    const fund = t.repo.insert('funds', { year: 2026, name: '活动经费', kind: 'per_deputy', budget_fen: 100000 }, quiet);
    for (let i = 0; i < 20; i++) t.repo.insert('fund_entries', { fund_id: fund, date: '2026-06-01', amount_fen: 1000 + i, purpose: '代表活动', payee: '青山镇人大' }, quiet);
    for (let m = 1; m <= 3; m++) {
      const period = `2026-0${m}`;
      const batch = t.repo.insert('subsidy_batches', {
        period, period_start: `${period}-01`, period_end: `${period}-28`, title: `${period}补贴`, status: 'draft', total_fen: 0,
        line_count: 0, policy_json: '{}', exceptions_json: '[]', basis_json: '[]', generated_at: '2026-01-01T00:00:00Z',
      }, quiet);
      for (let k = 0; k < 10; k++) {
        t.repo.insert('subsidy_batch_lines', {
          batch_id: batch, seq: k + 1, kind: 'regular', person_id: persons[k]!, name: `代表${k}`, level: 'township', levels: 'township',
          standard_text: '每月200元', months: 1, amount_fen: 20000, detail_json: '{}',
        }, quiet);
      }
      // Two issued (their lines must be in before), one left a draft.
      if (m < 3) t.repo.update('subsidy_batches', batch, { status: 'issued', total_fen: 200000, line_count: 10 }, quiet);
    }
  });
  return { persons, seats, participants };
}

describe('handoff apply: bulk and row by row give the same result', () => {
  it('a township year, then edits, deletions and new rows on top of it', async () => {
    const t = office(T1.code, T1.name);
    const counties = twoCounties(t);
    const { persons, participants } = townshipYear(t);
    const first = await bothWays(t, counties);
    expect(first.new).toBeGreaterThan(400);
    expect(countRows(counties.bulk, 'activity_participants')).toBe(300);

    // The second package is mostly rows the county already has: read back a window at a time.
    t.repo.transaction(() => {
      persons.slice(0, 30).forEach((id, i) => t.repo.update('persons', id, { phone: `138${String(20000000 + i)}` }, { audit: false }));
      participants.slice(0, 40).forEach((id, i) =>
        i % 4 === 0
          ? t.repo.tombstone('activity_participants', id, { audit: false })
          : t.repo.update('activity_participants', id, { attendance: '缺席' }, { audit: false }),
      );
      const activity = t.repo.insert('activities', { type: '调研', date: '2026-09-01', title: '补登的活动' }, { audit: false });
      const seat = t.db.prepare('SELECT id FROM seats WHERE deleted_at IS NULL ORDER BY id LIMIT 1').pluck().get() as string;
      t.repo.insert('activity_participants', { activity_id: activity, seat_id: seat, attendance: '出席', note: '补登' }, { audit: false });
    });
    const second = await bothWays(t, counties);
    expect([second.updated, second.deleted]).toEqual([30 + 30, 10]);
    expect(dataDump(counties.bulk, T1.code)).toBe(dataDump(t, T1.code));
  });

  it('a statement refused halfway (a unique index) blocks only the row at fault; it is written once the conflict is gone', async () => {
    const county = office(COUNTY.code, COUNTY.name);
    const [bulk, rows] = [office(T1.code, T1.name), office(T1.code, T1.name)];
    pair(county, bulk);
    trustIdentity(rows, parseIdentity(JSON.stringify(identityFile(county))), false);
    // Each township made its own rule set for 2026 before the county's came down.
    for (const t of [bulk, rows]) t.repo.insert('rule_sets', { period: '2026', level: 'county', name: '乡镇自定2026年规则' });
    const ids = ['2025', '2026', '2027'].map((period) => county.repo.insert('rule_sets', { period, level: 'county', name: `县${period}年积分规则` }));

    const pkg = await exportFor(county, bulk);
    const a = await importInto(bulk, pkg);
    const b = await importInto(rows, pkg, { bulk: false });
    for (const [t, r] of [[bulk, a], [rows, b]] as const) {
      expect(r.new).toBe(2);
      expect(r.warnings.join('')).toContain('1 条记录与本机已有的数据冲突');
      expect(t.db.prepare('SELECT entity_id FROM handoff_blocked').pluck().all()).toEqual([ids[1]]);
      expect(t.db.prepare('SELECT count(*) FROM rule_sets WHERE id IN (?, ?, ?)').pluck().get(...ids)).toBe(2);
    }

    // The township retires its own; the next package from the county brings the blocked one in.
    bulk.repo.tombstone('rule_sets', bulk.db.prepare("SELECT id FROM rule_sets WHERE name = '乡镇自定2026年规则'").pluck().get() as string);
    county.repo.update('rule_sets', ids[0]!, { note: '已印发' });
    const again = await importInto(bulk, await exportFor(county, bulk));
    expect(again.warnings.join('')).not.toContain('冲突');
    expect(countRows(bulk, 'handoff_blocked', '1')).toBe(0);
    expect(bulk.db.prepare('SELECT count(*) FROM rule_sets WHERE id IN (?, ?, ?) AND deleted_at IS NULL').pluck().get(...ids)).toBe(3);
  });

  it('a row that exists here without any change of it is merged, not inserted twice', async () => {
    const t = office(T1.code, T1.name);
    const counties = twoCounties(t);
    const persons = ['王芳', '刘洋', '陈静', '赵磊'].map((name) => t.repo.insert('persons', { name, phone: '13907330001' }));
    // Put there by hand (an old tool, a repair): same id, another name, no change log.
    for (const c of [counties.bulk, counties.rows]) {
      c.db
        .prepare("INSERT INTO persons (id, name, origin_office, created_at, updated_at) VALUES (?, '手工录入', ?, '2020-01-01', '2020-01-01')")
        .run(persons[2], T1.code);
    }
    const r = await bothWays(t, counties);
    expect([r.new, r.updated]).toEqual([3, 1]);
    expect(counties.bulk.db.prepare('SELECT name FROM persons WHERE id = ?').pluck().get(persons[2])).toBe('陈静');
  });
});

describe('handoff apply: references', () => {
  it('rows written many per statement that point at a row this office lacks refuse the whole package', async () => {
    const t = office(T1.code, T1.name);
    const counties = twoCounties(t);
    const persons = [0, 1, 2].map((i) => t.repo.insert('persons', { name: `代表${i}` }));
    const seats = persons.map((p) => t.repo.insert('seats', { person_id: p, level: 'township', term: '第十九届', township: T1.name }));
    const activity = t.repo.insert('activities', { type: '视察', date: '2026-03-02', title: '视察敬老院' });
    for (const seat of seats) t.repo.insert('activity_participants', { activity_id: activity, seat_id: seat, attendance: '出席' });
    // As if an older program had left the seats out: the participants arrive without what they point at.
    const latest = latestSchemaVersion();
    const pkg = await exportFor(t, counties.bulk, { schemaVersion: latest - 1 });
    const upgrades = [{ to: latest, upgrade: (c: Change) => (c.entity === 'seats' ? null : c) }];
    for (const [county, bulk] of [[counties.bulk, true], [counties.rows, false]] as const) {
      const before = [canonicalDump(county), county.db.prepare('SELECT count(*) FROM change_log').pluck().get()];
      const err = await failure(importInto(county, pkg, { upgrades, bulk }));
      expect(err.code).toBe('CONFLICT');
      expect(err.message).toBe('数据交换包中有 3 条活动参加人员记录引用了本机没有的代表席位，已全部撤销，数据未作任何改动。请联系对方核查后重新导出。');
      expect([canonicalDump(county), county.db.prepare('SELECT count(*) FROM change_log').pluck().get()]).toEqual(before);
    }
  });
});

describe('handoff apply: rows of tables whose triggers look at each other keep their order', () => {
  /** Changes as a package would carry them, from one township sequence. */
  function changesOf(rows: { entity: string; id: string; values: Record<string, unknown> }[]): Change[] {
    const epoch = randomUUID();
    return rows.map((r, i) => {
      const values = { ...r.values, origin_office: T1.code, created_at: '2026-03-01T00:00:00Z', updated_at: '2026-03-01T00:00:00Z' };
      return {
        origin: T1.code,
        epoch,
        seq: i + 1,
        hlc: `${String(1_770_000_000_000 + i).padStart(15, '0')}-000000-${T1.code}`,
        entity: r.entity,
        entityId: r.id,
        op: 'insert',
        fields: JSON.stringify(values),
        at: '2026-03-01T00:00:00Z',
        values,
      };
    });
  }

  function apply(ctx: CoreContext, changes: Change[], bulk: boolean): Map<string, RowKind> {
    const kinds = new Map<string, RowKind>();
    ctx.repo.transaction(() => {
      ctx.db.pragma('defer_foreign_keys = ON');
      const applier = new Applier(ctx, null, { bulk });
      const { received } = applier.store(changes);
      const work: RowWork[] = received.map((c) => ({ entity: c.entity, id: c.entityId, incoming: [c] }));
      applier.applyRows(work, (row, kind) => kinds.set(row.id, kind));
    });
    return kinds;
  }

  it('a line that came after its batch was issued is refused, however the rows are grouped', () => {
    const batch = (status: string) => ({
      period: '2026-03', period_start: '2026-03-01', period_end: '2026-03-31', title: '3月补贴', status, total_fen: 0, line_count: 0,
      policy_json: '{}', exceptions_json: '[]', basis_json: '[]', generated_at: '2026-03-01T00:00:00Z',
    });
    const line = (batchId: string, personId: string) => ({
      batch_id: batchId, seq: 1, kind: 'regular', person_id: personId, name: '王芳', level: 'township', levels: 'township',
      standard_text: '每月200元', months: 1, amount_fen: 20000, detail_json: '{}',
    });
    const [p, a, b, l0, l1] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    // In this order: a line of draft batch A, then batch B already issued, then a line of B (refused), then A itself.
    // Written table by table without regard to the trigger, both lines would go in before B.
    const changes = changesOf([
      { entity: 'persons', id: p, values: { name: '王芳' } },
      { entity: 'subsidy_batch_lines', id: l0, values: line(a, p) },
      { entity: 'subsidy_batches', id: b, values: batch('issued') },
      { entity: 'subsidy_batch_lines', id: l1, values: line(b, p) },
      { entity: 'subsidy_batches', id: a, values: batch('draft') },
    ]);
    const results = [true, false].map((bulk) => {
      const ctx = office(COUNTY.code, COUNTY.name);
      const kinds = apply(ctx, structuredClone(changes), bulk);
      return {
        kinds: Object.fromEntries(kinds),
        lines: ctx.db.prepare('SELECT id FROM subsidy_batch_lines ORDER BY id').pluck().all(),
        blocked: ctx.db.prepare('SELECT entity_id FROM handoff_blocked').pluck().all(),
      };
    });
    expect(results[0]).toEqual(results[1]);
    expect(results[0]!.kinds[l1]).toBe('blocked');
    expect(results[0]!.lines).toEqual([l0]);
    expect(results[0]!.blocked).toEqual([l1]);
  });
});
