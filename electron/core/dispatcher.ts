import type { z } from 'zod';
import { contract, isMethodName, type MethodName, type OutputOf } from '../../shared/contract/index.js';
import { AppError, type Result } from '../../shared/errors.js';
import { describeZodError } from '../../shared/validation.js';
import { explainForDamage } from './backup/damage.js';
import type { CoreContext } from './context.js';
import { translateSqliteError } from './db/connection.js';
import { handlers } from './handlers.js';

export type Dispatch = (method: string, input: unknown) => Promise<Result<unknown>>;

/**
 * The one entry every door calls: validates the input against the contract,
 * runs the handler, and turns every failure into `{ ok: false, error }` with a
 * Chinese message. Doors only translate transport to this and back.
 */
export function createDispatcher(ctx: CoreContext, onInternalError: (err: unknown) => void = logInternal): Dispatch {
  return async (method, rawInput) => {
    if (!isMethodName(method)) {
      return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `未知的操作：${method}` } };
    }
    const spec = contract[method];
    const parsed = (spec.input as z.ZodType).safeParse(rawInput ?? {});
    if (!parsed.success) {
      return { ok: false, error: { code: 'VALIDATION', message: describeZodError(parsed.error) } };
    }
    const refused = explainForDamage(ctx, method);
    if (refused) return { ok: false, error: refused.toBody() };
    try {
      const handler = handlers[method] as (input: unknown, ctx: CoreContext) => unknown;
      const data = (await handler(parsed.data, ctx)) as OutputOf<MethodName>;
      return { ok: true, data };
    } catch (err) {
      const translated = explainForDamage(ctx, method, err) ?? translateSqliteError(err);
      if (translated instanceof AppError) return { ok: false, error: translated.toBody() };
      onInternalError(err);
      return {
        ok: false,
        error: { code: 'INTERNAL', message: `程序内部错误，操作未完成，数据未改动：${(err as Error).message ?? err}` },
      };
    }
  };
}

function logInternal(err: unknown): void {
  console.error('[deputy-desk] internal error', err);
}
