import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/core/dispatcher.js';
import type { InputOf, MethodName, OutputOf } from '../../shared/contract/index.js';
import { townshipContext } from '../helpers/tmp.js';

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
  async function deputy(name: string, level: 'township' | 'county' = 'township') {
    return (await call('roster.create', { person: { name }, seat: { level, term: level === 'county' ? '第十八届' : '第十九届', township: '青山镇' } })).seatId;
  }
  return { ctx, call, refused, deputy };
}

describe('代表小组', () => {
  it('creates, lists with member counts, edits, and refuses a duplicate name in the same township', async () => {
    const { call, refused, deputy } = setup();
    const { id } = await call('groups.create', { name: '第一代表小组', township: '青山镇', leader: '王建国', level: 'township' });
    await call('groups.create', { name: '第一代表小组', township: '石门乡' });
    const dup = await refused('groups.create', { name: '第一代表小组', township: '青山镇' });
    expect(dup).toMatchObject({ code: 'CONFLICT', message: '青山镇已有名为“第一代表小组”的代表小组，请换一个名称，或编辑原有的代表小组。' });

    const a = await deputy('甲');
    const b = await deputy('乙');
    await call('groups.setMembers', { groupId: id, seatIds: [a, b] });
    const list = await call('groups.list', { township: '青山镇' });
    expect(list.total).toBe(1);
    expect(list.rows[0]).toMatchObject({ name: '第一代表小组', leader: '王建国', level: 'township', memberCount: 2 });

    await call('groups.update', { id, name: '青山镇第一代表小组', township: '青山镇', leader: '赵德胜', level: 'township' });
    const after = await call('groups.list', { q: '青山镇第一' });
    expect(after.rows.map((r) => [r.name, r.leader])).toEqual([['青山镇第一代表小组', '赵德胜']]);
    // The roster shows the group's name on each member's row.
    const roster = await call('roster.list', { groupId: id });
    expect(roster.rows.map((r) => [r.name, r.groupName])).toEqual([
      ['甲', '青山镇第一代表小组'],
      ['乙', '青山镇第一代表小组'],
    ]);
  });

  it('sets members in one go: adds, moves from another group, removes', async () => {
    const { ctx, call, deputy } = setup();
    const g1 = (await call('groups.create', { name: '一组', township: '青山镇' })).id;
    const g2 = (await call('groups.create', { name: '二组', township: '青山镇' })).id;
    const [a, b, c] = [await deputy('甲'), await deputy('乙'), await deputy('丙')];
    expect(await call('groups.setMembers', { groupId: g1, seatIds: [a, b] })).toEqual({ added: 2, removed: 0, moved: 0 });
    expect(await call('groups.setMembers', { groupId: g2, seatIds: [b, c, c] })).toEqual({ added: 2, removed: 0, moved: 1 });
    expect((await call('groups.members', { groupId: g1 })).map((m) => m.name)).toEqual(['甲']);
    expect((await call('groups.members', { groupId: g2 })).map((m) => m.name)).toEqual(['乙', '丙']);
    expect(await call('groups.setMembers', { groupId: g2, seatIds: [c] })).toEqual({ added: 0, removed: 1, moved: 0 });
    expect(ctx.db.prepare('SELECT group_id FROM seats WHERE id = ?').pluck().get(b)).toBeNull();
    // Each change went through the repository: audited and in the change log.
    const audit = ctx.db.prepare("SELECT summary FROM audit_log WHERE entity = 'seats' AND summary LIKE '%二组%' ORDER BY id").pluck().all();
    expect(audit).toEqual(['加入代表小组“二组”：乙', '加入代表小组“二组”：丙', '移出代表小组“二组”：乙']);
    expect(ctx.db.prepare("SELECT count(*) FROM change_log WHERE entity = 'seats' AND op = 'update' AND fields_json LIKE '%group_id%'").pluck().get()).toBe(5);
  });

  it('refuses ended seats and deputies of another level in a one-level group, writing nothing', async () => {
    const { ctx, call, refused, deputy } = setup();
    const g = (await call('groups.create', { name: '乡镇代表一组', township: '青山镇', level: 'township' })).id;
    const a = await deputy('甲');
    const county = await deputy('县代表', 'county');
    const ended = await deputy('已终止');
    await call('roster.endSeat', { seatId: ended, date: '2023-01-01', reason: '死亡' });
    const e1 = await refused('groups.setMembers', { groupId: g, seatIds: [a, ended] });
    expect(e1.message).toBe('已终止的代表资格已终止，不能加入代表小组。');
    const e2 = await refused('groups.setMembers', { groupId: g, seatIds: [a, county] });
    expect(e2.message).toContain('县代表不是乡镇人大代表，不能加入');
    expect(ctx.db.prepare('SELECT count(*) FROM seats WHERE group_id IS NOT NULL').pluck().get()).toBe(0);
    // The seat form is held to the same rule.
    const form = await refused('roster.create', { person: { name: '丁' }, seat: { level: 'county', term: '第十八届', groupId: g } });
    expect(form.message).toBe('代表小组“乡镇代表一组”是乡镇级小组，不能编入县人大代表。');
  });

  it('refuses to delete a group that still has members; empty, it is tombstoned', async () => {
    const { ctx, call, refused, deputy } = setup();
    const g = (await call('groups.create', { name: '三组', township: '青山镇' })).id;
    const a = await deputy('甲');
    const b = await deputy('乙');
    await call('groups.setMembers', { groupId: g, seatIds: [a, b] });
    const e = await refused('groups.remove', { id: g });
    expect(e).toMatchObject({ code: 'CONFLICT', message: '代表小组“三组”还有 2 名在任成员，不能删除。请先在“成员”中将他们全部移出，再删除。' });

    // A member whose seat ended keeps the group as history and does not block the deletion.
    await call('roster.endSeat', { seatId: b, date: '2023-05-01', reason: '迁出或调离本行政区域' });
    await call('groups.setMembers', { groupId: g, seatIds: [] });
    await call('groups.remove', { id: g });
    expect(ctx.db.prepare('SELECT deleted_at FROM deputy_groups WHERE id = ?').pluck().get(g)).toBeTruthy();
    expect((await call('groups.list', {})).total).toBe(0);
    expect(ctx.db.prepare('SELECT group_id FROM seats WHERE id = ?').pluck().get(b)).toBe(g);
    // Editing that ended seat still works although its group is gone.
    const detail = await call('roster.get', { seatId: b });
    await call('roster.update', {
      seatId: b,
      person: { name: '乙', note: '已迁出' },
      seat: { level: 'township', term: '第十九届', township: '青山镇', groupId: detail.seat.groupId },
    });
    // A deleted group cannot be chosen anew.
    const chosen = await refused('roster.update', { seatId: a, person: { name: '甲' }, seat: { level: 'township', term: '第十九届', groupId: g } });
    expect(chosen.message).toBe('所选代表小组不存在或已被删除，请重新选择。');
  });
});

