/**
 * Matching the rows of a workbook to the roster: each row (a seat) becomes an
 * insert, an update, unchanged, or an error. Reads only (indexed look-ups by
 * ID number, name and person), so a dry run and the real import plan the same.
 *
 * A person is found by ID number; else by name among people whose other
 * details do not contradict the row (ID, birth month, gender): the one who
 * already holds this level and term, else the one born the same month. A seat
 * is person × level × term; a second row for the same seat is a duplicate.
 */
import type { Statement } from 'better-sqlite3';
import type { RosterImportChange, RosterImportFieldChange, RosterImportIssue } from '../../../../shared/contract/rosterImport.js';
import { LEVEL_LABELS, SEAT_STATUS_LABELS, type Level, type SeatStatus } from '../../../../shared/dictionaries.js';
import { maskBankAccount, maskIdNumber, maskPhone } from '../../../../shared/idcard.js';
import { IMPORT_FIELD_LABELS, type ImportField } from '../../../../shared/rosterImport.js';
import type { CoreContext } from '../../context.js';
import type { Row } from '../../db/repository.js';
import type { PersonDbRow, SeatDbRow } from '../records.js';
import { PERSON_KEYS } from '../service.js';
import type { ParsedRow, SeatValues } from './record.js';

export interface Origin {
  sheet: string;
  row: number;
}

export interface PlannedPerson {
  dbId: string | null;
  db: PersonDbRow | null;
  name: string;
  /** Columns of a new person. */
  insert: Row | null;
  /** Changed columns of a known person. */
  patch: Row;
  /** Which row set a column, where not the row that created the person (made when first needed). */
  setBy: Map<string, Origin> | null;
  seats: Map<string, PlannedSeat> | null;
  origin: Origin | null;
  written: boolean;
  /** In the by-name lists. */
  listed?: boolean;
}

export interface GroupRef {
  table: 'deputy_groups' | 'liaison_stations';
  id: string | null;
  /** Index in plan.newGroups / plan.newStations when not yet created. */
  planned: number | null;
}

export interface PlannedSeat {
  person: PlannedPerson;
  dbId: string | null;
  db: SeatDbRow | null;
  claimedBy: Origin | null;
  insert: Row | null;
  patch: Row;
  group: GroupRef | null;
  station: GroupRef | null;
  /** Already in plan.seats. */
  queued: boolean;
}

export interface NewGroup {
  name: string;
  township: string | null;
  level: Level | null;
  origin: Origin;
}

export type RowOutcome = 'imported' | 'updated' | 'unchanged' | 'error';

export interface Plan {
  persons: PlannedPerson[];
  seats: PlannedSeat[];
  newGroups: NewGroup[];
  newStations: NewGroup[];
  errors: RosterImportIssue[];
  warnings: RosterImportIssue[];
  changes: RosterImportChange[];
  imported: number;
  updated: number;
  unchanged: number;
  errorRows: number;
  newPersons: number;
}

/** Personal data in the list of changes is masked, as on screen. */
const MASK: Record<string, (v: string) => string> = { id_number: maskIdNumber, phone: maskPhone, bank_account: maskBankAccount };

const PERSON_FIELD_OF: Record<string, ImportField> = {
  name: 'name', gender: 'gender', ethnicity: 'ethnicity', birth_date: 'birthDate', native_place: 'nativePlace',
  political_affiliation: 'politicalAffiliation', education: 'education', degree: 'degree', work_unit: 'workUnit',
  composition: 'composition', phone: 'phone', address: 'address', id_number: 'idNumber', has_fixed_income: 'hasFixedIncome',
  bank_name: 'bankName', bank_account: 'bankAccount',
};
const SEAT_COLUMN: Record<keyof SeatValues, string> = {
  level: 'level', term: 'term', constituency: 'constituency', township: 'township', certificateNo: 'certificate_no',
  isReelected: 'is_reelected', startDate: 'start_date', startMethod: 'start_method', status: 'status', endDate: 'end_date',
  endReason: 'end_reason', note: 'note',
};
const SEAT_FIELD_OF: Record<string, ImportField> = {
  constituency: 'constituency', township: 'township', certificate_no: 'certificateNo', is_reelected: 'isReelected',
  start_date: 'startDate', start_method: 'startMethod', note: 'note', group_id: 'group', station_id: 'station',
  status: 'status', end_date: 'endDate', end_reason: 'endReason',
};

