import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { CoreContext } from '../context.js';
import { nowIso } from '../db/repository.js';
import { Knowledge, headsOf, ruleOf, winnerOf, type OpRef } from './causality.js';
import { opId, type Change } from './changes.js';
import { syncedTables } from './ownership.js';

/**
 * Applies received changes inside the caller's transaction: the change_log
 * rows are stored as they came (origin, epoch, seq, clock unchanged), then
 * every row they touch is recomputed from all of its changes (causality.ts)
 * and written directly: the data tables then show, on every office, the same
 * value for the same set of changes. Values that lose are kept in
 * handoff_conflicts, never dropped.
 */
export type RowKind = 'new' | 'updated' | 'deleted' | 'unchanged' | 'pending' | 'blocked';

export interface ConflictRecord {
  id: string;
  entity: string;
  entityId: string;
  field: string;
  rule: 'owner' | 'clock' | 'office-code tie' | 'delete';
  winner: OpRef;
  winnerValue: unknown;
  loser: OpRef;
  loserValue: unknown;
}

/** Columns the repository sets and no conflict is about. */
const NOT_CONFLICTS = new Set(['id', 'origin_office', 'created_at', 'updated_at', 'deleted_at']);

export class InjectedFailure extends Error {}

export interface ApplyOptions {
  /** Tests: fail at the Nth step (stored change or written row) to prove the rollback. */
  failAt?: number;
  /**
   * Tests: false writes and reads every row one by one, as before bulk
   * writing and reading ahead existed, to prove both give the same result.
   */
  bulk?: boolean;
}

/** One row an import writes: `incoming` is this package's changes of it (none: a blocked row tried again). */
export interface RowWork {
  entity: string;
  id: string;
  incoming?: Change[];
}

export type RowDone = (row: RowWork, kind: RowKind, conflicts: ConflictRecord[]) => void;

/** change_log's columns in the order a stored change is written. */
const LOG_COLUMNS = ['origin_office', 'seq', 'epoch', 'hlc', 'entity', 'entity_id', 'op', 'fields_json', 'at'];

/**
 * Rows per multi-row INSERT at most. Beyond a few hundred the statement
 * only gets longer to prepare; fewer when rows are wide, to stay under the
 * 32,766 values SQLite binds to one statement.
 */
const BULK_ROWS = 256;
/** Rows of one table whose change log and values are read back with one query each (see takeRead). */
const READ_AHEAD = 500;
/** Sequence numbers of already held changes read per query (see store). */
const READ_WINDOW = 2000;
const MAX_BOUND_VALUES = 32766;

interface Chunk {
  from: number;
  to: number;
}

/**
 * Splits `count` rows into statements: full ones of the largest size, the
 * rest in powers of two (137 → 128 + 8 + 1), so a table never needs more
 * than about ten prepared shapes however the packages are sized.
 */
function chunksOf(count: number, width: number): Chunk[] {
  const most = Math.max(1, Math.min(BULK_ROWS, Math.floor(MAX_BOUND_VALUES / Math.max(1, width))));
  const out: Chunk[] = [];
  for (let from = 0; from < count; ) {
    const left = count - from;
    const n = left >= most ? most : 2 ** Math.floor(Math.log2(left));
    out.push({ from, to: from + n });
    from += n;
  }
  return out;
}

export class Applier {
  private readonly statements = new Map<string, Statement<unknown[]>>();
  private readonly bulkStatements = new Map<string, Statement<unknown[]>>();
  private readonly columns = new Map<string, Set<string>>();
  private readonly synced: Set<string>;
  readonly knowledge: Knowledge;
  readonly warnings = new Set<string>();
  private steps = 0;
  /** Per table, the rows that had changes here before this package. */
  private readonly hadChanges = new Map<string, Set<string>>();
  private readonly blocked: Set<string>;

  private readonly failAt: number | undefined;
  private readonly bulk: boolean;

  constructor(
    private readonly ctx: CoreContext,
    private readonly packageId: string | null,
    options: ApplyOptions = {},
  ) {
    this.failAt = options.failAt;
    this.bulk = options.bulk ?? true;
    this.synced = new Set(syncedTables(ctx.db));
    this.knowledge = new Knowledge(ctx.db);
    this.blocked = new Set(this.blockedRows().map((b) => `${b.entity}\u0000${b.entity_id}`));
  }

