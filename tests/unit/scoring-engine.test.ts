import { describe, expect, it } from 'vitest';
import {
  computeScore,
  emptyCounts,
  explainScore,
  findPreset,
  formatPoints,
  parsePeriod,
  parsePoints,
  periodOf,
  previousPeriod,
  rankWithin,
  type RuleSetSpec,
  type SeatCounts,
} from '../../shared/scoring/index.js';

const rules = (key: string): RuleSetSpec => findPreset(key)!.rules;

function counts(activities: Record<string, [attended: number, leave?: number, absent?: number]>, extra: Partial<SeatCounts> = {}): SeatCounts {
  const c = emptyCounts();
  for (const [type, [attended, leave = 0, absent = 0]] of Object.entries(activities)) c.activities[type] = { attended, leave, absent };
  return { ...c, ...extra };
}

const pointsOf = (r: ReturnType<typeof computeScore>, code: string) => r.items.find((i) => i.code === code)!.points / 100;

describe('汝州-shaped table (first X, each further +Y, cap Z)', () => {
  const ruzhou = rules('first-further-cap');

  it('scores a year worked out by hand: 59 points, grade 差', () => {
    const r = computeScore(
      ruzhou,
      counts(
        { 人代会: [1], 列席常委会会议: [2], 其他会议: [2], 学习培训: [1], 视察: [3], 调研: [2], 执法检查: [2], 接待选民: [3], 化解矛盾纠纷: [1], 向选民述职: [1] },
        { suggestionsLed: 3, suggestionsCosigned: 5 },
      ),
    );
    expect(pointsOf(r, 'H01')).toBe(15);
    expect(pointsOf(r, 'H02')).toBe(5); // 3 + 3×1 = 6, capped at 5
    expect(pointsOf(r, 'H03')).toBe(3);
    expect(pointsOf(r, 'H04')).toBe(10); // 6 + 2×2 = 10 led, + min(5, 4) co-signed = 14, capped at 10
    expect(pointsOf(r, 'H05')).toBe(0);
    expect(pointsOf(r, 'H06')).toBe(10); // 视察3 + 调研2 + 执法检查2 pooled: 6 + 6×1 = 12, capped at 10
    expect(pointsOf(r, 'H07')).toBe(8); // 4 + 2×2
    expect(pointsOf(r, 'H08')).toBe(5);
    expect(pointsOf(r, 'H12')).toBe(3);
    expect(r.total).toBe(5900);
    expect(r.grade).toBe('差');
    const h06 = r.items.find((i) => i.code === 'H06')!;
    expect(h06).toMatchObject({ count: 7, occurrencePoints: 1200, beforeCap: 1200, afterCap: 1000 });
    const h04 = r.items.find((i) => i.code === 'H04')!;
    expect(h04).toMatchObject({ count: 8, led: 3, cosigned: 5, occurrencePoints: 1000, cosignRaw: 500, cosignCounted: 400, beforeCap: 1400, afterCap: 1000 });
  });

  it('co-signing alone is capped at 4 inside the item', () => {
    expect(pointsOf(computeScore(ruzhou, counts({}, { suggestionsCosigned: 6 })), 'H04')).toBe(4);
    expect(pointsOf(computeScore(ruzhou, counts({}, { suggestionsLed: 1, suggestionsCosigned: 2 })), 'H04')).toBe(8);
  });

  it('deducts 1 per 请假 and 5 per 缺席 at the session, and never goes below 0', () => {
    const leave = computeScore(ruzhou, counts({ 人代会: [1, 1] }));
    expect(pointsOf(leave, 'H01')).toBe(14);
    expect(leave.total).toBe(1400);
    const absent = computeScore(ruzhou, counts({ 人代会: [0, 0, 2], 学习培训: [1] }));
    expect(pointsOf(absent, 'H01')).toBe(-10);
    expect(absent.sum).toBe(-700);
    expect(absent.floorApplied).toBe(true);
    expect(absent.total).toBe(0);
    expect(absent.grade).toBe('差');
  });

  it('reaches 好 at 80', () => {
    const r = computeScore(
      ruzhou,
      counts(
        { 人代会: [1], 其他会议: [3], 学习培训: [3], 专题调研: [3], 视察: [5], 接待选民: [5], 化解矛盾纠纷: [4], 扶弱济困: [4], 向选民述职: [1] },
        { suggestionsLed: 3 },
      ),
    );
    // 15 + 5 + 5 + 10 + 6 + 10 + 12 + 8 + 8 + 3 = 82
    expect(r.total).toBe(8200);
    expect(r.grade).toBe('好');
  });
});

