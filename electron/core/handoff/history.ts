import type {
  ConflictRow,
  HandoffExportResult,
  HandoffHistoryDetail,
  HandoffHistoryRow,
  HandoffImportReport,
  Page,
} from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { CoreContext } from '../context.js';
import type { Db } from '../db/connection.js';
import { nowIso } from '../db/repository.js';
import { displayValue, entityLabel, fieldLabel, officeNames, recordLabel, RULE_LABELS } from './labels.js';

/** 交换记录 and 冲突记录: what the screens list, and applying a losing value again. */
interface ConflictDbRow {
  id: string;
  entity: string;
  entity_id: string;
  field: string;
  rule: ConflictRow['rule'];
  winner_value: string | null;
  winner_office: string;
  winner_hlc: string;
  loser_value: string | null;
  loser_office: string;
  loser_hlc: string;
  package_id: string | null;
  detected_at: string;
  reapplied_at: string | null;
}

function parseValue(json: string | null): unknown {
  if (json === null) return null;
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

/** Wall time of a hybrid clock, for people. */
function hlcTime(hlc: string): string {
  const ms = Number(hlc.split('-')[0]);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : '';
}

export function toConflictRows(db: Db, rows: ConflictDbRow[]): ConflictRow[] {
  const names = officeNames(db);
  const current = (entity: string, id: string, field: string): { live: boolean; value: unknown } | null => {
    try {
      const r = db.prepare(`SELECT "${field}" AS v, deleted_at FROM "${entity}" WHERE id = ?`).get(id) as
        | { v: unknown; deleted_at: string | null }
        | undefined;
      return r ? { live: r.deleted_at === null, value: r.v } : null;
    } catch {
      return null;
    }
  };
  return rows.map((r) => {
    const loser = parseValue(r.loser_value);
    const now = current(r.entity, r.entity_id, r.field);
    return {
      id: r.id,
      entity: r.entity,
      entityLabel: entityLabel(r.entity),
      entityId: r.entity_id,
      recordLabel: recordLabel(db, r.entity, r.entity_id),
      field: r.field,
      fieldLabel: fieldLabel(r.field),
      rule: r.rule,
      ruleLabel: RULE_LABELS[r.rule],
      winner: {
        display: r.rule === 'delete' ? '（已删除）' : displayValue(r.field, parseValue(r.winner_value)),
        office: r.winner_office,
        officeName: names.get(r.winner_office) ?? r.winner_office,
        hlc: r.winner_hlc,
        at: hlcTime(r.winner_hlc),
      },
      loser: {
        display: displayValue(r.field, loser),
        office: r.loser_office,
        officeName: names.get(r.loser_office) ?? r.loser_office,
        hlc: r.loser_hlc,
        at: hlcTime(r.loser_hlc),
      },
      packageId: r.package_id,
      detectedAt: r.detected_at,
      reappliedAt: r.reapplied_at,
      canReapply: r.rule !== 'delete' && now !== null && now.live && (now.value ?? null) !== (loser ?? null),
    };
  });
}

export function conflictsByIds(db: Db, ids: string[]): ConflictRow[] {
  if (ids.length === 0) return [];
  const rows = db
    .prepare(`SELECT * FROM handoff_conflicts WHERE id IN (${ids.map(() => '?').join(', ')}) ORDER BY entity, entity_id, field`)
    .all(...ids) as ConflictDbRow[];
  return toConflictRows(db, rows);
}

export function listConflicts(
  ctx: CoreContext,
  q: { entity?: string; open: boolean; page: number; pageSize: number },
): Page<ConflictRow> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.entity) {
    where.push('entity = ?');
    params.push(q.entity);
  }
  if (q.open) where.push('reapplied_at IS NULL');
  const sql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = ctx.db.prepare(`SELECT count(*) FROM handoff_conflicts ${sql}`).pluck().get(...params) as number;
  const rows = ctx.db
    .prepare(`SELECT * FROM handoff_conflicts ${sql} ORDER BY detected_at DESC, entity, entity_id, field LIMIT ? OFFSET ?`)
    .all(...params, q.pageSize, (q.page - 1) * q.pageSize) as ConflictDbRow[];
  return { rows: toConflictRows(ctx.db, rows), total, page: q.page, pageSize: q.pageSize };
}

