import type { Level, SeatStatus, StartMethod } from '../../../shared/dictionaries.js';
import type { Term } from './calendar.js';
import type { Township } from './geography.js';
import type { DemoPerson } from './people.js';

/**
 * The demo is first planned in memory (pure, seeded, no database), then
 * written through the repository. Planning first lets the writer know the
 * total for progress reports, and keeps every rule testable without SQLite.
 */
export type EventKind = 'elected' | 'by_election' | 'suspended' | 'restored' | 'ended' | 'resigned';

export interface DemoEvent {
  kind: EventKind;
  date: string;
  /** Filled in last, numbered in date order per issuing body and year. */
  documentNo: string | null;
  /** Issuing body; null for events without a document of their own (a resignation letter). */
  issuer: Issuer | null;
  reason: string | null;
  note: string | null;
}

export interface DemoGroup {
  name: string;
  level: Level | null;
  township: string | null;
  leader: string | null;
  note: string | null;
}

export interface DemoStation {
  name: string;
  township: string;
  address: string;
  receptionDay: string;
  note: string | null;
  /** 负责人 and 联系电话, set once the station's deputies are known. */
  leader: string | null;
  phone: string | null;
}

export interface DemoSeat {
  person: DemoPerson;
  level: Level;
  term: Term;
  /** Residence or constituency township (所属乡镇). */
  township: Township;
  constituency: string;
  certificateNo: string;
  group: DemoGroup | null;
  station: DemoStation | null;
  isReelected: boolean;
  startDate: string;
  startMethod: StartMethod;
  status: SeatStatus;
  endDate: string | null;
  endReason: string | null;
  note: string | null;
  events: DemoEvent[];
  /** A seat of the term before the current one (ended when its term ran out). */
  previousTerm: boolean;
  /** Issuing body for this seat's lifecycle documents (乡镇人大主席团, 县人大常委会 …). */
  issuer: Issuer;
}

/** A body that numbers its documents: 枫人常〔2024〕12号. */
export interface Issuer {
  /** Unique per body (its level and area code), so two 枫… counties keep separate counters. */
  key: string;
  prefix: string;
}

export interface DemoPlan {
  persons: DemoPerson[];
  seats: DemoSeat[];
  groups: DemoGroup[];
  stations: DemoStation[];
}

/** What `generateDemo` returns: counts of what was written. */
export interface DemoSummary {
  persons: number;
  seats: number;
  groups: number;
  stations: number;
  /** Seats whose qualification ended mid-term (代表资格终止), not those whose term simply ran out. */
  endedSeats: number;
  byElections: number;
  suspendedSeats: number;
  townships: number;
  /** Seats of the previous term, ended at the next general election (status 'ended', 任期届满). */
  previousTermSeats: number;
  seatEvents: number;
}

/** Term ran out: not one of the Deputies Law's 代表资格终止 reasons, so kept apart from END_REASONS. */
export const TERM_EXPIRED = '任期届满';

export function summarise(plan: DemoPlan): DemoSummary {
  const current = plan.seats.filter((s) => !s.previousTerm);
  return {
    persons: plan.persons.length,
    seats: plan.seats.length,
    groups: plan.groups.length,
    stations: plan.stations.length,
    endedSeats: current.filter((s) => s.status === 'ended').length,
    byElections: current.filter((s) => s.startMethod === 'by_election').length,
    suspendedSeats: current.filter((s) => s.status === 'suspended').length,
    townships: new Set(plan.seats.map((s) => s.township.code)).size,
    previousTermSeats: plan.seats.length - current.length,
    seatEvents: plan.seats.reduce((n, s) => n + s.events.length, 0),
  };
}
