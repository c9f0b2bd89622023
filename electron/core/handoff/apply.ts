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

export class Applier {
  private readonly statements = new Map<string, Statement<unknown[]>>();
  private readonly columns = new Map<string, Set<string>>();
  private readonly synced: Set<string>;
  readonly knowledge: Knowledge;
  readonly warnings = new Set<string>();
  private steps = 0;
  /** Per table, the rows that had changes here before this package. */
  private readonly hadChanges = new Map<string, Set<string>>();
  private readonly blocked: Set<string>;

  constructor(
    private readonly ctx: CoreContext,
    private readonly packageId: string | null,
    private readonly failAt?: number,
  ) {
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
      const rows = between.all(r.origin, r.epoch, r.min, r.max) as { seq: number; hlc: string; fields_json: string }[];
      heldBySequence.set(key, new Map(rows.map((row) => [row.seq, row])));
    }
    const insert = this.stmt(
      `INSERT INTO change_log (origin_office, seq, epoch, hlc, entity, entity_id, op, fields_json, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const received: Change[] = [];
    let skipped = 0;
    for (const c of changes) {
      this.step();
      const held = heldBySequence.get(`${c.origin}:${c.epoch}`)!.get(c.seq);
      if (held) {
        skipped++;
        if (held.hlc !== c.hlc || held.fields_json !== c.fields) {
          this.warnings.add(
            `${c.origin} 的第 ${c.seq} 号变更与本机已有的同号变更内容不同：对方的数据库可能是复制出来的。已保留本机原有的变更，请联系该单位核查。`,
          );
        }
        continue;
      }
      insert.run(c.origin, c.seq, c.epoch, c.hlc, c.entity, c.entityId, c.op, c.fields, c.at);
      received.push(c);
    }
    return { received, skipped };
  }

  /** Which of the rows this package touches already had changes here (looked up in batches, not one by one). */
  private noteRowsWithChanges(changes: Change[]): void {
    const byEntity = new Map<string, Set<string>>();
    for (const c of changes) {
      const ids = byEntity.get(c.entity) ?? new Set<string>();
      byEntity.set(c.entity, ids.add(c.entityId));
    }
    const BATCH = 500;
    for (const [entity, idSet] of byEntity) {
      const ids = [...idSet];
      const had = new Set<string>();
      for (let i = 0; i < ids.length; i += BATCH) {
        const part = ids.slice(i, i + BATCH);
        const found = this.stmt(
          `SELECT DISTINCT entity_id FROM change_log WHERE entity = ? AND entity_id IN (${part.map(() => '?').join(', ')})`,
        )
          .pluck()
          .all(entity, ...part) as string[];
        for (const id of found) had.add(id);
      }
      this.hadChanges.set(entity, had);
    }
  }

  /** Every change of one row: from the package alone when the row had none here before. */
  private opsOf(entity: string, id: string, incoming?: Change[]): OpRef[] {
    if (incoming && !this.hadChanges.get(entity)?.has(id)) {
      return incoming.map((c) => ({
        origin: c.origin,
        epoch: c.epoch,
        seq: c.seq,
        hlc: c.hlc,
        op: c.op,
        fields: c.values ?? (JSON.parse(c.fields) as Record<string, unknown>),
      }));
    }
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

  /**
   * Recomputes one row from all its changes and writes it when it differs.
   * `incoming`: this package's changes of the row (all of them, after store()).
   */
  materialize(entity: string, id: string, incoming?: Change[]): { kind: RowKind; conflicts: ConflictRecord[] } {
    this.step();
    if (incoming?.length === 1 && incoming[0]!.op === 'insert' && !this.hadChanges.get(entity)?.has(id)) {
      const kind = this.insertNew(entity, id, incoming[0]!);
      if (kind) return { kind, conflicts: [] };
    }
    const ops = this.opsOf(entity, id, incoming);
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
    let current = fresh ? undefined : (this.stmt(`SELECT * FROM "${entity}" WHERE id = ?`).get(id) as Record<string, unknown> | undefined);
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
      if (!String((err as { code?: string }).code ?? '').startsWith('SQLITE_CONSTRAINT')) throw err;
      this.block(entity, id, (err as Error).message);
      return { kind: 'blocked', conflicts: [] };
    }
    if (this.blocked.has(`${entity}\u0000${id}`)) this.stmt('DELETE FROM handoff_blocked WHERE entity = ? AND entity_id = ?').run(entity, id);

    const conflicts = this.conflictsOf(entity, id, heads, winners, target);
    let kind: RowKind;
    if (!current) kind = target.deleted_at ? 'deleted' : 'new';
    else if (!current.deleted_at && target.deleted_at) kind = 'deleted';
    else kind = changed.some((f) => f !== 'updated_at') ? 'updated' : 'unchanged';
    return { kind, conflicts };
  }

  /**
   * The common case, most of a big package: a row born elsewhere with one
   * change, its insert. Written as it is; null when it turns out to exist.
   */
  private insertNew(entity: string, id: string, change: Change): RowKind | null {
    const values = change.values ?? (JSON.parse(change.fields) as Record<string, unknown>);
    const { keys, statement } = this.insertStatement(entity, Object.keys(values));
    const args: unknown[] = [id];
    for (const k of keys) args.push(sqlValue(values[k]));
    try {
      if (statement.run(...args).changes === 0) return null;
    } catch (err) {
      if (!String((err as { code?: string }).code ?? '').startsWith('SQLITE_CONSTRAINT')) throw err;
      this.block(entity, id, (err as Error).message);
      return 'blocked';
    }
    if (this.blocked.size > 0 && this.blocked.has(`${entity}\u0000${id}`)) {
      this.stmt('DELETE FROM handoff_blocked WHERE entity = ? AND entity_id = ?').run(entity, id);
    }
    return values.deleted_at ? 'deleted' : 'new';
  }

  /** The insert for a set of fields; inserts of one table nearly always carry the same fields, in the same order. */
  private readonly lastInsert = new Map<string, { fields: string[]; keys: string[]; statement: Statement<unknown[]> }>();

  private insertStatement(entity: string, fields: string[]): { keys: string[]; statement: Statement<unknown[]> } {
    const last = this.lastInsert.get(entity);
    if (last && last.fields.length === fields.length && last.fields.every((f, i) => f === fields[i])) return last;
    const cols = this.tableColumns(entity);
    const keys = fields.filter((k) => {
      if (cols.has(k) && k !== 'id') return true;
      this.warnings.add(`数据包中 ${entity}.${k} 字段在本机数据库中不存在，已忽略该字段。`);
      return false;
    });
    const statement = this.stmt(
      `INSERT INTO "${entity}" ("id", ${keys.map((k) => `"${k}"`).join(', ')}) VALUES (?${', ?'.repeat(keys.length)}) ON CONFLICT (id) DO NOTHING`,
    );
    const entry = { fields, keys, statement };
    this.lastInsert.set(entity, entry);
    return entry;
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

function same(a: unknown, b: unknown): boolean {
  return sqlValue(a) === sqlValue(b);
}