describe('代表联络站', () => {
  it('keeps address and reception day, members, and filters the roster by station', async () => {
    const { call, refused, deputy } = setup();
    const { id } = await call('stations.create', { name: '青山镇人大代表联络站', township: '青山镇', address: '青山镇人民路8号', receptionDay: '每月15日' });
    const county = await deputy('县代表', 'county');
    const town = await deputy('乡镇代表');
    await deputy('不进站');
    // A station takes deputies of every level.
    expect(await call('stations.setMembers', { stationId: id, seatIds: [county, town] })).toEqual({ added: 2, removed: 0, moved: 0 });
    const list = await call('stations.list', {});
    expect(list.rows[0]).toMatchObject({ address: '青山镇人民路8号', receptionDay: '每月15日', memberCount: 2 });
    const roster = await call('roster.list', { stationId: id });
    expect(roster.rows.map((r) => r.name)).toEqual(['县代表', '乡镇代表']);
    expect(roster.rows.every((r) => r.stationName === '青山镇人大代表联络站')).toBe(true);

    const e = await refused('stations.remove', { id });
    expect(e.message).toBe('代表联络站“青山镇人大代表联络站”还有 2 名在任进站代表，不能删除。请先在“进站代表”中将他们全部移出，再删除。');
    const empty = await refused('stations.create', { name: '  ' });
    expect(empty.message).toContain('请填写联络站名称');
  });

  it('keeps the station’s 负责人 and 联系电话 (migration 0007), shown in full, logged for handoff', async () => {
    const { ctx, call, refused } = setup();
    const { id } = await call('stations.create', { name: '石桥联络站', township: '青山镇', leader: '  王建国 ', phone: '0730-1234567' });
    expect((await call('stations.list', {})).rows[0]).toMatchObject({ leader: '王建国', phone: '0730-1234567', receptionDay: null });
    await call('stations.update', { id, name: '石桥联络站', township: '青山镇', leader: '李秀英', phone: '' });
    expect((await call('stations.list', {})).rows[0]).toMatchObject({ leader: '李秀英', phone: null });
    const change = ctx.db
      .prepare("SELECT fields_json FROM change_log WHERE entity = 'liaison_stations' AND entity_id = ? AND op = 'update'")
      .pluck()
      .get(id) as string;
    expect(JSON.parse(change)).toMatchObject({ leader: '李秀英', phone: null });
    expect((await refused('stations.create', { name: '甲站', leader: '很'.repeat(31) })).message).toContain('负责人不超过30个字');
    expect((await refused('stations.create', { name: '甲站', phone: '1'.repeat(41) })).message).toContain('联系电话不超过40个字');
  });
});

