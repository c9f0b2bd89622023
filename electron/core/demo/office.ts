import type { OfficeIdentity } from '../../../shared/contract/index.js';
import type { CoreContext } from '../context.js';
import { setupOffice } from '../office/service.js';
import type { DemoScale } from './geography.js';

/**
 * The office a demo database belongs to, created when missing. Codes use
 * city code 4361, which GB/T 2260 does not assign in Hunan, so the ID numbers
 * built on it cannot be anyone's; the names are invented.
 */
export const DEMO_OFFICES = {
  township: { officeType: 'township', officeCode: '436124101', officeName: '青山镇人大主席团' },
  county: { officeType: 'county', officeCode: '436124', officeName: '枫林县人大常委会' },
} as const;

/** Township scale → a township office; county and province scale → a county office. An existing office is kept as it is. */
export function ensureDemoOffice(ctx: CoreContext, scale: DemoScale): OfficeIdentity {
  const existing = ctx.office();
  if (existing) return existing;
  return setupOffice(ctx, { ...DEMO_OFFICES[scale === 'township' ? 'township' : 'county'] });
}
