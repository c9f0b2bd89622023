/**
 * A small seeded random source for the demo generator. Math.random cannot be
 * seeded, and the demo must come out identical for the same seed so that
 * tests, screenshots and benchmarks are repeatable.
 */

/** mulberry32: 32-bit state, fast, good enough for synthetic data (not for secrets). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the label, mixed with the seed: a stable sub-seed per label. */
function mixSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export type Weighted<T> = readonly (readonly [T, number])[];

export class Rng {
  private readonly next: () => number;

  constructor(readonly seed: number) {
    this.next = mulberry32(seed);
  }

  /**
   * An independent stream for one kind of data. Each part of the generator
   * forks its own, so adding draws in one part (say, activities in a later
   * issue) never shifts the data another part produces for the same seed.
   */
  fork(label: string): Rng {
    return new Rng(mixSeed(this.seed, label));
  }

  /** [0, 1) */
  float(): number {
    return this.next();
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: Weighted<T>): T {
    if (items.length > 8) return items[pickCumulative(cumulative(items), this.next())]![0];
    let total = 0;
    for (let i = 0; i < items.length; i++) total += items[i]![1];
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= items[i]![1];
      if (r < 0) return items[i]![0];
    }
    return items[items.length - 1]![0];
  }

  /**
   * Roughly normal (mean of three uniforms, sd ≈ spread / 3), redrawn when
   * outside [min, max] so the bounds do not pile up: ages cluster but stay in range.
   */
  bell(mean: number, spread: number, min: number, max: number): number {
    for (let attempt = 0; ; attempt++) {
      const u = (this.next() + this.next() + this.next()) / 3 - 0.5; // [-0.5, 0.5), peaked
      const v = Math.round(mean + u * 2 * spread);
      if ((v >= min && v <= max) || attempt >= 20) return Math.min(max, Math.max(min, v));
    }
  }

  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(this.next() * 10);
    return s;
  }

  /** Fisher–Yates on a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** k distinct items (or all of them when k ≥ length), in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    return this.shuffle(items).slice(0, Math.max(0, k));
  }
}

/** Running totals of long weight tables, computed once per table (surnames are drawn 100,000 times). */
const cumulativeCache = new WeakMap<object, Float64Array>();

function cumulative(items: Weighted<unknown>): Float64Array {
  let cum = cumulativeCache.get(items);
  if (!cum) {
    cum = new Float64Array(items.length);
    let total = 0;
    items.forEach(([, w], i) => (cum![i] = total += w));
    cumulativeCache.set(items, cum);
  }
  return cum;
}

/** Index of the first running total above r × grand total (binary search). */
function pickCumulative(cum: Float64Array, r: number): number {
  const target = r * cum[cum.length - 1]!;
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Splits `total` into parts proportional to `weights` (largest remainder), so the parts sum exactly. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || weights.length === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    parts[i]!++;
    left--;
  }
  return parts;
}
