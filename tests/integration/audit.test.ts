import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatch } from '../../electron/core/dispatcher.js';
import { localDateTime } from '../../electron/core/audit/excel.js';
import { METHOD_NAMES, type AuditRow, type FileOutput, type Page, type SessionStatus } from '../../shared/contract/index.js';
import type { Result } from '../../shared/errors.js';
import { readWithOpenpyxl } from '../helpers/openpyxl.js';
import { tempDir, townshipContext } from '../helpers/tmp.js';

function ok<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data as T;
}

/** What a clerk's morning looks like: two operators, a few deputies added, one edited, one removed. */
async function morning(call: Dispatch): Promise<{ seatA: string; personA: string }> {
  ok(await call('operators.create', { name: '李文书', password: 'qs2025' }));
  ok(await call('operators.create', { name: '王干事' }));
  ok(await call('session.login', { name: '李文书', password: 'qs2025' }));
  const a = ok<{ seatId: string; personId: string }>(
    await call('roster.create', {
      person: { name: '李春梅', gender: '女', phone: '13812345678', workUnit: '青山镇中心小学教师' },
      seat: { level: 'township', term: '第十九届', township: '青山镇' },
    }),
  );
  const b = ok<{ seatId: string }>(
    await call('roster.create', { person: { name: '王建国', gender: '男' }, seat: { level: 'township', term: '第十九届' } }),
  );
  ok(await call('session.login', { name: '王干事' }));
  ok(
    await call('roster.update', {
      seatId: a.seatId,
      person: { name: '李春梅', phone: '13900001111', workUnit: '青山镇中心小学校长' },
      seat: { level: 'township', term: '第十九届', township: '青山镇' },
    }),
  );
  ok(await call('roster.remove', { seatId: b.seatId }));
  return { seatA: a.seatId, personA: a.personId };
}

