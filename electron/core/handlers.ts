import type { MethodName, OutputOf, ParsedInputOf } from '../../shared/contract/index.js';
import type { CoreContext } from './context.js';
import { officeHandlers } from './office/handlers.js';
import { rosterHandlers } from './roster/handlers.js';

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
};
