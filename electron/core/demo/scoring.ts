import type { Level } from '../../../shared/dictionaries.js';
import { findPreset, type Attendance } from '../../../shared/scoring/index.js';
import type { CoreContext } from '../context.js';
import { placeName } from '../reports/filters.js';
import { insertRuleSet } from '../scoring/ruleSets.js';
import { addDays, dateBetween } from './calendar.js';
import type { DemoScale } from './geography.js';
import type { Rng } from './random.js';

/**
 * A year (2025) of performance records the way a real office keeps them: the
 * congress sessions with 出席 / 请假 / 缺席, 列席常委会会议, training, inspections,
 * research and law-enforcement checks, monthly station receptions, quarterly
 * group activities, reports to voters, the small deeds (化解矛盾纠纷 …),
 * suggestions with co-signers, a few adjustments, and the 2025 rule sets in
 * force (汝州-shaped table for the office's own deputies, the 100-point form
 * for township deputies at a county office). The 2024 session is there too,
 * so the two-absences alert has something to show. Province scale gets the
 * rule sets only: 140,000 seats of activities are the benchmark's job.
 */

export interface ScoringDemoSummary {
  ruleSets: number;
  activities: number;
  participations: number;
  suggestions: number;
  adjustments: number;
}

const NO_AUDIT = { audit: false } as const;
const YEAR_START = '2025-01-01';
const YEAR_END = '2025-12-31';

interface DemoSeat {
  id: string;
  level: Level;
  township: string | null;
  groupId: string | null;
  stationId: string | null;
  start: string | null;
  end: string | null;
}

function seatsOfYear(ctx: CoreContext): DemoSeat[] {
  // Ordered by what the generator decided (certificate numbers), never by the random ids.
  return (
    ctx.db
      .prepare(
        `SELECT s.id, s.level, s.township, s.group_id, s.station_id, s.start_date, s.end_date
           FROM seats s JOIN persons p ON p.id = s.person_id
          WHERE s.deleted_at IS NULL AND s.level IN ('county', 'township')
            AND (s.start_date IS NULL OR s.start_date <= ?) AND (s.end_date IS NULL OR s.end_date >= ?)
            AND NOT (s.status = 'ended' AND s.end_date IS NULL)
          ORDER BY s.level, s.township, s.certificate_no, p.id_number, p.name`,
      )
      .raw()
      .all(YEAR_END, '2024-01-01') as [string, Level, string | null, string | null, string | null, string | null, string | null][]
  ).map(([id, level, township, groupId, stationId, start, end]) => ({ id, level, township, groupId, stationId, start, end }));
}

const inOffice = (s: DemoSeat, date: string) => (!s.start || s.start <= date) && (!s.end || s.end >= date);

class Writer {
  activities = 0;
  participations = 0;
  constructor(
    private readonly ctx: CoreContext,
    private readonly rng: Rng,
  ) {}

  /** Attendance drawn with the usual shares: most attend, a few excused, rarely absent without leave. */
  attendance(attend = 0.9, leave = 0.08): Attendance {
    const r = this.rng.float();
    return r < attend ? '出席' : r < attend + leave ? '请假' : '缺席';
  }

  activity(
    fields: { type: string; date: string; title: string; organiser: string; place: string | null; level: Level; township: string | null },
    people: DemoSeat[],
    attendance: (s: DemoSeat) => Attendance,
  ): void {
    const present = people.filter((s) => inOffice(s, fields.date));
    if (present.length === 0) return;
    const id = this.ctx.repo.insert('activities', { ...fields, review_status: 'confirmed' }, NO_AUDIT);
    this.activities++;
    for (const s of present) {
      this.ctx.repo.insert('activity_participants', { activity_id: id, seat_id: s.id, attendance: attendance(s) }, NO_AUDIT);
      this.participations++;
    }
  }
}

