/**
 * Where the time of an export or import goes, phase by phase, for the
 * benchmark (`npm run bench -- --only handoff`) and for anyone profiling a
 * slow USB exchange. Costs nothing when no one asks.
 */
export type PhaseTimings = Record<string, number>;

export type Phase = (name: string) => void;

/** Each call charges the time since the previous call (or the start) to `name`, in milliseconds. */
export function phaseTimer(into: PhaseTimings | undefined): Phase {
  if (!into) return () => {};
  let last = performance.now();
  return (name) => {
    const now = performance.now();
    into[name] = (into[name] ?? 0) + (now - last);
    last = now;
  };
}