  private stmt(sql: string): Statement<unknown[]> {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.ctx.db.prepare<unknown[]>(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /** Tests inject a failure at the Nth step (stored change or written row) to prove the rollback. */
  private step(): void {
    this.steps++;
    if (this.failAt !== undefined && this.steps === this.failAt) throw new InjectedFailure(`injected failure at step ${this.steps}`);
  }

  isSynced(entity: string): boolean {
    return this.synced.has(entity);
  }

  private tableColumns(table: string): Set<string> {
    let cols = this.columns.get(table);
    if (!cols) {
      cols = new Set((this.ctx.db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name));
      this.columns.set(table, cols);
    }
    return cols;
  }

  /**
   * Stores the changes not held yet; returns them. A held change with other
   * content means a copied database. Also notes which rows had changes
   * before, so rows new here are written without reading the log back.
   */
  store(changes: Change[]): { received: Change[]; skipped: number } {
    this.noteRowsWithChanges(changes);
    const heldBySequence = new Map<string, Map<number, { hlc: string; fields_json: string }>>();
    const between = this.stmt('SELECT seq, hlc, fields_json FROM change_log WHERE origin_office = ? AND epoch = ? AND seq BETWEEN ? AND ?');
    const ranges = new Map<string, { origin: string; epoch: string; min: number; max: number }>();
    for (const c of changes) {
      const key = `${c.origin}:${c.epoch}`;
      const r = ranges.get(key);
      if (!r) ranges.set(key, { origin: c.origin, epoch: c.epoch, min: c.seq, max: c.seq });
      else {
        r.min = Math.min(r.min, c.seq);
        r.max = Math.max(r.max, c.seq);
      }
    }
    for (const [key, r] of ranges) {
      // A window at a time: one .all() over a whole year would keep every value in one handle scope.
      const held = new Map<number, { hlc: string; fields_json: string }>();
      for (let from = r.min; from <= r.max; from += READ_WINDOW) {
        for (const row of between.all(r.origin, r.epoch, from, Math.min(r.max, from + READ_WINDOW - 1)) as {
          seq: number;
          hlc: string;
          fields_json: string;
        }[]) {
          held.set(row.seq, row);
        }
      }
      heldBySequence.set(key, held);
    }
    const received: Change[] = [];
    let skipped = 0;
    for (const c of changes) {
      const held = heldBySequence.get(`${c.origin}:${c.epoch}`)!.get(c.seq);
      if (held) {
        this.step();
        skipped++;
        if (held.hlc !== c.hlc || held.fields_json !== c.fields) {
          this.warnings.add(
            `${c.origin} 的第 ${c.seq} 号变更与本机已有的同号变更内容不同：对方的数据库可能是复制出来的。已保留本机原有的变更，请联系该单位核查。`,
          );
        }
        continue;
      }
      received.push(c);
    }
    // Many per statement (see insertMany); each stored change is a step once its statement ran.
    for (const chunk of chunksOf(received.length, LOG_COLUMNS.length)) {
      this.insertMany('change_log', LOG_COLUMNS, chunk, (args, k, i) => {
        const c = received[i]!;
        args[k] = c.origin;
        args[k + 1] = c.seq;
        args[k + 2] = c.epoch;
        args[k + 3] = c.hlc;
        args[k + 4] = c.entity;
        args[k + 5] = c.entityId;
        args[k + 6] = c.op;
        args[k + 7] = c.fields;
        args[k + 8] = c.at;
      });
      for (let i = chunk.from; i < chunk.to; i++) this.step();
    }
    return { received, skipped };
  }

  /**
   * One INSERT for the rows `chunk.from`..`chunk.to`, whose values `fill`
   * puts at `args[k]`… in `columns` order: one statement, one call into
   * SQLite and one statement journal for up to BULK_ROWS rows instead of one
   * each. Statements are cached by shape; chunksOf() keeps the shapes few.
   */
  private insertMany(table: string, columns: string[], chunk: Chunk, fill: (args: unknown[], k: number, i: number) => void): void {
    const n = chunk.to - chunk.from;
    const key = `${table}\u0000${columns.join('\u0000')}\u0000${n}`;
    let statement = this.bulkStatements.get(key);
    if (!statement) {
      const row = `(${columns.map(() => '?').join(', ')})`;
      statement = this.ctx.db.prepare<unknown[]>(
        `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${Array<string>(n).fill(row).join(', ')}`,
      );
      this.bulkStatements.set(key, statement);
    }
    const width = columns.length;
    const args = new Array<unknown>(n * width);
    for (let i = chunk.from, k = 0; i < chunk.to; i++, k += width) fill(args, k, i);
    statement.run(args);
  }

  /**
   * Which of the rows this package touches already had changes here: one
   * query per table, the ids passed as one JSON array (SQLite reads it in C).
   */
  private noteRowsWithChanges(changes: Change[]): void {
    const byEntity = new Map<string, Set<string>>();
    for (const c of changes) {
      let ids = byEntity.get(c.entity);
      if (!ids) byEntity.set(c.entity, (ids = new Set<string>()));
      ids.add(c.entityId);
    }
    const had = this.stmt(
      'SELECT DISTINCT entity_id FROM change_log WHERE entity = ? AND entity_id IN (SELECT value FROM json_each(?))',
    ).pluck();
    for (const [entity, ids] of byEntity) {
      this.hadChanges.set(entity, new Set(had.all(entity, JSON.stringify([...ids])) as string[]));
    }
  }

  /** Every change of one row: from the package alone when the row had none here before. */
  private opsOf(entity: string, id: string, incoming?: Change[]): OpRef[] {
    if (incoming && !this.hadChanges.get(entity)?.has(id)) return incoming.map(toOpRef);
    const rows = this.stmt(
      'SELECT origin_office, epoch, seq, hlc, op, fields_json FROM change_log WHERE entity = ? AND entity_id = ?',
    ).all(entity, id) as { origin_office: string; epoch: string; seq: number; hlc: string; op: OpRef['op']; fields_json: string }[];
    return rows.map((r) => ({
      origin: r.origin_office,
      epoch: r.epoch,
      seq: r.seq,
      hlc: r.hlc,
      op: r.op,
      fields: JSON.parse(r.fields_json) as Record<string, unknown>,
    }));
  }

  /** A row that had changes here (or is retried) is read back: its change log and current values. */
  private needsReading(row: RowWork): boolean {
    return row.incoming === undefined || (this.hadChanges.get(row.entity)?.has(row.id) ?? false);
  }

  /**
   * The change logs and current values of the rows that must be read back,
   * read a window of READ_AHEAD rows of one table at a time with two
   * queries (ids as one JSON array) instead of two queries per row. Only a
   * row's own materialize() writes it, so what is read ahead is what it
   * would have read itself.
   */
  private readAhead: {
    queue: Map<string, RowWork[]>;
    position: Map<RowWork, number>;
    read: Map<RowWork, { ops: OpRef[]; current: Record<string, unknown> | undefined }>;
  } | null = null;

  private planReading(rows: RowWork[]): void {
    const queue = new Map<string, RowWork[]>();
    const position = new Map<RowWork, number>();
    for (const row of rows) {
      if (!this.needsReading(row)) continue;
      let list = queue.get(row.entity);
      if (!list) queue.set(row.entity, (list = []));
      position.set(row, list.length);
      list.push(row);
    }
    this.readAhead = { queue, position, read: new Map() };
  }

  private takeRead(row: RowWork): { ops: OpRef[]; current: Record<string, unknown> | undefined } | undefined {
    const plan = this.readAhead;
    const at = plan?.position.get(row);
    if (!plan || at === undefined) return undefined;
    let found = plan.read.get(row);
    if (!found) {
      const window = plan.queue.get(row.entity)!.slice(at, at + READ_AHEAD).filter((r) => !plan.read.has(r));
      const ids = JSON.stringify(window.map((r) => r.id));
      const byId = new Map(window.map((r) => [r.id, { ops: [] as OpRef[], current: undefined as Record<string, unknown> | undefined }]));
      const logs = this.stmt(
        `SELECT entity_id, origin_office, epoch, seq, hlc, op, fields_json FROM change_log
         WHERE entity = ? AND entity_id IN (SELECT value FROM json_each(?)) ORDER BY entity_id, origin_office, epoch, seq`,
      )
        .raw()
        .all(row.entity, ids) as [string, string, string, number, string, OpRef['op'], string][];
      for (const [entityId, origin, epoch, seq, hlc, op, fields] of logs) {
        byId.get(entityId)!.ops.push({ origin, epoch, seq, hlc, op, fields: JSON.parse(fields) as Record<string, unknown> });
      }
      // Raw rows made into objects here: much cheaper than better-sqlite3 setting each column on a new object.
      const select = this.stmt(`SELECT * FROM "${row.entity}" WHERE id IN (SELECT value FROM json_each(?))`);
      const names = select.columns().map((c) => c.name);
      for (const values of select.raw().all(ids) as unknown[][]) {
        const current: Record<string, unknown> = {};
        for (let i = 0; i < names.length; i++) current[names[i]!] = values[i];
        byId.get(current.id as string)!.current = current;
      }
      for (const r of window) plan.read.set(r, byId.get(r.id)!);
      found = plan.read.get(row)!;
    }
    plan.read.delete(row);
    plan.position.delete(row);
    return found;
  }

  /**
   * Recomputes one row from all its changes and writes it when it differs.
   * `incoming`: this package's changes of the row (all of them, after store());
   * `row`: its entry in applyRows(), whose reads may have been done ahead.
   */
  materialize(entity: string, id: string, incoming?: Change[], row?: RowWork): { kind: RowKind; conflicts: ConflictRecord[] } {
    this.step();
    if (incoming?.length === 1 && incoming[0]!.op === 'insert' && !this.hadChanges.get(entity)?.has(id)) {
      const kind = this.insertNew(entity, id, incoming[0]!);
      if (kind) return { kind, conflicts: [] };
    }
    const read = row ? this.takeRead(row) : undefined;
    const ops = read ? read.ops : this.opsOf(entity, id, incoming);
    // The row's insert has not arrived (only from a partial range): keep the changes, show nothing yet.
    if (!ops.some((o) => o.op === 'insert')) return { kind: 'pending', conflicts: [] };

    const cols = this.tableColumns(entity);
    const byField = new Map<string, OpRef[]>();
    for (const o of ops) {
      for (const field of Object.keys(o.fields)) {
        if (!cols.has(field) || field === 'id') {
          this.warnings.add(`数据包中 ${entity}.${field} 字段在本机数据库中不存在，已忽略该字段。`);
          continue;
        }
        const list = byField.get(field);
        if (list) list.push(o);
        else byField.set(field, [o]);
      }
    }
    const target: Record<string, unknown> = {};
    const changed: string[] = [];
    const heads = new Map<string, OpRef[]>();
    const winners = new Map<string, OpRef>();
    for (const [field, list] of byField) {
      const h = headsOf(list, this.knowledge);
      const w = h.length === 1 ? h[0]! : winnerOf(entity, field, h);
      heads.set(field, h);
      winners.set(field, w);
      target[field] = sqlValue(w.fields[field]);
    }

    // A row with no change here before is new here: inserted straight away (unless, oddly, it exists).
    const fresh = incoming !== undefined && !this.hadChanges.get(entity)?.has(id);
    let current = fresh
      ? undefined
      : read
        ? read.current
        : (this.stmt(`SELECT * FROM "${entity}" WHERE id = ?`).get(id) as Record<string, unknown> | undefined);
    try {
      if (!current) {
        const keys = ['id', ...Object.keys(target)];
        const inserted = this.stmt(
          `INSERT INTO "${entity}" (${keys.map((k) => `"${k}"`).join(', ')}) VALUES (${keys.map(() => '?').join(', ')}) ON CONFLICT (id) DO NOTHING`,
        ).run(id, ...Object.keys(target).map((k) => target[k]));
        if (inserted.changes === 0) current = this.stmt(`SELECT * FROM "${entity}" WHERE id = ?`).get(id) as Record<string, unknown>;
      }
      if (current) changed.push(...Object.keys(target).filter((f) => !same(current![f], target[f])));
      if (current && changed.length > 0) {
        this.stmt(`UPDATE "${entity}" SET ${changed.map((k) => `"${k}" = ?`).join(', ')} WHERE id = ?`).run(
          ...changed.map((k) => target[k]),
          id,
        );
      }
    } catch (err) {
      // A rule of this database refuses the row (unique index, locked batch): keep its changes, retry next time.
      if (!isConstraint(err)) throw err;
      this.block(entity, id, (err as Error).message);
      return { kind: 'blocked', conflicts: [] };
    }
    this.unblock(entity, id);

    const conflicts = this.conflictsOf(entity, id, heads, winners, target);
    let kind: RowKind;
    if (!current) kind = target.deleted_at ? 'deleted' : 'new';
    else if (!current.deleted_at && target.deleted_at) kind = 'deleted';
    else kind = changed.some((f) => f !== 'updated_at') ? 'updated' : 'unchanged';
    return { kind, conflicts };
  }

  /**
   * Writes every row in `rows`, in that order (the order of their last
   * change, see applyPackage), and reports each to `done`.
   *
   * Most of a big package is rows born elsewhere whose only change is their
   * insert (fresh rows). Those are collected and written many per statement
   * (insertFresh) instead of one by one: one call into SQLite and one
   * statement journal per few hundred rows. Every other row goes through
   * materialize() where it stands, after the fresh rows before it are in.
   *
   * Collected rows are written table by table, so the rows of two tables may
   * go in in another order than given. That changes nothing: foreign keys
   * are deferred to the commit, CHECKs and unique indexes only look at their
   * own table (whose order is kept), and tables whose triggers look at each
   * other (an issued batch refuses new lines) are never collected together
   * (see linked()).
   */
  applyRows(rows: RowWork[], done: RowDone): void {
    if (this.bulk) this.planReading(rows);
    const waiting = new Map<string, RowWork[]>();
    const flush = () => {
      for (const [table, list] of waiting) this.insertFresh(table, list, done);
      waiting.clear();
    };
    for (const row of rows) {
      if (!this.bulk || !this.isFresh(row)) {
        flush();
        const { kind, conflicts } = this.materialize(row.entity, row.id, row.incoming, row);
        done(row, kind, conflicts);
        continue;
      }
      for (const table of waiting.keys()) {
        if (table !== row.entity && this.linked(table, row.entity)) {
          flush();
          break;
        }
      }
      let list = waiting.get(row.entity);
      if (!list) waiting.set(row.entity, (list = []));
      list.push(row);
    }
    flush();
  }

  /** A row with no change here before whose only change in the package is its insert. */
  private isFresh(row: RowWork): boolean {
    return row.incoming?.length === 1 && row.incoming[0]!.op === 'insert' && !this.hadChanges.get(row.entity)?.has(row.id);
  }

  /**
   * True when a trigger of one of the two tables names the other, or both
   * name a third (the scoring keys): their rows keep their given order.
   */
  private linked(a: string, b: string): boolean {
    if (!this.triggerTables) {
      this.triggerTables = new Map();
      const tables = this.ctx.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
      // Not the roster search's triggers (search_*, migration 0008): they give the same
      // result whether a seat or its person comes first (the seat waits for its person).
      const triggers = this.ctx.db
        .prepare("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL AND name NOT LIKE 'search\\_%' ESCAPE '\\'")
        .all() as { tbl_name: string; sql: string }[];
      for (const t of triggers) {
        const named = this.triggerTables.get(t.tbl_name) ?? new Set<string>();
        for (const table of tables) {
          if (table !== t.tbl_name && new RegExp(`\\b${table}\\b`, 'i').test(t.sql)) named.add(table);
        }
        this.triggerTables.set(t.tbl_name, named);
      }
    }
    const na = this.triggerTables.get(a);
    const nb = this.triggerTables.get(b);
    if (na?.has(b) || nb?.has(a)) return true;
    if (na && nb) for (const t of na) if (nb.has(t)) return true;
    return false;
  }

  /** Per table with triggers, the other tables its triggers name. */
  private triggerTables: Map<string, Set<string>> | null = null;

  /**
   * Fresh rows of one table, in order, many per statement. A statement that
   * a rule of this database refuses (a unique index, an issued batch, a row
   * that exists after all) is undone whole by SQLite, and its rows go one
   * by one through materialize(), which blocks or merges the one at fault,
   * exactly as if there had been no statement; statements before and after
   * it stand.
   */
  private insertFresh(table: string, list: RowWork[], done: RowDone): void {
    for (let start = 0; start < list.length; ) {
      // Inserts of one table nearly always carry the same fields in the same order: one run per field list.
      const fields = Object.keys(valuesOf(list[start]!.incoming![0]!));
      let end = start + 1;
      while (end < list.length && sameFields(fields, valuesOf(list[end]!.incoming![0]!))) end++;
      this.insertRun(table, fields, start === 0 && end === list.length ? list : list.slice(start, end), done);
      start = end;
    }
  }

  private insertRun(table: string, fields: string[], run: RowWork[], done: RowDone): void {
    const keys = this.insertColumns(table, fields);
    const columns = ['id', ...keys];
    for (const chunk of chunksOf(run.length, columns.length)) {
      try {
        this.insertMany(table, columns, chunk, (args, k, i) => {
          const row = run[i]!;
          const values = valuesOf(row.incoming![0]!);
          args[k] = row.id;
          for (let j = 0; j < keys.length; j++) args[k + 1 + j] = sqlValue(values[keys[j]!]);
        });
      } catch (err) {
        if (!isConstraint(err)) throw err;
        for (let i = chunk.from; i < chunk.to; i++) {
          const row = run[i]!;
          const { kind, conflicts } = this.materialize(row.entity, row.id, row.incoming);
          done(row, kind, conflicts);
        }
        continue;
      }
      for (let i = chunk.from; i < chunk.to; i++) {
        const row = run[i]!;
        this.step();
        this.unblock(table, row.id);
        done(row, valuesOf(row.incoming![0]!).deleted_at ? 'deleted' : 'new', []);
      }
    }
  }

  private unblock(entity: string, id: string): void {
    if (this.blocked.size > 0 && this.blocked.has(`${entity}\u0000${id}`)) {
      this.stmt('DELETE FROM handoff_blocked WHERE entity = ? AND entity_id = ?').run(entity, id);
    }
  }

  /**
   * The common case, most of a big package: a row born elsewhere with one
   * change, its insert. Written as it is; null when it turns out to exist.
   */
  private insertNew(entity: string, id: string, change: Change): RowKind | null {
    const values = valuesOf(change);
    const keys = this.insertColumns(entity, Object.keys(values));
    const args: unknown[] = [id];
    for (const k of keys) args.push(sqlValue(values[k]));
    const statement = this.stmt(
      `INSERT INTO "${entity}" ("id", ${keys.map((k) => `"${k}"`).join(', ')}) VALUES (?${', ?'.repeat(keys.length)}) ON CONFLICT (id) DO NOTHING`,
    );
    try {
      if (statement.run(...args).changes === 0) return null;
    } catch (err) {
      if (!isConstraint(err)) throw err;
      this.block(entity, id, (err as Error).message);
      return 'blocked';
    }
    this.unblock(entity, id);
    return values.deleted_at ? 'deleted' : 'new';
  }

  /** The columns an insert with these fields writes (unknown fields are left out, with a warning); cached per field list. */
  private readonly insertKeys = new Map<string, string[]>();

  private insertColumns(entity: string, fields: string[]): string[] {
    const signature = `${entity}\u0000${fields.join('\u0000')}`;
    let keys = this.insertKeys.get(signature);
    if (!keys) {
      const cols = this.tableColumns(entity);
      keys = fields.filter((k) => {
        if (cols.has(k) && k !== 'id') return true;
        this.warnings.add(`数据包中 ${entity}.${k} 字段在本机数据库中不存在，已忽略该字段。`);
        return false;
      });
      this.insertKeys.set(signature, keys);
    }
    return keys;
  }

  private block(entity: string, id: string, reason: string): void {
    this.blocked.add(`${entity}\u0000${id}`);
    this.stmt(
      `INSERT INTO handoff_blocked (entity, entity_id, reason, since) VALUES (?, ?, ?, ?)
       ON CONFLICT (entity, entity_id) DO UPDATE SET reason = excluded.reason`,
    ).run(entity, id, reason, nowIso());
  }

  /** Rows refused earlier, to try again after this package's rows are in. */
  blockedRows(): { entity: string; entity_id: string }[] {
    return this.stmt('SELECT entity, entity_id FROM handoff_blocked ORDER BY since').all() as { entity: string; entity_id: string }[];
  }

  private conflictsOf(
    entity: string,
    id: string,
    heads: Map<string, OpRef[]>,
    winners: Map<string, OpRef>,
    target: Record<string, unknown>,
  ): ConflictRecord[] {
    const found: ConflictRecord[] = [];
    const deletion = target.deleted_at ? winners.get('deleted_at') : undefined;
    for (const [field, h] of heads) {
      if (NOT_CONFLICTS.has(field)) continue;
      const winner = winners.get(field)!;
      for (const loser of h) {
        if (loser !== winner && !same(loser.fields[field], winner.fields[field])) {
          found.push(this.record(entity, id, field, ruleOf(entity, field, winner, loser), winner, winner.fields[field], loser, loser.fields[field]));
        }
      }
      // Deleted on one side while edited on the other: both apply (the row stays deleted, the edit is kept).
      if (deletion) {
        for (const edit of h) {
          if (edit.op === 'update' && !this.knowledge.saw(edit, deletion)) {
            found.push(this.record(entity, id, field, 'delete', deletion, null, edit, edit.fields[field]));
          }
        }
      }
    }
    return found.filter((c) => this.keep(c));
  }

  private record(
    entity: string,
    entityId: string,
    field: string,
    rule: ConflictRecord['rule'],
    winner: OpRef,
    winnerValue: unknown,
    loser: OpRef,
    loserValue: unknown,
  ): ConflictRecord {
    return { id: randomUUID(), entity, entityId, field, rule, winner, winnerValue: winnerValue ?? null, loser, loserValue: loserValue ?? null };
  }

  /** Stores a conflict unless this office already recorded the same pair; true when new. */
  private keep(c: ConflictRecord): boolean {
    const r = this.stmt(
      `INSERT OR IGNORE INTO handoff_conflicts (id, entity, entity_id, field, rule, winner_value, winner_office, winner_hlc,
         winner_op, loser_value, loser_office, loser_hlc, loser_op, package_id, detected_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      c.id, c.entity, c.entityId, c.field, c.rule, JSON.stringify(c.winnerValue), c.winner.origin, c.winner.hlc, opId(c.winner),
      JSON.stringify(c.loserValue), c.loser.origin, c.loser.hlc, opId(c.loser), this.packageId, nowIso(),
    );
    return r.changes > 0;
  }
}

/** As the repository stores it: the change log may carry booleans (inserts log the values as given). */
function sqlValue(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

function toOpRef(c: Change): OpRef {
  return { origin: c.origin, epoch: c.epoch, seq: c.seq, hlc: c.hlc, op: c.op, fields: valuesOf(c) };
}

/** A change's fields, parsed once (decodeChanges already did for every received change). */
function valuesOf(change: Change): Record<string, unknown> {
  return (change.values ??= JSON.parse(change.fields) as Record<string, unknown>);
}

/** True when `values` has exactly `fields`, in that order. */
function sameFields(fields: string[], values: Record<string, unknown>): boolean {
  let i = 0;
  for (const k in values) {
    if (fields[i] !== k) return false;
    i++;
  }
  return i === fields.length;
}

function isConstraint(err: unknown): boolean {
  return String((err as { code?: string }).code ?? '').startsWith('SQLITE_CONSTRAINT');
}

function same(a: unknown, b: unknown): boolean {
  return sqlValue(a) === sqlValue(b);
}