describe('百分制 (会议期间 20 + 闭会期间 80)', () => {
  it('adds half points exactly and deducts an unexcused absence: 66, 称职', () => {
    const r = computeScore(
      rules('hundred-point'),
      counts(
        { 人代会: [1], 大会发言: [2], 学习培训: [1], 视察: [2, 0, 1], 调研: [1], 代表小组活动: [2], 接待选民: [3], 向选民述职: [1], 办好事实事: [1] },
        { suggestionsLed: 1, suggestionsCosigned: 4 },
      ),
    );
    expect(pointsOf(r, 'B01')).toBe(5);
    expect(pointsOf(r, 'B02')).toBe(10);
    expect(pointsOf(r, 'B04')).toBe(10); // 5 + 2×2.5
    expect(pointsOf(r, 'B05')).toBe(7.5);
    expect(pointsOf(r, 'B06')).toBe(7.5);
    expect(pointsOf(r, 'B07')).toBe(8); // 5 + min(4×1, 3)
    expect(pointsOf(r, 'B11')).toBe(-2);
    expect(r.items.find((i) => i.code === 'B11')!.count).toBe(1);
    expect(r.total).toBe(6600);
    expect(r.grade).toBe('称职');
  });

  it('caps the whole form at the items: a full year scores 100, 优秀', () => {
    const r = computeScore(
      rules('hundred-point'),
      counts(
        { 人代会: [1], 大会发言: [5], 学习培训: [4], 视察: [6], 代表小组活动: [6], 接待选民: [12], 向选民述职: [2], 公益慈善: [9], 社情民意: [9] },
        { suggestionsLed: 5 },
      ),
    );
    expect(r.total).toBe(10000);
    expect(r.grade).toBe('优秀');
  });
});

describe('基础分60分加分制', () => {
  it('adds without caps and has no grades: 123', () => {
    const r = computeScore(
      rules('base-60'),
      counts({ 人代会: [1, 1], 接待选民: [4], 撰写调研报告: [1], 获得表彰: [1] }, { suggestionsLed: 2, suggestionsCosigned: 3 }),
    );
    // 60 + (5 − 1) + 4×5 + 20 + (3 + 3 + 3×1) + 10
    expect(r.total).toBe(12300);
    expect(r.grade).toBeNull();
  });

  it('adds manual adjustments outside the caps', () => {
    const r = computeScore(
      rules('base-60'),
      counts({}, { adjustments: [{ points: 200, reason: '市级表彰', approvedBy: '张主任' }, { points: -150, reason: '未按时报送材料' }] }),
    );
    expect(r.adjustmentTotal).toBe(50);
    expect(r.total).toBe(6050);
    const text = explainScore(r, rules('base-60').items).map((l) => l.text);
    expect(text).toContain('加分：市级表彰，张主任批准，+2 分');
    expect(text).toContain('扣分：未按时报送材料，-1.5 分');
    expect(text).toContain('总分 60.5 分');
  });
});

describe('explanation', () => {
  it('shows the count, the cap and the deductions line by line', () => {
    const ruzhou = rules('first-further-cap');
    const r = computeScore(ruzhou, counts({ 人代会: [1, 1], 视察: [3], 调研: [2], 执法检查: [2] }, { suggestionsLed: 3, suggestionsCosigned: 5 }));
    const text = explainScore(r, ruzhou.items).map((l) => l.text);
    expect(text).toContain('出席人代会：出席 1 次：首次 15 分；请假 1 次 × -1 分 = -1 分；本项得 14 分');
    expect(text).toContain(
      '视察、调研、执法检查：出席 7 次：首次 6 分 + 其后 6 次 × 1 分 = 12 分；小计 12 分，超过本项上限 10 分，按 10 分计；本项得 10 分',
    );
    expect(text).toContain(
      '提出议案建议：领衔 3 件：首次 6 分 + 其后 2 次 × 2 分 = 10 分；附议 5 件 × 1 分 = 5 分，附议上限 4 分，按 4 分计；小计 14 分，超过本项上限 10 分，按 10 分计；本项得 10 分',
    );
    expect(text.at(-2)).toBe('总分 34 分');
    expect(text.at(-1)).toBe('等级：差');
  });
});

