import type { z } from 'zod';
import type { MethodSpec } from './define.js';
import { officeContract } from './office.js';
import { rosterContract } from './roster.js';

export * from './define.js';
export * from './office.js';
export * from './roster.js';

/**
 * The single contract: every method any door can call. One object per domain,
 * merged here; add a domain by adding its file and spreading it in.
 */
export const contract = {
  ...officeContract,
  ...rosterContract,
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
