/**
 * The rows of one sheet below its header, as seats to import: what is data,
 * what is a group heading (whose township or level the rows under it take),
 * and what is a total, a note or a blank line. Rows hidden in Excel are read
 * too, and listed in one warning.
 */
import type { RosterImportIssue, RosterImportSheet } from '../../../../shared/contract/rosterImport.js';
import { LEVEL_LABELS } from '../../../../shared/dictionaries.js';
import type { ImportField } from '../../../../shared/rosterImport.js';
import { classifyRow, parseRow, type ParsedRow, type SheetReading } from './record.js';
import { sectionOf } from './sections.js';
import type { RawSheet } from './sheet.js';
import { cellText } from './values.js';

export interface SheetWork {
  summary: RosterImportSheet;
  reading: SheetReading | null;
  issues: { errors: RosterImportIssue[]; warnings: RosterImportIssue[] };
  dataStart: number;
  /** Fields without a column that group headings in the table may give (所属乡镇, 层级). */
  sectionFields: ('township' | 'level')[];
}

/** The data rows of an analysed sheet, parsed; counts them in the summary and adds the sheet's warnings. */
export function readSheetRows(sheet: RawSheet, work: SheetWork): ParsedRow[] {
  const { reading, summary } = work;
  const out: ParsedRow[] = [];
  if (!reading) return out;
  const warn = (row: number | null, message: string) => work.issues.warnings.push({ sheet: sheet.name, row, column: '', message });
  let afterNotes = false;
  const hidden: number[] = [];
  let sectionReading: SheetReading | null = null;
  reading.memo ??= new Map(); // shared with the readings of group headings below
  for (const row of sheet.rows) {
    if (row.number < work.dataStart) continue;
    const kind = classifyRow(row.cells, reading, afterNotes);
    const section = kind !== 'data' && kind !== 'total' && work.sectionFields.length ? sectionOf(row.cells) : null;
    const given = section ? work.sectionFields.filter((f) => section[f] !== null) : [];
    if (section && given.length) {
      // A group heading: its township or level goes to the rows under it, until the next heading.
      const fills: Map<ImportField, unknown> = new Map(sectionReading?.fills ?? reading.fills);
      // A level heading opens a new part of the list: the township of the group before it ends there.
      if (section.level && work.sectionFields.includes('township')) {
        if (reading.fills.has('township')) fills.set('township', reading.fills.get('township'));
        else fills.delete('township');
      }
      for (const f of given) fills.set(f, section[f]);
      sectionReading = { ...reading, fills };
      afterNotes = false;
      const what = given.map((f) => (f === 'township' ? `所属乡镇“${section.township}”` : `${LEVEL_LABELS[section.level!]}级代表`));
      warn(row.number, `“${section.text}”是分组标题，以下各行按${what.join('、')}导入`);
      continue;
    }
    // Below a 合计 row or a note come footers and figures, not deputies (unless a full row).
    if (kind === 'note' || kind === 'total') afterNotes = true;
    if (kind === 'section') {
      warn(row.number, `“${cellText(row.cells.find((c) => cellText(c).trim()) ?? '').trim().slice(0, 30)}”不是代表信息，已跳过`);
    }
    if (kind !== 'data') continue;
    if (row.hidden) hidden.push(row.number);
    summary.dataRows++;
    if (summary.included) out.push(parseRow(row.number, row.cells, sectionReading ?? reading));
  }
  if (hidden.length && summary.included) {
    // Rows hidden by hand or by a filter are still on the roster; the clerk may not have seen them.
    const list = `第${hidden.slice(0, 10).join('、')}行${hidden.length > 10 ? ' 等' : ''}`;
    warn(null, `有${hidden.length}行是隐藏的（手动隐藏或筛选），也已一并读取：${list}；如其中有不应导入的，请删除这些行后再导入`);
  }
  return out;
}