describe('audit log', () => {
  it('records who did what with before and after, labelled and masked, filterable in SQL', async () => {
    const ctx = townshipContext();
    const call = createDispatcher(ctx);
    const { seatA, personA } = await morning(call);

    const all = ok<Page<AuditRow>>(await call('audit.list', { pageSize: 100 }));
    // setup, 2 operators created, 2 logins, 2 × (person + seat), the person edited (the seat was
    // sent unchanged: no entry), 2 deletions (seat, then the person who has no seat left)
    const actions = all.rows.map((r) => r.action).reverse();
    expect(actions).toEqual([
      'setup', 'create', 'create', 'login', 'create', 'create', 'create', 'create', 'login', 'update', 'delete', 'delete',
    ]);
    expect(all.total).toBe(12);

    const mine = ok<Page<AuditRow>>(await call('audit.list', { operator: '王干事' }));
    expect(mine.rows.map((r) => r.actionLabel)).toEqual(['删除', '删除', '修改', '开始工作']);

    // The edit of the person: readable labels, phone masked both sides, nothing else changed listed.
    const edit = mine.rows.find((r) => r.action === 'update' && r.entity === 'persons')!;
    expect(edit.entityLabel).toBe('人员');
    expect(edit.record).toBe('李春梅');
    expect(edit.changes).toEqual([
      { field: 'work_unit', label: '工作单位及职务', before: '青山镇中心小学教师', after: '青山镇中心小学校长' },
      { field: 'phone', label: '联系电话', before: '138****5678', after: '139****1111' },
    ]);
    expect(JSON.stringify(all.rows)).not.toContain('13812345678');

    // A new record lists what was filled in, with the words of the form.
    const created = all.rows.find((r) => r.action === 'create' && r.entity === 'seats' && r.entityId === seatA)!;
    expect(created.record).toBe('李春梅（第十九届）');
    expect(created.changes).toContainEqual({ field: 'level', label: '层级', before: null, after: '乡镇' });

    // Operators' passwords never reach the log.
    const op = all.rows.find((r) => r.entity === 'operators' && r.action === 'create' && r.summary?.includes('李文书'))!;
    expect(JSON.stringify(op)).not.toMatch(/scrypt|qs2025/);
    expect(op.changes).toContainEqual({ field: 'has_password', label: '密码', before: null, after: '是' });

    // By record, by kind and record type, by text, paged.
    const record = ok<Page<AuditRow>>(await call('audit.list', { entityId: personA }));
    expect(record.rows.map((r) => r.action)).toEqual(['update', 'create']);
    expect(ok<Page<AuditRow>>(await call('audit.list', { entityId: seatA })).total).toBe(1);
    const deletions = ok<Page<AuditRow>>(await call('audit.list', { action: 'delete', entity: 'seats' }));
    expect(deletions.total).toBe(1);
    expect(deletions.rows[0]!.operator).toBe('王干事');
    const text = ok<Page<AuditRow>>(await call('audit.list', { q: '王建国' }));
    expect(text.total).toBe(4); // created (person, seat) and deleted (seat, person)
    const page2 = ok<Page<AuditRow>>(await call('audit.list', { page: 2, pageSize: 5 }));
    expect(page2.rows.map((r) => r.id)).toEqual(all.rows.slice(5, 10).map((r) => r.id));

    // Dates are the PC's local days.
    const today = localDateTime(new Date().toISOString()).slice(0, 10);
    expect(ok<Page<AuditRow>>(await call('audit.list', { from: today, to: today })).total).toBe(12);
    expect(ok<Page<AuditRow>>(await call('audit.list', { to: '2000-01-01' })).total).toBe(0);

    const choices = ok<{ operators: string[]; actions: { value: string; label: string }[] }>(await call('audit.choices', {}));
    expect(choices.operators).toEqual(expect.arrayContaining(['李文书', '王干事', '测试员']));
    expect(choices.actions).toContainEqual({ value: 'login', label: '开始工作' });
  });

  it('cannot be edited from any door', () => {
    const methods = METHOD_NAMES.filter((m) => m.startsWith('audit.'));
    expect(methods.sort()).toEqual(['audit.choices', 'audit.export', 'audit.list']);
    const ctx = townshipContext();
    expect(() => ctx.db.prepare("UPDATE audit_log SET operator = '别人'").run()).toThrow(/append-only/);
  });

  it('exports to Excel in the official layout, masked, and the export is logged', async () => {
    const ctx = townshipContext();
    const call = createDispatcher(ctx);
    await morning(call);
    const file = ok<FileOutput>(await call('audit.export', { operator: '王干事' }));
    expect(file.fileName).toMatch(/^操作日志.*\.xlsx$/);
    const xlsx = path.join(tempDir(), file.fileName);
    fs.writeFileSync(xlsx, Buffer.from(file.base64, 'base64'));

    const sheet = readWithOpenpyxl(xlsx);
    expect(sheet.title).toBe('操作日志');
    expect(sheet.rows[0]![0]).toBe('操作日志');
    expect(String(sheet.rows[1]![0])).toContain('制表单位：青山镇');
    expect(sheet.rows[1]!.join('')).toContain('共 4 条');
    expect(sheet.rows[2]).toEqual(['序号', '时间', '操作员', '操作', '对象', '记录', '说明', '修改内容（修改前 → 修改后）']);
    expect(sheet.freezePanes).toBe('A4');
    expect(sheet.printTitleRows).toBe('$3:$3');
    expect(sheet.print).toMatchObject({ paperSize: 9, fitToWidth: 1 });
    const body = sheet.rows.slice(3).filter((r) => r.some((c) => c !== null));
    expect(body).toHaveLength(4);
    // Oldest first: the login, then the edit and the deletions.
    expect(body.map((r) => r[3])).toEqual(['开始工作', '修改', '删除', '删除']);
    expect(body.map((r) => r[0])).toEqual([1, 2, 3, 4]);
    const phoneEdit = body.find((r) => String(r[7]).includes('联系电话'))!;
    expect(phoneEdit[7]).toBe('工作单位及职务：青山镇中心小学教师 → 青山镇中心小学校长；联系电话：138****5678 → 139****1111');
    expect(JSON.stringify(sheet.rows)).not.toContain('13812345678');

    const logged = ok<Page<AuditRow>>(await call('audit.list', { action: 'export' }));
    expect(logged.rows[0]!.summary).toBe('导出操作日志：全部日期，4 条');
  });
});

