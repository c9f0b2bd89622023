/**
 * Hybrid logical clock: wall-clock milliseconds plus a counter, so that
 * changes made on two offices can be ordered even when a PC's clock is wrong.
 * Encoded as fixed-width text so that string order is clock order:
 * `000001763712345678-000000-430281101`.
 */
export interface HlcValue {
  ms: number;
  counter: number;
  node: string;
}

export function formatHlc(v: HlcValue): string {
  return `${String(v.ms).padStart(15, '0')}-${String(v.counter).padStart(6, '0')}-${v.node}`;
}

export function parseHlc(text: string): HlcValue {
  const [ms, counter, ...node] = text.split('-');
  return { ms: Number(ms), counter: Number(counter), node: node.join('-') };
}

export class HybridClock {
  private last: HlcValue;

  constructor(
    private readonly node: string,
    latest: string | null,
    private readonly now: () => number = Date.now,
  ) {
    this.last = latest ? parseHlc(latest) : { ms: 0, counter: 0, node };
  }

  /** A timestamp for a local change. */
  tick(): string {
    const wall = this.now();
    this.last =
      wall > this.last.ms
        ? { ms: wall, counter: 0, node: this.node }
        : { ms: this.last.ms, counter: this.last.counter + 1, node: this.node };
    return formatHlc(this.last);
  }

  /** Merges a clock seen on a remote change, so later local changes sort after it. */
  receive(remote: string): void {
    const r = parseHlc(remote);
    const wall = this.now();
    const ms = Math.max(wall, this.last.ms, r.ms);
    let counter = 0;
    if (ms === this.last.ms && ms === r.ms) counter = Math.max(this.last.counter, r.counter) + 1;
    else if (ms === this.last.ms) counter = this.last.counter + 1;
    else if (ms === r.ms) counter = r.counter + 1;
    this.last = { ms, counter, node: this.node };
  }
}
