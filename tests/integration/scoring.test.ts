import { describe, expect, it } from 'vitest';
import { caller, seedDeputies, seedYear } from '../helpers/scoringFixture.js';
import { townshipContext } from '../helpers/tmp.js';

async function scoredYear() {
  const ctx = townshipContext();
  const call = caller(ctx);
  const seat = await seedDeputies(ctx);
  const { id: ruleSetId } = await call('scoring.ruleSetCreate', { period: '2025', preset: 'first-further-cap' });
  await call('scoring.ruleSetStatus', { id: ruleSetId, status: 'in_force' });
  await seedYear(ctx, seat);
  return { ctx, call, seat, ruleSetId };
}

const totals = (rows: { seatId: string; total: number }[], seat: Record<string, string>) =>
  Object.fromEntries(Object.entries(seat).map(([k, id]) => [k, rows.find((r) => r.seatId === id)?.total]));

describe('scores of a year, worked out by hand (汝州-shaped table)', () => {
  it('totals, items, grades and ranks match to the point', async () => {
    const { call, seat } = await scoredYear();
    const list = await call('scoring.scores', { period: '2025', pageSize: 50 });
    expect(totals(list.rows, seat)).toEqual({ A: 4600, B: 2700, C: 0, D: 2600, E: 3400 });
    expect(list.rows.map((r) => r.rankInTownship)).toEqual([1, 2, 3, 4, 5]);
    expect(list.rows.map((r) => r.seatId)).toEqual([seat.A, seat.E, seat.B, seat.D, seat.C]);
    const a = list.rows[0]!;
    const item = (code: string) => a.items.find((i) => i.code === code);
    expect(item('H01')).toEqual({ code: 'H01', count: 1, points: 1500 });
    expect(item('H04')).toEqual({ code: 'H04', count: 8, points: 1000 }); // 3 led + 5 co-signed, capped at 10
    expect(item('H06')).toEqual({ code: 'H06', count: 7, points: 1000 }); // 视察3 + 调研2 + 执法检查2 pooled
    expect(item('H07')).toEqual({ code: 'H07', count: 3, points: 800 });
    expect(list.rows.every((r) => r.grade === '差')).toBe(true);
    expect(list.gradeCounts).toEqual([{ grade: '差', count: 5 }]);
  });

  it('explains a total line by line, with deductions, adjustments and the floor', async () => {
    const { call, seat } = await scoredYear();
    const c = await call('scoring.explain', { period: '2025', seatId: seat.C });
    const text = c.lines.map((l) => l.text);
    expect(text).toContain('出席人代会：缺席 1 次 × -5 分 = -5 分；本项得 -5 分');
    expect(text).toContain('扣分：2025-12-01 未按时报送履职材料，张主任批准，-1.5 分');
    expect(text).toContain('合计 -3.5 分');
    expect(text).toContain('低于总分下限 0 分，按 0 分计');
    expect(c).toMatchObject({ rankInTownship: 5, townshipCount: 5, frozen: false });
    const b = await call('scoring.explain', { period: '2025', seatId: seat.B });
    expect(b.lines.map((l) => l.text)).toContain('出席人代会：请假 1 次 × -1 分 = -1 分；本项得 -1 分');
    expect(b.result.total).toBe(2700);
  });

  it('a rule edited while in force recomputes the open period and is audited', async () => {
    const { ctx, call, seat, ruleSetId } = await scoredYear();
    const rules = await call('scoring.ruleSet', { id: ruleSetId });
    const h06 = rules.items.find((i) => i.code === 'H06')!;
    await call('scoring.ruleItemSave', { ...h06, ruleSetId, id: h06.id, furtherPoints: 200, cap: 1200 });
    const list = await call('scoring.scores', { period: '2025' });
    // 王芳: 视察、调研、执法检查 7 times = 6 + 6×2 = 18, capped at 12 (was 10)
    expect(totals(list.rows, seat)).toMatchObject({ A: 4800, E: 3400, B: 2700 });
    const audit = ctx.db.prepare("SELECT summary FROM audit_log WHERE entity = 'rule_items' ORDER BY id DESC LIMIT 1").pluck().get() as string;
    expect(audit).toContain('H06');
    expect(audit).toContain('重新计算');
  });

  it('a closed period is frozen: rule and record edits leave its scores alone', async () => {
    const { ctx, call, seat, ruleSetId } = await scoredYear();
    await call('scoring.ruleSetStatus', { id: ruleSetId, status: 'closed' });
    const before = await call('scoring.scores', { period: '2025' });
    expect(before.rows.every((r) => r.frozen)).toBe(true);
    expect(totals(before.rows, seat)).toEqual({ A: 4600, B: 2700, C: 0, D: 2600, E: 3400 });

    const rules = await call('scoring.ruleSet', { id: ruleSetId });
    const h06 = rules.items.find((i) => i.code === 'H06')!;
    const dispatch = (await import('../../electron/core/dispatcher.js')).createDispatcher(ctx);
    const refused = await dispatch('scoring.ruleItemSave', { ...h06, ruleSetId, id: h06.id, cap: 2000 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const late = await dispatch('activities.create', { type: '视察', date: '2025-12-20', title: '年末视察' });
    expect(late).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('2025年度') } });

    // A record changed behind the guards (e.g. arriving in a handoff) does not move sealed scores.
    const pid = ctx.db
      .prepare("SELECT p.id FROM activity_participants p JOIN activities a ON a.id = p.activity_id WHERE a.type = '视察' AND p.seat_id = ?")
      .pluck()
      .get(seat.B) as string;
    ctx.repo.update('activity_participants', pid, { attendance: '缺席' });
    ctx.repo.insert('score_adjustments', { seat_id: seat.D, date: '2025-06-01', points_x100: 5000, reason: '测试', approved_by: '测试' });
    const after = await call('scoring.scores', { period: '2025' });
    expect(totals(after.rows, seat)).toEqual({ A: 4600, B: 2700, C: 0, D: 2600, E: 3400 });
    const explained = await call('scoring.explain', { period: '2025', seatId: seat.A });
    expect(explained.frozen).toBe(true);
    expect(explained.lines.map((l) => l.text)).toContain('总分 46 分');

    // The next year copies the rules and is open: editing it changes its scores only.
    const { id: next } = await call('scoring.ruleSetCreate', { period: '2026', copyFromId: ruleSetId });
    const copy = await call('scoring.ruleSet', { id: next });
    expect(copy.items.length).toBe(rules.items.length);
    expect(copy.status).toBe('draft');
  });

  it('flags two unapproved absences from the congress session, and never acts on it', async () => {
    const { call, seat } = await scoredYear();
    const { id } = await call('activities.create', { type: '人代会', date: '2024-01-12', title: '青山镇第十九届人民代表大会第四次会议', level: 'township' });
    await call('activities.addParticipants', { activityId: id, seatIds: [seat.C], attendance: '缺席' });
    const alerts = await call('scoring.alerts', { period: '2025' });
    const c = alerts.filter((a) => a.kind === 'congress_absence');
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ seatId: seat.C, name: '张伟' });
    expect(c[0]!.message).toContain('2 次');
    const detail = await call('roster.get', { seatId: seat.C });
    expect(detail.seat.status).toBe('current');
  });

  it('adds participants by pasted names and asks for the certificate number where two share a name', async () => {
    const { ctx, seat } = await scoredYear();
    const dispatch = (await import('../../electron/core/dispatcher.js')).createDispatcher(ctx);
    const call = caller(ctx);
    const { id } = await call('activities.create', { type: '代表小组活动', date: '2025-10-10', title: '小组集中活动', level: 'township' });
    const ambiguous = await dispatch('activities.addParticipants', { activityId: id, text: '王芳、张伟' });
    expect(ambiguous).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    if (!ambiguous.ok) expect(ambiguous.error.message).toMatch(/张伟.*2 个在任席位.*代表证号/s);
    expect((await call('activities.get', { id })).participants).toHaveLength(0);
    const added = await call('activities.addParticipants', { activityId: id, text: '王芳\nQS004\n赵敏' });
    expect(added).toEqual({ added: 3, alreadyIn: 0 });
    const byTownship = await call('activities.addParticipants', { activityId: id, township: '青山镇', attendance: '请假' });
    expect(byTownship).toEqual({ added: 2, alreadyIn: 3 });
    const detail = await call('activities.get', { id });
    expect(detail.activity).toMatchObject({ participants: 5, attended: 3, leave: 2 });
    expect(detail.participants.find((p) => p.seatId === seat.C)?.attendance).toBe('请假');
  });

  it('keeps the order the office gives the rule items, and explains and lists them in it', async () => {
    const { ctx, call, seat, ruleSetId } = await scoredYear();
    const dispatch = (await import('../../electron/core/dispatcher.js')).createDispatcher(ctx);
    const codes = async () => (await call('scoring.ruleSet', { id: ruleSetId })).items.map((i) => i.code);
    const rules = await call('scoring.ruleSet', { id: ruleSetId });
    const original = rules.items.map((i) => i.code);
    expect(original).toEqual(['H01', 'H02', 'H03', 'H04', 'H05', 'H06', 'H07', 'H08', 'H09', 'H10', 'H11', 'H12', 'H13']);
    const id = (code: string) => rules.items.find((i) => i.code === code)!.id;

    // What the editor's ↑ on H06 five times and ↓ on H01 once save: H06 first, H01 after H02.
    const order = ['H06', 'H02', 'H01', 'H03', 'H04', 'H05', 'H07', 'H08', 'H09', 'H10', 'H11', 'H12', 'H13'];
    await call('scoring.ruleItemsReorder', { ruleSetId, itemIds: order.map(id) });
    const saved = await call('scoring.ruleSet', { id: ruleSetId });
    expect(saved.items.map((i) => i.code)).toEqual(order);
    expect(saved.items.map((i) => i.sortOrder)).toEqual(order.map((_, i) => i + 1));
    const audit = ctx.db.prepare("SELECT summary FROM audit_log WHERE entity = 'rule_sets' ORDER BY id DESC LIMIT 1").pluck().get() as string;
    expect(audit).toContain('调整项目顺序');

    // Scores keep their totals; the items come in the new order on the ranking screen and in explanations.
    const list = await call('scoring.scores', { period: '2025' });
    expect(totals(list.rows, seat)).toEqual({ A: 4600, B: 2700, C: 0, D: 2600, E: 3400 });
    expect(list.items.map((i) => i.code)).toEqual(order);
    expect(list.rows[0]!.items.map((i) => i.code)).toEqual(order);
    const explained = await call('scoring.explain', { period: '2025', seatId: seat.A });
    expect(explained.lines.filter((l) => l.code).map((l) => l.code)).toEqual(order);

    // A new item goes last; a stale or repeated list is refused and changes nothing.
    await call('scoring.ruleItemSave', { ruleSetId, code: 'H14', name: '撰写调研报告', category: '加分', activityTypes: ['撰写调研报告'], firstPoints: 500 });
    expect(await codes()).toEqual([...order, 'H14']);
    const stale = await dispatch('scoring.ruleItemsReorder', { ruleSetId, itemIds: [...order].reverse().map(id) });
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('刷新') } });
    const repeated = await dispatch('scoring.ruleItemsReorder', { ruleSetId, itemIds: [id('H06'), ...order.map(id)].slice(0, 14) });
    expect(repeated).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await codes()).toEqual([...order, 'H14']);

    // Copying the rule set to the next period keeps the order; a closed one cannot be reordered.
    const { id: next } = await call('scoring.ruleSetCreate', { period: '2026', copyFromId: ruleSetId });
    expect((await call('scoring.ruleSet', { id: next })).items.map((i) => i.code)).toEqual([...order, 'H14']);
    const all = (await call('scoring.ruleSet', { id: ruleSetId })).items.map((i) => i.id);
    await call('scoring.ruleSetStatus', { id: ruleSetId, status: 'closed' });
    const closed = await dispatch('scoring.ruleItemsReorder', { ruleSetId, itemIds: [...all].reverse() });
    expect(closed).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('已结束') } });
    expect(await codes()).toEqual([...order, 'H14']);
  });

  it('counts only confirmed records where review is on', async () => {
    const { ctx, call, seat, ruleSetId } = await scoredYear();
    await call('scoring.ruleSetUpdate', { id: ruleSetId, requireReview: true });
    // A township office with review on: new records wait for confirmation.
    const { id } = await call('activities.create', { type: '接待选民', date: '2025-12-15', title: '联络站接待选民（十二月）' });
    await call('activities.addParticipants', { activityId: id, seatIds: [seat.B] });
    expect((await call('activities.get', { id })).activity.reviewStatus).toBe('pending');
    const pending = await call('activities.pending', {});
    expect(pending.map((p) => p.id)).toContain(id);
    let b = (await call('scoring.scores', { period: '2025' })).rows.find((r) => r.seatId === seat.B)!;
    expect(b.total).toBe(2700);
    await call('activities.review', { items: [{ entity: 'activity', id }], decision: 'confirmed' });
    b = (await call('scoring.scores', { period: '2025' })).rows.find((r) => r.seatId === seat.B)!;
    expect(b.total).toBe(2900); // 接待选民 2 → 3: 4 + 2×2 = 8 (+2)
    expect(ctx.db.prepare('SELECT reviewed_by FROM activities WHERE id = ?').pluck().get(id)).toBe('测试员');
  });
});

