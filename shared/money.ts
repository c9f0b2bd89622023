/**
 * Money is integer fen everywhere; yuan with two decimals only at the edges
 * (screens, Excel cells, printed sheets).
 */

export function fenToYuanString(fen: number): string {
  assertFen(fen);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  return `${sign}${yuan.toLocaleString('en-US')}.${String(cents).padStart(2, '0')}`;
}

/** For Excel cells: a number of yuan (cell formatted `#,##0.00`). */
export function fenToYuanNumber(fen: number): number {
  assertFen(fen);
  return fen / 100;
}

/**
 * Parses what a clerk types: "1200", "1,200.5", "1200.50元", "￥300". Returns
 * null when it is not an amount with at most two decimals.
 */
export function parseYuanToFen(text: string | number): number | null {
  if (typeof text === 'number') {
    if (!Number.isFinite(text)) return null;
    const fen = Math.round(text * 100);
    return Math.abs(fen - text * 100) < 1e-6 ? fen : null;
  }
  const cleaned = text.replace(/[\s,，￥¥元]/g, '');
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!m) return null;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(fen)) return null;
  return m[1] ? -fen : fen;
}

function assertFen(fen: number): void {
  if (!Number.isSafeInteger(fen)) throw new Error(`amount in fen must be an integer, got ${fen}`);
}

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const SMALL_UNITS = ['', '拾', '佰', '仟'];
const BIG_UNITS = ['', '万', '亿', '万亿'];

/** 0–9999 in capitals, with 零 for inner zeros (1005 → 壹仟零伍). */
function fourDigits(n: number): string {
  let out = '';
  let pendingZero = false;
  for (let pos = 3; pos >= 0; pos--) {
    const d = Math.floor(n / 10 ** pos) % 10;
    if (d === 0) {
      if (out) pendingZero = true;
      continue;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    out += DIGITS[d]! + SMALL_UNITS[pos]!;
  }
  return out;
}

/** The integer yuan part in capitals: 10005 → 壹万零伍. */
function yuanCapitals(yuan: number): string {
  if (yuan === 0) return '零';
  const groups: number[] = [];
  for (let rest = yuan; rest > 0; rest = Math.floor(rest / 10000)) groups.push(rest % 10000);
  let out = '';
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i]!;
    if (g === 0) {
      // A zero group still needs one 零 before a later non-zero group.
      if (out && !out.endsWith('零') && groups.slice(0, i).some((x) => x > 0)) out += '零';
      continue;
    }
    if (out && g < 1000 && !out.endsWith('零')) out += '零';
    out += fourDigits(g) + BIG_UNITS[i]!;
  }
  return out;
}

/**
 * The amount in capital Chinese numerals as written on 签领表 and vouchers:
 * 120000 fen → 壹仟贰佰元整; 1000507 fen → 壹万零伍元零柒分; 1050 → 壹拾元伍角.
 */
export function fenToCapitals(fen: number): string {
  assertFen(fen);
  if (fen < 0) return '负' + fenToCapitals(-fen);
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cents = fen % 10;
  if (fen === 0) return '零元整';
  let out = yuan > 0 ? yuanCapitals(yuan) + '元' : '';
  if (jiao === 0 && cents === 0) return out + '整';
  if (jiao > 0) out += DIGITS[jiao]! + '角';
  else if (yuan > 0) out += '零';
  if (cents > 0) out += DIGITS[cents]! + '分';
  return out;
}