/**
 * Writes the losing value again as a new change of this office (new clock):
 * it has seen the winner, so it wins everywhere once it travels, unless
 * someone changes the field again meanwhile.
 */
export function reapplyConflict(ctx: CoreContext, conflictId: string): { changed: boolean } {
  const r = ctx.db.prepare('SELECT * FROM handoff_conflicts WHERE id = ?').get(conflictId) as ConflictDbRow | undefined;
  if (!r) throw new AppError('NOT_FOUND', '找不到这条冲突记录，请刷新后重试。');
  if (r.rule === 'delete') {
    throw new AppError('CONFLICT', '该记录已被删除，落选的修改无法重新应用。如仍需要，请重新登记该记录。');
  }
  return ctx.repo.transaction(() => {
    const changed = ctx.repo.update(r.entity, r.entity_id, { [r.field]: parseValue(r.loser_value) }, {
      summary: `重新应用冲突中落选的值：${entityLabel(r.entity)}“${recordLabel(ctx.db, r.entity, r.entity_id)}”的${fieldLabel(r.field)}`,
    });
    ctx.db.prepare('UPDATE handoff_conflicts SET reapplied_at = ?, reapplied_by = ? WHERE id = ?').run(nowIso(), ctx.operator, r.id);
    return { changed: changed.length > 0 };
  });
}

interface HistoryDbRow {
  id: string;
  direction: 'export' | 'import';
  package_id: string;
  peer_office: string;
  peer_name: string | null;
  file_name: string;
  file_path: string | null;
  at: string;
  operator: string;
  changes: number;
  summary: string;
  report_json: string;
}

function toHistoryRow(r: HistoryDbRow): HandoffHistoryRow {
  return {
    id: r.id,
    direction: r.direction,
    packageId: r.package_id,
    peerOffice: r.peer_office,
    peerName: r.peer_name,
    fileName: r.file_name,
    filePath: r.file_path,
    at: r.at,
    operator: r.operator,
    changes: r.changes,
    summary: r.summary,
  };
}

export function recordHistory(
  ctx: CoreContext,
  entry: Omit<HandoffHistoryRow, 'at' | 'operator'> & { report: HandoffImportReport | HandoffExportResult },
): void {
  ctx.db
    .prepare(
      `INSERT INTO handoff_history (id, direction, package_id, peer_office, peer_name, file_name, file_path, at, operator,
         changes, summary, report_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      entry.id, entry.direction, entry.packageId, entry.peerOffice, entry.peerName, entry.fileName, entry.filePath, nowIso(),
      ctx.operator, entry.changes, entry.summary, JSON.stringify(entry.report),
    );
}

export function listHistory(
  ctx: CoreContext,
  q: { direction?: 'export' | 'import'; page: number; pageSize: number },
): Page<HandoffHistoryRow> {
  const sql = q.direction ? 'WHERE direction = ?' : '';
  const params = q.direction ? [q.direction] : [];
  const total = ctx.db.prepare(`SELECT count(*) FROM handoff_history ${sql}`).pluck().get(...params) as number;
  const rows = ctx.db
    .prepare(`SELECT * FROM handoff_history ${sql} ORDER BY at DESC, id LIMIT ? OFFSET ?`)
    .all(...params, q.pageSize, (q.page - 1) * q.pageSize) as HistoryDbRow[];
  return { rows: rows.map(toHistoryRow), total, page: q.page, pageSize: q.pageSize };
}

export function getHistory(ctx: CoreContext, id: string): HandoffHistoryDetail {
  const r = ctx.db.prepare('SELECT * FROM handoff_history WHERE id = ?').get(id) as HistoryDbRow | undefined;
  if (!r) throw new AppError('NOT_FOUND', '找不到这条交换记录。');
  return { ...toHistoryRow(r), report: JSON.parse(r.report_json) as HandoffImportReport | HandoffExportResult };
}

export function isImported(db: Db, packageId: string): boolean {
  return db.prepare("SELECT 1 FROM handoff_history WHERE direction = 'import' AND package_id = ?").get(packageId) !== undefined;
}
