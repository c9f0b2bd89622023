import { describe, expect, it } from 'vitest';
import type { CoreContext } from '../../electron/core/context.js';
import { createDispatcher } from '../../electron/core/dispatcher.js';
import type { InputOf, MethodName, OutputOf, SeatDetail } from '../../shared/contract/index.js';
import { idCheckChar } from '../../shared/idcard.js';
import { townshipContext } from '../helpers/tmp.js';

const id = (birth: string, seq: string) => {
  const first17 = '430281' + birth + seq;
  return first17 + idCheckChar(first17);
};

function setup() {
  const ctx = townshipContext();
  const dispatch = createDispatcher(ctx);
  async function call<M extends MethodName>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
    const r = await dispatch(method, input);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.data as OutputOf<M>;
  }
  async function refused<M extends MethodName>(method: M, input: InputOf<M>) {
    const r = await dispatch(method, input);
    if (r.ok) throw new Error(`${method} should have been refused`);
    return r.error;
  }
  return { ctx, call, refused };
}

const seat = { level: 'township', term: '第十九届', township: '青山镇', startDate: '2021-11-20', startMethod: 'general' } as const;

function counts(ctx: CoreContext) {
  const n = (sql: string) => ctx.db.prepare(sql).pluck().get() as number;
  return { events: n('SELECT count(*) FROM seat_events'), changes: n('SELECT count(*) FROM change_log'), seats: n('SELECT count(*) FROM seats') };
}

function seatRow(ctx: CoreContext, seatId: string) {
  return ctx.db.prepare('SELECT status, end_date, end_reason, start_date, start_method FROM seats WHERE id = ?').get(seatId);
}

