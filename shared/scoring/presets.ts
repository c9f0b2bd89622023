import { SUGGESTION_TYPE } from './activityTypes.js';
import type { AlertSettings, RuleItemSpec, RuleSetSpec } from './rules.js';

/**
 * Presets an office copies and edits. Each is shaped like a published table
 * from the domain brief; nothing here is a constant of the app.
 */

export interface RulePreset {
  key: string;
  name: string;
  description: string;
  rules: RuleSetSpec;
  alerts: AlertSettings;
}

/** Points typed in whole points here; stored in hundredths. */
function item(
  code: string,
  name: string,
  category: RuleItemSpec['category'],
  activityTypes: string[],
  first: number,
  further: number,
  cap: number | null,
  extra: { leave?: number; absent?: number; cosign?: number; cosignCap?: number | null; note?: string } = {},
): RuleItemSpec {
  const h = (n: number) => Math.round(n * 100);
  return {
    code,
    name,
    category,
    activityTypes,
    firstPoints: h(first),
    furtherPoints: h(further),
    cap: cap === null ? null : h(cap),
    leavePoints: h(extra.leave ?? 0),
    absentPoints: h(extra.absent ?? 0),
    cosignPoints: h(extra.cosign ?? 0),
    cosignCap: extra.cosignCap === undefined || extra.cosignCap === null ? null : h(extra.cosignCap),
    note: extra.note ?? null,
  };
}

const GOOD_FAIR_POOR = [
  { name: '好', min: 8000 },
  { name: '较好', min: 6000 },
  { name: '差', min: null },
];

/** (1) 首次X分、每增加一次加Y分、最高Z分 — the 汝州 table as deployed. */
const firstFurtherCap: RulePreset = {
  key: 'first-further-cap',
  name: '逐项累加封顶式（参照汝州）',
  description: '每项首次得X分，每增加一次加Y分，本期最高Z分；视察、调研、执法检查合并计分；人代会请假、缺席扣分，总分不低于0分。',
  rules: {
    base: 0,
    floor: 0,
    grades: GOOD_FAIR_POOR,
    items: [
      item('H01', '出席人代会', '会议期间', ['人代会'], 15, 0, 15, {
        leave: -1,
        absent: -5,
        note: '请假每次（半天）扣1分；未经批准不出席每次扣5分',
      }),
      item('H02', '参加其他会议', '闭会期间', ['列席常委会会议', '其他会议'], 3, 1, 5),
      item('H03', '学习培训', '闭会期间', ['学习培训'], 3, 1, 5),
      item('H04', '提出议案建议', '闭会期间', [SUGGESTION_TYPE], 6, 2, 10, {
        cosign: 1,
        cosignCap: 4,
        note: '领衔首件6分、每增加一件加2分；附议每件1分、最多4分；本项合计不超过10分',
      }),
      item('H05', '专题调研', '闭会期间', ['专题调研'], 4, 1, 6),
      item('H06', '视察、调研、执法检查', '闭会期间', ['视察', '调研', '执法检查'], 6, 1, 10, { note: '三类活动合并计分' }),
      item('H07', '接待选民', '闭会期间', ['接待选民'], 4, 2, 12),
      item('H08', '化解矛盾纠纷', '闭会期间', ['化解矛盾纠纷'], 5, 1, 8),
      item('H09', '扶弱济困', '闭会期间', ['扶弱济困'], 5, 1, 8),
      item('H10', '办好事实事', '闭会期间', ['办好事实事'], 5, 1, 8),
      item('H11', '公益慈善', '闭会期间', ['公益慈善'], 5, 1, 8),
      item('H12', '向选民述职', '闭会期间', ['向选民述职'], 3, 0, 5),
      item('H13', '其他', '闭会期间', ['代表小组活动', '社情民意', '其他履职活动'], 5, 0, 5, { note: '代表小组活动、反映社情民意等其他履职活动' }),
    ],
  },
  alerts: { bottomN: 5, bottomRuns: 2, below: null },
};

