/**
 * Writes a plan through the repository in one transaction: every row gets
 * its change-log entry (for the USB handoff), and the import as a whole one
 * audit entry instead of one per row.
 */
import type { CoreContext } from '../../context.js';
import type { Row } from '../../db/repository.js';
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
  repo.bulk(() => {
    const groupIds = plan.newGroups.map((g) =>
      repo.insert('deputy_groups', { name: g.name, township: g.township, level: g.level }, bulk),
    );
    const stationIds = plan.newStations.map((s) => repo.insert('liaison_stations', { name: s.name, township: s.township }, bulk));
    const resolve = (ref: GroupRef | null): string | null | undefined => {
      if (!ref) return undefined;
      if (ref.id) return ref.id;
      return (ref.table === 'deputy_groups' ? groupIds : stationIds)[ref.planned!];
    };

    for (const p of plan.persons) {
      if (p.insert) p.dbId = repo.insert('persons', p.insert, bulk);
      else if (p.dbId && Object.keys(p.patch).length) repo.update('persons', p.dbId, p.patch, bulk);
    }
    for (const s of plan.seats) {
      const groupId = resolve(s.group);
      const stationId = resolve(s.station);
      if (s.insert) {
        const row: Row = { ...s.insert, person_id: s.person.dbId };
        if (groupId) row.group_id = groupId;
        if (stationId) row.station_id = stationId;
        s.dbId = repo.insert('seats', row, bulk);
      } else if (s.dbId) {
        const patch = { ...s.patch };
        if (groupId) patch.group_id = groupId;
        if (stationId) patch.station_id = stationId;
        if (Object.keys(patch).length) repo.update('seats', s.dbId, patch, bulk);
      }
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
  }, { cacheMiB });
}
