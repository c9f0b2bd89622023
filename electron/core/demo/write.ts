import type { CoreContext } from '../context.js';
import { personColumns, seatColumns } from '../roster/service.js';
import type { DemoPerson } from './people.js';
import type { DemoGroup, DemoPlan, DemoSeat, DemoStation } from './plan.js';

/**
 * Writes a plan through the repository, one function per table, in the
 * caller's transaction. Inserts skip the per-row audit entry (the generator
 * writes one summary entry) but still feed the change log, so demo data
 * travels in a handoff like any other.
 */
export type Progress = (done: number, total: number) => void;

export function countRows(plan: DemoPlan): number {
  const events = plan.seats.reduce((n, s) => n + s.events.length, 0);
  return plan.groups.length + plan.stations.length + plan.persons.length + plan.seats.length + events;
}

/** Calls back about every 0.5% and at the end, so a console bar moves without slowing the writes. */
function ticker(total: number, onProgress?: Progress): () => void {
  if (!onProgress) return () => {};
  const step = Math.max(1, Math.floor(total / 200));
  let done = 0;
  onProgress(0, total);
  return () => {
    done++;
    if (done % step === 0 || done === total) onProgress(done, total);
  };
}

const NO_AUDIT = { audit: false } as const;

export function writePlan(ctx: CoreContext, plan: DemoPlan, onProgress?: Progress): void {
  const tick = ticker(countRows(plan), onProgress);
  const groups = writeGroups(ctx, plan.groups, tick);
  const stations = writeStations(ctx, plan.stations, tick);
  const persons = writePersons(ctx, plan.persons, tick);
  const seats = writeSeats(ctx, plan.seats, { groups, stations, persons }, tick);
  writeSeatEvents(ctx, plan.seats, seats, tick);
}

function writeGroups(ctx: CoreContext, groups: DemoGroup[], tick: () => void): Map<DemoGroup, string> {
  const ids = new Map<DemoGroup, string>();
  for (const g of groups) {
    ids.set(g, ctx.repo.insert('deputy_groups', { name: g.name, level: g.level, township: g.township, leader: g.leader, note: g.note }, NO_AUDIT));
    tick();
  }
  return ids;
}

function writeStations(ctx: CoreContext, stations: DemoStation[], tick: () => void): Map<DemoStation, string> {
  const ids = new Map<DemoStation, string>();
  for (const s of stations) {
    const row = { name: s.name, township: s.township, address: s.address, reception_day: s.receptionDay, note: s.note, leader: s.leader, phone: s.phone };
    ids.set(s, ctx.repo.insert('liaison_stations', row, NO_AUDIT));
    tick();
  }
  return ids;
}

function writePersons(ctx: CoreContext, persons: DemoPerson[], tick: () => void): Map<DemoPerson, string> {
  const ids = new Map<DemoPerson, string>();
  for (const p of persons) {
    const { home: _home, ...fields } = p;
    ids.set(p, ctx.repo.insert('persons', personColumns(fields), NO_AUDIT));
    tick();
  }
  return ids;
}

interface SeatRefs {
  groups: Map<DemoGroup, string>;
  stations: Map<DemoStation, string>;
  persons: Map<DemoPerson, string>;
}

function writeSeats(ctx: CoreContext, seats: DemoSeat[], refs: SeatRefs, tick: () => void): Map<DemoSeat, string> {
  const ids = new Map<DemoSeat, string>();
  for (const s of seats) {
    const columns = seatColumns({
      level: s.level,
      term: s.term.name,
      constituency: s.constituency,
      township: s.township.name,
      certificateNo: s.certificateNo,
      groupId: s.group ? refs.groups.get(s.group)! : null,
      stationId: s.station ? refs.stations.get(s.station)! : null,
      isReelected: s.isReelected,
      startDate: s.startDate,
      startMethod: s.startMethod,
      note: s.note,
    });
    const row = { ...columns, person_id: refs.persons.get(s.person)!, status: s.status, end_date: s.endDate, end_reason: s.endReason };
    ids.set(s, ctx.repo.insert('seats', row, NO_AUDIT));
    tick();
  }
  return ids;
}

function writeSeatEvents(ctx: CoreContext, seats: DemoSeat[], seatIds: Map<DemoSeat, string>, tick: () => void): void {
  for (const s of seats) {
    for (const e of s.events) {
      const row = { seat_id: seatIds.get(s)!, kind: e.kind, date: e.date, document_no: e.documentNo, reason: e.reason, note: e.note };
      ctx.repo.insert('seat_events', row, NO_AUDIT);
      tick();
    }
  }
}
