import type { BackupReason } from '../../../shared/contract/index.js';

/**
 * Which backups to keep (the grandfather-father-son rule of restic's and
 * borg's `--keep-daily 7 --keep-weekly 4 --keep-monthly 12`):
 * - the automatic daily backups: the newest of each of the 7 most recent
 *   days that have one, of the 4 most recent ISO weeks, of the 12 most
 *   recent months;
 * - manual ones and copies made before an operation (import, batch issue,
 *   restore, migration …): every one for 30 days;
 * - and always the newest backup, whatever its age.
 * Days, weeks and months are the PC's local calendar.
 */
export const KEEP = { daily: 7, weekly: 4, monthly: 12, preOperationDays: 30 };

export interface RotationItem {
  id: string;
  createdAt: Date;
  reason: BackupReason;
}


function dayKey(d: Date): string {
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

function monthKey(d: Date): string {
  return `${d.getFullYear()}-${d.getMonth() + 1}`;
}

/** ISO 8601 week (Monday first; week 1 holds the year's first Thursday). */
export function isoWeekKey(d: Date): string {
  // Calendar arithmetic in UTC on the local date, so daylight-saving days cannot shift it.
  const t = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
  const weekday = t.getUTCDay() || 7; // Monday 1 … Sunday 7
  t.setUTCDate(t.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / 86400000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${week}`;
}

function keepNewestPerBucket(items: RotationItem[], bucket: (d: Date) => string, count: number, keep: Set<string>): void {
  const seen = new Set<string>();
  for (const item of items) {
    const key = bucket(item.createdAt);
    if (seen.has(key)) continue;
    if (seen.size >= count) break;
    seen.add(key);
    keep.add(item.id);
  }
}

/** The ids to delete. */
export function backupsToDelete(items: RotationItem[], now: Date, keep = KEEP): string[] {
  const newestFirst = [...items].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const kept = new Set<string>();
  if (newestFirst[0]) kept.add(newestFirst[0].id);

  const snapshots = newestFirst.filter((i) => i.reason === 'daily');
  keepNewestPerBucket(snapshots, dayKey, keep.daily, kept);
  keepNewestPerBucket(snapshots, isoWeekKey, keep.weekly, kept);
  keepNewestPerBucket(snapshots, monthKey, keep.monthly, kept);

  const cutoff = now.getTime() - keep.preOperationDays * 86400000;
  for (const item of newestFirst) {
    if (item.reason !== 'daily' && item.createdAt.getTime() >= cutoff) kept.add(item.id);
  }
  return newestFirst.filter((i) => !kept.has(i.id)).map((i) => i.id);
}
