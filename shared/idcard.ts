/**
 * Citizen ID numbers (公民身份号码, GB 11643-1999): 6-digit area code,
 * 8-digit birth date, 3-digit sequence (odd = male) and an ISO 7064 MOD 11-2
 * check character. Pure, so the renderer and the core agree.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export function normaliseIdNumber(raw: string): string {
  return raw.replace(/[\s\u3000]/g, '').toUpperCase();
}

export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export interface IdInfo {
  birthDate: string; // YYYY-MM-DD
  gender: '男' | '女';
}

export type IdCheck = { ok: true; value: string; info: IdInfo } | { ok: false; message: string };

/** Validates an 18-character ID number; the message is Chinese and says what is wrong. */
export function checkIdNumber(raw: string, today: Date = new Date()): IdCheck {
  const value = normaliseIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(value)) {
    if (/^\d{15}$/.test(value)) return { ok: false, message: '这是15位旧身份证号码，请改填18位公民身份号码' };
    return { ok: false, message: `公民身份号码应为18位（17位数字加1位数字或X），现为${value.length}位` };
  }
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return { ok: false, message: `公民身份号码中的出生日期 ${value.slice(6, 14)} 不是有效日期，请核对是否抄错` };
  }
  if (date.getTime() > today.getTime()) {
    return { ok: false, message: `公民身份号码中的出生日期 ${value.slice(6, 14)} 晚于今天，请核对是否抄错` };
  }
  const expected = idCheckChar(value.slice(0, 17));
  if (value[17] !== expected) {
    return { ok: false, message: '公民身份号码校验位不正确，请核对是否抄错' };
  }
  return {
    ok: true,
    value,
    info: {
      birthDate: `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`,
      gender: Number(value[16]) % 2 === 1 ? '男' : '女',
    },
  };
}

/** 430281********123X: area code and the last four stay visible. */
export function maskIdNumber(value: string | null | undefined): string {
  if (!value) return '';
  if (value.length < 10) return '*'.repeat(value.length);
  return value.slice(0, 6) + '*'.repeat(value.length - 10) + value.slice(-4);
}

export function maskPhone(value: string | null | undefined): string {
  if (!value) return '';
  const digits = value.replace(/\s/g, '');
  if (digits.length < 7) return digits;
  return digits.slice(0, 3) + '****' + digits.slice(-4);
}

export function maskBankAccount(value: string | null | undefined): string {
  if (!value) return '';
  const digits = value.replace(/\s/g, '');
  if (digits.length <= 8) return '*'.repeat(Math.max(0, digits.length - 4)) + digits.slice(-4);
  return digits.slice(0, 4) + ' **** **** ' + digits.slice(-4);
}
