import { describe, expect, it } from 'vitest';
import { auditChanges, auditChangesText, auditValueText } from '../../shared/audit.js';

describe('audit log wording', () => {
  it('labels fields in Chinese and masks personal data', () => {
    expect(auditChanges({ phone: '13812345678', id_number: '430281197805121224' }, { phone: '13900001111', id_number: null })).toEqual([
      { field: 'phone', label: '联系电话', before: '138****5678', after: '139****1111' },
      { field: 'id_number', label: '公民身份号码', before: '430281********1224', after: '（空）' },
    ]);
    expect(auditValueText('bank_account', '6221000012345678')).toBe('6221 **** **** 5678');
  });

  it('reads codes, booleans and money as the clerk would', () => {
    expect(auditValueText('level', 'township')).toBe('乡镇');
    expect(auditValueText('status', 'suspended')).toBe('暂停执行职务');
    expect(auditValueText('has_fixed_income', 0)).toBe('否');
    expect(auditValueText('amount_fen', 123456)).toBe('1,234.56 元');
  });

  it('a new record lists only what was filled in; a deletion what it had; stamps never', () => {
    const created = auditChanges(undefined, { id: 'x', name: '李春梅', gender: '女', note: null, created_at: 't', origin_office: 'o' });
    expect(created.map((c) => c.label)).toEqual(['姓名', '性别']);
    expect(auditChangesText(created)).toBe('姓名：李春梅；性别：女');
    const deleted = auditChanges({ name: '王建国', phone: '13812345678', deleted_at: null }, undefined);
    expect(auditChangesText(deleted)).toBe('姓名：王建国；联系电话：138****5678');
  });
});
