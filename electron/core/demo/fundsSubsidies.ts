import type { FundKind } from '../../../shared/contract/funds.js';
import type { Level } from '../../../shared/dictionaries.js';
import type { CoreContext } from '../context.js';
import type { Row } from '../db/repository.js';
import { seatCounts } from '../funds/service.js';
import { issueBatch } from '../subsidies/batches.js';
import { runBatch } from '../subsidies/run.js';
import { addRate, createStandard } from '../subsidies/standards.js';
import { DEMO_TODAY, addDays, dateBetween } from './calendar.js';
import type { DemoScale } from './geography.js';
import type { Rng } from './random.js';

/**
 * Activity funds with a year of spending, and subsidies paid the way a real
 * office pays them (domain brief, 桂东县): 县级及以上 300 元/月 and 乡镇
 * 200 元/月 for deputies without fixed income, county deputies 1,200 元 a
 * year; quarterly batches for 2025 and 2026Q1 issued, then the township rate
 * raised to 300 元 from January 2026 (decided in spring, so the 2026Q2 draft
 * carries adjusting lines 补发 for Q1). Funds: 2,000 元 per deputy, 10,000 元
 * per liaison station, a training budget and the 微建议 special fund.
 * Deterministic from the seed; written in the generator's transaction.
 */

export interface FundsDemoSummary {
  funds: number;
  fundEntries: number;
  subsidyStandards: number;
  subsidyBatches: number;
}

const NO_AUDIT = { audit: false } as const;
const YEARS = [2025, 2026] as const;
const yuan = (n: number) => n * 100;

interface Station {
  id: string;
  name: string;
  township: string | null;
}
interface Group {
  id: string;
  name: string;
  township: string | null;
}

interface FundRow {
  id: string;
  kind: FundKind;
  budgetFen: number;
  unitFen: number | null;
}

interface PlannedEntry {
  fund: FundRow;
  date: string;
  amountFen: number;
  purpose: string;
  payee: string;
  stationId: string | null;
  groupId: string | null;
  approval: string | null;
}

const STATION_PURPOSES = [
  '选民接待日茶水及资料印制',
  '联络站宣传栏更新',
  '代表进站接待选民误餐补助',
  '联络站办公用品购置',
  '联络站制度牌及代表公示牌制作',
  '联络站电脑打印机维护',
  '“代表接待日”活动横幅及宣传单印制',
  '联络站意见箱及接待登记簿',
  '代表进站履职交通补助',
  '联络站空调维修',
];
const STATION_PAYEES = ['文印店', '办公用品商行', '广告制作部', '电脑维修部', '百货商店'];
const GROUP_PURPOSES = [
  '代表小组开展农村饮水安全专题视察',
  '代表小组开展道路交通安全调研',
  '代表小组开展义务教育“双减”落实情况视察',
  '代表向原选区选民述职活动',
  '代表小组开展人居环境整治专题调研',
  '代表小组开展食品安全执法检查',
  '代表小组活动交通补助',
  '代表小组开展防汛备汛情况视察',
  '代表小组集中学习资料印制',
];
const TRAINING = [
  ['人大代表履职能力提升培训班（第一期）', '县委党校'],
  ['人大代表履职能力提升培训班（第二期）', '县委党校'],
  ['新任代表履职培训教材', '新华书店'],
  ['代表建议撰写专题培训', '县人大常委会代表工委'],
  ['组织代表赴外县学习考察交通费', '客运公司'],
] as const;
const MICRO = [
  '村组道路坑洼修补',
  '路灯维修更换',
  '集镇排水沟清淤',
  '村级文化广场健身器材',
  '学校门口减速带及警示标志',
  '安全饮水管网改造',
  '河道护栏修复',
  '农贸市场遮雨棚',
  '村卫生室便民设施',
  '公交站台维修',
];

function money(rng: Rng, minYuan: number, maxYuan: number, tens = true): number {
  const y = tens ? rng.int(Math.ceil(minYuan / 10), Math.floor(maxYuan / 10)) * 10 : rng.int(minYuan, maxYuan);
  // One invoice in five has cents: 1,286.50
  return yuan(y) + (rng.chance(0.2) ? rng.int(1, 99) : 0);
}

function yearEnd(year: number): string {
  return year === 2026 ? DEMO_TODAY : `${year}-12-31`;
}