const INSPECTIONS: [type: string, title: string][] = [
  ['视察', '视察农村公路提质改造工作'],
  ['视察', '视察义务教育学校建设'],
  ['视察', '视察农村人居环境整治'],
  ['视察', '视察防汛备汛工作'],
  ['调研', '调研农村养老服务'],
  ['调研', '调研基层医疗卫生服务'],
  ['调研', '调研特色产业发展'],
  ['专题调研', '专题调研优化营商环境'],
  ['专题调研', '专题调研农田水利设施管护'],
  ['执法检查', '食品安全法执法检查'],
  ['执法检查', '安全生产法执法检查'],
  ['执法检查', '环境保护法执法检查'],
];
const DEEDS: [type: string, title: string][] = [
  ['化解矛盾纠纷', '参与调解邻里土地纠纷'],
  ['化解矛盾纠纷', '协助化解劳资纠纷'],
  ['扶弱济困', '走访慰问困难群众'],
  ['扶弱济困', '结对帮扶留守儿童'],
  ['办好事实事', '协调修复村组道路'],
  ['办好事实事', '推动安装路灯'],
  ['公益慈善', '参加助学捐赠活动'],
  ['公益慈善', '参加义务植树'],
  ['社情民意', '反映群众出行难问题'],
  ['社情民意', '反映农产品销售难问题'],
];
const SUGGESTIONS = [
  '关于加快农村公路提质改造的建议',
  '关于完善农村饮水安全工程的建议',
  '关于加强校园周边交通安全管理的建议',
  '关于增设村级养老服务站的建议',
  '关于提升乡镇卫生院服务能力的建议',
  '关于扶持特色种植产业发展的建议',
  '关于规范农村建房审批的建议',
  '关于改善集镇停车秩序的建议',
  '关于加强农田水利设施管护的建议',
  '关于推进垃圾分类处理的建议',
  '关于加大农村电商扶持力度的建议',
  '关于解决中小学大班额问题的建议',
];

