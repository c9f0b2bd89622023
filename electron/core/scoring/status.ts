import type { RuleSetSummary } from '../../../shared/contract/scoring.js';
import { AppError } from '../../../shared/errors.js';
import { RULE_SET_STATUS_LABELS, type RuleSetStatus } from '../../../shared/scoring/index.js';
import type { CoreContext } from '../context.js';
import { nowIso } from '../db/repository.js';
import { computeLive } from './compute.js';
import { activeRuleSets, periodOrThrow, ruleSetRow, ruleSetSpec, toSummary } from './ruleSets.js';

/**
 * draft → in force → closed. Closing seals the period: the counted records of
 * every seat are stored with the rule set (which can no longer change), so
 * later edits of rules or records leave the period's scores alone.
 */
export function setRuleSetStatus(ctx: CoreContext, id: string, status: RuleSetStatus): RuleSetSummary {
  return ctx.repo.transaction(() => {
    const row = ruleSetRow(ctx, id);
    if (row.status === status) return toSummary(row);
    if (row.status === 'closed') {
      throw new AppError('CONFLICT', `“${row.name}”已结束，积分已封存，不能再改为${RULE_SET_STATUS_LABELS[status]}。`);
    }
    if (status === 'closed' && row.status !== 'in_force') {
      throw new AppError('CONFLICT', '草稿规则不能直接结束，请先设为“执行中”。');
    }
    if (status === 'in_force' && (row.item_count ?? 0) === 0) {
      throw new AppError('VALIDATION', '规则中还没有积分项目，请先添加项目再执行。');
    }
    const label = periodOrThrow(row.period).label;
    if (status === 'closed') {
      const spec = ruleSetSpec(ctx, row);
      const period = periodOrThrow(row.period);
      // An all-levels rule set does not seal levels that have a rule set of their own.
      const ownLevels = new Set(activeRuleSets(ctx, row.period).filter((r) => r.id !== row.id && r.level !== null).map((r) => r.level));
      const scored = computeLive(ctx, period, [row], new Map([[row.id, spec]])).filter((s) => !ownLevels.has(s.level));
      // Seats already sealed by another closed rule set of the period keep theirs.
      const sealed = new Set(
        ctx.db
          .prepare(
            `SELECT z.seat_id FROM score_snapshots z JOIN rule_sets r ON r.id = z.rule_set_id
              WHERE r.period = ? AND r.deleted_at IS NULL AND z.deleted_at IS NULL`,
          )
          .pluck()
          .all(row.period) as string[],
      );
      // Many rows per statement (a province seals 140,000 seats): same rows and change log as one insert() each.
      const snapshots = scored
        .filter((s) => !sealed.has(s.seatId))
        .map((s) => ({
          rule_set_id: row.id,
          seat_id: s.seatId,
          level: s.level,
          township: s.township,
          group_id: s.groupId,
          total_x100: s.result.total,
          grade: s.result.grade,
          counts_json: JSON.stringify(s.counts),
        }));
      ctx.repo.insertMany('score_snapshots', snapshots, { audit: false });
      const n = snapshots.length;
      ctx.repo.update('rule_sets', row.id, { status, closed_at: nowIso() }, {
        summary: `结束积分规则“${row.name}”：${label}积分封存，共 ${n} 名代表`,
      });
    } else {
      ctx.repo.update('rule_sets', row.id, { status }, {
        summary: `积分规则“${row.name}”（${label}）改为${RULE_SET_STATUS_LABELS[status]}`,
      });
    }
    return toSummary(ruleSetRow(ctx, id));
  });
}
