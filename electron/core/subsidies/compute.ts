import type { BatchException, LineKind } from '../../../shared/contract/subsidies.js';
import { LEVEL_LABELS, LEVELS, type Level } from '../../../shared/dictionaries.js';
import { fenToYuanString } from '../../../shared/money.js';
import {
  computeDue,
  type Due,
  type Period,
  type SubsidyPolicy,
  type SubsidyStandard,
} from '../../../shared/subsidies/index.js';
import type { FixedIncomeChange, PayeeRecord, PayeeSeat } from './payees.js';

/**
 * Turns the roster, the standards and the policy into the lines and the
 * exceptions of one batch. No database here: the run service loads and writes.
 */

export interface PlannedLine {
  kind: LineKind;
  personId: string;
  name: string;
  level: Level;
  levels: Level[];
  township: string | null;
  groupName: string | null;
  standardText: string;
  months: number;
  amountFen: number;
  adjustsBatchId: string | null;
  adjustsPeriod: string | null;
  bankName: string | null;
  bankAccount: string | null;
  detail: unknown;
  note: string | null;
}

const LEVEL_RANK = new Map(LEVELS.map((l, i) => [l, i]));
const collator = new Intl.Collator('zh-CN');

export function standardLevels(standards: SubsidyStandard[]): Level[] {
  return LEVELS.filter((l) => standards.some((s) => s.levels.includes(l)));
}

/** The seat whose township and group the 签领表 shows: the highest level paid, latest start. */
function placeSeat(p: PayeeRecord, level: Level): PayeeSeat | undefined {
  const atLevel = p.seats.filter((s) => s.level === level);
  return atLevel.sort((a, b) => (b.start ?? '').localeCompare(a.start ?? ''))[0] ?? p.seats[0];
}

function regularLine(p: PayeeRecord, due: Due): PlannedLine {
  const level = due.levels[0] ?? p.seats[0]!.level;
  const seat = placeSeat(p, level);
  return {
    kind: 'regular',
    personId: p.personId,
    name: p.name,
    level,
    levels: due.levels.length ? due.levels : [level],
    township: seat?.township ?? null,
    groupName: seat?.groupName ?? null,
    standardText: due.standardText,
    months: due.months,
    amountFen: due.amountFen,
    adjustsBatchId: null,
    adjustsPeriod: null,
    bankName: p.bankName,
    bankAccount: p.bankAccount,
    detail: { monthly: due.monthly, yearly: due.yearly },
    note: null,
  };
}

/** Everyone's due for a period, for people whose due is not zero. */
export function dueByPerson(
  payees: PayeeRecord[],
  standards: SubsidyStandard[],
  policy: SubsidyPolicy,
  period: Period,
): Map<string, Due> {
  const out = new Map<string, Due>();
  for (const p of payees) {
    const due = computeDue(p, standards, policy, period.months);
    if (due.amountFen !== 0) out.set(p.personId, due);
  }
  return out;
}

export function regularLines(payees: PayeeRecord[], dues: Map<string, Due>): PlannedLine[] {
  return payees.filter((p) => dues.has(p.personId)).map((p) => regularLine(p, dues.get(p.personId)!));
}

/** What an earlier issued batch paid a person: its regular line plus adjustments since. */
export interface PaidForBatch {
  personId: string;
  name: string;
  level: Level;
  township: string | null;
  groupName: string | null;
  amountFen: number;
  months: number;
}

export interface IssuedBatchRef {
  id: string;
  period: Period;
  policy: SubsidyPolicy;
  paid: PaidForBatch[];
}

/**
 * Adjusting lines (补发/扣回): for each earlier issued batch, what is due for
 * its period now (today's roster and standards, that batch's policy) minus
 * what was paid for it. Never an edit of the issued batch.
 */
export function adjustmentLines(
  payees: PayeeRecord[],
  standards: SubsidyStandard[],
  issued: IssuedBatchRef[],
): PlannedLine[] {
  const byId = new Map(payees.map((p) => [p.personId, p]));
  const out: PlannedLine[] = [];
  for (const b of issued) {
    const dues = dueByPerson(payees, standards, b.policy, b.period);
    const paid = new Map(b.paid.map((x) => [x.personId, x]));
    for (const personId of new Set([...dues.keys(), ...paid.keys()])) {
      const due = dues.get(personId);
      const was = paid.get(personId);
      const dueFen = due?.amountFen ?? 0;
      const paidFen = was?.amountFen ?? 0;
      const diff = dueFen - paidFen;
      if (diff === 0) continue;
      const p = byId.get(personId);
      const base = p && due ? regularLine(p, due) : null;
      const level = base?.level ?? was?.level ?? p?.seats[0]?.level ?? 'township';
      const verb = diff > 0 ? '补发' : '扣回';
      out.push({
        kind: 'adjustment',
        personId,
        name: p?.name ?? was!.name,
        level,
        levels: base?.levels ?? [level],
        township: base?.township ?? was?.township ?? null,
        groupName: base?.groupName ?? was?.groupName ?? null,
        standardText: `${verb}${b.period.label}`,
        months: (due?.months ?? 0) - (was?.months ?? 0),
        amountFen: diff,
        adjustsBatchId: b.id,
        adjustsPeriod: b.period.code,
        bankName: p?.bankName ?? null,
        bankAccount: p?.bankAccount ?? null,
        detail: { adjusts: b.period.code, dueFen, paidFen, due: due ? { monthly: due.monthly, yearly: due.yearly } : null },
        note: `应发${fenToYuanString(dueFen)}元，已发${fenToYuanString(paidFen)}元`,
      });
    }
  }
  return out;
}