/** Person columns an import row may set (name is the key; 备注 belongs to the seat). */
const PERSON_ENTRIES = Object.entries(PERSON_KEYS).filter(([key]) => key !== 'name' && key !== 'note');
const SEAT_ENTRIES = Object.entries(SEAT_COLUMN);
const NONE: PlannedPerson[] = [];
const NONE_SEATS: SeatDbRow[] = [];

const sqlValue = (v: unknown): unknown => (typeof v === 'boolean' ? (v ? 1 : 0) : (v ?? null));

function display(column: string, v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (column === 'has_fixed_income' || column === 'is_reelected') return v ? '是' : '否';
  if (column === 'start_method') return v === 'by_election' ? '补选' : '换届选举';
  if (column === 'status') return SEAT_STATUS_LABELS[v as SeatStatus] ?? String(v);
  const s = String(v);
  return MASK[column] ? MASK[column]!(s) : s;
}

/** A birth month from the sheet matches a full birth date already known. */
function sameValue(column: string, known: unknown, incoming: unknown): boolean {
  if (known === incoming) return true;
  if (column === 'birth_date' && typeof known === 'string' && typeof incoming === 'string') return known.startsWith(incoming);
  return false;
}

const where = (o: Origin, here: Origin) => (o.sheet === here.sheet ? `第${o.row}行` : `工作表“${o.sheet}”第${o.row}行`);

/** Header text for messages: what the sheet calls the field. */
export type ColumnNames = (sheet: string, field: ImportField) => string;

export class Planner {
  private readonly byIdStmt: Statement;
  private readonly byNameStmt: Statement;
  private readonly seatsStmt: Statement;
  private readonly dbPersons = new Map<string, PlannedPerson>();
  private readonly byId = new Map<string, PlannedPerson>();
  private readonly byName = new Map<string, PlannedPerson[]>();
  private readonly groups: Map<string, { id: string; name: string; township: string | null }[]>;
  private readonly stations: Map<string, { id: string; name: string; township: string | null }[]>;
  private readonly plannedGroups = new Map<string, number>();
  private readonly plannedStations = new Map<string, number>();

  readonly plan: Plan = {
    persons: [],
    seats: [],
    newGroups: [],
    newStations: [],
    errors: [],
    warnings: [],
    changes: [],
    imported: 0,
    updated: 0,
    unchanged: 0,
    errorRows: 0,
    newPersons: 0,
  };

  constructor(
    private readonly ctx: CoreContext,
    private readonly columnName: ColumnNames,
  ) {
    const db = ctx.db;
    this.byIdStmt = db.prepare('SELECT * FROM persons WHERE id_number = ? AND deleted_at IS NULL');
    this.byNameStmt = db.prepare('SELECT * FROM persons WHERE name = ? AND deleted_at IS NULL');
    this.seatsStmt = db.prepare('SELECT * FROM seats WHERE person_id = ? AND deleted_at IS NULL ORDER BY created_at');
    this.groups = groupIndex(db.prepare('SELECT id, name, township FROM deputy_groups WHERE deleted_at IS NULL').all() as never);
    this.stations = groupIndex(db.prepare('SELECT id, name, township FROM liaison_stations WHERE deleted_at IS NULL').all() as never);
  }

