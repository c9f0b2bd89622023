import { describe, expect, it } from 'vitest';
import { sortedRandomUuids } from '../../electron/core/db/repository.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('sortedRandomUuids', () => {
  it('gives version 4 UUIDs in sorted order, all different', () => {
    const ids = sortedRandomUuids(5000);
    expect(ids).toHaveLength(5000);
    expect(ids.every((id) => V4.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(5000);
    expect(sortedRandomUuids(0)).toEqual([]);
  });

  it('spreads them over the whole range, in every position', () => {
    const ids = sortedRandomUuids(4000);
    // Position 0 is sorted; positions 9 and 35 come from the bits drawn after sorting.
    for (const at of [0, 9, 35]) {
      const counts = new Map<string, number>();
      for (const id of ids) counts.set(id[at]!, (counts.get(id[at]!) ?? 0) + 1);
      expect(counts.size).toBe(16);
      for (const n of counts.values()) expect(n).toBeGreaterThan(150); // 250 expected
    }
  });

  it('sorts whole texts when first parts are equal', () => {
    // Every UUID starts with the same 48 bits; the rest differs.
    const random = (size: number) => {
      const b = Buffer.alloc(size);
      for (let o = 0; o < size; o += 16) for (let i = 6; i < 16; i++) b[o + i] = (o * 7 + i * 13 + ((o / 16) % 5) * 31) & 255;
      return b;
    };
    const ids = sortedRandomUuids(40, random);
    expect(ids.every((id) => V4.test(id) && id.startsWith('00000000-0000-'))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });
});