/** Entries adding up to about `share` of `budget`, never beyond it. */
function fill(
  rng: Rng,
  year: number,
  budgetFen: number,
  share: number,
  next: (remainingFen: number) => Omit<PlannedEntry, 'date'> | null,
): PlannedEntry[] {
  const out: PlannedEntry[] = [];
  let left = Math.floor(budgetFen * share);
  for (let guard = 0; guard < 400 && left > 0; guard++) {
    const e = next(left);
    if (!e || e.amountFen > left) break;
    left -= e.amountFen;
    out.push({ ...e, date: dateBetween(rng, `${year}-01-06`, addDays(yearEnd(year), -3)) });
  }
  return out;
}

function writeFunds(ctx: CoreContext, rng: Rng, year: number, county: boolean, stations: Station[], groups: Group[]): PlannedEntry[] {
  const counts = seatCounts(ctx);
  const level: Level = county ? 'county' : 'township';
  const perDeputy = 2000;
  const insert = (kind: FundKind, name: string, columns: Row): FundRow => {
    const id = ctx.repo.insert('funds', { year, name, kind, ...columns }, NO_AUDIT);
    return { id, kind, budgetFen: columns.budget_fen as number, unitFen: (columns.unit_amount_fen as number | null) ?? null };
  };
  const deputies = insert('per_deputy', `${county ? '县' : '乡镇'}人大代表活动经费`, {
    deputy_level: level,
    unit_amount_fen: yuan(perDeputy),
    unit_count: counts[level],
    budget_fen: yuan(perDeputy) * counts[level],
    note: `按每名代表每年 ${perDeputy} 元核定`,
  });
  const perStation = stations.length
    ? insert('per_station', '代表联络站活动经费', {
        unit_amount_fen: yuan(10000),
        unit_count: stations.length,
        budget_fen: yuan(10000) * stations.length,
        note: '每个联络站每年 1 万元，专款专用',
      })
    : null;
  const training = insert('training', '代表学习培训经费', { budget_fen: yuan(county ? 340000 : 30000) });
  const micro = insert('special', '“微建议”办理专项经费', {
    budget_fen: yuan(county ? 1250000 : 100000),
    note: '用于闭会期间代表“微建议”办理',
  });

  const part = year === 2026 ? 0.45 : 1;
  const entries: PlannedEntry[] = [];
  for (const st of perStation ? stations : []) {
    const vendor = `${st.township ?? ''}${rng.pick(STATION_PAYEES)}`;
    const list = fill(rng, year, perStation!.unitFen!, (0.55 + rng.float() * 0.4) * part, () => ({
      fund: perStation!,
      amountFen: money(rng, 200, 2200),
      purpose: rng.pick(STATION_PURPOSES),
      payee: rng.chance(0.6) ? vendor : `${st.name}`,
      stationId: st.id,
      groupId: null,
      approval: null,
    }));
    entries.push(...list);
    // A few stations went over their share, with the approval on record.
    if (year === 2025 && rng.chance(0.06)) {
      const spent = list.reduce((s, e) => s + e.amountFen, 0);
      entries.push({
        fund: perStation!,
        date: dateBetween(rng, `${year}-11-01`, `${year}-12-20`),
        amountFen: perStation!.unitFen! - spent + money(rng, 300, 1500),
        purpose: '联络站阵地提质改造',
        payee: `${st.township ?? ''}建筑装饰部`,
        stationId: st.id,
        groupId: null,
        approval: '联络站阵地提质改造超出年度额度，经主任会议研究同意追加',
      });
    }
  }
  entries.push(
    ...fill(rng, year, deputies.budgetFen, (0.7 + rng.float() * 0.2) * part, () => {
      const g = groups.length ? rng.pick(groups) : null;
      return {
        fund: deputies,
        amountFen: money(rng, 600, 6000),
        purpose: rng.pick(GROUP_PURPOSES),
        payee: g ? `${g.name}` : '人大主席团',
        stationId: null,
        groupId: g?.id ?? null,
        approval: null,
      };
    }),
  );
  const trainingShare = (0.75 + rng.float() * 0.2) * part;
  let trainingLeft = Math.floor(training.budgetFen * trainingShare);
  for (const [purpose, payee] of TRAINING) {
    if (trainingLeft <= 0) break;
    const amountFen = Math.min(trainingLeft, Math.round((training.budgetFen * (0.12 + rng.float() * 0.2)) / 100) * 100);
    trainingLeft -= amountFen;
    entries.push({ fund: training, date: dateBetween(rng, `${year}-03-01`, addDays(yearEnd(year), -10)), amountFen, purpose, payee, stationId: null, groupId: null, approval: null });
  }
  entries.push(
    ...fill(rng, year, micro.budgetFen, (0.8 + rng.float() * 0.15) * part, () => {
      const st = stations.length ? rng.pick(stations) : null;
      const what = rng.pick(MICRO);
      return {
        fund: micro,
        amountFen: money(rng, county ? 3000 : 1000, county ? 60000 : 12000, false),
        purpose: `微建议办理：${st?.township ?? ''}${what}`,
        payee: `${st?.township ?? ''}${rng.chance(0.5) ? '人民政府' : '村民委员会'}`,
        stationId: st?.id ?? null,
        groupId: null,
        approval: null,
      };
    }),
  );
  return entries;
}

