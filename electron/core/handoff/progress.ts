import type { HandoffProgress } from '../../../shared/contract/index.js';

/**
 * Progress of a running export or import, by a job id the screen chose. The
 * work yields between stages and chunks, so `handoff.progress` is answered
 * while it runs (serve and Electron both handle calls concurrently).
 */
const jobs = new Map<string, HandoffProgress & { at: number }>();
const KEEP_MS = 10 * 60 * 1000;

export type Report = (stage: string, percent: number) => Promise<void>;

export function progressReporter(jobId: string | undefined): Report {
  return async (stage, percent) => {
    if (!jobId) return;
    jobs.set(jobId, { stage, percent: Math.max(0, Math.min(100, Math.round(percent))), done: percent >= 100, at: Date.now() });
    // Let a waiting progress request in.
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
}

export function finishJob(jobId: string | undefined): void {
  if (!jobId) return;
  const job = jobs.get(jobId);
  jobs.set(jobId, { stage: job?.stage ?? '完成', percent: 100, done: true, at: Date.now() });
  for (const [id, j] of jobs) if (Date.now() - j.at > KEEP_MS) jobs.delete(id);
}

export function progressOf(jobId: string): HandoffProgress | null {
  const job = jobs.get(jobId);
  return job ? { stage: job.stage, percent: job.percent, done: job.done } : null;
}
