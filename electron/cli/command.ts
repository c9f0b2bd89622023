import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { InputOf, MethodName, OutputOf } from '../../shared/contract/index.js';
import { AppError, type ErrorBody, type Result } from '../../shared/errors.js';
import type { Dispatch } from '../core/dispatcher.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** A CLI verb: its usage line, its options, and what it does. Returns the exit code. */
export interface Command {
  usage: string;
  summary: string;
  options: Options;
  /** How many positional arguments it takes. */
  positionals?: { min: number; max: number };
  run(args: ParsedArgs): Promise<number>;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  json: boolean;
}

export class UsageError extends Error {}

export function parse(command: Command, argv: string[]): ParsedArgs {
  const options: Options = { json: { type: 'boolean' }, ...command.options };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`参数有误：${(err as Error).message}\n用法：${command.usage}`);
  }
  const { min, max } = command.positionals ?? { min: 0, max: 0 };
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    throw new UsageError(`参数个数不对。\n用法：${command.usage}`);
  }
  return { values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals, json: Boolean(parsed.values.json) };
}

export function requireString(args: ParsedArgs, name: string, label: string): string {
  const v = args.values[name];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`缺少 --${name}（${label}）`);
  return v;
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Failures: a Chinese message on stderr; with --json also `{"error": …}` on stdout. Exit 1. */
export function fail(error: ErrorBody, json: boolean): number {
  if (json) printJson({ error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } });
  process.stderr.write(`错误：${error.message}\n`);
  return 1;
}

/** Unwraps a dispatcher result or throws its error for the CLI's top level to report. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new AppError(result.error.code, result.error.message, result.error.details);
  return result.data;
}

/** Calls a contract method through the dispatcher, typed, throwing its error. */
export async function callMethod<M extends MethodName>(dispatch: Dispatch, method: M, input: InputOf<M>): Promise<OutputOf<M>> {
  return unwrap(await dispatch(method, input)) as OutputOf<M>;
}
