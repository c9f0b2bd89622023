import type { DomainHandlers } from '../handlers.js';
import { appInfo, setupOffice } from './service.js';

export const officeHandlers: DomainHandlers<'office' | 'app'> = {
  'office.get': (_input, ctx) => ctx.office(),
  'office.setup': (input, ctx) => setupOffice(ctx, input),
  'app.info': (_input, ctx) => appInfo(ctx),
};