/** (2) 百分制: 会议期间 20 + 闭会期间 80, minus deductions, never below 0. */
const hundredPoint: RulePreset = {
  key: 'hundred-point',
  name: '百分制（会议期间20分 + 闭会期间80分）',
  description: '会议期间20分（参会5分、会议表现15分），闭会期间八项各10分，缺席扣分，总分不低于0分。',
  rules: {
    base: 0,
    floor: 0,
    grades: [
      { name: '优秀', min: 9000 },
      { name: '称职', min: 6000 },
      { name: '基本称职', min: 4500 },
      { name: '不称职', min: null },
    ],
    items: [
      item('B01', '参会', '会议期间', ['人代会'], 5, 0, 5, { leave: -1, absent: -5, note: '请假每次扣1分，未经批准缺席每次扣5分' }),
      item('B02', '会议表现', '会议期间', ['大会发言'], 5, 5, 15, { note: '大会发言、审议发言每次5分' }),
      item('B03', '学习培训', '闭会期间', ['学习培训'], 5, 5, 10),
      item('B04', '视察调研', '闭会期间', ['视察', '调研', '专题调研', '执法检查'], 5, 2.5, 10),
      item('B05', '代表小组活动', '闭会期间', ['代表小组活动'], 5, 2.5, 10),
      item('B06', '进站接待选民', '闭会期间', ['接待选民'], 2.5, 2.5, 10),
      item('B07', '提出建议', '闭会期间', [SUGGESTION_TYPE], 5, 2.5, 10, { cosign: 1, cosignCap: 3 }),
      item('B08', '向选民述职', '闭会期间', ['向选民述职'], 10, 0, 10),
      item('B09', '为民办实事', '闭会期间', ['化解矛盾纠纷', '扶弱济困', '办好事实事', '公益慈善'], 5, 2.5, 10),
      item('B10', '反映社情民意', '闭会期间', ['社情民意'], 2, 2, 10),
      item('B11', '无故缺席闭会活动', '扣分', ['学习培训', '视察', '调研', '专题调研', '执法检查', '代表小组活动'], 0, 0, null, {
        absent: -2,
        note: '未经请假缺席集体活动每次扣2分',
      }),
    ],
  },
  alerts: { bottomN: null, bottomRuns: 2, below: 6000 },
};

/** (3) 基础分60分 plus uncapped additions (荆门东宝). */
const basePlus: RulePreset = {
  key: 'base-60',
  name: '基础分60分加分制（上不封顶）',
  description: '每名代表基础分60分，按次加分、上不封顶；人代会请假、缺席扣分；按分数排名。',
  rules: {
    base: 6000,
    floor: 0,
    grades: [],
    items: [
      item('D01', '出席人代会', '会议期间', ['人代会'], 5, 5, null, { leave: -1, absent: -5 }),
      item('D02', '参加会议', '闭会期间', ['列席常委会会议', '其他会议'], 2, 2, null),
      item('D03', '学习培训', '闭会期间', ['学习培训'], 2, 2, null),
      item('D04', '视察调研', '闭会期间', ['视察', '调研', '专题调研', '执法检查'], 3, 3, null),
      item('D05', '进站接待选民', '闭会期间', ['接待选民'], 5, 5, null, { note: '每进站接待一次5分' }),
      item('D06', '撰写调研报告', '加分', ['撰写调研报告'], 20, 20, null, { note: '每篇视察、调研报告20分' }),
      item('D07', '提出建议', '闭会期间', [SUGGESTION_TYPE], 3, 3, null, { cosign: 1 }),
      item('D08', '代表小组活动', '闭会期间', ['代表小组活动'], 2, 2, null),
      item('D09', '为民办实事', '闭会期间', ['化解矛盾纠纷', '扶弱济困', '办好事实事', '公益慈善'], 3, 3, null),
      item('D10', '向选民述职', '闭会期间', ['向选民述职'], 5, 5, null),
      item('D11', '获得表彰', '加分', ['获得表彰'], 10, 10, null),
    ],
  },
  alerts: { bottomN: 5, bottomRuns: 2, below: null },
};

export const RULE_PRESETS: readonly RulePreset[] = [firstFurtherCap, hundredPoint, basePlus];

export function findPreset(key: string): RulePreset | undefined {
  return RULE_PRESETS.find((p) => p.key === key);
}
