import { z } from 'zod';
import type { AuditChange } from '../audit.js';
import { method, noInput, pageInput, type FileOutput, type Page } from './define.js';
import { isoDate } from './roster.js';

/** The audit log (操作日志): read-only from every door; there is no method that changes it. */
export const auditFilter = z.object({
  /** Local dates, inclusive. */
  from: isoDate.optional(),
  to: isoDate.optional(),
  action: z.string().trim().max(40).optional(),
  operator: z.string().trim().max(40).optional(),
  entity: z.string().trim().max(60).optional(),
  /** One record: every entry about it. */
  entityId: z.string().trim().max(80).optional(),
  /** Words in the description or the record id. */
  q: z.string().trim().max(100).optional(),
});
export type AuditFilter = z.input<typeof auditFilter>;

export interface AuditRow {
  id: number;
  at: string;
  operator: string;
  action: string;
  actionLabel: string;
  entity: string | null;
  entityLabel: string;
  entityId: string | null;
  /** The record in words (a deputy's name …) when it can be found. */
  record: string | null;
  summary: string | null;
  /** Labelled, personal data masked. */
  changes: AuditChange[];
}

export interface AuditChoices {
  operators: string[];
  actions: { value: string; label: string }[];
  entities: { value: string; label: string }[];
}

export const auditContract = {
  'audit.list': method(auditFilter.extend(pageInput), '操作日志（分页、筛选）').returns<Page<AuditRow>>(),
  'audit.choices': method(noInput, '操作日志筛选项').returns<AuditChoices>(),
  'audit.export': method(auditFilter, '导出操作日志（Excel）').returns<FileOutput>(),
};
