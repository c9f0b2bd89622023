import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createManualBackup } from '../../electron/core/backup/service.js';
import { restoreBackup } from '../../electron/core/backup/restore.js';
import { CoreContext } from '../../electron/core/context.js';
import { InjectedFailure } from '../../electron/core/handoff/apply.js';
import { syncedTables, TABLE_RULES } from '../../electron/core/handoff/ownership.js';
import {
  addDeputy,
  call,
  canonicalDump,
  countRows,
  dataDump,
  exportFor,
  failure,
  importInto,
  network,
  send,
} from '../helpers/handoff.js';
import { tempDir } from '../helpers/tmp.js';

const T1 = '430281101';
const T2 = '430281102';

function sameData(a: CoreContext, b: CoreContext, township: string): void {
  expect(dataDump(a, township) === dataDump(b, township), 'the two offices hold different data').toBe(true);
}

describe('handoff: sequences, gaps and healing', () => {
  it('out-of-order packages rejected as a gap naming the missing range, then accepted in order', async () => {
    const { county, townships: [township] } = network(1);
    await addDeputy(township!, { name: '王芳' });
    await send(township!, county);
    await send(county, township!); // the township learns what the county holds
    await addDeputy(township!, { name: '刘洋' });
    const second = await exportFor(township!, county);
    // A copy of the county as it is now, before it sees the second package.
    const copyFile = path.join(tempDir(), 'county-copy.sqlite');
    county.db.prepare('VACUUM INTO ?').run(copyFile);
    await importInto(county, second);
    await send(county, township!);
    await addDeputy(township!, { name: '陈静' });
    const third = await exportFor(township!, county);

    const late = new CoreContext(copyFile);
    const before = canonicalDump(late);
    const gap = await failure(importInto(late, third));
    expect(gap.code).toBe('PACKAGE_GAP');
    // 王芳: person + seat = seq 1–2; 刘洋 3–4 is what the copy lacks.
    expect(gap.message).toContain('缺少 青山镇（430281101） 的第 3–4 号变更');
    expect(gap.message).toContain('请先导入更早的数据包');
    expect(canonicalDump(late)).toBe(before);

    expect((await importInto(late, second)).new).toBe(2);
    expect((await importInto(late, third)).new).toBe(2);
    sameData(late, township!, T1);
    expect(countRows(late, 'persons')).toBe(3);
  });

  it('overlapping cumulative packages', async () => {
    const { county, townships: [township] } = network(1);
    await addDeputy(township!, { name: '王芳' });
    const first = await exportFor(township!, county);
    await addDeputy(township!, { name: '刘洋' });
    const second = await exportFor(township!, county); // not acknowledged yet: carries 王芳 again
    expect(second.changes).toBe(4);
    const a = await importInto(county, second);
    expect([a.new, a.skipped]).toEqual([4, 0]);
    const b = await importInto(county, first);
    expect(b.status).toBe('applied');
    expect([b.new, b.updated, b.skipped]).toEqual([0, 0, 2]);
    sameData(county, township!, T1);
  });

  it('a lost stick heals on the next trip', async () => {
    const { county, townships: [township] } = network(1);
    await addDeputy(township!, { name: '王芳' });
    await exportFor(township!, county); // this stick is lost
    await addDeputy(township!, { name: '刘洋' });
    expect((await send(township!, county)).new).toBe(4);
    sameData(county, township!, T1);

    // The other way: the county's answer is lost too, the next one carries it.
    const rule = county.repo.insert('rule_sets', { period: '2026', name: '2026年度积分规则' });
    await exportFor(county, township!); // lost
    county.repo.update('rule_sets', rule, { note: '县人大常委会2026年1号文' });
    const back = await send(county, township!);
    expect(back.new).toBe(1);
    expect(township!.db.prepare('SELECT note FROM rule_sets WHERE id = ?').pluck().get(rule)).toBe('县人大常委会2026年1号文');
    // Acknowledged now: the next package to the county carries nothing old.
    expect((await exportFor(township!, county)).changes).toBe(1); // only the township's knowledge row
  });

  it('a failure injected at every Nth change during apply leaves the database unchanged and a retry succeeds', async () => {
    const { county, townships: [township] } = network(1);
    for (const name of ['王芳', '刘洋', '陈静']) await addDeputy(township!, { name });
    const seatId = township!.db.prepare('SELECT id FROM seats LIMIT 1').pluck().get() as string;
    await call(township!, 'roster.remove', { seatId });
    const pkg = await exportFor(township!, county);
    const state = () =>
      JSON.stringify([
        canonicalDump(county),
        county.db.prepare('SELECT * FROM change_log ORDER BY origin_office, epoch, seq').all(),
        county.db.prepare('SELECT count(*) FROM handoff_history').pluck().get(),
        county.db.prepare('SELECT * FROM handoff_holdings').all(),
        county.db.prepare('SELECT * FROM handoff_peer_acks').all(),
      ]);
    const before = state();
    // Steps: each stored change, then each written row.
    const steps = pkg.changes + 6;
    for (let n = 1; n <= steps; n++) {
      await expect(importInto(county, pkg, { failAt: n })).rejects.toBeInstanceOf(InjectedFailure);
      expect(state(), `failure at step ${n}`).toBe(before);
    }
    const report = await importInto(county, pkg);
    expect(report.status).toBe('applied');
    expect(report.deleted).toBe(2); // the seat and, with its last seat gone, the person: new here but deleted
    sameData(county, township!, T1);
  });

  it('a restored database gets a new epoch: its new changes are not mistaken for old ones, and its lost changes come back', async () => {
    const { county, townships: [township] } = network(1);
    await addDeputy(township!, { name: '王芳' });
    await send(township!, county);
    const backup = createManualBackup(township!, false).local.file;
    const oldEpoch = township!.requireOffice().epoch;
    await addDeputy(township!, { name: '刘洋' }); // reaches the county, then the township loses it
    await send(township!, county);

    restoreBackup(township!, backup);
    const newEpoch = township!.requireOffice().epoch;
    expect(newEpoch).not.toBe(oldEpoch);
    expect(countRows(township!, 'persons')).toBe(1);
    await addDeputy(township!, { name: '陈静' }); // seq 1 of the new epoch: not taken for the lost seq 1
    const report = await send(township!, county);
    expect(report.new).toBe(2);
    expect(county.db.prepare('SELECT count(DISTINCT epoch) FROM change_log WHERE origin_office = ?').pluck().get(T1)).toBe(2);
    expect(countRows(county, 'persons')).toBe(3);

    const back = await send(county, township!);
    expect(back.new).toBe(2); // 刘洋's person and seat came home
    expect(countRows(township!, 'persons')).toBe(3);
    sameData(county, township!, T1);
  });

  it('a restored county gets its lost changes back: its own from the townships, the townships\' from them', async () => {
    const { county, townships: [a, b] } = network(2);
    const { personId } = await addDeputy(a!, { name: '王芳' });
    await send(a!, county);
    const backup = createManualBackup(county, false).local.file;
    // After the backup: the county's own rule set and its edit of 王芳, and a new deputy at 青山镇.
    const rules = county.repo.insert('rule_sets', { period: '2026', name: '县人大代表2026年积分规则' });
    county.repo.update('persons', personId, { note: '县人大核实' });
    await send(county, a!);
    await send(county, b!);
    await addDeputy(a!, { name: '刘洋' });
    await send(a!, county);

    restoreBackup(county, backup);
    expect(countRows(county, 'rule_sets')).toBe(0);
    // The county's next package tells the townships what it holds now; their answers fill it in.
    await send(county, a!);
    await send(county, b!);
    const fromA = await send(a!, county);
    expect(fromA.new).toBeGreaterThanOrEqual(3); // 刘洋 (person, seat) and the county's own rule set
    await send(b!, county); // the same county changes again from 白兔潭镇: already back, nothing new
    expect(county.db.prepare('SELECT note FROM persons WHERE id = ?').pluck().get(personId)).toBe('县人大核实');
    expect(county.db.prepare('SELECT count(*) FROM rule_sets WHERE id = ?').pluck().get(rules)).toBe(1);
    await send(county, a!);
    await send(county, b!);
    sameData(county, a!, T1);
    sameData(county, b!, T2);
  });

  it('every synced table is registered in ownership.ts (where its rows go, who owns which field)', () => {
    const { county } = network(0);
    const unregistered = syncedTables(county.db).filter((t) => !(t in TABLE_RULES));
    expect(unregistered, 'add these tables to TABLE_RULES in electron/core/handoff/ownership.ts').toEqual([]);
    for (const [table, rule] of Object.entries(TABLE_RULES)) {
      const cols = new Set((county.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
      expect(cols.size, `${table} exists`).toBeGreaterThan(0);
      for (const field of Object.keys(rule.owners)) expect(cols.has(field), `${table}.${field}`).toBe(true);
    }
  });

  it('a relay through the county keeps the original origin', async () => {
    const { county, townships: [a, b] } = network(2);
    const { personId } = await addDeputy(a!, { name: '王芳', phone: '13907330001' });
    await send(a!, county);
    await send(county, b!);
    const atA = a!.db.prepare("SELECT origin_office, epoch, seq, hlc, fields_json FROM change_log WHERE entity_id = ?").all(personId);
    const atB = b!.db.prepare("SELECT origin_office, epoch, seq, hlc, fields_json FROM change_log WHERE entity_id = ?").all(personId);
    expect(atB).toEqual(atA);
    expect(b!.db.prepare('SELECT origin_office FROM persons WHERE id = ?').pluck().get(personId)).toBe(T1);

    b!.repo.update('persons', personId, { note: '白兔潭镇补充：已迁居' });
    await send(b!, county);
    await send(county, a!);
    const edit = a!.db.prepare("SELECT origin_office FROM change_log WHERE entity_id = ? AND op = 'update'").pluck().get(personId);
    expect(edit).toBe(T2);
    expect(a!.db.prepare('SELECT note FROM persons WHERE id = ?').pluck().get(personId)).toBe('白兔潭镇补充：已迁居');
  });

  it('what travels: township records go up only, rule sets and standards come down to every township', async () => {
    const { county, townships: [a, b] } = network(2);
    const activity = a!.repo.insert('activities', { type: '视察', date: '2026-03-02', title: '视察青山镇敬老院' });
    const ownRules = a!.repo.insert('rule_sets', { period: '2026', level: 'township', name: '青山镇2026年积分办法' });
    const standard = county.repo.insert('subsidy_standards', { name: '县级补贴', kind: 'monthly', levels: 'county', condition: 'no_fixed_income' });
    const countyRules = county.repo.insert('rule_sets', { period: '2026', level: 'county', name: '县人大代表2026年积分规则' });
    await send(a!, county);
    await send(county, a!);
    await send(county, b!);
    const has = (ctx: CoreContext, table: string, id: string) =>
      ctx.db.prepare(`SELECT count(*) FROM ${table} WHERE id = ?`).pluck().get(id) === 1;
    expect(has(county, 'activities', activity)).toBe(true);
    expect(has(b!, 'activities', activity)).toBe(false); // never to another township
    expect(has(county, 'rule_sets', ownRules)).toBe(false); // a township's own rules stay with it
    for (const t of [a!, b!]) {
      expect(has(t, 'subsidy_standards', standard)).toBe(true);
      expect(has(t, 'rule_sets', countyRules)).toBe(true);
    }
    // The county's review of a township activity goes back home, and to nobody else.
    county.repo.update('activities', activity, { review_status: 'rejected', reviewed_by: '县人大代表工委' });
    await send(county, a!);
    await send(county, b!);
    expect(a!.db.prepare('SELECT review_status FROM activities WHERE id = ?').pluck().get(activity)).toBe('rejected');
    expect(has(b!, 'activities', activity)).toBe(false);
    sameData(county, a!, T1);
    sameData(county, b!, T2);
  });

  it('deletions travel as tombstones', async () => {
    const { county, townships: [township] } = network(1);
    const { seatId, personId } = await addDeputy(township!, { name: '王芳' });
    await send(township!, county);
    await call(township!, 'roster.remove', { seatId });
    const report = await send(township!, county);
    expect(report.deleted).toBe(2);
    const seat = county.db.prepare('SELECT deleted_at FROM seats WHERE id = ?').get(seatId) as { deleted_at: string | null };
    expect(seat.deleted_at).not.toBeNull(); // kept, marked deleted
    expect(county.db.prepare('SELECT deleted_at FROM persons WHERE id = ?').pluck().get(personId)).not.toBeNull();
    expect((await call(county, 'roster.list', {})).total).toBe(0);
  });

  it('an import takes a backup first and is kept in the history of exchanges with its report', async () => {
    const { county, townships: [township] } = network(1);
    await addDeputy(township!, { name: '王芳' });
    const pkg = await exportFor(township!, county);
    const report = await importInto(county, pkg, { backup: true });
    expect(report.backupFile).toMatch(/\.ddbak$/);
    const history = await call(county, 'handoff.history', {});
    expect(history.rows[0]).toMatchObject({ direction: 'import', peerOffice: T1, peerName: '青山镇', changes: 2 });
    expect(history.rows[0]!.summary).toContain('新增 2');
    const detail = await call(county, 'handoff.historyGet', { id: history.rows[0]!.id });
    expect(detail.report).toMatchObject({ status: 'applied', new: 2, byEntity: { 人员: { new: 1 }, 代表席位: { new: 1 } } });
    const exports = await call(township!, 'handoff.history', { direction: 'export' });
    expect(exports.rows).toHaveLength(1);
    const audit = county.db.prepare("SELECT summary FROM audit_log WHERE action = 'import' AND entity = 'handoff'").pluck().all();
    expect(audit).toHaveLength(1);
  });
});
