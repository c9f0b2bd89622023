import type { RevealField } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { CoreContext } from '../context.js';

const COLUMNS: Record<RevealField, { column: string; label: string }> = {
  idNumber: { column: 'id_number', label: '公民身份号码' },
  phone: { column: 'phone', label: '联系电话' },
  bankAccount: { column: 'bank_account', label: '银行账号' },
};

/**
 * The full value of one masked field. Looking is a deliberate act and is
 * audited (who, when, whose, which field) — the value itself never enters
 * the audit log.
 */
export function revealField(ctx: CoreContext, personId: string, field: RevealField): { value: string | null } {
  const { column, label } = COLUMNS[field];
  const person = ctx.db
    .prepare(`SELECT name, ${column} AS value FROM persons WHERE id = ? AND deleted_at IS NULL`)
    .get(personId) as { name: string; value: string | null } | undefined;
  if (!person) throw new AppError('NOT_FOUND', '找不到该人员，可能已被删除。请刷新名册后重试。');
  ctx.repo.audit({
    action: 'reveal',
    entity: 'persons',
    entityId: personId,
    summary: `查看${person.name}的完整${label}`,
    after: { field: column },
  });
  return { value: person.value };
}
