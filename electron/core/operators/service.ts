import { randomUUID } from 'node:crypto';
import type { OperatorRow, SessionStatus } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { CoreContext } from '../context.js';
import { nowIso } from '../db/repository.js';
import { hashPassword, verifyPassword } from './password.js';

/**
 * Operators are local to this PC (never synced: a password hash must not
 * travel), so they are written here directly — each write with its audit
 * entry in the same transaction, never with the hash in it.
 */
interface OperatorDbRow {
  id: string;
  name: string;
  password_hash: string | null;
  note: string | null;
  created_at: string;
}

function toRow(r: OperatorDbRow): OperatorRow {
  return { id: r.id, name: r.name, hasPassword: r.password_hash !== null, note: r.note, createdAt: r.created_at };
}

function find(ctx: CoreContext, id: string): OperatorDbRow {
  const row = ctx.db.prepare('SELECT * FROM operators WHERE id = ? AND deleted_at IS NULL').get(id) as OperatorDbRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', '该操作员不存在或已被删除。');
  return row;
}

function assertNameFree(ctx: CoreContext, name: string, exceptId?: string): void {
  const clash = ctx.db
    .prepare('SELECT id FROM operators WHERE name = ? AND deleted_at IS NULL AND id IS NOT ?')
    .get(name, exceptId ?? null);
  if (clash) throw new AppError('CONFLICT', `已有名为“${name}”的操作员，请换一个名字（同名可加部门或编号区分）。`);
}

export function listOperators(ctx: CoreContext): OperatorRow[] {
  return (ctx.db.prepare('SELECT * FROM operators WHERE deleted_at IS NULL ORDER BY created_at, name').all() as OperatorDbRow[]).map(toRow);
}

export function createOperator(ctx: CoreContext, input: { name: string; password?: string; note?: string | null }): OperatorRow {
  return ctx.repo.transaction(() => {
    assertNameFree(ctx, input.name);
    const at = nowIso();
    const id = randomUUID();
    ctx.db
      .prepare('INSERT INTO operators (id, name, password_hash, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, input.name, input.password ? hashPassword(input.password) : null, input.note ?? null, at, at);
    ctx.repo.audit({
      action: 'create',
      entity: 'operators',
      entityId: id,
      summary: `新增操作员：${input.name}${input.password ? '（设有密码）' : ''}`,
      after: { name: input.name, note: input.note ?? null, has_password: input.password ? 1 : 0 },
    });
    return toRow(find(ctx, id));
  });
}

export function updateOperator(
  ctx: CoreContext,
  input: { id: string; name: string; password?: string | null; note?: string | null },
): OperatorRow {
  return ctx.repo.transaction(() => {
    const before = find(ctx, input.id);
    assertNameFree(ctx, input.name, input.id);
    const hash = input.password === undefined ? before.password_hash : input.password === null ? null : hashPassword(input.password);
    const note = input.note === undefined ? before.note : input.note;
    ctx.db
      .prepare('UPDATE operators SET name = ?, password_hash = ?, note = ?, updated_at = ? WHERE id = ?')
      .run(input.name, hash, note, nowIso(), input.id);
    const b: Record<string, unknown> = {};
    const a: Record<string, unknown> = {};
    if (before.name !== input.name) [b.name, a.name] = [before.name, input.name];
    if (before.note !== note) [b.note, a.note] = [before.note, note];
    if (input.password !== undefined) [b.has_password, a.has_password] = [before.password_hash ? 1 : 0, hash ? 1 : 0];
    ctx.repo.audit({
      action: 'update',
      entity: 'operators',
      entityId: input.id,
      summary:
        `修改操作员：${input.name}` +
        (input.password === undefined ? '' : input.password === null ? '（取消密码）' : '（更改密码）'),
      before: b,
      after: a,
    });
    // Renamed while working: the log goes on with the new name.
    if (ctx.operator === before.name && sessionOf(ctx).loggedIn) ctx.operator = input.name;
    return toRow(find(ctx, input.id));
  });
}

export function removeOperator(ctx: CoreContext, id: string): { id: string } {
  return ctx.repo.transaction(() => {
    const before = find(ctx, id);
    const at = nowIso();
    ctx.db.prepare('UPDATE operators SET deleted_at = ?, updated_at = ? WHERE id = ?').run(at, at, id);
    ctx.repo.audit({ action: 'delete', entity: 'operators', entityId: id, summary: `删除操作员：${before.name}`, before: { name: before.name } });
    return { id };
  });
}

/** Who is working, per context: one door, one person at a time. */
interface Session {
  loggedIn: boolean;
  /** The name before anyone chose theirs (the PC's user name), restored on logout. */
  fallback: string;
}
const sessions = new WeakMap<CoreContext, Session>();

function sessionOf(ctx: CoreContext): Session {
  let s = sessions.get(ctx);
  if (!s) {
    s = { loggedIn: false, fallback: ctx.operator };
    sessions.set(ctx, s);
  }
  return s;
}

export function sessionStatus(ctx: CoreContext): SessionStatus {
  const session = sessionOf(ctx);
  let operators: { name: string; hasPassword: boolean }[] = [];
  try {
    operators = listOperators(ctx).map((o) => ({ name: o.name, hasPassword: o.hasPassword }));
  } catch {
    // a damaged or very old database: nobody to choose, the default name works
  }
  return { operator: ctx.operator, loggedIn: session.loggedIn, required: operators.length > 0, operators };
}

export function login(ctx: CoreContext, name: string, password?: string): SessionStatus {
  const row = ctx.db.prepare('SELECT * FROM operators WHERE name = ? AND deleted_at IS NULL').get(name) as OperatorDbRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', `没有名为“${name}”的操作员，请从列表中选择。`);
  if (row.password_hash && !(password && verifyPassword(password, row.password_hash))) {
    throw new AppError('UNAUTHORIZED', password ? '密码不正确，请重新输入。' : `操作员“${name}”设有密码，请输入密码。`);
  }
  const session = sessionOf(ctx);
  ctx.operator = row.name;
  session.loggedIn = true;
  if (!ctx.damage) ctx.repo.audit({ action: 'login', entity: 'operators', entityId: row.id, summary: `${row.name} 开始工作` });
  return sessionStatus(ctx);
}

export function logout(ctx: CoreContext): SessionStatus {
  const session = sessionOf(ctx);
  if (session.loggedIn && !ctx.damage) ctx.repo.audit({ action: 'logout', entity: 'operators', summary: `${ctx.operator} 退出` });
  ctx.operator = session.fallback;
  session.loggedIn = false;
  return sessionStatus(ctx);
}