/** 签领表 order: township, level (higher first), name; a person's adjustments right after their line. */
export function sortLines(lines: PlannedLine[]): PlannedLine[] {
  const firstOf = new Map<string, PlannedLine>();
  for (const l of lines) {
    const current = firstOf.get(l.personId);
    if (!current || (current.kind === 'adjustment' && l.kind === 'regular')) firstOf.set(l.personId, l);
  }
  return [...lines].sort((a, b) => {
    const ka = firstOf.get(a.personId)!;
    const kb = firstOf.get(b.personId)!;
    return (
      (ka.township === null ? 1 : 0) - (kb.township === null ? 1 : 0) ||
      collator.compare(ka.township ?? '', kb.township ?? '') ||
      LEVEL_RANK.get(ka.level)! - LEVEL_RANK.get(kb.level)! ||
      collator.compare(ka.name, kb.name) ||
      a.personId.localeCompare(b.personId) ||
      (a.kind === 'regular' ? 0 : 1) - (b.kind === 'regular' ? 0 : 1) ||
      (a.adjustsPeriod ?? '').localeCompare(b.adjustsPeriod ?? '')
    );
  });
}

const fmtLevel = (s: PayeeSeat) => `${s.term}${LEVEL_LABELS[s.level]}人大代表`;

/** What the clerk should look at before issuing. */
export function findExceptions(
  payees: PayeeRecord[],
  standards: SubsidyStandard[],
  policy: SubsidyPolicy,
  period: Period,
  lines: PlannedLine[],
  incomeChanges: FixedIncomeChange[],
): BatchException[] {
  const out: BatchException[] = [];
  const net = new Map<string, number>();
  for (const l of lines) net.set(l.personId, (net.get(l.personId) ?? 0) + l.amountFen);
  const changes = new Map<string, FixedIncomeChange[]>();
  for (const c of incomeChanges) changes.set(c.personId, [...(changes.get(c.personId) ?? []), c]);

  for (const p of payees) {
    const candidate = standards.some(
      (s) => (s.condition === 'all' || p.hasFixedIncome === false) && p.seats.some((seat) => s.levels.includes(seat.level)),
    );
    const add = (kind: BatchException['kind'], message: string) => out.push({ personId: p.personId, name: p.name, kind, message });
    const personNet = net.get(p.personId) ?? 0;

    if (personNet > 0 && !p.bankAccount) add('missing_bank_account', `本期应发${fenToYuanString(personNet)}元，但名册中没有银行账号，无法列入银行代发清单。请在代表名册中补录开户行及账号后重新生成。`);
    if (personNet < 0) add('negative_net', `调整后本期合计为${fenToYuanString(personNet)}元（应扣回），不列入银行代发清单，请另行收回。`);

    for (const c of changes.get(p.personId) ?? []) {
      const value = c.value === 0 ? '无固定收入' : c.value === 1 ? '有固定收入' : '未填写';
      add(
        'fixed_income_changed',
        `“是否有固定收入”于 ${c.at.slice(0, 10)} 登记变更为“${value}”。本批次按现在的情况计算整个期间，请核实变更自哪个月起生效；多发或少发的月份请在以后的批次中调整。`,
      );
    }
    if (!candidate) continue;

    for (const seat of p.seats) {
      if (seat.endedWithoutDate) {
        add('incomplete_seat', `${fmtLevel(seat)}席位状态为“资格终止”，但没有终止日期，本期未计发该席位。请在名册中补录终止日期后重新生成。`);
      } else if (seat.end && seat.end >= period.start && seat.end <= period.end) {
        add('seat_ended', `${fmtLevel(seat)}资格于 ${seat.end} 终止${seat.endReason ? `（${seat.endReason}）` : ''}，按规则计发至终止当月或之前，请核对月数。`);
      }
      if (seat.suspendedWithoutDate) {
        add(
          'incomplete_seat',
          `${fmtLevel(seat)}席位状态为“暂停执行代表职务”，但没有暂停日期记录，${policy.paySuspended ? '本期照发' : '本期按整期暂停未计发'}。请补录暂停日期。`,
        );
        continue;
      }
      for (const s of seat.suspensions) {
        const until = s.until ? `至 ${s.until} 恢复` : '至今未恢复';
        const overlaps = s.from <= period.end && (s.until === null || s.until > period.start);
        if (overlaps) {
          add(
            'seat_suspended',
            `${fmtLevel(seat)}自 ${s.from} 起暂停执行代表职务（${until}），按规则暂停期间${policy.paySuspended ? '照发' : '不发'}。`,
          );
        }
      }
    }
  }
  return out;
}
