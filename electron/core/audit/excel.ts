import type { Writable } from 'node:stream';
import { auditChangesText } from '../../../shared/audit.js';
import type { FileOutput } from '../../../shared/contract/index.js';
import type { CoreContext } from '../context.js';
import {
  addOfficialSheet,
  bodyStyles,
  chineseDate,
  HEADER_ROW,
  newWorkbookWriter,
  workbookFileOutput,
  writeHeaderRow,
  writeRow,
  yieldToIo,
} from '../reports/layout.js';
import { auditWhere, toAuditRows, type AuditDbRow, type AuditQuery } from './service.js';

/** 2025-01-15 08:30:12 in the PC's local time. */
export function localDateTime(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const COLUMNS: { header: string; width: number; align?: 'center' }[] = [
  { header: '序号', width: 7, align: 'center' },
  { header: '时间', width: 20, align: 'center' },
  { header: '操作员', width: 11, align: 'center' },
  { header: '操作', width: 12, align: 'center' },
  { header: '对象', width: 12, align: 'center' },
  { header: '记录', width: 18 },
  { header: '说明', width: 40 },
  { header: '修改内容（修改前 → 修改后）', width: 60 },
];

function rangeText(q: AuditQuery): string {
  if (q.from && q.to) return `${q.from} 至 ${q.to}`;
  if (q.from) return `${q.from} 起`;
  if (q.to) return `截至 ${q.to}`;
  return '全部日期';
}

/** The log in the official layout; personal data masked as on screen. Returns the number of entries. */
export async function writeAuditWorkbook(ctx: CoreContext, q: AuditQuery, target: Writable, now = new Date()): Promise<number> {
  const office = ctx.requireOffice();
  const { sql, params } = auditWhere(q);
  const total = ctx.db.prepare(`SELECT count(*) FROM audit_log ${sql}`).pluck().get(...params) as number;
  const wb = newWorkbookWriter(target);
  const ws = addOfficialSheet(wb, {
    sheetName: '操作日志',
    title: '操作日志',
    widths: COLUMNS.map((c) => c.width),
    officeLine: { left: `制表单位：${office.officeName}`, center: `${rangeText(q)}，共 ${total} 条`, right: `制表日期：${chineseDate(now)}` },
    headerRowCount: 1,
  });
  writeHeaderRow(ws, COLUMNS.map((c) => c.header), 28);
  const styles = bodyStyles(COLUMNS);

  // Oldest first on paper, read in pages so a long log never sits in memory whole.
  const page = ctx.db.prepare(`SELECT * FROM audit_log ${sql ? `${sql} AND` : 'WHERE'} id > ? ORDER BY id LIMIT 1000`);
  let lastId = 0;
  let index = 0;
  for (;;) {
    const chunk = page.all(...params, lastId) as AuditDbRow[];
    if (chunk.length === 0) break;
    lastId = chunk[chunk.length - 1]!.id;
    for (const r of toAuditRows(ctx, chunk)) {
      index += 1;
      const values = [
        index,
        localDateTime(r.at),
        r.operator,
        r.actionLabel,
        r.entityLabel,
        r.record ?? '',
        r.summary ?? '',
        auditChangesText(r.changes),
      ];
      writeRow(ws, HEADER_ROW + index, values, styles);
    }
    await yieldToIo();
  }
  ws.commit();
  await wb.commit();
  return index;
}

/** The workbook for the UI doors; the export itself is logged. */
export async function auditWorkbookOutput(ctx: CoreContext, q: AuditQuery): Promise<FileOutput> {
  let rows = 0;
  const file = await workbookFileOutput('操作日志.xlsx', async (stream) => {
    rows = await writeAuditWorkbook(ctx, q, stream);
  });
  if (!ctx.damage) ctx.repo.audit({ action: 'export', entity: 'audit_log', summary: `导出操作日志：${rangeText(q)}，${rows} 条`, after: { filters: q, rows } });
  return { ...file, fileName: `操作日志（${rangeText(q)}）.xlsx`.replace(/[\\/:*?"<>|]/g, '_') };
}
