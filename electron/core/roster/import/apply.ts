/**
 * Writes a plan through the repository in one transaction: every row gets
 * its change-log entry (for the USB handoff), and the import as a whole one
 * audit entry instead of one per row.
 */
import type { CoreContext } from '../../context.js';
import type { Row } from '../../db/repository.js';
import { withSearchKept } from '../search.js';
import type { GroupRef, Plan } from './plan.js';

export interface ApplySummary {
  fileName: string;
  imported: number;
  updated: number;
  unchanged: number;
  errorRows: number;
  newPersons: number;
}

/** Importing the same file again changes nothing, not even the logs. */
export function hasWrites(plan: Plan): boolean {
  return plan.persons.length + plan.seats.length + plan.newGroups.length + plan.newStations.length > 0;
}

export function applyPlan(ctx: CoreContext, plan: Plan, summary: ApplySummary): void {
  const writes = plan.persons.length + plan.seats.length + plan.newGroups.length + plan.newStations.length;
  if (writes === 0) return;
  const repo = ctx.repo;
  const bulk = { audit: false } as const;
  // Enough page cache for the rows, their indexes and change-log entries (about 2 KB a row), within reason.
  const cacheMiB = Math.min(512, Math.max(32, Math.ceil((writes * 2) / 1024)));
  const newPersons = plan.persons.filter((p) => p.insert);
  const newSeats = plan.seats.filter((s) => s.insert);
  repo.bulk(
    // A big import rebuilds the list's search tables once instead of row by row.
    () => withSearchKept(ctx.db, { persons: newPersons.length, seats: newSeats.length }, () => {
      const groupIds = repo.insertMany(
        'deputy_groups',
        plan.newGroups.map((g) => ({ name: g.name, township: g.township, level: g.level })),
        bulk,
      );
      const stationIds = repo.insertMany('liaison_stations', plan.newStations.map((s) => ({ name: s.name, township: s.township })), bulk);
      const resolve = (ref: GroupRef | null): string | null | undefined => {
        if (!ref) return undefined;
        if (ref.id) return ref.id;
        return (ref.table === 'deputy_groups' ? groupIds : stationIds)[ref.planned!];
      };

      // Persons, then seats: in this order in the change log too, so a seat never arrives before its person.
      const personIds = repo.insertMany('persons', newPersons.map((p) => p.insert!), bulk);
      newPersons.forEach((p, i) => (p.dbId = personIds[i]!));
      for (const p of plan.persons) {
        if (!p.insert && p.dbId && Object.keys(p.patch).length) repo.update('persons', p.dbId, p.patch, bulk);
      }
      const seatIds = repo.insertMany(
        'seats',
        newSeats.map((s) => {
          // Completed in place rather than copied: 130,000 copies made at once outlive many young-generation
          // collections, each copying them again. The columns come in the same order as a copy's would.
          const row: Row = s.insert!;
          row.person_id = s.person.dbId;
          const groupId = resolve(s.group);
          const stationId = resolve(s.station);
          if (groupId) row.group_id = groupId;
          if (stationId) row.station_id = stationId;
          return row;
        }),
        bulk,
      );
      newSeats.forEach((s, i) => (s.dbId = seatIds[i]!));
      for (const s of plan.seats) {
        if (s.insert || !s.dbId) continue;
        const groupId = resolve(s.group);
        const stationId = resolve(s.station);
        const patch = { ...s.patch };
        if (groupId) patch.group_id = groupId;
        if (stationId) patch.station_id = stationId;
        if (Object.keys(patch).length) repo.update('seats', s.dbId, patch, bulk);
      }
      repo.audit({
        action: 'import',
        entity: 'seats',
        summary:
          `导入代表名册“${summary.fileName}”：新增席位${summary.imported}个（新增人员${summary.newPersons}人），` +
          `更新${summary.updated}个，未变${summary.unchanged}个，有错误未导入${summary.errorRows}行`,
        after: {
          file: summary.fileName,
          imported: summary.imported,
          updated: summary.updated,
          unchanged: summary.unchanged,
          errorRows: summary.errorRows,
          newPersons: summary.newPersons,
          newGroups: plan.newGroups.length,
          newStations: plan.newStations.length,
        },
      });
    }),
    { cacheMiB, rebuildIndexes: { persons: newPersons.length, seats: newSeats.length, change_log: writes } },
  );
}
