import type { Rng } from './random.js';

/**
 * Dates and term names. The demo is pinned to a fixed "today" instead of the
 * clock so the same seed gives the same data whenever it runs; the terms
 * follow the 2021 county and township general elections and the 2022–23
 * city, provincial and national ones.
 */
export const DEMO_TODAY = '2026-06-30';

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1–99 in Chinese numerals: 9 → 九, 14 → 十四, 21 → 二十一. */
export function chineseNumber(n: number): string {
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return (tens === 1 ? '' : DIGITS[tens]!) + '十' + (ones ? DIGITS[ones]! : '');
}

export function termName(n: number): string {
  return `第${chineseNumber(n)}届`;
}

function toDays(iso: string): number {
  return Math.floor(Date.parse(iso + 'T00:00:00Z') / 86_400_000);
}

function fromDays(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

export function addDays(iso: string, n: number): string {
  return fromDays(toDays(iso) + n);
}

export function addYears(iso: string, n: number): string {
  return `${Number(iso.slice(0, 4)) + n}${iso.slice(4)}`;
}

/** A day in [from, to], both inclusive. */
export function dateBetween(rng: Rng, from: string, to: string): string {
  const a = toDays(from);
  const b = toDays(to);
  return fromDays(b <= a ? a : rng.int(a, b));
}

export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

/** One congress term: the body's term number and the day it was elected. */
export interface Term {
  name: string;
  number: number;
  elected: string;
  /** When the next general election ends it (five years on). */
  ends: string;
}

export function term(number: number, elected: string): Term {
  return { name: termName(number), number, elected, ends: addYears(elected, 5) };
}
