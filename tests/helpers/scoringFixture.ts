import { createDispatcher, type Dispatch } from '../../electron/core/dispatcher.js';
import type { CoreContext } from '../../electron/core/context.js';
import type { InputOf, MethodName, OutputOf } from '../../shared/contract/index.js';

/** Calls a method and fails the test with the Chinese message when it errs. */
export function caller(ctx: CoreContext) {
  const dispatch: Dispatch = createDispatcher(ctx);
  return async <M extends MethodName>(method: M, input: InputOf<M>): Promise<OutputOf<M>> => {
    const r = await dispatch(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.data as OutputOf<M>;
  };
}

export const DEPUTIES = [
  { key: 'A', name: '王芳', cert: 'QS001' },
  { key: 'B', name: '李强', cert: 'QS002' },
  { key: 'C', name: '张伟', cert: 'QS003' },
  { key: 'D', name: '张伟', cert: 'QS004' },
  { key: 'E', name: '赵敏', cert: 'QS005' },
] as const;
export type Key = (typeof DEPUTIES)[number]['key'];

/** Five township deputies of 青山镇 (two named 张伟). */
export async function seedDeputies(ctx: CoreContext): Promise<Record<Key, string>> {
  const call = caller(ctx);
  const out = {} as Record<Key, string>;
  for (const d of DEPUTIES) {
    const r = await call('roster.create', {
      person: { name: d.name },
      seat: { level: 'township', term: '第十九届', township: '青山镇', certificateNo: d.cert, startDate: '2021-11-15' },
    });
    out[d.key] = r.seatId;
  }
  return out;
}

type Att = '出席' | '请假' | '缺席';

/**
 * A year of records whose 汝州-table scores were worked out by hand:
 * A 王芳 46, E 赵敏 34, B 李强 27, D 张伟(QS004) 26, C 张伟(QS003) 0.
 */
export async function seedYear(ctx: CoreContext, seat: Record<Key, string>): Promise<void> {
  const call = caller(ctx);
  const activity = async (type: string, date: string, title: string, who: Partial<Record<Key, Att>>) => {
    const { id } = await call('activities.create', { type, date, title, level: 'township', organiser: '青山镇人大主席团' });
    for (const att of ['出席', '请假', '缺席'] as const) {
      const seatIds = (Object.entries(who) as [Key, Att][]).filter(([, a]) => a === att).map(([k]) => seat[k]);
      if (seatIds.length) await call('activities.addParticipants', { activityId: id, seatIds, attendance: att });
    }
    return id;
  };
  await activity('人代会', '2025-01-10', '青山镇第十九届人民代表大会第五次会议', { A: '出席', B: '请假', C: '缺席', D: '出席', E: '出席' });
  await activity('视察', '2025-03-05', '视察农村公路建设', { A: '出席', B: '出席' });
  await activity('视察', '2025-04-12', '视察义务教育学校', { A: '出席' });
  await activity('视察', '2025-05-20', '视察集镇污水处理', { A: '出席' });
  await activity('调研', '2025-06-03', '调研养老服务', { A: '出席', E: '出席' });
  await activity('调研', '2025-07-08', '调研农田水利', { A: '出席' });
  await activity('执法检查', '2025-08-15', '食品安全法执法检查', { A: '出席', E: '缺席' });
  await activity('执法检查', '2025-09-10', '安全生产法执法检查', { A: '出席' });
  await activity('接待选民', '2025-03-15', '联络站接待选民（三月）', { A: '出席', B: '出席' });
  await activity('接待选民', '2025-06-15', '联络站接待选民（六月）', { A: '出席', B: '出席' });
  await activity('接待选民', '2025-09-15', '联络站接待选民（九月）', { A: '出席' });
  await activity('学习培训', '2025-04-01', '代表履职能力培训', { A: '出席', B: '出席', C: '出席', D: '出席', E: '出席' });
  await activity('向选民述职', '2025-11-20', '向原选区选民述职', { B: '出席' });
  const suggestion = (title: string, date: string, lead: Key, cosign: Key[]) =>
    call('activities.suggestionSave', { title, date, leadSeatId: seat[lead], cosignerSeatIds: cosign.map((k) => seat[k]) });
  await suggestion('关于加快农村公路提质改造的建议', '2025-01-10', 'A', ['B', 'E']);
  await suggestion('关于改善集镇停车秩序的建议', '2025-01-10', 'A', ['B']);
  await suggestion('关于增设村级养老服务站的建议', '2025-05-08', 'A', []);
  await suggestion('关于加强校园周边交通安全的建议', '2025-01-10', 'B', ['A']);
  await suggestion('关于完善农田灌溉设施的建议', '2025-06-20', 'B', ['A', 'E']);
  await suggestion('关于扶持特色种植产业的建议', '2025-01-10', 'E', ['A']);
  await suggestion('关于规范农村建房审批的建议', '2025-01-10', 'D', ['A']);
  await suggestion('关于提升卫生院服务能力的建议', '2025-03-02', 'D', ['A']);
  await call('activities.adjustmentSave', { seatId: seat.E, date: '2025-10-08', points: 200, reason: '获市级优秀代表建议表彰', approvedBy: '张主任' });
  await call('activities.adjustmentSave', { seatId: seat.C, date: '2025-12-01', points: -150, reason: '未按时报送履职材料', approvedBy: '张主任' });
}
