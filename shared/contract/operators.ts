import { z } from 'zod';
import { method, noInput } from './define.js';

/**
 * Operators (操作员): who is working at this PC. The app asks at start when
 * the office has set any up; the audit log records that name.
 */
export interface OperatorRow {
  id: string;
  name: string;
  hasPassword: boolean;
  note: string | null;
  createdAt: string;
}

export interface SessionStatus {
  /** The name the audit log records now. */
  operator: string;
  /** Someone chose their name (at start or by switching). */
  loggedIn: boolean;
  /** The office has operators: the app asks who is working before anything else. */
  required: boolean;
  /** For the login list: names only. */
  operators: { name: string; hasPassword: boolean }[];
}

const operatorName = z
  .string()
  .transform((s) => s.replace(/[\s\u3000]/g, ''))
  .pipe(z.string().min(1, '请填写操作员姓名').max(20, '姓名不超过20个字'));
const password = z.string().min(4, '密码至少4个字符').max(100, '密码不超过100个字符');
const note = z.string().trim().max(100, '备注不超过100个字').nullable().optional();
const operatorId = z.string().uuid('操作员编号无效');

export const operatorsContract = {
  'operators.list': method(noInput, '操作员列表').returns<OperatorRow[]>(),
  'operators.create': method(
    z.object({ name: operatorName, password: password.optional(), note }),
    '新增操作员（密码可不设）',
  ).returns<OperatorRow>(),
  'operators.update': method(
    z.object({
      id: operatorId,
      name: operatorName,
      /** Left out: unchanged; null: no password any more. */
      password: password.nullable().optional(),
      note,
    }),
    '修改操作员（姓名、密码）',
  ).returns<OperatorRow>(),
  'operators.remove': method(z.object({ id: operatorId }), '删除操作员').returns<{ id: string }>(),
  'session.status': method(noInput, '当前操作员').returns<SessionStatus>(),
  'session.login': method(
    z.object({ name: z.string().trim().min(1, '请选择操作员'), password: z.string().max(100).optional() }),
    '选择操作员（开始工作）',
  ).returns<SessionStatus>(),
  'session.logout': method(noInput, '退出当前操作员').returns<SessionStatus>(),
};
