import { z } from 'zod';
import type { Level } from '../dictionaries.js';
import { IMPORT_FIELDS, type ImportField } from '../rosterImport.js';
import { fileInput, method, noInput, type FileOutput } from './define.js';

/**
 * Roster import from Excel (代表名册导入): one input for the preview (a dry
 * run) and the real import, so both report exactly the same rows.
 */

/** 补充值: a value for a column the sheet does not have, keyed by its header word (层级) or field (level). */
const fills = z.record(z.string().trim().min(1).max(20), z.string().trim().max(100));

export const rosterImportSheetOption = z.object({
  /** Sheet name as in the workbook. */
  name: z.string().min(1).max(100),
  /** false: leave this sheet out. */
  include: z.boolean().optional(),
  /** The Excel row number of the header row, when the detected one is wrong. */
  headerRow: z.number().int().min(1).max(1000).optional(),
  /** Column number (1 = A) → field, or null to ignore the column. Overrides the detected mapping. */
  mapping: z.record(z.string().regex(/^\d+$/), z.enum(IMPORT_FIELDS).nullable()).optional(),
  /** Fills for this sheet only; override the workbook-wide ones. */
  fills: fills.optional(),
});
export type RosterImportSheetOption = z.infer<typeof rosterImportSheetOption>;

export const rosterImportOptions = z.object({
  fills: fills.optional(),
  sheets: z.array(rosterImportSheetOption).max(100).optional(),
  /** Import only these sheets (by name); the others are left out. */
  onlySheets: z.array(z.string().min(1).max(100)).max(100).optional(),
  /** At most this many errors and warnings in the answer (the counts are always complete). */
  maxIssues: z.number().int().min(1).max(1_000_000).optional(),
});
export type RosterImportOptions = z.infer<typeof rosterImportOptions>;

export const rosterImportInput = rosterImportOptions.extend({ file: fileInput });

/** One problem: the Excel row number, the header text as written in the sheet, what to do. */
export interface RosterImportIssue {
  sheet: string;
  /** Row number as Excel shows it; null for a problem with the whole sheet. */
  row: number | null;
  /** Header text as written in the sheet (or the field name when the sheet lacks it); '' when not about one column. */
  column: string;
  message: string;
}

export interface RosterImportFieldChange {
  column: string;
  from: string | null;
  to: string | null;
}

/** A seat that already existed and whose values the import changes. */
export interface RosterImportChange {
  sheet: string;
  row: number;
  name: string;
  changes: RosterImportFieldChange[];
}

export interface RosterImportColumn {
  /** 1 = column A. */
  index: number;
  letter: string;
  /** Header text as written (two header rows joined with “/”). */
  header: string;
  /** What it is read as; null: ignored. */
  field: ImportField | null;
  /** What the import recognised by itself. */
  detected: ImportField | null;
  /** The column's value in the first row under the header, to help the user tell columns apart. */
  sample: string;
}

export interface RosterImportSheet {
  name: string;
  /** false when the sheet was left out or has no recognisable header. */
  included: boolean;
  /** Why it is left out. */
  skipReason: string | null;
  headerRow: number | null;
  /** 1 or 2 (a two-row header). */
  headerRowCount: number;
  columns: RosterImportColumn[];
  /** Required fields with no column, fill or hint: the sheet cannot be imported until given. */
  missing: ImportField[];
  /** Fillable fields the sheet has no column for (层级, 届次, 所属乡镇). */
  absent: ImportField[];
  /** The value each absent field takes and where from: a fill, the sheet's name, or the title above the table. */
  fillsUsed: { field: ImportField; value: string; source: 'fill' | 'sheetName' | 'title' }[];
  /** Values read from the title lines and the sheet name, offered to the user as fills. */
  suggestedFills: Partial<Record<ImportField, string>>;
  levelHint: Level | null;
  dataRows: number;
  imported: number;
  updated: number;
  unchanged: number;
  errorRows: number;
  ignoredColumns: string[];
}

export interface RosterImportReport {
  /** Seats (sheet rows) added. */
  imported: number;
  updated: number;
  unchanged: number;
  /** Every error, or the first maxIssues of them; rows with errors are not imported. */
  errors: RosterImportIssue[];
  warnings: RosterImportIssue[];
  /** Header texts of columns that were not read. */
  ignoredColumns: string[];
  /** Data rows read, and how many had errors. */
  rows: number;
  errorRows: number;
  errorCount: number;
  warningCount: number;
  /** New persons among the imported seats (the rest are second seats of known persons). */
  newPersons: number;
  changes: RosterImportChange[];
  sheets: RosterImportSheet[];
  dryRun: boolean;
  fileName: string;
}

export interface RosterImportFieldInfo {
  field: ImportField;
  label: string;
  kind: 'person' | 'seat' | 'none';
  required: boolean;
  fillable: boolean;
  hint: string;
}

export const rosterImportContract = {
  'roster.importPreview': method(rosterImportInput, '名册导入：识别表头并试导入（不写入）').returns<RosterImportReport>(),
  'roster.importApply': method(rosterImportInput, '名册导入：写入').returns<RosterImportReport>(),
  'roster.importFields': method(noInput, '名册导入：可识别的列').returns<RosterImportFieldInfo[]>(),
  'roster.importTemplate': method(noInput, '下载代表名册导入模板').returns<FileOutput>(),
};
