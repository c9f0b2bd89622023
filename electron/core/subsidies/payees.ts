import type { Level } from '../../../shared/dictionaries.js';
import type { SeatSpan } from '../../../shared/subsidies/index.js';
import type { CoreContext } from '../context.js';

/**
 * The roster as subsidies see it: each person with their seats at the levels
 * some standard pays, the seats' dates, and suspension periods rebuilt from
 * seat_events (暂停执行代表职务 → 恢复). Read once per run.
 */

/** A seat with what the exceptions and the 签领表 need besides its span. */
export interface PayeeSeat extends SeatSpan {
  seatId: string;
  term: string;
  township: string | null;
  groupName: string | null;
  status: 'current' | 'suspended' | 'ended';
  endReason: string | null;
  /** Status says ended/suspended but no date was recorded: the span assumes the worst. */
  endedWithoutDate: boolean;
  suspendedWithoutDate: boolean;
}

export interface PayeeRecord {
  personId: string;
  name: string;
  hasFixedIncome: boolean | null;
  bankName: string | null;
  bankAccount: string | null;
  seats: PayeeSeat[];
}

interface Row {
  seat_id: string;
  person_id: string;
  name: string;
  has_fixed_income: number | null;
  bank_name: string | null;
  bank_account: string | null;
  level: Level;
  term: string;
  township: string | null;
  group_name: string | null;
  start_date: string | null;
  end_date: string | null;
  end_reason: string | null;
  status: 'current' | 'suspended' | 'ended';
}

interface EventRow {
  seat_id: string;
  kind: 'suspended' | 'restored' | 'ended' | 'resigned';
  date: string;
}

/** Before any period the app will ever compute: "since always". */
const LONG_AGO = '1900-01-01';

export function loadPayees(ctx: CoreContext, levels: Level[]): PayeeRecord[] {
  if (levels.length === 0) return [];
  const rows = ctx.db
    .prepare(
      `SELECT s.id AS seat_id, p.id AS person_id, p.name, p.has_fixed_income, p.bank_name, p.bank_account,
              s.level, s.term, s.township, g.name AS group_name, s.start_date, s.end_date, s.end_reason, s.status
       FROM seats s JOIN persons p ON p.id = s.person_id
       LEFT JOIN deputy_groups g ON g.id = s.group_id AND g.deleted_at IS NULL
       WHERE s.deleted_at IS NULL AND p.deleted_at IS NULL AND s.level IN (SELECT value FROM json_each(?))
       ORDER BY p.id, s.start_date`,
    )
    .all(JSON.stringify(levels)) as Row[];
  const events = ctx.db
    .prepare(
      `SELECT e.seat_id, e.kind, e.date FROM seat_events e JOIN seats s ON s.id = e.seat_id
       WHERE e.deleted_at IS NULL AND s.deleted_at IS NULL AND e.kind IN ('suspended', 'restored', 'ended')
         AND s.level IN (SELECT value FROM json_each(?))
       ORDER BY e.seat_id, e.date, e.created_at`,
    )
    .all(JSON.stringify(levels)) as EventRow[];
  const eventsBySeat = new Map<string, EventRow[]>();
  for (const e of events) {
    const list = eventsBySeat.get(e.seat_id) ?? [];
    list.push(e);
    eventsBySeat.set(e.seat_id, list);
  }

  const persons = new Map<string, PayeeRecord>();
  for (const r of rows) {
    let p = persons.get(r.person_id);
    if (!p) {
      p = {
        personId: r.person_id,
        name: r.name,
        hasFixedIncome: r.has_fixed_income === null ? null : r.has_fixed_income === 1,
        bankName: r.bank_name,
        bankAccount: r.bank_account && r.bank_account.trim() ? r.bank_account.replace(/\s/g, '') : null,
        seats: [],
      };
      persons.set(r.person_id, p);
    }
    p.seats.push(toSeat(r, eventsBySeat.get(r.seat_id) ?? []));
  }
  return [...persons.values()];
}

function toSeat(r: Row, events: EventRow[]): PayeeSeat {
  const suspensions: SeatSpan['suspensions'] = [];
  let open: { from: string; until: string | null } | null = null;
  let endedOn: string | null = null;
  for (const e of events) {
    if (e.kind === 'suspended' && !open) {
      open = { from: e.date, until: null };
      suspensions.push(open);
    } else if (e.kind === 'restored' && open) {
      open.until = e.date;
      open = null;
    } else if (e.kind === 'ended') {
      endedOn = e.date;
    }
  }
  let suspendedWithoutDate = false;
  if (r.status === 'suspended' && !open) {
    // Suspended by status alone: unknown since when, so the whole span is treated as suspended.
    suspendedWithoutDate = true;
    suspensions.push({ from: LONG_AGO, until: null });
  }
  let end = r.end_date;
  let endedWithoutDate = false;
  if (!end && r.status === 'ended') {
    end = endedOn;
    if (!end) {
      endedWithoutDate = true;
      end = LONG_AGO;
    }
  }
  return {
    seatId: r.seat_id,
    level: r.level,
    term: r.term,
    township: r.township,
    groupName: r.group_name,
    status: r.status,
    start: r.start_date,
    end,
    endReason: r.end_reason,
    suspensions,
    endedWithoutDate,
    suspendedWithoutDate,
  };
}

export interface FixedIncomeChange {
  personId: string;
  at: string;
  value: number | null;
}

/**
 * Changes to 是否有固定收入 recorded on or after `since` (the period's first
 * day). The roster keeps only the current value and a batch applies it to the
 * whole period, so any change recorded since the period began may mean part
 * of it should be paid differently; the change log (written by the repository
 * for every update, imports and handoffs included) is the history.
 */
export function fixedIncomeChanges(ctx: CoreContext, since: string): FixedIncomeChange[] {
  const rows = ctx.db
    .prepare(
      `SELECT entity_id, at, fields_json FROM change_log
       WHERE entity = 'persons' AND op = 'update' AND at >= ? AND instr(fields_json, '"has_fixed_income"') > 0
       ORDER BY at`,
    )
    .all(since) as { entity_id: string; at: string; fields_json: string }[];
  return rows.map((r) => ({
    personId: r.entity_id,
    at: r.at,
    value: (JSON.parse(r.fields_json) as { has_fixed_income?: number | null }).has_fixed_income ?? null,
  }));
}
