import type { z } from 'zod';
import { auditContract } from './audit.js';
import { backupContract } from './backup.js';
import type { MethodSpec } from './define.js';
import { fundsContract } from './funds.js';
import { groupsContract, stationsContract } from './groups.js';
import { handoffContract } from './handoff.js';
import { officeContract } from './office.js';
import { operatorsContract } from './operators.js';
import { reportsContract } from './reports.js';
import { rosterContract } from './roster.js';
import { rosterImportContract } from './rosterImport.js';
import { subsidiesContract } from './subsidies.js';
import { scoringContract } from './scoring.js';
import { activitiesContract } from './activities.js';

export * from './audit.js';
export * from './backup.js';
export * from './define.js';
export * from './funds.js';
export * from './groups.js';
export * from './handoff.js';
export * from './office.js';
export * from './operators.js';
export * from './reports.js';
export * from './roster.js';
export * from './rosterImport.js';
export * from './subsidies.js';
export * from './scoring.js';
export * from './activities.js';

/**
 * The single contract: every method any door can call. One object per domain,
 * merged here; add a domain by adding its file and spreading it in.
 */
export const contract = {
  ...officeContract,
  ...rosterContract,
  ...groupsContract,
  ...stationsContract,
  ...rosterImportContract,
  ...reportsContract,
  ...fundsContract,
  ...subsidiesContract,
  ...backupContract,
  ...auditContract,
  ...operatorsContract,
  ...handoffContract,
  ...scoringContract,
  ...activitiesContract,
};

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export const METHOD_NAMES = Object.keys(contract) as MethodName[];

type SpecOf<M extends MethodName> = Contract[M];
/** What a caller sends (defaults may be omitted). */
export type InputOf<M extends MethodName> =
  SpecOf<M> extends MethodSpec<infer I, unknown> ? z.input<I> : never;
/** What a handler receives, after validation and defaults. */
export type ParsedInputOf<M extends MethodName> =
  SpecOf<M> extends MethodSpec<infer I, unknown> ? z.output<I> : never;
export type OutputOf<M extends MethodName> =
  SpecOf<M> extends MethodSpec<z.ZodType, infer O> ? O : never;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}