  /** Every live person was loaded up front: no look-ups per row. */
  private preloaded = false;
  private readonly preloadedSeats = new Map<string, SeatDbRow[]>();
  private readonly loadedNames = new Set<string>();
  /** Persons without an ID number, by name: the only ones a row with an unknown ID number can be. */
  private readonly noIdByName = new Map<string, PlannedPerson[]>();

  /**
   * Call once with the number of rows to plan. A large import into a small
   * roster loads the roster in two scans; otherwise each row looks up by the
   * indexed ID number, name and person.
   */
  prepare(rows: number, lookup: 'auto' | 'preload' | 'indexed' = 'auto'): void {
    const db = this.ctx.db;
    if (lookup === 'indexed') return;
    const persons = db.prepare('SELECT count(*) FROM persons WHERE deleted_at IS NULL').pluck().get() as number;
    if (lookup === 'auto' && persons > Math.max(1000, rows * 4)) return;
    this.preloaded = true;
    for (const row of db.prepare('SELECT * FROM persons WHERE deleted_at IS NULL').iterate() as Iterable<PersonDbRow>) {
      this.remember(this.wrap(row));
    }
    for (const seat of db.prepare('SELECT * FROM seats WHERE deleted_at IS NULL ORDER BY created_at').iterate() as Iterable<SeatDbRow>) {
      const list = this.preloadedSeats.get(seat.person_id);
      if (list) list.push(seat);
      else this.preloadedSeats.set(seat.person_id, [seat]);
    }
  }

  private wrap(row: PersonDbRow): PlannedPerson {
    let p = this.dbPersons.get(row.id);
    if (!p) {
      p = { dbId: row.id, db: row, name: row.name, insert: null, patch: {}, setBy: null, seats: null, origin: null, written: false };
      this.dbPersons.set(row.id, p);
      if (row.id_number) this.byId.set(row.id_number, p);
    }
    return p;
  }

  /** Adds a person to the by-name lists. */
  private remember(p: PlannedPerson): void {
    p.listed = true;
    const all = this.byName.get(p.name);
    if (all) all.push(p);
    else this.byName.set(p.name, [p]);
    if (!this.current(p, 'id_number')) {
      const noId = this.noIdByName.get(p.name);
      if (noId) noId.push(p);
      else this.noIdByName.set(p.name, [p]);
    }
  }

  private findById(idNumber: string): PlannedPerson | undefined {
    const known = this.byId.get(idNumber);
    if (known || this.preloaded) return known;
    const row = this.byIdStmt.get(idNumber) as PersonDbRow | undefined;
    return row ? this.wrap(row) : undefined;
  }

  /** Everyone with this name (`withoutId`: only those without an ID number yet). */
  private findByName(name: string, withoutId = false): PlannedPerson[] {
    if (!this.preloaded && !this.loadedNames.has(name)) {
      this.loadedNames.add(name);
      for (const row of this.byNameStmt.all(name) as PersonDbRow[]) {
        const p = this.wrap(row);
        if (!p.listed) this.remember(p);
      }
    }
    const list = (withoutId ? this.noIdByName : this.byName).get(name);
    if (!list) return NONE;
    return withoutId ? list.filter((p) => !this.current(p, 'id_number')) : list;
  }

  private seatsOf(p: PlannedPerson): Map<string, PlannedSeat> {
    if (!p.seats) {
      p.seats = new Map();
      if (p.dbId) {
        const rows = this.preloaded ? (this.preloadedSeats.get(p.dbId) ?? NONE_SEATS) : (this.seatsStmt.all(p.dbId) as SeatDbRow[]);
        for (const s of rows) {
          const key = `${s.level}|${s.term}`;
          if (!p.seats.has(key)) {
            p.seats.set(key, { person: p, dbId: s.id, db: s, claimedBy: null, insert: null, patch: {}, group: null, station: null, queued: false });
          }
        }
      }
    }
    return p.seats;
  }