describe('seat lifecycle', () => {
  it('suspends and restores, each with its event, and refuses the wrong order', async () => {
    const { ctx, call, refused } = setup();
    const { seatId } = await call('roster.create', { person: { name: '周建华' }, seat });

    expect((await refused('roster.restore', { seatId, date: '2023-01-01' })).message).toContain('只有暂停执行代表职务的代表才能恢复');

    const before = counts(ctx);
    const s = await call('roster.suspend', {
      seatId,
      date: '2023-03-02',
      documentNo: '青人主〔2023〕3号',
      reason: '因刑事案件被羁押正在受侦查、起诉、审判',
    });
    expect(s.status).toBe('suspended');
    expect(seatRow(ctx, seatId)).toMatchObject({ status: 'suspended' });
    const after = counts(ctx);
    expect(after.events).toBe(before.events + 1);
    // One insert (event) and one update (seat) in the change log, written together.
    expect(after.changes).toBe(before.changes + 2);

    const again = await refused('roster.suspend', { seatId, date: '2023-04-01', reason: '再次暂停' });
    expect(again).toMatchObject({ code: 'CONFLICT' });
    expect(again.message).toContain('暂停执行职务');

    // A restoration dated before the suspension is refused and writes nothing.
    const early = await refused('roster.restore', { seatId, date: '2023-03-01' });
    expect(early.message).toContain('早于该席位上一次变动（暂停执行代表职务，2023-03-02）');
    expect(counts(ctx)).toEqual(after);

    await call('roster.restore', { seatId, date: '2023-09-15', documentNo: '青人主〔2023〕9号', note: '羁押解除' });
    expect(seatRow(ctx, seatId)).toMatchObject({ status: 'current' });

    const event = ctx.db.prepare("SELECT * FROM seat_events WHERE seat_id = ? AND kind = 'restored'").get(seatId) as Record<string, unknown>;
    expect(event).toMatchObject({ date: '2023-09-15', document_no: '青人主〔2023〕9号', note: '羁押解除', deleted_at: null });
    expect(event.origin_office).toBe('430281101');
  });

  it('ends a seat with a reason from the dictionary, once', async () => {
    const { ctx, call, refused } = setup();
    const { seatId } = await call('roster.create', { person: { name: '吴国强' }, seat });

    const bad = await refused('roster.endSeat', { seatId, date: '2024-01-05', reason: '不想干了' as never });
    expect(bad).toMatchObject({ code: 'VALIDATION' });
    expect(bad.message).toContain('请选择代表资格终止的原因');

    await call('roster.endSeat', { seatId, date: '2024-01-05', documentNo: '青人主〔2024〕1号', reason: '迁出或调离本行政区域' });
    expect(seatRow(ctx, seatId)).toMatchObject({ status: 'ended', end_date: '2024-01-05', end_reason: '迁出或调离本行政区域' });
    const kinds = ctx.db.prepare('SELECT kind, reason FROM seat_events WHERE seat_id = ?').all(seatId);
    expect(kinds).toEqual([{ kind: 'ended', reason: '迁出或调离本行政区域' }]);

    const twice = await refused('roster.endSeat', { seatId, date: '2024-02-01', reason: '死亡' });
    expect(twice.message).toBe('该代表资格已于 2024-01-05 终止（迁出或调离本行政区域），不能再次终止。');
    const suspend = await refused('roster.suspend', { seatId, date: '2024-02-01', reason: '因刑事案件被羁押正在受侦查、起诉、审判' });
    expect(suspend.message).toContain('只有在任的代表才能暂停执行代表职务');
  });

  it('records a resignation as 辞职被接受 with a resigned event; a suspended deputy may resign', async () => {
    const { ctx, call } = setup();
    const { seatId } = await call('roster.create', { person: { name: '郑小红' }, seat });
    await call('roster.suspend', { seatId, date: '2022-05-01', reason: '因刑事案件被羁押正在受侦查、起诉、审判' });
    const r = await call('roster.resign', { seatId, date: '2022-06-30', documentNo: '青人主〔2022〕8号', note: '本人书面提出辞职' });
    expect(r.status).toBe('ended');
    expect(seatRow(ctx, seatId)).toMatchObject({ status: 'ended', end_date: '2022-06-30', end_reason: '辞职被接受' });
    const last = ctx.db.prepare("SELECT kind, reason, document_no FROM seat_events WHERE seat_id = ? ORDER BY date DESC LIMIT 1").get(seatId);
    expect(last).toEqual({ kind: 'resigned', reason: '辞职被接受', document_no: '青人主〔2022〕8号' });
  });

  it('refuses dates before the seat began and dates that do not exist', async () => {
    const { ctx, call, refused } = setup();
    const { seatId } = await call('roster.create', { person: { name: '钱多多' }, seat });
    const before = counts(ctx);
    const early = await refused('roster.endSeat', { seatId, date: '2021-11-19', reason: '死亡' });
    expect(early.message).toBe('日期 2021-11-19 早于该席位的当选日期 2021-11-20，请核对。');
    const feb30 = await refused('roster.suspend', { seatId, date: '2023-02-30', reason: '因刑事案件被羁押正在受侦查、起诉、审判' });
    expect(feb30.message).toContain('日期不存在');
    const format = await refused('roster.suspend', { seatId, date: '2023/3/1', reason: '因刑事案件被羁押正在受侦查、起诉、审判' });
    expect(format.message).toContain('「日期」');
    expect(counts(ctx)).toEqual(before);
    expect(seatRow(ctx, seatId)).toMatchObject({ status: 'current' });
  });

  it('by-election: a new seat for a new or an existing person, never a second live seat', async () => {
    const { ctx, call, refused } = setup();
    const idNumber = id('19800312', '102');
    const made = await call('roster.byElection', {
      person: { name: '孙丽', idNumber, phone: '13900001111' },
      seat: { level: 'township', term: '第十九届', township: '青山镇', certificateNo: 'QS-061' },
      date: '2023-06-18',
      documentNo: '青人主〔2023〕6号',
      note: '第十九届人大第三次会议补选',
    });
    expect(seatRow(ctx, made.seatId)).toMatchObject({ status: 'current', start_date: '2023-06-18', start_method: 'by_election' });
    expect(ctx.db.prepare('SELECT kind, date, document_no FROM seat_events WHERE id = ?').get(made.eventId)).toEqual({
      kind: 'by_election',
      date: '2023-06-18',
      document_no: '青人主〔2023〕6号',
    });
    // The person (found by ID number) gets gender and birth date from it.
    expect(ctx.db.prepare('SELECT gender, birth_date FROM persons WHERE id = ?').get(made.personId)).toEqual({ gender: '女', birth_date: '1980-03-12' });

    const twin = await refused('roster.byElection', {
      personId: made.personId,
      seat: { level: 'township', term: '第十九届' },
      date: '2023-07-01',
    });
    expect(twin).toMatchObject({ code: 'CONFLICT' });
    expect(twin.message).toBe('孙丽已是第十九届乡镇人大代表（在任），不能再补选为同一届同一层级的代表。');

    // The same person by-elected to the county congress: a second seat.
    const county = await call('roster.byElection', { personId: made.personId, seat: { level: 'county', term: '第十八届' }, date: '2023-09-01' });
    expect(county.personId).toBe(made.personId);
    const detail = await call('roster.get', { seatId: county.seatId });
    expect(detail.seats).toHaveLength(2);

    // Typing the ID number of a registered person attaches the seat to them, not to a twin.
    await call('roster.endSeat', { seatId: made.seatId, date: '2024-01-01', reason: '迁出或调离本行政区域' });
    const back = await call('roster.byElection', {
      person: { name: '孙丽', idNumber },
      seat: { level: 'township', term: '第十九届' },
      date: '2024-06-01',
    });
    expect(back.personId).toBe(made.personId);
    expect(ctx.db.prepare('SELECT phone FROM persons WHERE id = ?').pluck().get(made.personId)).toBe('13900001111');
  });

  it('by-election names exactly one person', async () => {
    const { call, refused } = setup();
    const { personId } = await call('roster.create', { person: { name: '甲' }, seat });
    const both = await refused('roster.byElection', { personId, person: { name: '乙' }, seat: { level: 'county', term: '第十八届' }, date: '2023-01-01' });
    expect(both.message).toContain('二者选一');
    const neither = await refused('roster.byElection', { seat: { level: 'county', term: '第十八届' }, date: '2023-01-01' });
    expect(neither.message).toContain('二者选一');
  });

  it('roster.get gives each seat its history, oldest first', async () => {
    const { call } = setup();
    const { seatId, personId } = await call('roster.create', { person: { name: '冯志远' }, seat });
    await call('roster.suspend', { seatId, date: '2022-02-01', documentNo: 'A1', reason: '因刑事案件被羁押正在受侦查、起诉、审判' });
    await call('roster.restore', { seatId, date: '2022-08-01', documentNo: 'A2' });
    await call('roster.endSeat', { seatId, date: '2023-08-01', documentNo: 'A3', reason: '死亡' });
    const other = await call('roster.byElection', { personId, seat: { level: 'county', term: '第十八届' }, date: '2022-03-01', documentNo: 'B1' });
    const detail: SeatDetail = await call('roster.get', { seatId });
    const first = detail.seats.find((s) => s.id === seatId)!;
    expect(first.events.map((e) => [e.kind, e.date, e.documentNo])).toEqual([
      ['suspended', '2022-02-01', 'A1'],
      ['restored', '2022-08-01', 'A2'],
      ['ended', '2023-08-01', 'A3'],
    ]);
    const second = detail.seats.find((s) => s.id === other.seatId)!;
    expect(second.events.map((e) => e.kind)).toEqual(['by_election']);
    // Newest seat first.
    expect(detail.seats.map((s) => s.id)).toEqual([other.seatId, seatId]);
  });

  it('ended seats leave the default list but are shown with status ended or all', async () => {
    const { call } = setup();
    const a = await call('roster.create', { person: { name: '在任甲' }, seat });
    const b = await call('roster.create', { person: { name: '暂停乙' }, seat });
    const c = await call('roster.create', { person: { name: '终止丙' }, seat });
    await call('roster.suspend', { seatId: b.seatId, date: '2023-01-01', reason: '因刑事案件被羁押正在受侦查、起诉、审判' });
    await call('roster.endSeat', { seatId: c.seatId, date: '2023-01-01', reason: '死亡' });
    const names = async (status?: 'active' | 'current' | 'suspended' | 'ended' | 'all') =>
      (await call('roster.list', status ? { status } : {})).rows.map((r) => r.name);
    expect(await names()).toEqual(['在任甲', '暂停乙']);
    expect(await names('ended')).toEqual(['终止丙']);
    // Display order: in office, suspended, ended.
    expect(await names('all')).toEqual(['在任甲', '暂停乙', '终止丙']);
    expect(await names('suspended')).toEqual(['暂停乙']);
    const ended = (await call('roster.list', { status: 'ended' })).rows[0]!;
    expect(ended).toMatchObject({ seatId: c.seatId, status: 'ended', endDate: '2023-01-01', endReason: '死亡' });
    expect(a.seatId).toBeTruthy();
  });
});

