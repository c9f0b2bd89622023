import type { BackupCounts } from '../../../shared/contract/index.js';
import type { Db } from '../db/connection.js';

/**
 * What a backup holds, in the clerk's terms. Each entry names the tables that
 * may hold it (the first one present is counted), so a backup made before a
 * domain existed simply has no count for it.
 */
const COUNTED: { key: string; tables: string[] }[] = [
  { key: 'persons', tables: ['persons'] },
  { key: 'seats', tables: ['seats'] },
  { key: 'activities', tables: ['activities'] },
  { key: 'spending', tables: ['fund_entries'] },
  { key: 'payoutBatches', tables: ['subsidy_batches'] },
  { key: 'auditEntries', tables: ['audit_log'] },
];

export function countRecords(db: Db): BackupCounts {
  const tables = new Map<string, Set<string>>();
  const present = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  const columnsOf = (table: string): Set<string> => {
    let cols = tables.get(table);
    if (!cols) {
      cols = new Set((db.prepare(`PRAGMA table_info(${JSON.stringify(table)})`).all() as { name: string }[]).map((c) => c.name));
      tables.set(table, cols);
    }
    return cols;
  };
  const counts: BackupCounts = {};
  for (const { key, tables: candidates } of COUNTED) {
    const table = candidates.find((t) => present.includes(t));
    if (!table) continue;
    const live = columnsOf(table).has('deleted_at') ? ' WHERE deleted_at IS NULL' : '';
    counts[key] = db.prepare(`SELECT count(*) FROM ${table}${live}`).pluck().get() as number;
  }
  return counts;
}
