import type { DomainHandlers } from '../handlers.js';
import { createOperator, listOperators, login, logout, removeOperator, sessionStatus, updateOperator } from './service.js';

export const operatorsHandlers: DomainHandlers<'operators' | 'session'> = {
  'operators.list': (_input, ctx) => listOperators(ctx),
  'operators.create': (input, ctx) => createOperator(ctx, input),
  'operators.update': (input, ctx) => updateOperator(ctx, input),
  'operators.remove': (input, ctx) => removeOperator(ctx, input.id),
  'session.status': (_input, ctx) => sessionStatus(ctx),
  'session.login': (input, ctx) => login(ctx, input.name, input.password),
  'session.logout': (_input, ctx) => logout(ctx),
};
