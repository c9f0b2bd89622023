import type { DomainHandlers } from '../handlers.js';
import { fundsReportOutput } from './report.js';
import {
  activityOptions,
  createEntry,
  createFund,
  fundChoices,
  listEntries,
  listFunds,
  removeEntry,
  removeFund,
  stationBalances,
  updateEntry,
  updateFund,
} from './service.js';

export const fundsHandlers: DomainHandlers<'funds'> = {
  'funds.list': (input, ctx) => listFunds(ctx, input.year),
  'funds.choices': (_input, ctx) => fundChoices(ctx),
  'funds.create': (input, ctx) => {
    ctx.requireOffice();
    return createFund(ctx, input);
  },
  'funds.update': (input, ctx) => updateFund(ctx, input.id, input),
  'funds.remove': (input, ctx) => removeFund(ctx, input.id),
  'funds.entries': (input, ctx) => listEntries(ctx, input),
  'funds.entryCreate': (input, ctx) => createEntry(ctx, input),
  'funds.entryUpdate': (input, ctx) => updateEntry(ctx, input.id, input),
  'funds.entryRemove': (input, ctx) => removeEntry(ctx, input.id),
  'funds.activities': (input, ctx) => activityOptions(ctx, input.year, input.q),
  'funds.stations': (input, ctx) => stationBalances(ctx, input.year),
  'funds.reportWorkbook': (input, ctx) => fundsReportOutput(ctx, input.year),
};