  /** Current value of a person column: planned, else stored. */
  private current(p: PlannedPerson, column: string): unknown {
    if (p.insert) return p.insert[column] ?? null;
    return column in p.patch ? p.patch[column] : ((p.db as unknown as Row)[column] ?? null);
  }

  private compatible(p: PlannedPerson, r: ParsedRow): boolean {
    const id = this.current(p, 'id_number');
    if (r.person.idNumber && id && id !== r.person.idNumber) return false;
    const birth = this.current(p, 'birth_date') as string | null;
    if (r.person.birthDate && birth && birth.slice(0, 7) !== r.person.birthDate.slice(0, 7)) return false;
    const gender = this.current(p, 'gender');
    if (r.person.gender && gender && gender !== r.person.gender) return false;
    return true;
  }

  private issue(list: RosterImportIssue[], r: ParsedRow, field: ImportField, message: string): void {
    list.push({ sheet: r.sheet, row: r.row, column: this.columnName(r.sheet, field), message });
  }

  /** Plans one row; rows that already carry errors are only counted. */
  add(r: ParsedRow): RowOutcome {
    const origin: Origin = { sheet: r.sheet, row: r.row };
    this.plan.warnings.push(...r.warnings);
    const outcome = r.errors.length ? this.fail(r, r.errors) : this.match(r, origin);
    return outcome;
  }

  private fail(_r: ParsedRow, errors: RosterImportIssue[]): RowOutcome {
    this.plan.errors.push(...errors);
    this.plan.errorRows++;
    return 'error';
  }