describe('roster list at scale', () => {
  it('orders by status, level, township, term, then entry order, across page boundaries', async () => {
    const { call } = setup();
    const made: string[] = [];
    const add = async (name: string, level: 'county' | 'township', township: string) => {
      const r = await call('roster.create', { person: { name }, seat: { level, term: level === 'county' ? '第十八届' : '第十九届', township } });
      made.push(r.seatId);
      return r.seatId;
    };
    await add('乡镇乙', 'township', '石门乡');
    await add('县甲', 'county', '青山镇');
    await add('乡镇甲', 'township', '青山镇');
    const suspended = await add('县乙', 'county', '青山镇');
    await add('乡镇丙', 'township', '石门乡');
    await call('roster.suspend', { seatId: suspended, date: '2024-01-01', reason: '因刑事案件被羁押正在受侦查、起诉、审判' });
    // Township names sort by code point: 石 (U+77F3) before 青 (U+9752).
    const expected = ['县甲', '乡镇乙', '乡镇丙', '乡镇甲', '县乙'];
    expect((await call('roster.list', { pageSize: 50 })).rows.map((r) => r.name)).toEqual(expected);
    const paged: string[] = [];
    for (let page = 1; page <= 3; page++) paged.push(...(await call('roster.list', { page, pageSize: 2 })).rows.map((r) => r.name));
    expect(paged).toEqual(expected);
    // The text and group paths give the same order as the indexed path.
    expect((await call('roster.list', { q: '乡镇' })).rows.map((r) => r.name)).toEqual(['乡镇乙', '乡镇丙', '乡镇甲']);
    expect((await call('roster.list', { township: '石门乡', page: 1, pageSize: 1 })).rows.map((r) => r.name)).toEqual(['乡镇乙']);
    expect((await call('roster.list', { township: '石门乡', page: 2, pageSize: 1 })).total).toBe(2);
  });

  it('searches certificate numbers and phone numbers (4 digits or more)', async () => {
    const { call } = setup();
    await call('roster.create', { person: { name: '甲', phone: '13812345678' }, seat: { level: 'township', term: '第十九届', certificateNo: 'QS-2021-007' } });
    await call('roster.create', { person: { name: '乙', phone: '13900000000' }, seat: { level: 'township', term: '第十九届', certificateNo: 'QS-2021-008' } });
    const names = async (q: string) => (await call('roster.list', { q })).rows.map((r) => r.name);
    expect(await names('5678')).toEqual(['甲']);
    expect(await names('2021-008')).toEqual(['乙']);
    expect(await names('QS')).toEqual(['甲', '乙']);
    // Three digits do not search phones (they would match most of a large roster).
    expect(await names('138')).toEqual([]);
  });
});