describe('points, periods, ranks', () => {
  it('parses and formats points in hundredths', () => {
    expect(parsePoints('2.5')).toBe(250);
    expect(parsePoints('−5')).toBe(-500);
    expect(parsePoints('0.25')).toBe(25);
    expect(parsePoints(0.5)).toBe(50);
    expect(parsePoints('1.234')).toBeNull();
    expect(parsePoints('十')).toBeNull();
    expect(formatPoints(650)).toBe('6.5');
    expect(formatPoints(-125)).toBe('-1.25');
    expect(formatPoints(6000)).toBe('60');
    // 0.1 + 0.2 in hundredths is exact
    expect(formatPoints(10 + 20)).toBe('0.3');
  });

  it('knows years, halves, quarters and months', () => {
    expect(parsePeriod('2025')).toMatchObject({ kind: 'year', start: '2025-01-01', end: '2025-12-31', label: '2025年度' });
    expect(parsePeriod('2025h1')).toMatchObject({ id: '2025H1', end: '2025-06-30', label: '2025年上半年' });
    expect(parsePeriod('2024Q1')).toMatchObject({ start: '2024-01-01', end: '2024-03-31', label: '2024年第一季度' });
    expect(parsePeriod('2024-02')).toMatchObject({ end: '2024-02-29', label: '2024年2月' });
    expect(parsePeriod('2025Q5')).toBeNull();
    expect(previousPeriod(parsePeriod('2025Q1')!).id).toBe('2024Q4');
    expect(previousPeriod(parsePeriod('2025-01')!).id).toBe('2024-12');
    expect(previousPeriod(parsePeriod('2025')!).id).toBe('2024');
    expect(periodOf('quarter', '2025-08-15').id).toBe('2025Q3');
  });

  it('ranks ties alike within each group', () => {
    const e = [
      { t: 90, g: 'a' },
      { t: 80, g: 'a' },
      { t: 80, g: 'a' },
      { t: 70, g: 'a' },
      { t: 10, g: 'b' },
    ];
    expect(rankWithin(e, (x) => x.t, (x) => x.g)).toEqual([1, 2, 2, 4, 1]);
  });

  it('ranks many groups at once exactly as counting the higher totals of the group', async () => {
    const { competitionRanks } = await import('../../shared/scoring/index.js');
    let seed = 5;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (const [n, groups, spread] of [[0, 1, 1], [1, 1, 1], [500, 7, 40], [2000, 300, 5], [3000, 2, 100000]] as const) {
      const groupOf = Int32Array.from({ length: n }, () => rand(groups));
      const totals = Float64Array.from({ length: n }, () => rand(spread) - spread / 2);
      const naive = Array.from(groupOf, (g, i) => 1 + groupOf.reduce((k, h, j) => k + (h === g && totals[j]! > totals[i]! ? 1 : 0), 0));
      expect(Array.from(competitionRanks(groupOf, totals, groups))).toEqual(naive);
    }
  });
});

describe('the flat fast path', () => {
  it('gives exactly the totals and grades of the explained engine', async () => {
    const { compileRules, totalFromFlat, computeScore, RULE_PRESETS } = await import('../../shared/scoring/index.js');
    const types = ['人代会', '视察', '调研', '执法检查', '接待选民', '学习培训', '大会发言', '代表小组活动', '撰写调研报告', '获得表彰', '公益慈善'];
    let seed = 3;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (const preset of RULE_PRESETS) {
      const compiled = compileRules(preset.rules, types);
      for (let k = 0; k < 100; k++) {
        const flat = new Int32Array(types.length * 3 * 2);
        const counts = { activities: {} as Record<string, { attended: number; leave: number; absent: number }>, suggestionsLed: rand(5), suggestionsCosigned: rand(8), adjustments: k % 7 === 0 ? [{ points: rand(500) - 250, reason: 'x' }] : [] };
        types.forEach((t, i) => {
          const c = { attended: rand(6), leave: rand(3), absent: rand(2) };
          counts.activities[t] = c;
          flat.set([c.attended, c.leave, c.absent], (types.length + i) * 3);
        });
        const full = computeScore(preset.rules, counts);
        const adj = counts.adjustments.reduce((n, a) => n + a.points, 0);
        expect(totalFromFlat(compiled, flat, 1, counts.suggestionsLed, counts.suggestionsCosigned, adj)).toEqual({ total: full.total, grade: full.grade });
      }
    }
  });
});
