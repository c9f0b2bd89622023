import { describe, expect, it } from 'vitest';
import { fenToCapitals, fenToYuanString, parseYuanToFen } from '../../shared/money.js';

describe('capital numerals (大写金额)', () => {
  const cases: [number, string][] = [
    [0, '零元整'],
    [1, '壹分'],
    [10, '壹角'],
    [15, '壹角伍分'],
    [100, '壹元整'],
    [105, '壹元零伍分'],
    [150, '壹元伍角'],
    [1000, '壹拾元整'],
    [20000, '贰佰元整'],
    [30000, '叁佰元整'],
    [120000, '壹仟贰佰元整'],
    [100100, '壹仟零壹元整'],
    [1000507, '壹万零伍元零柒分'],
    [1000000, '壹万元整'],
    [1010000, '壹万零壹佰元整'],
    [1100000, '壹万壹仟元整'],
    [10000000, '壹拾万元整'],
    [34000000, '叁拾肆万元整'],
    [125000000, '壹佰贰拾伍万元整'],
    [100000100, '壹佰万零壹元整'],
    [10000000000, '壹亿元整'],
    [10000010000, '壹亿零壹佰元整'],
    [10001000000, '壹亿零壹万元整'],
    [123456789, '壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分'],
    [360000, '叁仟陆佰元整'],
    [-120000, '负壹仟贰佰元整'],
  ];
  it.each(cases)('%i fen → %s', (fen, text) => {
    expect(fenToCapitals(fen)).toBe(text);
  });

  it('refuses fractions of a fen', () => {
    expect(() => fenToCapitals(1.5)).toThrow();
  });
});

describe('yuan at the edges', () => {
  it('formats fen as yuan with two decimals', () => {
    expect(fenToYuanString(120000)).toBe('1,200.00');
    expect(fenToYuanString(5)).toBe('0.05');
    expect(fenToYuanString(-1000507)).toBe('-10,005.07');
  });

  it('parses what clerks type', () => {
    expect(parseYuanToFen('1200')).toBe(120000);
    expect(parseYuanToFen('1,200.5元')).toBe(120050);
    expect(parseYuanToFen('￥300.05')).toBe(30005);
    expect(parseYuanToFen(300.1)).toBe(30010);
    expect(parseYuanToFen('12.345')).toBeNull();
    expect(parseYuanToFen('abc')).toBeNull();
    expect(parseYuanToFen(0.001)).toBeNull();
  });
});
