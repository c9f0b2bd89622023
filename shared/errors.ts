/**
 * Errors that cross every door (Electron IPC, serve HTTP, CLI) as
 * `{ ok: false, error: { code, message } }`. The message is Chinese and says
 * what the clerk should do; the code is for programs.
 */
export const ERROR_CODES = [
  'VALIDATION', // input failed its schema or a domain rule
  'NOT_FOUND',
  'CONFLICT', // duplicate, or state forbids the action (e.g. issued batch)
  'NOT_INITIALIZED', // no office identity yet: run the first-run wizard / `init`
  'DB_NEWER', // database written by a newer app version
  'DB_CORRUPT',
  'DISK_FULL',
  'READ_ONLY',
  'UNAUTHORIZED',
  'UNKNOWN_METHOD',
  'INTERNAL',
  // USB handoff packages (数据交换包): each says why a package was refused.
  'PACKAGE_INVALID', // not a package, truncated, damaged
  'PACKAGE_NEWER', // written by a newer app: names the schema version it needs
  'UNKNOWN_SIGNER', // the sending office is not paired, or its key changed
  'BAD_SIGNATURE', // the header was altered after signing
  'WRONG_ADDRESSEE', // meant for another office
  'WRONG_PASSPHRASE',
  'PACKAGE_GAP', // an earlier package is missing: names the range
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Optional structured detail, e.g. per-row import errors. */
  details?: unknown;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorBody).code === 'string' &&
    typeof (value as ErrorBody).message === 'string'
  );
}
