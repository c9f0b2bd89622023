import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/core/dispatcher.js';
import { idCheckChar } from '../../shared/idcard.js';
import type { Result } from '../../shared/errors.js';
import { townshipContext } from '../helpers/tmp.js';

const id = (birth: string, seq: string) => {
  const first17 = '430281' + birth + seq;
  return first17 + idCheckChar(first17);
};

function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data;
}

const seat = { level: 'township', term: '第十九届', township: '青山镇' } as const;

describe('roster through the dispatcher', () => {
  it('adds, lists, edits and tombstones a deputy', async () => {
    const ctx = townshipContext();
    const call = createDispatcher(ctx);
    const created = ok(
      await call('roster.create', {
        person: { name: '王　芳', gender: '女', ethnicity: '汉族', phone: '13812345678', idNumber: id('19800312', '102') },
        seat,
      }),
    ) as { seatId: string; personId: string };
    const list = ok(await call('roster.list', {})) as { total: number; rows: Record<string, unknown>[] };
    expect(list.total).toBe(1);
    expect(list.rows[0]).toMatchObject({ name: '王芳', phoneMasked: '138****5678', idNumberMasked: '430281********' + id('19800312', '102').slice(-4) });
    expect(JSON.stringify(list)).not.toContain('13812345678');

    // An edit that leaves phone and ID out keeps them.
    ok(await call('roster.update', { seatId: created.seatId, person: { name: '王芳', workUnit: '青山镇卫生院院长' }, seat }));
    const detail = ok(await call('roster.get', { seatId: created.seatId })) as { person: Record<string, unknown> };
    expect(detail.person).toMatchObject({ workUnit: '青山镇卫生院院长', phoneMasked: '138****5678', birthDate: '1980-03-12' });

    ok(await call('roster.remove', { seatId: created.seatId }));
    expect((ok(await call('roster.list', {})) as { total: number }).total).toBe(0);
    const tomb = ctx.db.prepare('SELECT deleted_at FROM seats WHERE id = ?').pluck().get(created.seatId);
    expect(tomb).toBeTruthy();
    expect(ctx.db.prepare('SELECT deleted_at FROM persons WHERE id = ?').pluck().get(created.personId)).toBeTruthy();
  });

  it('reports a gender that contradicts the ID number, and writes nothing', async () => {
    const ctx = townshipContext();
    const call = createDispatcher(ctx);
    const r = await call('roster.create', { person: { name: '李强', gender: '女', idNumber: id('19700101', '011') }, seat });
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('性别') } });
    expect(ctx.db.prepare('SELECT count(*) FROM persons').pluck().get()).toBe(0);
  });

  it('names the field in Chinese when input is invalid', async () => {
    const ctx = townshipContext();
    const r = await createDispatcher(ctx)('roster.create', { person: { name: '' }, seat: { level: 'township', term: '' } });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toContain('「姓名」');
      expect(r.error.message).toContain('「届次」');
    }
  });

  it('gives a second seat to the same person, never a twin seat', async () => {
    const ctx = townshipContext();
    const call = createDispatcher(ctx);
    const person = { name: '赵刚', idNumber: id('19750505', '031') };
    const a = ok(await call('roster.create', { person, seat })) as { personId: string };
    const b = ok(await call('roster.create', { person, seat: { ...seat, level: 'county' } })) as { personId: string };
    expect(b.personId).toBe(a.personId);
    const twin = await call('roster.create', { person, seat });
    expect(twin).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('filters and pages in SQL', async () => {
    const ctx = townshipContext();
    const call = createDispatcher(ctx);
    for (let i = 0; i < 25; i++) {
      ok(await call('roster.create', { person: { name: `代表${i}` }, seat: { ...seat, township: i % 2 ? '青山镇' : '石门乡', level: i < 5 ? 'county' : 'township' } }));
    }
    const page2 = ok(await call('roster.list', { page: 2, pageSize: 10 })) as { rows: unknown[]; total: number };
    expect(page2.total).toBe(25);
    expect(page2.rows).toHaveLength(10);
    const county = ok(await call('roster.list', { level: 'county' })) as { total: number };
    expect(county.total).toBe(5);
    const shimen = ok(await call('roster.list', { township: '石门乡' })) as { total: number };
    expect(shimen.total).toBe(13);
    const search = ok(await call('roster.list', { q: '代表1' })) as { total: number };
    expect(search.total).toBe(11); // 代表1, 代表10–19
    const choices = ok(await call('roster.choices', {})) as { townships: string[] };
    expect(choices.townships.sort()).toEqual(['石门乡', '青山镇'].sort());
  });

  it('answers unknown methods and bad office setup with Chinese errors', async () => {
    const ctx = townshipContext();
    const call = createDispatcher(ctx);
    expect(await call('nope.x', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    const again = await call('office.setup', { officeType: 'township', officeCode: '430281102', officeName: '石门乡' });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('不能重复设置') } });
  });
});