describe('the rule table template and the derived keys', () => {
  it('the committed template imports cleanly and equals the 汝州-shaped preset', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const { findPreset } = await import('../../shared/scoring/index.js');
    const ctx = townshipContext();
    const call = caller(ctx);
    const file = path.resolve(import.meta.dirname, '../../resources/templates/scoring-rules-template.xlsx');
    const report = await call('scoring.rulesImport', { file: { name: 'template.xlsx', base64: fs.readFileSync(file).toString('base64') }, period: '2025' });
    expect(report).toMatchObject({ imported: true, items: 13, errors: [], level: null });
    const rules = await call('scoring.ruleSet', { id: report.ruleSetId! });
    const preset = findPreset('first-further-cap')!;
    expect(rules.items.map(({ id: _id, sortOrder: _s, ...item }) => item)).toEqual(preset.rules.items);
    expect(rules).toMatchObject({ base: 0, floor: 0, grades: preset.rules.grades, status: 'in_force', alerts: preset.alerts });
  });

  it('counts past 65,535 occurrences of one type (the 16-bit counters fall back to 32 bits)', async () => {
    const { ctx, call, seat } = await scoredYear();
    const office = ctx.requireOffice().officeCode;
    const now = new Date().toISOString();
    const activity = ctx.db.prepare(
      `INSERT INTO activities (id, type, date, title, level, review_status, origin_office, created_at, updated_at) VALUES (?, '视察', '2025-02-01', ?, 'township', 'confirmed', ?, ?, ?)`,
    );
    const participant = ctx.db.prepare(
      `INSERT INTO activity_participants (id, activity_id, seat_id, attendance, origin_office, created_at, updated_at) VALUES (?, ?, ?, '出席', ?, ?, ?)`,
    );
    const N = 66_000;
    ctx.db.transaction(() => {
      for (let i = 0; i < N; i++) {
        const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
        activity.run(id, `视察${i}`, office, now, now);
        participant.run(`00000001-0000-4000-8000-${i.toString(16).padStart(12, '0')}`, id, seat.A, office, now, now);
      }
    })();
    const a = await call('scoring.explain', { period: '2025', seatId: seat.A });
    expect(a.result.items.find((i) => i.code === 'H06')).toMatchObject({ attended: N + 7, count: N + 7, points: 1000 });
    const b = await call('scoring.explain', { period: '2025', seatId: seat.B });
    expect(b.result.items.find((i) => i.code === 'H06')).toMatchObject({ attended: 1, points: 600 });
    const list = await call('scoring.scores', { period: '2025' });
    expect(totals(list.rows, seat)).toEqual({ A: 4600, B: 2700, C: 0, D: 2600, E: 3400 });
  });

  it('rebuilding the scoring keys from the records gives the same attendance facts as the triggers', async () => {
    const { ctx } = await scoredYear();
    const { rebuildScoringKeys } = await import('../../electron/core/scoring/compute.js');
    const facts = () => ctx.db.prepare('SELECT activity_n, seat_n, att FROM score_attendance ORDER BY 1, 2').raw().all();
    const before = facts();
    expect(before.length).toBe(26); // the 13 activities of seedYear, 26 attendances
    expect(rebuildScoringKeys(ctx)).toEqual({ participations: 26 });
    expect(facts()).toEqual(before);
  });
});
