import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { restoreBackup } from '../../electron/core/backup/restore.js';
import { createManualBackup } from '../../electron/core/backup/service.js';
import { CoreContext } from '../../electron/core/context.js';
import { HybridClock } from '../../electron/core/db/hlc.js';
import { addDeputy, call, countRows, dataDump, idNumber, network, send } from '../helpers/handoff.js';
import { tempDir } from '../helpers/tmp.js';

const T1 = '430281101';
const YEAR = 365 * 24 * 3600 * 1000;

/** A county and a township that both hold one deputy (created at the township). */
async function shared(): Promise<{ county: CoreContext; township: CoreContext; personId: string; seatId: string }> {
  const { county, townships: [township] } = network(1);
  const { personId, seatId } = await addDeputy(township!, { name: '王芳', phone: '13907330001' });
  await send(township!, county);
  await send(county, township!);
  return { county, township: township!, personId, seatId };
}

function value(ctx: CoreContext, table: string, id: string, field: string): unknown {
  return ctx.db.prepare(`SELECT ${field} FROM ${table} WHERE id = ?`).pluck().get(id);
}

function conflicts(ctx: CoreContext) {
  return ctx.db.prepare('SELECT entity, entity_id, field, rule, winner_value, winner_office, loser_value, loser_office FROM handoff_conflicts ORDER BY field').all();
}

/** Both ways, so each office has the other's changes. */
async function exchange(county: CoreContext, township: CoreContext) {
  const up = await send(township, county);
  const down = await send(county, township);
  return { up, down };
}

/** Makes this office's clock run `offsetMs` off the wall clock (a PC whose date is wrong). */
function skewClock(ctx: CoreContext, offsetMs: number): void {
  const latest = ctx.db.prepare('SELECT max(hlc) FROM change_log').pluck().get() as string | null;
  (ctx.repo as unknown as { clock: HybridClock }).clock = new HybridClock(ctx.requireOffice().officeCode, latest, () => Date.now() + offsetMs);
}

