import type { DomainHandlers } from '../handlers.js';
import { auditWorkbookOutput } from './excel.js';
import { auditChoices, listAudit } from './service.js';

/** Reading and exporting only: the log cannot be changed from any door (and triggers refuse it in SQL). */
export const auditHandlers: DomainHandlers<'audit'> = {
  'audit.list': (input, ctx) => listAudit(ctx, input),
  'audit.choices': (_input, ctx) => auditChoices(ctx),
  'audit.export': (input, ctx) => auditWorkbookOutput(ctx, input),
};
