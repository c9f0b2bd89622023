import { describe, expect, it } from 'vitest';
import { checkIdNumber, idCheckChar, maskBankAccount, maskIdNumber, maskPhone } from '../../shared/idcard.js';

/** Builds a valid number from its parts so tests don't carry real people's numbers. */
function makeId(area: string, birth: string, seq: string): string {
  const first17 = area + birth + seq;
  return first17 + idCheckChar(first17);
}

describe('citizen ID numbers (GB 11643)', () => {
  it('accepts a valid number and derives birth date and gender', () => {
    const id = makeId('430281', '19750312', '123');
    const r = checkIdNumber(id);
    expect(r).toEqual({ ok: true, value: id, info: { birthDate: '1975-03-12', gender: '男' } });
    const woman = checkIdNumber(makeId('430281', '19880101', '002'));
    expect(woman.ok && woman.info.gender).toBe('女');
  });

  it('computes the X check character and accepts a lowercase x', () => {
    // Search the sequence space for a number whose check character is X.
    let id = '';
    for (let seq = 100; seq < 999 && !id.endsWith('X'); seq++) id = makeId('430281', '19800101', String(seq));
    expect(id.endsWith('X')).toBe(true);
    const r = checkIdNumber(id.toLowerCase());
    expect(r.ok && r.value).toBe(id);
  });

  it('rejects a wrong check digit, a bad date, a 15-digit number and garbage with Chinese messages', () => {
    const good = makeId('430281', '19750312', '123');
    const wrongCheck = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    expect(checkIdNumber(wrongCheck)).toMatchObject({ ok: false, message: expect.stringContaining('校验位') });
    expect(checkIdNumber(makeId('430281', '19750230', '123'))).toMatchObject({ ok: false, message: expect.stringContaining('出生日期') });
    expect(checkIdNumber('430281750312123')).toMatchObject({ ok: false, message: expect.stringContaining('15位') });
    expect(checkIdNumber('4.30281E+17')).toMatchObject({ ok: false, message: expect.stringContaining('18位') });
    const future = makeId('430281', '20990101', '123');
    expect(checkIdNumber(future, new Date('2026-01-01'))).toEqual({ ok: false, message: expect.stringContaining('晚于今天') });
  });

  it('masks personal data', () => {
    expect(maskIdNumber('43028119750312123X')).toBe('430281********123X');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskBankAccount('6217001234567890123')).toBe('6217 **** **** 0123');
    expect(maskIdNumber(null)).toBe('');
  });
});