describe('roster search at scale (migrations 0006 and 0008)', () => {
  it('finds text in names, phones and certificate numbers, alone or within a group or station, in list order', async () => {
    const { ctx, call } = setup();
    const group = (await call('groups.create', { name: '第一代表小组', township: '青山镇' })).id;
    const station = (await call('stations.create', { name: '青山镇联络站', township: '青山镇' })).id;
    const add = async (name: string, seat: Record<string, unknown>, phone?: string) =>
      (await call('roster.create', { person: { name, phone }, seat: { level: 'township', term: '第十九届', township: '青山镇', ...seat } })).seatId;
    const liMing = await add('李明', { certificateNo: 'QS-001', groupId: group }, '13800001111');
    const zhangLi = await add('张李', { certificateNo: 'QS-002', township: '石门乡' });
    const wangWu = await add('王五', { certificateNo: '青山李字003', stationId: station }); // the text only in the certificate number
    const liSi = await add('李四', { certificateNo: '李004', groupId: group }); // in both: listed once
    const zhaoLiu = await add('赵六', { certificateNo: 'QS-005', stationId: station }, '13900002222');
    const county = await add('李县', { level: 'county', term: '第十八届' });
    const ended = await add('李终', {});
    await call('roster.endSeat', { seatId: ended, date: '2024-01-01', reason: '死亡' });

    const ids = async (input: Record<string, unknown>) => (await call('roster.list', input)).rows.map((r) => r.seatId);
    // Order: status, level (县 before 乡镇), township (code point order: 石 before 青), term, then entry order.
    expect(await ids({ q: '李' })).toEqual([county, zhangLi, liMing, wangWu, liSi]);
    expect((await call('roster.list', { q: '李', pageSize: 2, page: 2 })).rows.map((r) => r.seatId)).toEqual([liMing, wangWu]);
    expect((await call('roster.list', { q: '李', pageSize: 2 })).total).toBe(5);
    expect(await ids({ q: '李', status: 'all' })).toEqual([county, zhangLi, liMing, wangWu, liSi, ended]);
    expect(await ids({ q: '青山李' })).toEqual([wangWu]);
    expect(await ids({ q: 'QS-00' })).toEqual([zhangLi, liMing, zhaoLiu]);
    expect(await ids({ q: '0000111' })).toEqual([liMing]); // phone
    expect(await ids({ q: '138' })).toEqual([]); // too few digits for a phone, not in a certificate
    expect(await ids({ q: '李', groupId: group })).toEqual([liMing, liSi]);
    expect(await ids({ q: '李', stationId: station })).toEqual([wangWu]);
    expect(await ids({ q: '2222', stationId: station })).toEqual([zhaoLiu]);
    expect(await ids({ groupId: group })).toEqual([liMing, liSi]);
    expect(await ids({ stationId: station, township: '石门乡' })).toEqual([]);

    const indexes = ctx.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all();
    expect(indexes).toEqual(expect.arrayContaining(['seats_group', 'seats_station', 'seats_certificate_wide', 'search_name_chars_find']));
    const plan = (sql: string, ...params: unknown[]) =>
      (ctx.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(params.length ? params : ['x'])) as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan('SELECT rowid FROM seats WHERE group_id = ?')).toContain('seats_group');
    expect(plan('SELECT rowid FROM seats WHERE station_id = ?')).toContain('seats_station');
    // A name search reads one range of one index per (status, level), in list order: no table, no sort.
    const arm = plan(
      'SELECT s.seat_rowid FROM search_name_chars s INDEXED BY search_name_chars_find WHERE s.ch = ? AND s.status = ? AND s.level = ? ORDER BY s.township, s.term, s.seat_rowid',
      '李',
      'current',
      'township',
    );
    expect(arm).toContain('COVERING INDEX search_name_chars_find (ch=? AND status=? AND level=?)');
    expect(arm).not.toContain('TEMP B-TREE');
  });
});
