import { randomUUID } from 'node:crypto';
import type { HandoffImportReport } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { CoreContext } from '../context.js';
import { nowIso } from '../db/repository.js';
import { Applier, type ApplyOptions, type RowKind, type RowWork } from './apply.js';
import { raiseHoldings, rememberPeerAcks, type Change } from './changes.js';
import type { PackageHeader } from './format.js';
import { conflictsByIds, recordHistory } from './history.js';
import { recordKnowledge } from './knowledge.js';
import { entityLabel } from './labels.js';
import type { Phase } from './phases.js';
import { withSearchKept } from '../roster/search.js';

/**
 * The write half of an import, after every check passed: one transaction
 * that stores the changes, recomputes the rows they touch, raises what this
 * office holds, remembers the sender's acknowledgements, and records the
 * report in the history and one audit entry.
 */
export function applyPackage(
  ctx: CoreContext,
  header: PackageHeader,
  peerName: string,
  changes: Change[],
  fileName: string,
  options: ApplyOptions,
  warnings: string[],
  backupFile: string | null,
  phase: Phase = () => {},
): HandoffImportReport {
  const me = ctx.requireOffice();
  const result = ctx.repo.transaction(() => {
    // References may arrive before what they point to; checked once, before commit.
    ctx.db.pragma('defer_foreign_keys = ON');
    const applier = new Applier(ctx, header.packageId, options);
    const { received, skipped } = applier.store(changes);
    phase('apply: store change_log');
    for (const r of header.ranges) {
      if (r.full && !(r.origin === me.officeCode && r.epoch === me.epoch)) raiseHoldings(ctx.db, r.origin, r.epoch, r.to);
    }

    const counts: Record<RowKind, number> = { new: 0, updated: 0, deleted: 0, unchanged: 0, pending: 0, blocked: 0 };
    const byEntity: HandoffImportReport['byEntity'] = {};
    const conflictIds: string[] = [];
    // Each row once, in the order of its last change: an issued batch is written after its lines, as it was made.
    const rows = new Map<string, RowWork>();
    for (const c of received) {
      if (!applier.isSynced(c.entity)) {
        applier.warnings.add(`数据包中有本程序不认识的数据类别“${c.entity}”，已保存但未显示。请升级本程序。`);
        continue;
      }
      const key = `${c.entity}\u0000${c.entityId}`;
      const row = rows.get(key);
      if (!row) rows.set(key, { entity: c.entity, id: c.entityId, incoming: [c] });
      else {
        row.incoming!.push(c);
        rows.delete(key);
        rows.set(key, row);
      }
    }
    const blockedBefore = applier.blockedRows().filter((b) => !rows.has(`${b.entity}\u0000${b.entity_id}`));
    const work: RowWork[] = [...rows.values(), ...blockedBefore.map((b) => ({ entity: b.entity, id: b.entity_id }))].filter((r) =>
      applier.isSynced(r.entity),
    );
    const touched = new Map<string, Set<string>>();
    // A package that fills an empty roster rebuilds the list's search tables once, not row by row.
    const rowsOf = (entity: string) => work.reduce((n, r) => n + (r.entity === entity ? 1 : 0), 0);
    withSearchKept(ctx.db, { persons: rowsOf('persons'), seats: rowsOf('seats') }, () => applier.applyRows(work, ({ entity, id }, kind, conflicts) => {
      let ids = touched.get(entity);
      if (!ids) touched.set(entity, (ids = new Set<string>()));
      ids.add(id);
      // Knowledge rows are bookkeeping: not counted for the clerk.
      if (entity !== 'handoff_knowledge') {
        counts[kind]++;
        if (kind === 'new' || kind === 'updated' || kind === 'deleted') {
          const e = (byEntity[entityLabel(entity)] ??= { new: 0, updated: 0, deleted: 0 });
          e[kind]++;
        }
      }
      for (const c of conflicts) conflictIds.push(c.id);
    }));
    phase('apply: rows');
    if (counts.pending > 0) {
      applier.warnings.add(`${counts.pending} 条记录的其余部分尚未收到，收到后自动显示。`);
    }
    const stillBlocked = applier.blockedRows();
    if (stillBlocked.length > 0) {
      applier.warnings.add(
        `${stillBlocked.length} 条记录与本机已有的数据冲突（例如同一期间已有积分规则、发放批次已发放），暂未写入；修改都已保存，解决后下次导入时自动补上。`,
      );
    }

    const newest = received.reduce((max, c) => (c.hlc > max ? c.hlc : max), header.senderHlc);
    ctx.repo.receiveClock(newest);
    if (received.some((c) => c.entity !== 'handoff_knowledge')) recordKnowledge(ctx);
    rememberPeerAcks(ctx, header.from.code, header.senderHlc, header.packageId, header.acks);
    phase('apply: knowledge, acks');
    checkReferences(ctx, touched);
    phase('apply: check references');

    const report: HandoffImportReport = {
      status: 'applied',
      packageId: header.packageId,
      from: { code: header.from.code, name: peerName },
      fileName,
      createdAt: header.createdAt,
      importedAt: nowIso(),
      changes: changes.length,
      new: counts.new,
      updated: counts.updated,
      deleted: counts.deleted,
      skipped,
      unchanged: counts.unchanged,
      byEntity,
      conflicts: conflictsByIds(ctx.db, conflictIds),
      warnings: [...warnings, ...applier.warnings],
      backupFile,
    };
    recordHistory(ctx, {
      id: randomUUID(),
      direction: 'import',
      packageId: header.packageId,
      peerOffice: header.from.code,
      peerName,
      fileName,
      filePath: null,
      changes: changes.length,
      summary: summaryLine(report),
      report,
    });
    ctx.repo.audit({
      action: 'import',
      entity: 'handoff',
      entityId: header.packageId,
      summary: `导入${peerName}的数据交换包 ${fileName}：${summaryLine(report)}`,
      after: { new: report.new, updated: report.updated, deleted: report.deleted, skipped, conflicts: report.conflicts.length },
    });
    phase('apply: report, history, audit');
    return report;
  });
  phase('apply: commit');
  return result;
}

export function summaryLine(r: HandoffImportReport): string {
  return `新增 ${r.new}，修改 ${r.updated}，删除 ${r.deleted}，已有而跳过 ${r.skipped}，冲突 ${r.conflicts.length}${r.warnings.length ? `，提示 ${r.warnings.length}` : ''}`;
}

export { recordKnowledge } from './knowledge.js';

/** Refuses the whole package when a row it brought points at something this office does not have. */
function checkReferences(ctx: CoreContext, touched: Map<string, Set<string>>): void {
  for (const [table, ids] of touched) {
    const broken = ctx.db.prepare(`PRAGMA foreign_key_check("${table}")`).all() as { rowid: number; parent: string }[];
    const mine = broken.filter((b) => {
      const id = ctx.db.prepare(`SELECT id FROM "${table}" WHERE rowid = ?`).pluck().get(b.rowid) as string | undefined;
      return id !== undefined && ids.has(id);
    });
    if (mine.length > 0) {
      throw new AppError(
        'CONFLICT',
        `数据交换包中有 ${mine.length} 条${entityLabel(table)}记录引用了本机没有的${entityLabel(mine[0]!.parent)}，已全部撤销，数据未作任何改动。请联系对方核查后重新导出。`,
      );
    }
  }
}