  private match(r: ParsedRow, origin: Origin): RowOutcome {
    const { person } = r;
    const level = r.seat.level!;
    const term = r.seat.term!;
    const key = `${level}|${term}`;
    const fail = (field: ImportField, message: string) =>
      this.fail(r, [{ sheet: r.sheet, row: r.row, column: this.columnName(r.sheet, field), message }]);

    let p: PlannedPerson | undefined;
    if (person.idNumber) {
      p = this.findById(person.idNumber);
      if (p && p.name !== person.name) {
        return fail(
          'idNumber',
          p.origin
            ? `公民身份号码与${where(p.origin, origin)}的“${p.name}”相同，但姓名不同，请核对姓名或身份证号`
            : `该公民身份号码已登记在代表“${p.name}”名下，本行姓名为“${person.name}”，请核对姓名或身份证号`,
        );
      }
    }
    if (!p) {
      const pool = this.findByName(person.name, Boolean(person.idNumber));
      const candidates = pool.length ? pool.filter((c) => this.compatible(c, r)) : NONE;
      const holding = candidates.length ? candidates.filter((c) => this.seatsOf(c).has(key)) : NONE;
      const sameBirth =
        person.birthDate && candidates.length && !holding.length
          ? candidates.filter((c) => {
              const birth = this.current(c, 'birth_date') as string | null;
              return birth !== null && birth.slice(0, 7) === person.birthDate!.slice(0, 7);
            })
          : NONE;
      // Neither side has an ID number or a birth month: the name is the whole key, on both sides alike.
      const bare =
        !holding.length && !sameBirth.length && !person.idNumber && !person.birthDate
          ? candidates.filter((c) => !this.current(c, 'id_number') && !this.current(c, 'birth_date'))
          : NONE;
      const pick = holding.length ? holding : sameBirth.length ? sameBirth : bare.length === 1 ? bare : NONE;
      if (!pick.length && candidates.length) {
        // A namesake nothing contradicts, but nothing confirms either: two people, and the clerk is told.
        this.issue(
          this.plan.warnings,
          r,
          'name',
          `名册中已有姓名为“${person.name}”的代表，但没有相同的公民身份号码或出生年月可以确认是同一人，已作为另一人登记；如是同一人，请在两处都填上身份证号或出生年月后再导入`,
        );
      }
      if (pick.length > 1) {
        return fail(
          'name',
          `名册中已有${pick.length}位姓名为“${person.name}”${holding.length ? `的${term}${LEVEL_LABELS[level]}代表` : '、出生年月相同的代表'}，无法确定是哪一位。请在本行填写公民身份号码后再导入`,
        );
      }
      p = pick[0];
    }

    const isNewPerson = !p;
    if (!p) {
      this.findByName(person.name); // load namesakes first, so the lists stay complete
      p = { dbId: null, db: null, name: person.name, insert: { name: person.name }, patch: {}, setBy: null, seats: new Map(), origin, written: false };
      if (person.idNumber) p.insert!.id_number = person.idNumber;
      this.remember(p);
    }

    const seats = this.seatsOf(p);
    const existing = seats.get(key);
    if (existing?.claimedBy) {
      return fail(
        person.idNumber ? 'idNumber' : 'name',
        `与${where(existing.claimedBy, origin)}重复：同一代表（${person.name}）的${term}${LEVEL_LABELS[level]}人大代表只能有一行，请删除其中一行`,
      );
    }

    // Person values: a new person takes them; a known one changes where they differ.
    const changes: RosterImportFieldChange[] = [];
    for (const [key, column] of PERSON_ENTRIES) {
      const given = (person as Record<string, unknown>)[key];
      if (given === undefined || given === null) continue;
      const value = sqlValue(given);
      const isDerived = r.derived.includes(key as 'gender' | 'birthDate');
      const known = this.current(p, column);
      if (known !== null && sameValue(column, known, value)) continue;
      // A new person's values come from the row that created it unless a later row added one.
      const setter = p.setBy?.get(column) ?? (p.insert ? p.origin : undefined);
      if (known !== null && setter) {
        if (!isDerived) {
          this.issue(
            this.plan.warnings,
            r,
            PERSON_FIELD_OF[column]!,
            `与${where(setter, origin)}填写的不同（${display(column, known)} / ${display(column, value)}），按${where(setter, origin)}导入`,
          );
        }
        continue;
      }
      if (isDerived && known !== null) continue; // worked out from the ID: never overrides a typed value
      if (p.insert) p.insert[column] = value;
      else {
        p.patch[column] = value;
        changes.push({ column: this.columnName(r.sheet, PERSON_FIELD_OF[column]!), from: display(column, known), to: display(column, value) });
      }
      if (origin !== p.origin) (p.setBy ??= new Map()).set(column, origin);
    }
    if (person.idNumber && !this.byId.has(person.idNumber)) this.byId.set(person.idNumber, p);

    // Seat values.
    const seatRow: Row = {};
    for (const [key, column] of SEAT_ENTRIES) {
      const value = (r.seat as Record<string, unknown>)[key];
      if (value !== undefined && value !== null) seatRow[column] = sqlValue(value);
    }
    const township = (r.seat.township ?? existing?.db?.township ?? null) as string | null;
    const group = r.group ? this.groupRef('deputy_groups', r.group, township, level, origin) : null;
    const station = r.station ? this.groupRef('liaison_stations', r.station, township, level, origin) : null;

    let outcome: RowOutcome;
    if (existing) {
      existing.claimedBy = origin;
      const db = existing.db as unknown as Row;
      if (db.status === 'ended' && seatRow.status !== undefined && seatRow.status !== 'ended') {
        // An ended seat comes back only through 补选, never because an older list still shows it.
        this.issue(
          this.plan.warnings,
          r,
          'status',
          `名册中该代表资格已于 ${String(db.end_date ?? '（日期未登记）')} 终止，表中为“${display('status', seatRow.status)}”，未更改；如确需更改，请在名册中办理`,
        );
        delete seatRow.status;
      }
      for (const [column, value] of Object.entries(seatRow)) {
        if (column === 'level' || column === 'term') continue;
        if (sameValue(column, db[column] ?? null, value)) continue;
        existing.patch[column] = value;
        changes.push({ column: this.columnName(r.sheet, SEAT_FIELD_OF[column]!), from: display(column, db[column]), to: display(column, value) });
      }
      for (const [column, ref, table] of [['group_id', group, 'deputy_groups'], ['station_id', station, 'liaison_stations']] as const) {
        if (!ref || (ref.id !== null && ref.id === db[column])) continue;
        if (column === 'group_id') existing.group = ref;
        else existing.station = ref;
        changes.push({
          column: this.columnName(r.sheet, column === 'group_id' ? 'group' : 'station'),
          from: this.groupName(table, db[column] as string | null),
          to: column === 'group_id' ? r.group : r.station,
        });
      }
      const seatChanged = Object.keys(existing.patch).length > 0 || existing.group !== null || existing.station !== null;
      if (seatChanged && !existing.queued) {
        existing.queued = true;
        this.plan.seats.push(existing);
      }
      outcome = seatChanged || changes.length ? 'updated' : 'unchanged';
    } else {
      const seat: PlannedSeat = {
        person: p,
        dbId: null,
        db: null,
        claimedBy: origin,
        insert: { status: 'current', ...seatRow },
        patch: {},
        group,
        station,
        queued: true,
      };
      seats.set(key, seat);
      this.plan.seats.push(seat);
      outcome = 'imported';
    }

    const personChanged = p.insert !== null || Object.keys(p.patch).length > 0;
    if (personChanged && !p.written) {
      p.written = true;
      this.plan.persons.push(p);
    }
    if (isNewPerson) this.plan.newPersons++;
    if (changes.length) this.plan.changes.push({ sheet: r.sheet, row: r.row, name: person.name, changes });
    this.plan[outcome === 'imported' ? 'imported' : outcome === 'updated' ? 'updated' : 'unchanged']++;
    return outcome;
  }

