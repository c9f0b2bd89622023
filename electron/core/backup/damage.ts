import type { MethodName } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { CoreContext } from '../context.js';

/** What still works when the database could not be read at all: looking at backups and restoring one. */
const WHEN_UNREADABLE = new Set<string>([
  'app.info',
  'office.get',
  'backup.status',
  'backup.list',
  'backup.preview',
  'backup.restore',
  'backup.upload',
  'backup.check',
  'session.status',
]);

/**
 * The dispatcher asks this before and after a handler runs. A damaged
 * database is open read-only (or, when unreadable, not at all): refuse what
 * cannot work, and say why in words that lead to the restore button instead
 * of SQLite's “attempt to write a readonly database”.
 */
export function explainForDamage(ctx: CoreContext, method: MethodName, err?: unknown): AppError | null {
  const damage = ctx.damage;
  if (!damage) return null;
  const advice = '请到“备份与恢复”恢复最近的完好备份。';
  if (err === undefined) {
    if (damage.readable || WHEN_UNREADABLE.has(method)) return null;
    return new AppError('DB_CORRUPT', `${damage.message}${advice}`);
  }
  const code = err instanceof AppError ? err.code : ((err as { code?: string }).code ?? '');
  if (code === 'READ_ONLY' || code.startsWith('SQLITE_READONLY')) {
    return new AppError('DB_CORRUPT', `数据库文件已损坏，为保护数据现以只读方式打开：可以查看，但不能修改。${advice}`);
  }
  return null;
}
