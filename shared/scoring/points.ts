/**
 * Points are integers in hundredths of a point everywhere (rules allow 0.5 and
 * 2.5; some 0.25), so totals add up exactly; decimals only at the edges.
 */

/** 650 → "6.5", 600 → "6", -125 → "-1.25". */
export function formatPoints(x100: number): string {
  const sign = x100 < 0 ? '-' : '';
  const abs = Math.abs(Math.round(x100));
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  if (frac === 0) return `${sign}${whole}`;
  return `${sign}${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`;
}

/** With an explicit + for positive numbers: "+2", "-1.5", "0". */
export function formatSignedPoints(x100: number): string {
  return x100 > 0 ? `+${formatPoints(x100)}` : formatPoints(x100);
}

/** For JSON and Excel cells: a plain number of points. */
export function pointsNumber(x100: number): number {
  return Math.round(x100) / 100;
}

/**
 * What a clerk types or a spreadsheet holds: "6", "2.5", "-1", "＋2", "−5", 2.5.
 * Null when it is not a number with at most two decimals.
 */
export function parsePoints(value: string | number): number | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    const x100 = Math.round(value * 100);
    return Math.abs(x100 - value * 100) < 1e-6 ? x100 : null;
  }
  const cleaned = value
    .replace(/[\s分]/g, '')
    .replace(/[−－–—]/g, '-')
    .replace(/[＋+]/g, '')
    .replace(/．/g, '.');
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(cleaned) ?? /^(-?)()\.(\d{1,2})$/.exec(cleaned);
  if (!m) return null;
  const x100 = Number(m[2] || '0') * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(x100)) return null;
  return m[1] ? -x100 : x100;
}