describe('revealing personal data', () => {
  it('returns the full value and audits who looked at what, never the value', async () => {
    const { ctx, call, refused } = setup();
    const idNumber = id('19750505', '031');
    const { personId } = await call('roster.create', {
      person: { name: '赵刚', idNumber, phone: '13812345678', bankAccount: '6217 0012 3456 7890 123', bankName: '农业银行青山支行' },
      seat,
    });
    const detail = await call('roster.list', {});
    expect(JSON.stringify(detail)).not.toContain(idNumber);

    expect(await call('roster.reveal', { personId, field: 'idNumber' })).toEqual({ value: idNumber });
    expect(await call('roster.reveal', { personId, field: 'phone' })).toEqual({ value: '13812345678' });
    expect(await call('roster.reveal', { personId, field: 'bankAccount' })).toEqual({ value: '6217 0012 3456 7890 123' });

    const audits = ctx.db.prepare("SELECT * FROM audit_log WHERE action = 'reveal' ORDER BY id").all() as Record<string, unknown>[];
    expect(audits).toHaveLength(3);
    expect(audits.map((a) => a.summary)).toEqual(['查看赵刚的完整公民身份号码', '查看赵刚的完整联系电话', '查看赵刚的完整银行账号']);
    for (const a of audits) {
      expect(a).toMatchObject({ entity: 'persons', entity_id: personId, operator: '测试员' });
      const text = JSON.stringify(a);
      expect(text).not.toContain(idNumber);
      expect(text).not.toContain('13812345678');
      expect(text).not.toContain('7890 123');
    }
    expect(JSON.parse(audits[0]!.after_json as string)).toEqual({ field: 'id_number' });

    const unknown = await refused('roster.reveal', { personId: '00000000-0000-4000-8000-000000000000', field: 'phone' });
    expect(unknown).toMatchObject({ code: 'NOT_FOUND' });
    const badField = await refused('roster.reveal', { personId, field: 'address' as never });
    expect(badField.message).toContain('只能查看身份证号、电话或银行账号');
  });
});