function writeEntries(ctx: CoreContext, year: number, entries: PlannedEntry[]): void {
  entries.sort((a, b) => a.date.localeCompare(b.date));
  entries.forEach((e, i) => {
    ctx.repo.insert(
      'fund_entries',
      {
        fund_id: e.fund.id,
        date: e.date,
        amount_fen: e.amountFen,
        purpose: e.purpose,
        payee: e.payee,
        voucher_no: `记-${year}-${String(i + 1).padStart(4, '0')}`,
        station_id: e.stationId,
        group_id: e.groupId,
        over_budget: e.approval !== null,
        approval_reason: e.approval,
        approved_by: e.approval ? '主任会议' : null,
      },
      NO_AUDIT,
    );
  });
}

function writeStandards(ctx: CoreContext, county: boolean): { township: string } {
  if (county) {
    createStandard(ctx, {
      name: '县级及以上代表履职补贴',
      kind: 'monthly',
      levels: ['national', 'province', 'city', 'county'],
      condition: 'no_fixed_income',
      amountFen: yuan(300),
      effectiveFrom: '2022-01-01',
      note: '无固定收入的县级及以上人大代表，每人每月 300 元',
    });
    createStandard(ctx, {
      name: '县人大代表年度履职补贴',
      kind: 'yearly',
      levels: ['county'],
      condition: 'no_fixed_income',
      amountFen: yuan(1200),
      effectiveFrom: '2022-01-01',
      note: '县人大代表每人每年 1,200 元，年终结算',
    });
  }
  const township = createStandard(ctx, {
    name: '乡镇代表履职补贴',
    kind: 'monthly',
    levels: ['township'],
    condition: 'no_fixed_income',
    amountFen: yuan(200),
    effectiveFrom: '2022-01-01',
    note: '无固定收入的乡镇人大代表，每人每月 200 元',
  });
  return { township: township.id };
}

export function generateFundsAndSubsidies(ctx: CoreContext, rng: Rng, scale: DemoScale): FundsDemoSummary {
  const county = ctx.requireOffice().officeType === 'county';
  const stations = ctx.db
    .prepare('SELECT id, name, township FROM liaison_stations WHERE deleted_at IS NULL ORDER BY name, id')
    .all() as Station[];
  const groups = ctx.db
    .prepare('SELECT id, name, township FROM deputy_groups WHERE deleted_at IS NULL ORDER BY name, id')
    .all() as Group[];
  let entries = 0;
  for (const year of YEARS) {
    const planned = writeFunds(ctx, rng.fork(`funds-${year}`), year, county, stations, groups);
    writeEntries(ctx, year, planned);
    entries += planned.length;
  }

  const standards = writeStandards(ctx, county);
  let batches = 0;
  // A province of 138,000 seats is for benchmarks: standards and funds, no payout history.
  if (scale !== 'province') {
    for (const period of ['2025Q1', '2025Q2', '2025Q3', '2025Q4', '2026Q1']) {
      const run = runBatch(ctx, { period, dryRun: false });
      if (run.batchId) {
        issueBatch(ctx, run.batchId);
        batches++;
      }
    }
    // 提标: decided after Q1 was paid, effective from January; the Q2 draft pays the difference for Q1.
    addRate(ctx, { standardId: standards.township, effectiveFrom: '2026-01-01', amountFen: yuan(300), note: '县财政提标，自2026年1月起执行' });
    if (runBatch(ctx, { period: '2026Q2', dryRun: false }).batchId) batches++;
  }
  const summary = {
    funds: ctx.db.prepare('SELECT count(*) FROM funds WHERE deleted_at IS NULL').pluck().get() as number,
    fundEntries: entries,
    subsidyStandards: county ? 3 : 1,
    subsidyBatches: batches,
  };
  ctx.repo.audit({
    action: 'demo',
    summary: `生成演示经费与补贴：经费 ${summary.funds} 项，支出 ${summary.fundEntries} 笔，补贴标准 ${summary.subsidyStandards} 项，发放批次 ${summary.subsidyBatches} 个`,
    after: summary,
  });
  return summary;
}
