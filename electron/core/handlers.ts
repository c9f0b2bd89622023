import type { MethodName, OutputOf, ParsedInputOf } from '../../shared/contract/index.js';
import { auditHandlers } from './audit/handlers.js';
import { backupHandlers } from './backup/handlers.js';
import type { CoreContext } from './context.js';
import { fundsHandlers } from './funds/handlers.js';
import { officeHandlers } from './office/handlers.js';
import { operatorsHandlers } from './operators/handlers.js';
import { reportsHandlers } from './reports/handlers.js';
import { groupsHandlers, rosterHandlers, stationsHandlers } from './roster/handlers.js';
import { subsidiesHandlers } from './subsidies/handlers.js';
import { handoffHandlers } from './handoff/handlers.js';
import { scoringHandlers } from './scoring/handlers.js';
import { activitiesHandlers } from './activities/handlers.js';

export type Handler<M extends MethodName> = (
  input: ParsedInputOf<M>,
  ctx: CoreContext,
) => OutputOf<M> | Promise<OutputOf<M>>;

/** Every contract method, exactly once: a missing or mistyped one is a compile error. */
export type Handlers = { [M in MethodName]: Handler<M> };

/** The handlers of one domain: the methods whose names start with `prefix.`. */
export type DomainHandlers<Prefix extends string> = {
  [M in MethodName as M extends `${Prefix}.${string}` ? M : never]: Handler<M>;
};

export const handlers: Handlers = {
  ...officeHandlers,
  ...rosterHandlers,
  ...groupsHandlers,
  ...stationsHandlers,
  ...reportsHandlers,
  ...fundsHandlers,
  ...subsidiesHandlers,
  ...backupHandlers,
  ...auditHandlers,
  ...operatorsHandlers,
  ...handoffHandlers,
  ...scoringHandlers,
  ...activitiesHandlers,
};