  private groupRef(table: GroupRef['table'], name: string, township: string | null, level: Level, origin: Origin): GroupRef {
    const index = table === 'deputy_groups' ? this.groups : this.stations;
    const known = index.get(name) ?? [];
    const found = known.find((g) => g.township === township) ?? known.find((g) => !g.township || !township);
    if (found) return { table, id: found.id, planned: null };
    const plannedKeys = table === 'deputy_groups' ? this.plannedGroups : this.plannedStations;
    const list = table === 'deputy_groups' ? this.plan.newGroups : this.plan.newStations;
    const key = `${name}\u0000${township ?? ''}`;
    let planned = plannedKeys.get(key);
    if (planned === undefined) {
      planned = list.push({ name, township, level, origin }) - 1;
      plannedKeys.set(key, planned);
    }
    return { table, id: null, planned };
  }

  private groupName(table: GroupRef['table'], id: string | null): string | null {
    if (!id) return null;
    for (const list of (table === 'deputy_groups' ? this.groups : this.stations).values()) {
      const g = list.find((x) => x.id === id);
      if (g) return g.name;
    }
    return null;
  }

  /** Warnings about what the import will create besides seats. */
  finish(): Plan {
    for (const [list, what] of [[this.plan.newGroups, '代表小组'], [this.plan.newStations, '代表联络站']] as const) {
      if (list.length) {
        this.plan.warnings.push({
          sheet: list[0]!.origin.sheet,
          row: null,
          column: IMPORT_FIELD_LABELS[what === '代表小组' ? 'group' : 'station'],
          message: `将新建${what}${list.length}个：${list.slice(0, 10).map((g) => g.name).join('、')}${list.length > 10 ? ' 等' : ''}`,
        });
      }
    }
    return this.plan;
  }
}

function groupIndex(rows: { id: string; name: string; township: string | null }[]) {
  const map = new Map<string, { id: string; name: string; township: string | null }[]>();
  for (const r of rows) {
    const list = map.get(r.name) ?? [];
    list.push(r);
    map.set(r.name, list);
  }
  return map;
}