export function generateScoringDemo(ctx: CoreContext, rng: Rng, scale: DemoScale): ScoringDemoSummary {
  const office = ctx.requireOffice();
  const place = placeName(office.officeName);
  const ownLevel: Level = office.officeType === 'county' ? 'county' : 'township';
  const summary: ScoringDemoSummary = { ruleSets: 0, activities: 0, participations: 0, suggestions: 0, adjustments: 0 };

  const rulesFor = (level: Level, presetKey: string) => {
    const preset = findPreset(presetKey)!;
    const id = insertRuleSet(
      ctx,
      { period: '2025', level, name: `2025年度${level === 'county' ? '县' : '乡镇'}人大代表履职积分规则`, preset: preset.key, rules: preset.rules, alerts: preset.alerts },
      NO_AUDIT,
    );
    ctx.repo.update('rule_sets', id, { status: 'in_force' }, NO_AUDIT);
    summary.ruleSets++;
  };
  rulesFor(ownLevel, 'first-further-cap');
  if (ownLevel === 'county') rulesFor('township', 'hundred-point');
  if (scale === 'province') return summary;

  const seats = seatsOfYear(ctx);
  const w = new Writer(ctx, rng);
  const congresses: { level: Level; township: string | null; organiser: string; members: DemoSeat[] }[] = [];
  const county = seats.filter((s) => s.level === 'county');
  if (county.length) congresses.push({ level: 'county', township: null, organiser: `${place}人大常委会`, members: county });
  const townships = [...new Set(seats.filter((s) => s.level === 'township').map((s) => s.township ?? ''))];
  for (const t of townships) {
    congresses.push({ level: 'township', township: t || null, organiser: `${t || place}人大主席团`, members: seats.filter((s) => s.level === 'township' && (s.township ?? '') === t) });
  }

  for (const c of congresses) {
    const where = c.township ?? place;
    const base = { organiser: c.organiser, level: c.level, township: c.township };
    // The 2024 and 2025 sessions; one deputy misses both without leave (the alert's case).
    const truant = c.members.length > 10 && rng.chance(0.3) ? rng.pick(c.members) : null;
    for (const [year, date, session] of [[2024, c.level === 'county' ? '2024-01-16' : '2024-01-09', '第三次会议'], [2025, c.level === 'county' ? '2025-01-15' : '2025-01-08', '第四次会议']] as const) {
      w.activity(
        { ...base, type: '人代会', date, title: `${where}第十九届人民代表大会${session}`, place: `${where}人民会堂` },
        c.members,
        (s) => (s === truant ? '缺席' : w.attendance(0.93, 0.05)),
      );
      if (year === 2025) {
        w.activity({ ...base, type: '大会发言', date: addDays(date, 1), title: `${where}第十九届人大${session}审议发言`, place: `${where}人民会堂` }, rng.sample(c.members, Math.ceil(c.members.length * 0.35)), () => '出席');
      }
    }
    // Standing committee / presidium meetings with deputies invited (列席).
    for (let m = 0; m < (c.level === 'county' ? 6 : 3); m++) {
      const month = String(Math.min(12, 2 + m * 2)).padStart(2, '0');
      const date = dateBetween(rng, `2025-${month}-01`, `2025-${month}-25`);
      w.activity({ ...base, type: '列席常委会会议', date, title: `${c.level === 'county' ? '县人大常委会' : '主席团'}第${m + 1}次会议（代表列席）`, place: `${where}人大会议室` }, rng.sample(c.members, Math.max(2, Math.ceil(c.members.length * 0.1))), () => '出席');
    }
    for (const [from, to, title] of [['2025-03-10', '2025-04-20', '人大代表履职能力提升培训'], ['2025-08-20', '2025-09-30', '代表建议撰写专题培训']] as const) {
      w.activity({ ...base, type: '学习培训', date: dateBetween(rng, from, to), title, place: c.level === 'county' ? '县委党校' : `${where}会议室` }, rng.sample(c.members, Math.ceil(c.members.length * 0.6)), () => w.attendance(0.88, 0.1));
    }
    for (let m = 0; m < 4; m++) {
      w.activity({ ...base, type: '其他会议', date: dateBetween(rng, `2025-0${2 + m * 2}-01`, `2025-0${2 + m * 2}-28`), title: `代表座谈会（第${m + 1}次）`, place: `${where}人大会议室` }, rng.sample(c.members, Math.ceil(c.members.length * 0.25)), () => w.attendance(0.9, 0.08));
    }
    const inspections = c.level === 'county' ? INSPECTIONS : rng.sample(INSPECTIONS, 4);
    for (const [type, title] of inspections) {
      const share = type === '执法检查' ? 0.25 : type === '专题调研' ? 0.12 : 0.3;
      w.activity({ ...base, type, date: dateBetween(rng, '2025-03-01', '2025-11-30'), title: `${where}人大${title}`, place: null }, rng.sample(c.members, Math.max(3, Math.ceil(c.members.length * share))), () => w.attendance(0.9, 0.08));
    }
  }

  // Quarterly group activities: the whole group.
  const groups = ctx.db.prepare(`SELECT id, name, township FROM deputy_groups WHERE deleted_at IS NULL ORDER BY level, township, name`).all() as { id: string; name: string; township: string | null }[];
  for (const g of groups) {
    const members = seats.filter((s) => s.groupId === g.id);
    for (let q = 0; q < 4; q++) {
      const date = dateBetween(rng, `2025-${String(q * 3 + 1).padStart(2, '0')}-05`, `2025-${String(q * 3 + 3).padStart(2, '0')}-25`);
      w.activity({ type: '代表小组活动', date, title: `${g.name}第${'一二三四'[q]}季度集中活动`, organiser: g.name, place: null, level: members[0]?.level ?? ownLevel, township: g.township }, members, () => w.attendance(0.85, 0.11));
    }
  }
  // Monthly reception days at each station: two or three of its deputies on duty.
  const stations = ctx.db.prepare(`SELECT id, name, township FROM liaison_stations WHERE deleted_at IS NULL ORDER BY township, name`).all() as { id: string; name: string; township: string | null }[];
  for (const st of stations) {
    const members = seats.filter((s) => s.stationId === st.id);
    if (members.length === 0) continue;
    for (let m = 1; m <= 12; m++) {
      const date = `2025-${String(m).padStart(2, '0')}-${String(rng.int(10, 20)).padStart(2, '0')}`;
      w.activity({ type: '接待选民', date, title: `${st.name}${m}月代表接待日`, organiser: st.name, place: st.name, level: members[0]!.level, township: st.township }, rng.sample(members, Math.max(2, Math.round(members.length * rng.int(35, 50) / 100))), () => '出席');
    }
  }
  // Individual records: reports to voters, small deeds, awards.
  for (const s of seats) {
    const where = s.township ?? place;
    const organiser = s.level === 'county' ? `${place}人大常委会` : `${where}人大主席团`;
    if (rng.chance(0.45)) w.activity({ type: '向选民述职', date: dateBetween(rng, '2025-09-01', '2025-12-20'), title: '向原选区选民述职', organiser, place: null, level: s.level, township: s.township }, [s], () => '出席');
    const deeds = rng.weighted([[0, 5], [1, 12], [2, 22], [3, 25], [4, 20], [5, 16]] as const);
    for (let i = 0; i < deeds; i++) {
      const [type, title] = rng.pick(DEEDS);
      w.activity({ type, date: dateBetween(rng, YEAR_START, YEAR_END), title, organiser, place: null, level: s.level, township: s.township }, [s], () => '出席');
    }
    if (rng.chance(0.03)) w.activity({ type: '获得表彰', date: dateBetween(rng, '2025-10-01', '2025-12-31'), title: '获评优秀人大代表', organiser, place: null, level: s.level, township: s.township }, [s], () => '出席');
  }
  summary.activities = w.activities;
  summary.participations = w.participations;

  // Suggestions: about a third of deputies lead one or two, co-signed by neighbours of the same congress.
  for (const s of seats) {
    if (!rng.chance(0.45)) continue;
    const peers = seats.filter((x) => x.level === s.level && x.township === s.township && x !== s);
    for (let i = 0, n = rng.chance(0.3) ? 2 : 1; i < n; i++) {
      const id = ctx.repo.insert(
        'suggestions',
        { title: rng.pick(SUGGESTIONS), date: rng.chance(0.7) ? (s.level === 'county' ? '2025-01-15' : '2025-01-08') : dateBetween(rng, '2025-02-01', '2025-11-30'), lead_seat_id: s.id, review_status: 'confirmed' },
        NO_AUDIT,
      );
      summary.suggestions++;
      for (const c of rng.sample(peers, rng.weighted([[0, 30], [1, 25], [2, 25], [3, 12], [4, 8]] as const))) {
        ctx.repo.insert('suggestion_cosigners', { suggestion_id: id, seat_id: c.id }, NO_AUDIT);
      }
    }
  }
  // A few adjustments, each with its reason and approver.
  for (const s of seats) {
    if (rng.chance(0.015)) {
      ctx.repo.insert('score_adjustments', { seat_id: s.id, date: dateBetween(rng, '2025-06-01', '2025-12-20'), points_x100: 200, reason: '代表建议被评为优秀建议', approved_by: '代表工委主任', review_status: 'confirmed' }, NO_AUDIT);
      summary.adjustments++;
    } else if (rng.chance(0.01)) {
      ctx.repo.insert('score_adjustments', { seat_id: s.id, date: dateBetween(rng, '2025-06-01', '2025-12-20'), points_x100: -100, reason: '未按时报送履职登记材料', approved_by: '代表工委主任', review_status: 'confirmed' }, NO_AUDIT);
      summary.adjustments++;
    }
  }
  return summary;
}
