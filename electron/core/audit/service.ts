import type { z } from 'zod';
import { auditActionLabel, auditChanges, auditEntityLabel } from '../../../shared/audit.js';
import type { AuditChoices, AuditRow, Page, auditFilter } from '../../../shared/contract/index.js';
import type { CoreContext } from '../context.js';

export type AuditQuery = z.output<typeof auditFilter>;

export interface AuditDbRow {
  id: number;
  at: string;
  operator: string;
  action: string;
  entity: string | null;
  entity_id: string | null;
  summary: string | null;
  before_json: string | null;
  after_json: string | null;
}

/** A local calendar day → the UTC instants the log stores (`at` is ISO UTC). */
function localDayStart(date: string): string {
  return new Date(`${date}T00:00:00`).toISOString();
}
function localDayEnd(date: string): string {
  const d = new Date(`${date}T00:00:00`);
  d.setDate(d.getDate() + 1);
  return d.toISOString();
}

export function auditWhere(q: AuditQuery): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.from) {
    where.push('at >= ?');
    params.push(localDayStart(q.from));
  }
  if (q.to) {
    where.push('at < ?');
    params.push(localDayEnd(q.to));
  }
  for (const [column, value] of [
    ['action', q.action],
    ['operator', q.operator],
    ['entity', q.entity],
    ['entity_id', q.entityId],
  ] as const) {
    if (value) {
      where.push(`${column} = ?`);
      params.push(value);
    }
  }
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    where.push("(summary LIKE ? ESCAPE '\\' OR entity_id LIKE ? ESCAPE '\\' OR operator LIKE ? ESCAPE '\\')");
    params.push(like, like, like);
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

/** What to call a record, per table; tables not listed fall back to a name in the entry itself. */
const RECORD_NAMES: Record<string, string> = {
  persons: 'SELECT id, name AS label FROM persons WHERE id IN',
  seats: "SELECT s.id, p.name || '（' || s.term || '）' AS label FROM seats s JOIN persons p ON p.id = s.person_id WHERE s.id IN",
  deputy_groups: 'SELECT id, name AS label FROM deputy_groups WHERE id IN',
  liaison_stations: 'SELECT id, name AS label FROM liaison_stations WHERE id IN',
  operators: 'SELECT id, name AS label FROM operators WHERE id IN',
};

function parse(json: string | null): unknown {
  if (json === null) return undefined;
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

/** Turns stored rows into screen rows, naming their records with one query per table. */
export function toAuditRows(ctx: CoreContext, rows: AuditDbRow[]): AuditRow[] {
  const names = new Map<string, string>();
  const byEntity = new Map<string, string[]>();
  for (const r of rows) {
    if (r.entity && r.entity_id && RECORD_NAMES[r.entity]) {
      const ids = byEntity.get(r.entity) ?? [];
      ids.push(r.entity_id);
      byEntity.set(r.entity, ids);
    }
  }
  for (const [entity, ids] of byEntity) {
    const unique = [...new Set(ids)];
    try {
      const found = ctx.db.prepare(`${RECORD_NAMES[entity]} (${unique.map(() => '?').join(', ')})`).all(...unique) as {
        id: string;
        label: string;
      }[];
      for (const f of found) names.set(`${entity}:${f.id}`, f.label);
    } catch {
      // a table from an older schema: names are a convenience
    }
  }
  return rows.map((r) => {
    const before = parse(r.before_json);
    const after = parse(r.after_json);
    const own = (after ?? before) as { name?: unknown } | undefined;
    const record =
      (r.entity && r.entity_id ? names.get(`${r.entity}:${r.entity_id}`) : undefined) ??
      (own && typeof own === 'object' && typeof own.name === 'string' ? own.name : null);
    return {
      id: r.id,
      at: r.at,
      operator: r.operator,
      action: r.action,
      actionLabel: auditActionLabel(r.action),
      entity: r.entity,
      entityLabel: auditEntityLabel(r.entity),
      entityId: r.entity_id,
      record,
      summary: r.summary,
      changes: auditChanges(before, after),
    };
  });
}

export function listAudit(ctx: CoreContext, q: AuditQuery & { page: number; pageSize: number }): Page<AuditRow> {
  const { sql, params } = auditWhere(q);
  const total = ctx.db.prepare(`SELECT count(*) FROM audit_log ${sql}`).pluck().get(...params) as number;
  const rows = ctx.db
    .prepare(`SELECT * FROM audit_log ${sql} ORDER BY id DESC LIMIT ? OFFSET ?`)
    .all(...params, q.pageSize, (q.page - 1) * q.pageSize) as AuditDbRow[];
  return { rows: toAuditRows(ctx, rows), total, page: q.page, pageSize: q.pageSize };
}

export function auditChoices(ctx: CoreContext): AuditChoices {
  const distinct = (column: string) =>
    ctx.db.prepare(`SELECT DISTINCT ${column} FROM audit_log WHERE ${column} IS NOT NULL ORDER BY ${column}`).pluck().all() as string[];
  return {
    operators: distinct('operator'),
    actions: distinct('action').map((value) => ({ value, label: auditActionLabel(value) })),
    entities: distinct('entity').map((value) => ({ value, label: auditEntityLabel(value) })),
  };
}
