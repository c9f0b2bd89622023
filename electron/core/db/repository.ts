import { randomBytes, randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import type { Db } from './connection.js';
import { HybridClock } from './hlc.js';

export type Row = Record<string, unknown>;

export interface WriteOptions {
  /** false for bulk operations that write one summary audit entry themselves. */
  audit?: boolean;
  /** Chinese, shown in the audit log screen. */
  summary?: string;
}

export interface WriterIdentity {
  officeCode: string;
  epoch: string;
}

/** Columns every synced table has and the repository alone sets. */
const SYSTEM_COLUMNS = new Set(['id', 'origin_office', 'created_at', 'updated_at', 'deleted_at']);

/** insertMany(): the statements for one set of columns, and the rows waiting for their change-log entries. */
interface Shape {
  insert: Statement<unknown[]>;
  /** INSERT_CHUNK rows at once. */
  insertChunk: Statement<unknown[]>;
  logFromRows: Statement<unknown[]>;
  pending: [id: string, seq: number, hlc: string][];
}

export function nowIso(): string {
  return new Date().toISOString();
}

/**
 * The one layer every write passes through. In the caller's transaction it
 * stamps UUIDs and timestamps, tombstones instead of deleting, and appends to
 * the audit log (who, what, before/after) and the change log (origin office,
 * gap-free sequence, hybrid clock) that the USB handoff reads.
 */
export class Repository {
  private readonly statements = new Map<string, Statement<unknown[]>>();
  private readonly columns = new Map<string, Set<string>>();
  private readonly kinds = new Map<string, Map<string, 'text' | 'integer' | 'other'>>();
  private clock: HybridClock | null = null;

  constructor(
    readonly db: Db,
    private readonly identity: () => WriterIdentity | null,
    private readonly operator: () => string,
  ) {}

  private stmt(sql: string): Statement<unknown[]> {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare<unknown[]>(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private tableColumns(table: string): Set<string> {
    let cols = this.columns.get(table);
    if (!cols) {
      const info = this.db.prepare(`PRAGMA table_info(${JSON.stringify(table)})`).all() as { name: string }[];
      if (info.length === 0) throw new Error(`unknown table ${table}`);
      cols = new Set(info.map((c) => c.name));
      this.columns.set(table, cols);
    }
    return cols;
  }

  private writer(): WriterIdentity {
    const id = this.identity();
    if (!id) throw new AppError('NOT_INITIALIZED', '尚未设置本单位信息，请先完成首次运行设置。');
    return id;
  }

  private hlc(officeCode: string): string {
    if (!this.clock) {
      const latest = this.stmt('SELECT max(hlc) AS h FROM change_log').get() as { h: string | null };
      this.clock = new HybridClock(officeCode, latest.h);
    }
    return this.clock.tick();
  }

  /** Merge a remote clock (handoff import) so later local changes order after it. */
  receiveClock(remote: string): void {
    this.hlc(this.writer().officeCode);
    this.clock!.receive(remote);
  }

  private inTransaction<T>(fn: () => T): T {
    return this.db.inTransaction ? fn() : this.db.transaction(fn)();
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Within bulk(): the last change-log sequence number per office and epoch, counted in memory. */
  private bulkSeq: Map<string, number> | null = null;

  /**
   * One transaction for many writes (an import): the change-log sequence is
   * counted in memory instead of looked up for every row, and SQLite gets a
   * larger page cache while it lasts. The rows and log entries are the same
   * as with single writes.
   *
   * `rebuildIndexes` (table → rows about to be added): for a table that is
   * about to grow by at least half its size, its plain secondary indexes
   * (not unique, not primary keys) are dropped at the start of the
   * transaction and created again, from their own CREATE INDEX text, at its
   * end. SQLite builds an index from sorted keys far faster than it inserts
   * 100,000 random keys one by one. Both happen inside the one transaction:
   * nobody (no other connection, no crash) ever sees the tables without them.
   */
  bulk<T>(fn: () => T, options: { cacheMiB?: number; rebuildIndexes?: Record<string, number> } = {}): T {
    if (this.db.inTransaction) return fn();
    const cache = this.db.pragma('cache_size', { simple: true }) as number;
    this.db.pragma(`cache_size = ${-1024 * (options.cacheMiB ?? 128)}`);
    this.bulkSeq = new Map();
    try {
      return this.db.transaction(() => {
        const dropped = this.dropIndexesFor(options.rebuildIndexes ?? {});
        const result = fn();
        for (const sql of dropped) this.db.exec(sql);
        return result;
      })();
    } finally {
      this.bulkSeq = null;
      this.db.pragma(`cache_size = ${cache}`);
    }
  }

  /** Drops the plain secondary indexes of tables about to grow by half or more; returns their CREATE INDEX statements. */
  private dropIndexesFor(growth: Record<string, number>): string[] {
    const recreate: string[] = [];
    for (const [table, adding] of Object.entries(growth)) {
      if (adding < REBUILD_MIN_ROWS) continue;
      this.tableColumns(table); // a known table: its name is safe in SQL
      // count(*) reads the smallest index: milliseconds even at a million rows.
      const present = this.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
      if (adding * 2 < present) continue;
      const list = this.db.prepare(`PRAGMA index_list(${JSON.stringify(table)})`).all() as { name: string; unique: number; origin: string }[];
      for (const index of list) {
        if (index.unique || index.origin !== 'c') continue;
        const sql = this.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").pluck().get(index.name) as string | null;
        if (!sql) continue;
        this.db.exec(`DROP INDEX ${JSON.stringify(index.name)}`);
        recreate.push(sql);
      }
    }
    return recreate;
  }

  get(table: string, id: string): Row | undefined {
    this.tableColumns(table);
    return this.stmt(`SELECT * FROM ${table} WHERE id = ?`).get(id) as Row | undefined;
  }

  private checkColumns(table: string, values: Row): void {
    const cols = this.tableColumns(table);
    for (const key of Object.keys(values)) {
      if (!cols.has(key) || SYSTEM_COLUMNS.has(key)) throw new Error(`${table}.${key} is not a writable column`);
    }
  }

  /** The next change-log sequence number for this office and epoch (counted in memory within bulk()). */
  private takeSeq(officeCode: string, epoch: string, count = 1): number {
    const key = `${officeCode}\u0000${epoch}`;
    const counted = this.bulkSeq?.get(key);
    const next =
      counted !== undefined
        ? counted + 1
        : (this.stmt('SELECT coalesce(max(seq), 0) + 1 AS seq FROM change_log WHERE origin_office = ? AND epoch = ?').pluck().get(
            officeCode,
            epoch,
          ) as number);
    this.bulkSeq?.set(key, next + count - 1);
    return next;
  }

  private appendChange(table: string, id: string, op: 'insert' | 'update' | 'delete', fields: Row, at: string): void {
    const { officeCode, epoch } = this.writer();
    const seq = this.takeSeq(officeCode, epoch);
    this.changeInsert(1).run(officeCode, seq, epoch, this.hlc(officeCode), table, id, op, JSON.stringify(fields), at);
  }

  /** Appends to the audit log; also used for actions that change no row (reveal, export, import summary). */
  audit(entry: { action: string; entity?: string; entityId?: string; summary?: string; before?: unknown; after?: unknown }): void {
    this.stmt(
      `INSERT INTO audit_log (at, operator, action, entity, entity_id, summary, before_json, after_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      nowIso(),
      this.operator(),
      entry.action,
      entry.entity ?? null,
      entry.entityId ?? null,
      entry.summary ?? null,
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
    );
  }

  insert(table: string, values: Row, options: WriteOptions = {}): string {
    return this.inTransaction(() => {
      this.checkColumns(table, values);
      const { officeCode } = this.writer();
      const at = nowIso();
      const id = randomUUID();
      const row: Row = { id, ...values, origin_office: officeCode, created_at: at, updated_at: at };
      const keys = Object.keys(row);
      this.stmt(`INSERT INTO ${table} (${keys.join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`).run(
        ...keys.map((k) => toSql(row[k])),
      );
      const { id: _id, ...fields } = row;
      this.appendChange(table, id, 'insert', fields, at);
      if (options.audit !== false) {
        this.audit({ action: 'create', entity: table, entityId: id, summary: options.summary, after: row });
      }
      return id;
    });
  }

  /**
   * insert() for many rows of one table: the same rows, the same change-log
   * entries (one per row, in row order, gap-free sequence, a clock tick each)
   * and the same audit entries unless `audit: false`. Returns the ids in row
   * order. Faster for an import:
   * - each statement is prepared once and the sequence taken once;
   * - consecutive rows with the same columns go INSERT_CHUNK at a time into
   *   one statement (in row order, so they get the same rowids);
   * - the new ids (random UUIDs as always) are handed out in sorted order, so
   *   the primary-key index and the change log's entity index take them in
   *   key order;
   * - without per-row audit, a row whose values SQLite stores exactly as
   *   given (text in TEXT columns, whole numbers in INTEGER columns, nulls)
   *   gets its change-log entry from SQLite: json_object() over the row just
   *   written (found by its id), LOG_FROM_ROWS_CHUNK rows per statement. That is the same JSON text
   *   JSON.stringify writes (same keys in the same order, same escapes), and
   *   it saves handing every row to SQLite twice. Other rows (booleans,
   *   fractions, undefined) are logged from JavaScript as insert() does.
   */
  insertMany(table: string, rows: readonly Row[], options: WriteOptions = {}): string[] {
    if (rows.length === 0) return [];
    return this.inTransaction(() => {
      const { officeCode, epoch } = this.writer();
      const ids = sortedRandomUuids(rows.length);
      const kinds = this.columnKinds(table);
      const shapes = new Map<string, Shape>();
      const fromJs: unknown[] = [];
      const flushJs = () => {
        if (fromJs.length === CHANGE_CHUNK * CHANGE_COLUMNS) this.changeInsert(CHANGE_CHUNK).run(fromJs);
        else for (let i = 0; i < fromJs.length; i += CHANGE_COLUMNS) this.changeInsert(1).run(fromJs.slice(i, i + CHANGE_COLUMNS));
        fromJs.length = 0;
      };
      // Rows wait in `batch` until INSERT_CHUNK of one shape can go in one statement.
      let batch: Shape | null = null;
      let batchRows = 0;
      const batchArgs: unknown[] = [];
      const flushRows = () => {
        if (batchRows === INSERT_CHUNK) batch!.insertChunk.run(batchArgs);
        else for (let i = 0, w = batchArgs.length / batchRows; i < batchRows; i++) batch!.insert.run(batchArgs.slice(i * w, (i + 1) * w));
        batchArgs.length = 0;
        batchRows = 0;
      };
      const flushSql = (shape: Shape) => {
        if (batchRows) flushRows(); // the rows it logs must be written first
        if (shape.pending.length) shape.logFromRows.run({ office: officeCode, epoch, entity: table, rows: JSON.stringify(shape.pending) });
        shape.pending.length = 0;
      };
      let seq = this.takeSeq(officeCode, epoch, rows.length);
      let lastMs = -1;
      let at = '';
      let lastKeys: string[] = [];
      let shape: Shape | undefined;
      for (let i = 0; i < rows.length; i++) {
        const values = rows[i]!;
        const id = ids[i]!;
        const keys = Object.keys(values);
        if (!sameKeys(keys, lastKeys)) {
          const shapeKey = keys.join(',');
          shape = shapes.get(shapeKey);
          if (!shape) {
            this.checkColumns(table, values);
            shape = this.shape(table, keys);
            shapes.set(shapeKey, shape);
          }
          lastKeys = keys;
        }
        if (shape !== batch) {
          if (batchRows) flushRows();
          batch = shape!;
        }
        const ms = Date.now();
        if (ms !== lastMs) {
          lastMs = ms;
          at = new Date(ms).toISOString();
        }
        batchArgs.push(id);
        let exact = options.audit === false;
        for (const k of keys) {
          const v = values[k];
          batchArgs.push(toSql(v));
          if (exact && v !== null) {
            const kind = kinds.get(k);
            exact = typeof v === 'string' ? kind === 'text' && isWellFormed(v) : kind === 'integer' && Number.isSafeInteger(v);
          }
        }
        batchArgs.push(officeCode, at, at);
        if (++batchRows === INSERT_CHUNK) flushRows();
        if (exact) {
          batch.pending.push([id, seq++, this.hlc(officeCode)]);
          if (batch.pending.length === LOG_FROM_ROWS_CHUNK) flushSql(batch);
          continue;
        }
        const fields: Row = { ...values, origin_office: officeCode, created_at: at, updated_at: at };
        fromJs.push(officeCode, seq++, epoch, this.hlc(officeCode), table, id, 'insert', JSON.stringify(fields), at);
        if (fromJs.length === CHANGE_CHUNK * CHANGE_COLUMNS) flushJs();
        if (options.audit !== false) {
          this.audit({ action: 'create', entity: table, entityId: id, summary: options.summary, after: { id, ...fields } });
        }
      }
      if (batchRows) flushRows();
      flushJs();
      for (const shape of shapes.values()) flushSql(shape);
      return ids;
    });
  }

  /** Per column: does SQLite keep a text or a whole number exactly as JavaScript has it (type affinity)? */
  private columnKinds(table: string): Map<string, 'text' | 'integer' | 'other'> {
    let kinds = this.kinds.get(table);
    if (!kinds) {
      this.tableColumns(table);
      const info = this.db.prepare(`PRAGMA table_info(${JSON.stringify(table)})`).all() as { name: string; type: string }[];
      kinds = new Map(
        info.map((c) => {
          const type = c.type.toUpperCase();
          // SQLite's affinity rules, in their order: INT first, then CHAR/CLOB/TEXT.
          return [c.name, type.includes('INT') ? 'integer' : /CHAR|CLOB|TEXT/.test(type) ? 'text' : 'other'] as const;
        }),
      );
      this.kinds.set(table, kinds);
    }
    return kinds;
  }

  /** The insert statement for a set of columns, and the one that logs such rows from what was written. */
  private shape(table: string, keys: string[]): Shape {
    const cols = ['id', ...keys, 'origin_office', 'created_at', 'updated_at'];
    const fields = [...keys, 'origin_office', 'created_at', 'updated_at'];
    const one = `(${cols.map(() => '?').join(', ')})`;
    const insert = `INSERT INTO ${table} (${cols.join(', ')}) VALUES `;
    return {
      insert: this.stmt(insert + one),
      insertChunk: this.stmt(insert + Array<string>(INSERT_CHUNK).fill(one).join(', ')),
      // rows: [[id, seq, hlc], …]
      logFromRows: this.stmt(
        `INSERT INTO change_log (origin_office, seq, epoch, hlc, entity, entity_id, op, fields_json, at)
         SELECT @office, j.value ->> 1, @epoch, j.value ->> 2, @entity, t.id, 'insert',
                json_object(${fields.map((k) => `'${k}', t.${k}`).join(', ')}), t.created_at
         FROM json_each(@rows) j CROSS JOIN ${table} t ON t.id = j.value ->> 0`,
      ),
      pending: [],
    };
  }

  /** INSERT INTO change_log for `rows` entries at once (1 or CHANGE_CHUNK). */
  private changeInsert(rows: number): Statement<unknown[]> {
    const one = `(${Array.from({ length: CHANGE_COLUMNS }, () => '?').join(', ')})`;
    return this.stmt(
      `INSERT INTO change_log (origin_office, seq, epoch, hlc, entity, entity_id, op, fields_json, at) VALUES ${Array.from({ length: rows }, () => one).join(', ')}`,
    );
  }

  /** Writes only the fields that really changed; returns their names (empty: nothing written). */
  update(table: string, id: string, patch: Row, options: WriteOptions = {}): string[] {
    return this.inTransaction(() => {
      this.checkColumns(table, patch);
      const before = this.get(table, id);
      if (!before || before.deleted_at) throw new AppError('NOT_FOUND', '要修改的记录不存在或已被删除。');
      const changed = Object.keys(patch).filter((k) => !sameValue(before[k], toSql(patch[k])));
      if (changed.length === 0) return [];
      const at = nowIso();
      const sets = [...changed, 'updated_at'];
      const values = [...changed.map((k) => toSql(patch[k])), at];
      this.stmt(`UPDATE ${table} SET ${sets.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`).run(...values, id);
      const fields: Row = { updated_at: at };
      for (const k of changed) fields[k] = toSql(patch[k]);
      this.appendChange(table, id, 'update', fields, at);
      if (options.audit !== false) {
        const b: Row = {};
        for (const k of changed) b[k] = before[k];
        this.audit({ action: 'update', entity: table, entityId: id, summary: options.summary, before: b, after: fields });
      }
      return changed;
    });
  }

  /** Deletes by tombstone: the row stays, marked deleted, and the deletion travels. */
  tombstone(table: string, id: string, options: WriteOptions = {}): void {
    this.inTransaction(() => {
      this.tableColumns(table);
      const before = this.get(table, id);
      if (!before || before.deleted_at) throw new AppError('NOT_FOUND', '要删除的记录不存在或已被删除。');
      const at = nowIso();
      this.stmt(`UPDATE ${table} SET deleted_at = ?, updated_at = ? WHERE id = ?`).run(at, at, id);
      this.appendChange(table, id, 'delete', { deleted_at: at, updated_at: at }, at);
      if (options.audit !== false) {
        this.audit({ action: 'delete', entity: table, entityId: id, summary: options.summary, before });
      }
    });
  }
}

/** bulk(): indexes are rebuilt only for at least this many new rows. */
const REBUILD_MIN_ROWS = 500;
/** insertMany(): change-log entries per INSERT statement (9 values each, well under SQLite's 32,766). */
const CHANGE_CHUNK = 100;
/**
 * insertMany(): rows per INSERT statement. Each run of a statement builds
 * anew the lookup tables of its CHECK (x IN (…)) constraints (seats has
 * four), which cost more than writing the row; a few rows per run share
 * them. Past some 10 rows the bigger statement gains nothing more.
 */
const INSERT_CHUNK = 10;
/** insertMany(): change-log entries made by SQLite per statement (one small JSON array of [id, seq, hlc]). */
const LOG_FROM_ROWS_CHUNK = 1000;
const CHANGE_COLUMNS = 9;

/** No lone surrogate halves (SQLite would store U+FFFD for one; JSON.stringify writes \udXXX). ES2024, in Node 20. */
const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');

/**
 * `n` random (version 4) UUIDs in sorted order, as n randomUUID() sorted
 * would give, in a tenth of the time (0.6 s for 133,000 of those: making
 * the strings one by one, then comparing them). Only the first 48 random
 * bits are sorted, as numbers; the other bits of each slot are drawn after,
 * which gives the same distribution since they are independent of the order
 * (and should two first parts be equal, the whole texts are sorted). The
 * texts are written as one ASCII buffer and cut from one string.
 */
export function sortedRandomUuids(n: number, random: (size: number) => Buffer = randomBytes): string[] {
  const bytes = random(16 * n);
  const firsts = new Float64Array(n);
  for (let i = 0; i < n; i++) firsts[i] = bytes.readUIntBE(16 * i, 6);
  firsts.sort();
  let tie = false;
  const text = Buffer.allocUnsafe(36 * n);
  for (let i = 0, o = 0, t = 0; i < n; i++, o += 16) {
    if (i > 0 && firsts[i] === firsts[i - 1]) tie = true;
    bytes.writeUIntBE(firsts[i]!, o, 6);
    bytes[o + 6] = (bytes[o + 6]! & 0x0f) | 0x40; // version 4
    bytes[o + 8] = (bytes[o + 8]! & 0x3f) | 0x80; // RFC 4122 variant
    for (let b = 0; b < 16; b++) {
      if (b === 4 || b === 6 || b === 8 || b === 10) text[t++] = 45; // -
      text[t++] = HEX_DIGITS[bytes[o + b]! >> 4]!;
      text[t++] = HEX_DIGITS[bytes[o + b]! & 15]!;
    }
  }
  const all = text.toString('latin1');
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) ids[i] = all.slice(36 * i, 36 * i + 36);
  if (tie) ids.sort();
  return ids;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function toSql(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

function sameValue(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}
