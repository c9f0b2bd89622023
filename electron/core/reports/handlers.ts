import type { DomainHandlers } from '../handlers.js';
import { compositionReport, compositionWorkbookOutput } from './composition.js';
import { rosterSheet, rosterWorkbookOutput } from './roster.js';

export const reportsHandlers: DomainHandlers<'reports'> = {
  'reports.rosterWorkbook': (input, ctx) => rosterWorkbookOutput(ctx, input),
  'reports.rosterSheet': (input, ctx) => rosterSheet(ctx, input),
  'reports.composition': (input, ctx) => compositionReport(ctx, input),
  'reports.compositionWorkbook': (input, ctx) => compositionWorkbookOutput(ctx, input),
};
