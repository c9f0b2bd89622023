import { RULE_PRESETS } from '../../../shared/scoring/index.js';
import type { DomainHandlers } from '../handlers.js';
import { scoreAlerts } from './alerts.js';
import { dossiers, dossierWorkbook, summaryWorkbook } from './reports.js';
import {
  createRuleSet,
  getRuleSet,
  listRuleSets,
  removeRuleItem,
  removeRuleSet,
  reorderRuleItems,
  saveRuleItem,
  updateRuleSet,
} from './ruleSets.js';
import { exportRules, importRules } from './rulesExcel.js';
import { explainSeat, listScores } from './scores.js';
import { setRuleSetStatus } from './status.js';

export const scoringHandlers: DomainHandlers<'scoring'> = {
  'scoring.presets': () => RULE_PRESETS.map((p) => ({ key: p.key, name: p.name, description: p.description, itemCount: p.rules.items.length })),
  'scoring.ruleSets': (input, ctx) => listRuleSets(ctx, input.period),
  'scoring.ruleSet': (input, ctx) => getRuleSet(ctx, input.id),
  'scoring.ruleSetCreate': (input, ctx) => createRuleSet(ctx, input),
  'scoring.ruleSetUpdate': (input, ctx) => updateRuleSet(ctx, input),
  'scoring.ruleSetStatus': (input, ctx) => setRuleSetStatus(ctx, input.id, input.status),
  'scoring.ruleSetRemove': (input, ctx) => removeRuleSet(ctx, input.id),
  'scoring.ruleItemSave': (input, ctx) => saveRuleItem(ctx, input),
  'scoring.ruleItemRemove': (input, ctx) => removeRuleItem(ctx, input.id),
  'scoring.ruleItemsReorder': (input, ctx) => reorderRuleItems(ctx, input.ruleSetId, input.itemIds),
  'scoring.rulesImport': (input, ctx) => importRules(ctx, input),
  'scoring.rulesExport': (input, ctx) => exportRules(ctx, input),
  'scoring.scores': (input, ctx) => listScores(ctx, input),
  'scoring.explain': (input, ctx) => explainSeat(ctx, input.period, input.seatId),
  'scoring.alerts': (input, ctx) => scoreAlerts(ctx, input.period, input.township),
  'scoring.summaryWorkbook': (input, ctx) => summaryWorkbook(ctx, input),
  'scoring.dossiers': (input, ctx) => dossiers(ctx, input),
  'scoring.dossierWorkbook': (input, ctx) => dossierWorkbook(ctx, input),
};