describe('handoff conflicts', () => {
  it('the same field edited on both sides converges and is reported on both', async () => {
    const { county, township, personId } = await shared();
    township.repo.update('persons', personId, { note: '乡镇：已换届连任' });
    // Made within the same millisecond the two clocks tie on time and the counters decide; a later edit is the premise here.
    await new Promise((resolve) => setTimeout(resolve, 5));
    county.repo.update('persons', personId, { note: '县：资格审查通过' }); // later clock, same rank: wins
    const { up, down } = await exchange(county, township);
    expect(value(county, 'persons', personId, 'note')).toBe('县：资格审查通过');
    expect(value(township, 'persons', personId, 'note')).toBe('县：资格审查通过');
    for (const r of [up, down]) {
      expect(r.conflicts).toHaveLength(1);
      expect(r.conflicts[0]).toMatchObject({
        entity: 'persons',
        field: 'note',
        fieldLabel: '备注',
        recordLabel: '王芳',
        rule: 'clock',
        winner: { display: '县：资格审查通过', office: '430281', officeName: '醴陵市' },
        loser: { display: '乡镇：已换届连任', office: T1, officeName: '青山镇' },
      });
    }
    expect(conflicts(county)).toEqual(conflicts(township));
    expect(dataDump(county, T1)).toBe(dataDump(township, T1));
  });

  it('different fields of one row both kept', async () => {
    const { county, township, personId } = await shared();
    township.repo.update('persons', personId, { address: '青山镇石桥村' });
    county.repo.update('persons', personId, { work_unit: '醴陵市第一中学教师' });
    const { up, down } = await exchange(county, township);
    for (const ctx of [county, township]) {
      expect(value(ctx, 'persons', personId, 'address')).toBe('青山镇石桥村');
      expect(value(ctx, 'persons', personId, 'work_unit')).toBe('醴陵市第一中学教师');
    }
    expect(up.conflicts).toEqual([]);
    expect(down.conflicts).toEqual([]);
    expect(dataDump(county, T1)).toBe(dataDump(township, T1));
  });

  it('delete against concurrent edit: the row stays deleted, the edit is kept and reported on both sides', async () => {
    const { county, township, seatId } = await shared();
    await call(township, 'roster.remove', { seatId });
    county.repo.update('seats', seatId, { certificate_no: '醴人代字第0012号' });
    const { up, down } = await exchange(county, township);
    for (const [ctx, report] of [[county, up], [township, down]] as const) {
      expect(value(ctx, 'seats', seatId, 'deleted_at')).not.toBeNull();
      expect(value(ctx, 'seats', seatId, 'certificate_no')).toBe('醴人代字第0012号');
      expect(report.conflicts.map((c) => [c.field, c.rule, c.winner.display, c.loser.display])).toEqual([
        ['certificate_no', 'delete', '（已删除）', '醴人代字第0012号'],
      ]);
    }
    expect(dataDump(county, T1)).toBe(dataDump(township, T1));
  });

  it('the side that owns a field wins, whatever the clocks say', async () => {
    const { county, township, personId, seatId } = await shared();
    // Seat assignment is the county's: its earlier edit beats the township's later one.
    county.repo.update('seats', seatId, { constituency: '第五选区' });
    township.repo.update('seats', seatId, { constituency: '第七选区' });
    // Contact details are the township's: its earlier edit beats the county's later one.
    township.repo.update('persons', personId, { phone: '13907339999' });
    county.repo.update('persons', personId, { phone: '13807330000' });
    const { up, down } = await exchange(county, township);
    for (const ctx of [county, township]) {
      expect(value(ctx, 'seats', seatId, 'constituency')).toBe('第五选区');
      expect(value(ctx, 'persons', personId, 'phone')).toBe('13907339999');
    }
    for (const r of [up, down]) {
      const byField = Object.fromEntries(r.conflicts.map((c) => [c.field, c]));
      expect(byField.constituency).toMatchObject({ rule: 'owner', winner: { office: '430281' }, loser: { office: T1 } });
      // Phone numbers stay masked on screen.
      expect(byField.phone).toMatchObject({ rule: 'owner', winner: { display: '139****9999' }, loser: { display: '138****0000' } });
    }
  });

  it('an edit made after seeing the other side is an ordinary change, not a conflict', async () => {
    const { county, township, personId, seatId } = await shared();
    township.repo.update('seats', seatId, { constituency: '第七选区' });
    await send(township, county);
    county.repo.update('persons', personId, { note: '县里核对后补充' });
    township.repo.update('persons', personId, { address: '石桥村' });
    await exchange(county, township);
    // The township changes a county-owned field after seeing the county's version: it is not a conflict and it stands.
    county.repo.update('seats', seatId, { constituency: '第五选区' });
    await send(county, township);
    township.repo.update('seats', seatId, { constituency: '第六选区' });
    const { up, down } = await exchange(county, township);
    expect(value(county, 'seats', seatId, 'constituency')).toBe('第六选区');
    expect([...up.conflicts, ...down.conflicts]).toEqual([]);
    expect(countRows(county, 'handoff_conflicts', '1')).toBe(0);
    expect(dataDump(county, T1)).toBe(dataDump(township, T1));
  });

  it('after a restore (new epoch) the office\'s edits are known to have seen what the restored database held: no false conflicts', async () => {
    const { county, township, personId } = await shared();
    township.repo.update('persons', personId, { note: '乡镇：第一次核对' }); // old epoch
    await exchange(county, township);
    const backup = createManualBackup(township, false).local.file;
    restoreBackup(township, backup);
    const epoch = township.requireOffice().epoch;
    // The new epoch starts with a knowledge row listing what the restored database holds, its own old epoch included.
    const knowledge = township.db
      .prepare("SELECT fields_json FROM change_log WHERE entity = 'handoff_knowledge' AND origin_office = ? AND epoch = ?")
      .pluck()
      .all(T1, epoch) as string[];
    expect(knowledge).toHaveLength(1);
    const vv = JSON.parse((JSON.parse(knowledge[0]!) as { vv_json: string }).vv_json) as Record<string, number>;
    expect(Object.keys(vv).some((k) => k.startsWith(`${T1}:`) && !k.endsWith(epoch))).toBe(true);
    expect(Object.keys(vv).some((k) => k.startsWith('430281:'))).toBe(true);

    // An edit after the restore overwrites the old-epoch edit and the county's changes it had seen: not a conflict.
    township.repo.update('persons', personId, { note: '乡镇：恢复备份后再次核对' });
    const { up, down } = await exchange(county, township);
    expect(value(county, 'persons', personId, 'note')).toBe('乡镇：恢复备份后再次核对');
    expect([...up.conflicts, ...down.conflicts]).toEqual([]);
    expect(countRows(county, 'handoff_conflicts', '1')).toBe(0);
    expect(dataDump(county, T1)).toBe(dataDump(township, T1));
  });

  it('a copied database file starts its new epoch with its knowledge too', async () => {
    const { township } = await shared();
    const copyFile = path.join(tempDir('dd-copy-'), 'copy.sqlite');
    township.db.prepare('VACUUM INTO ?').run(copyFile);
    const copy = new CoreContext(copyFile);
    const epoch = copy.requireOffice().epoch;
    expect(epoch).not.toBe(township.requireOffice().epoch);
    const rows = copy.db
      .prepare("SELECT seq FROM change_log WHERE entity = 'handoff_knowledge' AND origin_office = ? AND epoch = ?")
      .pluck()
      .all(T1, epoch);
    expect(rows).toEqual([1]);
  });

  it('a county clock two years wrong: later edits still win and both sides converge', async () => {
    // Behind: the county's edit made after seeing the township's wins although its clock says two years ago.
    let { county, township, personId } = await shared();
    skewClock(county, -2 * YEAR);
    township.repo.update('persons', personId, { note: '乡镇先改' });
    await send(township, county);
    county.repo.update('persons', personId, { note: '县里后改' });
    await send(county, township);
    expect(value(township, 'persons', personId, 'note')).toBe('县里后改');
    // …and a concurrent edit is decided by the clocks as they are, the same way on both sides.
    county.repo.update('persons', personId, { work_unit: '县：某单位' });
    township.repo.update('persons', personId, { work_unit: '乡：某单位' });
    await exchange(county, township);
    expect(value(county, 'persons', personId, 'work_unit')).toBe(value(township, 'persons', personId, 'work_unit'));
    expect(dataDump(county, T1)).toBe(dataDump(township, T1));

    // Ahead: the township's next edit, made after seeing the county's, still wins; the report warns about the clock.
    ({ county, township, personId } = await shared());
    skewClock(county, 2 * YEAR);
    county.repo.update('persons', personId, { note: '县里（时钟快两年）' });
    const down = await send(county, township);
    expect(down.warnings.join()).toMatch(/时钟.*相差约 73\d 天/);
    township.repo.update('persons', personId, { note: '乡镇随后更正' });
    await send(township, county);
    expect(value(county, 'persons', personId, 'note')).toBe('乡镇随后更正');
    expect(countRows(county, 'handoff_conflicts', '1')).toBe(0);
    expect(dataDump(county, T1)).toBe(dataDump(township, T1));
  });

  it('the losing value can be applied again as a new change, and then wins everywhere', async () => {
    const { county, township, personId } = await shared();
    township.repo.update('persons', personId, { note: '乡镇的说法' });
    // Not within the same millisecond: then the clocks tie and the office codes decide (see the first test).
    await new Promise((resolve) => setTimeout(resolve, 5));
    county.repo.update('persons', personId, { note: '县里的说法' });
    await exchange(county, township);
    const list = await call(township, 'handoff.conflicts', {});
    expect(list.total).toBe(1);
    const conflict = list.rows[0]!;
    expect(conflict).toMatchObject({ canReapply: true, ruleLabel: '后改者优先' });
    expect(await call(township, 'handoff.reapply', { conflictId: conflict.id })).toEqual({ changed: true });
    expect(value(township, 'persons', personId, 'note')).toBe('乡镇的说法');
    const { up } = await exchange(county, township);
    expect(up.conflicts).toEqual([]);
    expect(value(county, 'persons', personId, 'note')).toBe('乡镇的说法');
    const after = await call(township, 'handoff.conflicts', {});
    expect(after.rows[0]).toMatchObject({ canReapply: false });
    expect(after.rows[0]!.reappliedAt).not.toBeNull();
  });

  it('two townships registering the same person: the county sees them side by side, merges, and the merge travels', async () => {
    const { county, townships: [a, b] } = network(2);
    const id = idNumber('19720815', '042');
    const atA = await addDeputy(a!, { name: '周建华', idNumber: id, phone: '13907331111' }, { level: 'county', township: '青山镇' });
    const atB = await addDeputy(b!, { name: '周建华', idNumber: id, address: '白兔潭镇老街' }, { level: 'county', township: '白兔潭镇' });
    const bTownship = await call(b!, 'roster.create', {
      person: { name: '周建华', idNumber: id },
      seat: { level: 'township', term: '第十九届', township: '白兔潭镇' },
    });
    expect(bTownship.personId).toBe(atB.personId);
    await send(a!, county);
    await send(b!, county);

    const groups = await call(county, 'handoff.duplicates', {});
    expect(groups).toHaveLength(1);
    expect(groups[0]!.idNumberMasked).toBe(`430281********${id.slice(-4)}`);
    expect(groups[0]!.persons.map((p) => [p.originName, p.seats.length]).sort()).toEqual([['白兔潭镇', 2], ['青山镇', 1]]);

    const merged = await call(county, 'handoff.merge', { keepId: atA.personId, mergeId: atB.personId });
    expect(merged).toMatchObject({ movedSeats: 1, mergedTwinSeats: 1, filledFields: ['address'] });
    expect(await call(county, 'handoff.duplicates', {})).toEqual([]);

    for (const t of [a!, b!]) await send(county, t);
    for (const t of [a!, b!]) {
      expect(value(t, 'persons', atB.personId, 'merged_into')).toBe(atA.personId);
      expect(value(t, 'persons', atB.personId, 'deleted_at')).not.toBeNull();
      expect(value(t, 'persons', atA.personId, 'address')).toBe('白兔潭镇老街');
      const seats = t.db.prepare('SELECT level FROM seats WHERE person_id = ? AND deleted_at IS NULL ORDER BY level').pluck().all(atA.personId);
      expect(seats).toEqual(['county', 'township']);
    }
    expect(dataDump(county, T1)).toBe(dataDump(a!, T1));
    expect(dataDump(county, '430281102')).toBe(dataDump(b!, '430281102'));
    // Only the county merges.
    await expect(call(a!, 'handoff.merge', { keepId: atA.personId, mergeId: atB.personId })).rejects.toThrow(/县人大合并/);
  });
});
