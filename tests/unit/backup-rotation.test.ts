import { describe, expect, it } from 'vitest';
import { backupsToDelete, isoWeekKey, type RotationItem } from '../../electron/core/backup/rotation.js';
import type { BackupReason } from '../../shared/contract/index.js';

/** Local noon of a calendar day, so the test reads the same in any time zone. */
const day = (y: number, m: number, d: number, h = 12) => new Date(y, m - 1, d, h);
const item = (id: string, at: Date, reason: BackupReason = 'daily'): RotationItem => ({ id, createdAt: at, reason });

describe('backup rotation (7 daily, 4 weekly, 12 monthly, pre-operation copies 30 days)', () => {
  it('numbers ISO weeks as the calendar does', () => {
    expect(isoWeekKey(day(2025, 1, 1))).toBe('2025-W1'); // Wednesday
    expect(isoWeekKey(day(2024, 12, 30))).toBe('2025-W1'); // Monday of the week holding 2 January
    expect(isoWeekKey(day(2021, 1, 3))).toBe('2020-W53'); // Sunday, still 2020's last week
    expect(isoWeekKey(day(2025, 6, 15))).toBe('2025-W24');
  });

  it('keeps one per day for the 7 newest days, then weeks, then months', () => {
    // One daily backup every day from 1 Jan to 31 Mar 2025 (90 days), two on 31 Mar.
    const items: RotationItem[] = [];
    for (let t = day(2025, 1, 1); t <= day(2025, 3, 31); t = new Date(t.getFullYear(), t.getMonth(), t.getDate() + 1, 12)) {
      items.push(item(t.toDateString(), t));
    }
    items.push(item('31 Mar morning', day(2025, 3, 31, 8)));
    const now = day(2025, 3, 31, 18);
    const deleted = new Set(backupsToDelete(items, now));
    const kept = items.filter((i) => !deleted.has(i.id)).map((i) => i.id);
    // Days: 25–31 March (the morning copy of the 31st is not the day's newest).
    // Weeks (ISO, newest per week): W14 (31 Mar) and W13 (30 Mar) are already kept by days,
    // W12 → Sun 23 Mar, W11 → Sun 16 Mar. Months: March (31st), February → 28 Feb, January → 31 Jan.
    expect(kept.sort()).toEqual(
      [
        day(2025, 3, 25), day(2025, 3, 26), day(2025, 3, 27), day(2025, 3, 28), day(2025, 3, 29),
        day(2025, 3, 30), day(2025, 3, 31), day(2025, 3, 23), day(2025, 3, 16), day(2025, 2, 28), day(2025, 1, 31),
      ].map((d) => d.toDateString()).sort(),
    );
    expect(deleted.has('31 Mar morning')).toBe(true);
    expect(items.length - deleted.size).toBe(11);
  });

  it('keeps copies made before an operation for 30 days, and manual ones too', () => {
    const now = day(2025, 5, 31);
    const items = [
      item('import 29 days ago', day(2025, 5, 2), 'import'),
      item('import 31 days ago', day(2025, 4, 30), 'import'),
      item('restore 10 days ago', day(2025, 5, 21), 'restore'),
      item('migration 40 days ago', day(2025, 4, 21), 'migration'),
      item('manual 20 days ago', day(2025, 5, 11), 'manual'),
      item('daily today', day(2025, 5, 31)),
      item('daily yesterday', day(2025, 5, 30)),
    ];
    expect(backupsToDelete(items, now).sort()).toEqual(['import 31 days ago', 'migration 40 days ago']);
  });

  it('never deletes the newest backup, however old', () => {
    const items = [item('old import', day(2023, 1, 1), 'import'), item('older import', day(2022, 1, 1), 'import')];
    expect(backupsToDelete(items, day(2025, 1, 1))).toEqual(['older import']);
  });
});
