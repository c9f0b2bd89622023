import type { z } from 'zod';
import type { policyInput } from '../../../shared/contract/subsidies.js';
import {
  DEFAULT_POLICY,
  DUAL_SEAT_RULE_LABELS,
  MONTH_RULE_LABELS,
  type DualSeatRule,
  type MonthRule,
  type SubsidyPolicy,
} from '../../../shared/subsidies/index.js';
import type { CoreContext } from '../context.js';

interface PolicyDbRow {
  id: string;
  dual_seat_rule: DualSeatRule;
  month_rule: MonthRule;
  cutoff_day: number;
  pay_suspended: number;
  prorate_yearly: number;
}

function policyRow(ctx: CoreContext): PolicyDbRow | undefined {
  return ctx.db
    .prepare('SELECT * FROM subsidy_policy WHERE deleted_at IS NULL ORDER BY created_at, id LIMIT 1')
    .get() as PolicyDbRow | undefined;
}

/** The office's rules; the domain brief's defaults until it sets its own. */
export function readPolicy(ctx: CoreContext): SubsidyPolicy {
  const row = policyRow(ctx);
  if (!row) return { ...DEFAULT_POLICY };
  return {
    dualSeatRule: row.dual_seat_rule,
    monthRule: row.month_rule,
    cutoffDay: row.cutoff_day,
    paySuspended: row.pay_suspended === 1,
    prorateYearly: row.prorate_yearly === 1,
  };
}

export function describePolicy(p: SubsidyPolicy): string {
  return [
    DUAL_SEAT_RULE_LABELS[p.dualSeatRule],
    p.monthRule === 'cutoff' ? `以每月${p.cutoffDay}日为界计月` : MONTH_RULE_LABELS[p.monthRule],
    p.paySuspended ? '暂停执行职务期间照发' : '暂停执行职务期间不发',
    p.prorateYearly ? '年度补贴按在任月数折算' : '年度补贴在任即全额',
  ].join('；');
}

export function setPolicy(ctx: CoreContext, input: z.output<typeof policyInput>): SubsidyPolicy {
  const columns = {
    dual_seat_rule: input.dualSeatRule,
    month_rule: input.monthRule,
    cutoff_day: input.cutoffDay,
    pay_suspended: input.paySuspended,
    prorate_yearly: input.prorateYearly,
  };
  const summary = `修改补贴发放规则：${describePolicy(input)}`;
  ctx.repo.transaction(() => {
    const row = policyRow(ctx);
    if (row) ctx.repo.update('subsidy_policy', row.id, columns, { summary });
    else ctx.repo.insert('subsidy_policy', columns, { summary });
  });
  return readPolicy(ctx);
}
