export interface Metric {
  name: string;
  ms: number;
  floorMs?: number;
  ratio?: number;
  /** e.g. "≤ 1.5× floor" or "< 50 ms" */
  target?: string;
  pass?: boolean;
}

export type Suite = (log: (line: string) => void) => Promise<Metric[]>;

export async function time<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

export function ratioMetric(name: string, ms: number, floorMs: number, maxRatio: number): Metric {
  const ratio = ms / floorMs;
  return { name, ms, floorMs, ratio, target: `≤ ${maxRatio}× floor`, pass: ratio <= maxRatio };
}

export function limitMetric(name: string, ms: number, limitMs: number): Metric {
  return { name, ms, target: `< ${limitMs} ms`, pass: ms < limitMs };
}
