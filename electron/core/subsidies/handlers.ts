import { backupBefore } from '../backup/service.js';
import type { DomainHandlers } from '../handlers.js';
import { assertDraft, getBatch, issueBatch, listBatches, liveBatch, removeBatch, setLineNote } from './batches.js';
import { readPolicy, setPolicy } from './policy.js';
import { runBatch } from './run.js';
import { bankWorkbookOutput, signSheet, signWorkbookOutput } from './sheet.js';
import { addRate, createStandard, listStandards, removeRate, removeStandard, updateStandard } from './standards.js';

export const subsidiesHandlers: DomainHandlers<'subsidies'> = {
  'subsidies.policy': (_input, ctx) => readPolicy(ctx),
  'subsidies.policySet': (input, ctx) => {
    ctx.requireOffice();
    return setPolicy(ctx, input);
  },
  'subsidies.standards': (_input, ctx) => listStandards(ctx),
  'subsidies.standardCreate': (input, ctx) => {
    ctx.requireOffice();
    return createStandard(ctx, input);
  },
  'subsidies.standardUpdate': (input, ctx) => updateStandard(ctx, input.id, input),
  'subsidies.standardRemove': (input, ctx) => removeStandard(ctx, input.id),
  'subsidies.rateAdd': (input, ctx) => addRate(ctx, input),
  'subsidies.rateRemove': (input, ctx) => removeRate(ctx, input.rateId),
  'subsidies.run': (input, ctx) => runBatch(ctx, input),
  'subsidies.batches': (_input, ctx) => listBatches(ctx),
  'subsidies.batch': (input, ctx) => getBatch(ctx, input.batchId),
  'subsidies.lineNote': (input, ctx) => setLineNote(ctx, input.lineId, input.note ?? null),
  'subsidies.issue': (input, ctx) => {
    // Issuing cannot be undone: refuse what would be refused anyway, then back up, then issue.
    const batch = liveBatch(ctx, input.batchId);
    assertDraft(batch, '再次发放');
    backupBefore(ctx, 'batch-issue', `补贴发放批次确认发放：${batch.title}`);
    return issueBatch(ctx, input.batchId);
  },
  'subsidies.removeBatch': (input, ctx) => removeBatch(ctx, input.batchId),
  'subsidies.sheet': (input, ctx) => signSheet(ctx, input.batchId, input.township),
  'subsidies.sheetWorkbook': (input, ctx) => signWorkbookOutput(ctx, input.batchId, input.township),
  'subsidies.bankWorkbook': (input, ctx) => bankWorkbookOutput(ctx, input.batchId),
};