describe('operators and who is working', () => {
  it('asks for a name when the office has operators; the log records that name', async () => {
    const ctx = townshipContext({ operator: 'pc-user' });
    const call = createDispatcher(ctx);
    expect(ok<SessionStatus>(await call('session.status', {}))).toMatchObject({ required: false, loggedIn: false, operator: 'pc-user' });

    ok(await call('operators.create', { name: '李 文 书', password: 'qs2025' })); // spaces removed, as in a roster
    const status = ok<SessionStatus>(await call('session.status', {}));
    expect(status).toMatchObject({ required: true, loggedIn: false, operators: [{ name: '李文书', hasPassword: true }] });

    expect(await call('session.login', { name: '李文书' })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(await call('session.login', { name: '李文书', password: 'wrong' })).toMatchObject({
      ok: false,
      error: { message: '密码不正确，请重新输入。' },
    });
    expect(await call('session.login', { name: '张三' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(ok<SessionStatus>(await call('session.login', { name: '李文书', password: 'qs2025' }))).toMatchObject({
      loggedIn: true,
      operator: '李文书',
    });
    ctx.repo.insert('liaison_stations', { name: '石桥代表联络站' });
    expect(ctx.db.prepare("SELECT operator FROM audit_log WHERE entity = 'liaison_stations'").pluck().get()).toBe('李文书');

    ok(await call('session.logout', {}));
    expect(ctx.operator).toBe('pc-user');
    expect(ctx.db.prepare("SELECT operator FROM audit_log WHERE action = 'logout'").pluck().get()).toBe('李文书');
  });

  it('manages operators: unique names, password set, changed and cleared, hash only', async () => {
    const ctx = townshipContext();
    const call = createDispatcher(ctx);
    const a = ok<{ id: string }>(await call('operators.create', { name: '王干事' }));
    expect(await call('operators.create', { name: '王干事' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await call('operators.create', { name: '赵', password: '12' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringContaining('密码至少4个字符') },
    });

    ok(await call('operators.update', { id: a.id, name: '王干事', password: 'abcd1234' }));
    const hash = ctx.db.prepare('SELECT password_hash FROM operators WHERE id = ?').pluck().get(a.id) as string;
    expect(hash).toMatch(/^scrypt\$/);
    expect(hash).not.toContain('abcd1234');
    expect(ok<SessionStatus>(await call('session.login', { name: '王干事', password: 'abcd1234' })).operator).toBe('王干事');

    // Renamed while working: the log goes on under the new name.
    ok(await call('operators.update', { id: a.id, name: '王主任' }));
    expect(ctx.operator).toBe('王主任');
    ok(await call('operators.update', { id: a.id, name: '王主任', password: null }));
    expect(ok<SessionStatus>(await call('session.login', { name: '王主任' })).loggedIn).toBe(true);

    ok(await call('operators.remove', { id: a.id }));
    expect(ok<unknown[]>(await call('operators.list', {}))).toEqual([]);
    expect(ok<SessionStatus>(await call('session.status', {})).required).toBe(false);
    const updates = ctx.db.prepare("SELECT summary FROM audit_log WHERE entity = 'operators' ORDER BY id").pluck().all();
    expect(updates).toEqual([
      '新增操作员：王干事',
      '修改操作员：王干事（更改密码）',
      '王干事 开始工作',
      '修改操作员：王主任',
      '修改操作员：王主任（取消密码）',
      '王主任 开始工作',
      '删除操作员：王主任',
    ]);
  });
});
