import { randomUUID } from 'node:crypto';
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
   */
  bulk<T>(fn: () => T, options: { cacheMiB?: number } = {}): T {
    if (this.db.inTransaction) return fn();
    const cache = this.db.pragma('cache_size', { simple: true }) as number;
    this.db.pragma(`cache_size = ${-1024 * (options.cacheMiB ?? 128)}`);
    this.bulkSeq = new Map();
    try {
      return this.db.transaction(fn)();
    } finally {
      this.bulkSeq = null;
      this.db.pragma(`cache_size = ${cache}`);
    }
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

  private appendChange(table: string, id: string, op: 'insert' | 'update' | 'delete', fields: Row, at: string): void {
    const { officeCode, epoch } = this.writer();
    const counted = this.bulkSeq?.get(`${officeCode}\u0000${epoch}`);
    const next =
      counted !== undefined
        ? { seq: counted + 1 }
        : (this.stmt('SELECT coalesce(max(seq), 0) + 1 AS seq FROM change_log WHERE origin_office = ? AND epoch = ?').get(
            officeCode,
            epoch,
          ) as { seq: number });
    this.bulkSeq?.set(`${officeCode}\u0000${epoch}`, next.seq);
    this.stmt(
      `INSERT INTO change_log (origin_office, seq, epoch, hlc, entity, entity_id, op, fields_json, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(officeCode, next.seq, epoch, this.hlc(officeCode), table, id, op, JSON.stringify(fields), at);
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

function toSql(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

function sameValue(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}
