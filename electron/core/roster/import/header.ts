/**
 * Finding the header row of a roster sheet (below titles and fill-in lines)
 * and what each column means. Header words are matched after removing every
 * kind of space and the brackets, against the synonyms in shared/rosterImport.
 */
import { parseLevel, type Level } from '../../../../shared/dictionaries.js';
import { IMPORT_FIELD_LABELS, matchHeader, type ImportField } from '../../../../shared/rosterImport.js';
import { cellText, cleanCode, type CellValue } from './values.js';

export interface SheetRow {
  /** Excel row number. */
  number: number;
  /** 1-based, like exceljs's row.values. */
  cells: CellValue[];
  /** Hidden in Excel (by hand or by a filter). */
  hidden?: boolean;
}

export interface DetectedColumn {
  index: number;
  header: string;
  detected: ImportField | null;
}

export interface DetectedHeader {
  headerRow: number;
  headerRowCount: 1 | 2;
  columns: DetectedColumn[];
}

/** How many rows with content, from the top, are searched for the header (pass one more: a second header row). */
export const HEADER_SEARCH_ROWS = 15;

/** Header text as written (trimmed): messages quote it exactly. */
const text = (cells: CellValue[], i: number) => cellText(cells[i]).replace(/^[\s\u3000\u00a0]+|[\s\u3000\u00a0]+$/g, '');

function rowFields(row: SheetRow): Map<number, ImportField> {
  const found = new Map<number, ImportField>();
  for (let i = 1; i < row.cells.length; i++) {
    const field = matchHeader(text(row.cells, i));
    if (field) found.set(i, field);
  }
  return found;
}

function distinctScore(found: Map<number, ImportField>): number {
  return new Set([...found.values()].filter((f) => f !== 'serial')).size;
}

/**
 * The header row: among the first rows, the one where most cells are known
 * header words (at least two besides 序号), read together with a second header
 * row under it where there is one. Ties go to the upper row. With `forcedRow`, that row.
 */
export function detectHeader(rows: SheetRow[], forcedRow?: number): DetectedHeader | null {
  const candidates = forcedRow === undefined ? rows.slice(0, HEADER_SEARCH_ROWS) : rows.filter((r) => r.number === forcedRow);
  let best: (DetectedHeader & { score: number }) | null = null;
  for (const row of candidates) {
    const found = rowFields(row);
    const next = rows.find((r) => r.number === row.number + 1);
    const second = next && looksLikeHeading(row, found) ? secondHeaderRow(row, found, next) : null;
    const columns = headerColumns(row, found, second, next);
    const score = new Set(columns.map((c) => c.detected).filter((f) => f && f !== 'serial')).size;
    if (!best || score > best.score) {
      best = { headerRow: row.number, headerRowCount: second ? 2 : 1, columns, score };
    }
  }
  if (!best || (forcedRow === undefined && best.score < 2)) return null;
  const { score: _score, ...header } = best;
  return header;
}

function headerColumns(row: SheetRow, found: Map<number, ImportField>, second: SheetRow | null, next: SheetRow | undefined): DetectedColumn[] {
  const width = Math.max(row.cells.length, second ? (next?.cells.length ?? 0) : 0);
  const columns: DetectedColumn[] = [];
  for (let i = 1; i < width; i++) {
    const top = text(row.cells, i);
    const below = second ? text(second.cells, i) : '';
    let header = top;
    let detected = found.get(i) ?? null;
    if (second && below && below !== top) {
      const belowField = matchHeader(below);
      // The lower cell names the column under a group heading (联系方式 → 手机 | 地址).
      if (belowField || !detected) {
        header = top ? `${top}/${below}` : below;
        detected = belowField ?? matchHeader(`${top}${below}`);
      }
    }
    if (!header) continue;
    columns.push({ index: i, header, detected });
  }
  return columns;
}

/** The upper row of a two-row header: several different cells, at least one a header word (not a merged title). */
function looksLikeHeading(row: SheetRow, found: Map<number, ImportField>): boolean {
  if (found.size === 0) return false;
  const texts = new Set<string>();
  for (let i = 1; i < row.cells.length; i++) {
    const t = text(row.cells, i);
    if (t) texts.add(t);
  }
  return texts.size >= 2;
}

/**
 * A second header row: the row under the header names columns under a group
 * heading, and holds nothing but header words or the merged cells above.
 */
function secondHeaderRow(top: SheetRow, topFound: Map<number, ImportField>, next: SheetRow): SheetRow | null {
  let newWords = 0;
  for (let i = 1; i < next.cells.length; i++) {
    const below = text(next.cells, i);
    if (!below) continue;
    const above = text(top.cells, i);
    if (below === above) continue; // a header cell merged over both rows
    const field = matchHeader(below);
    if (field) {
      if (topFound.get(i) !== field) newWords++;
      continue;
    }
    // 出生 over 年月, 代表证 over 号码: the two cells together name the column.
    if (above && !topFound.has(i) && matchHeader(`${above}${below}`)) {
      newWords++;
      continue;
    }
    // An unknown sub-column under a group heading merged across columns (联系方式 → 微信): ignored later.
    if (above && !topFound.has(i) && (text(top.cells, i - 1) === above || text(top.cells, i + 1) === above)) continue;
    return null; // data, or a note: not a header row
  }
  return newWords > 0 ? next : null;
}

/** 县级代表 / 乡镇人大代表名册 → the level the sheet is about, if its name says so. */
export function levelFromSheetName(name: string): Level | null {
  const t = cleanCode(name);
  if (/全国/.test(t)) return 'national';
  if (/乡镇|[乡镇](级|人大|代表)|街道/.test(t)) return 'township';
  if (/[县区旗](级|人大|代表)|县市区/.test(t)) return 'county';
  if (/(设区的)?市(级|人大|代表)|州(级|人大|代表)/.test(t)) return 'city';
  if (/省(级|人大|代表)|自治区(级|人大|代表)/.test(t)) return 'province';
  return parseLevel(t);
}

/**
 * 青山镇 / 石门乡代表名册 / 城关街道 → the township a sheet is about, when the
 * workbook keeps one sheet per township. Level words (乡镇, 镇) and 各乡镇 are not names.
 */
export function townshipFromSheetName(name: string): string | null {
  const t = cleanCode(name).replace(/(第[一二三四五六七八九十\d]{1,3}届)?(人大代表|人民代表大会代表)?(代表)?(花名册|名册|名单|信息表|统计表|登记表)?$/, '');
  if (!/^[\u4e00-\u9fff]{1,10}(镇|乡|街道|苏木)$/.test(t)) return null;
  if (/乡镇|^[各全本]|^(镇|乡|街道|苏木)$/.test(t) || parseLevel(t)) return null;
  return t;
}

/**
 * Values a title line suggests (“青山镇第十九届人民代表大会代表名册”): the
 * term, and the level. Offered to the user in the wizard; the import uses them,
 * with a warning, only where no column, fill or sheet name gives a value.
 */
export function suggestionsFromTitles(titles: string[], sheetName: string): Partial<Record<ImportField, string>> {
  const out: Partial<Record<ImportField, string>> = {};
  const terms = new Set<string>();
  for (const raw of [...titles, sheetName]) {
    const t = cleanCode(raw);
    for (const m of t.matchAll(/第([一二三四五六七八九十]{1,3}|\d{1,2})届/g)) terms.add(m[0]);
    // Two terms named (第十八届、第十九届代表对照表): no suggestion.
    if (terms.size === 1) out.term = [...terms][0]!;
    else delete out.term;
    if (!out.level) {
      const level = levelFromTitle(t);
      if (level) out.level = LEVEL_WORDS[level];
    }
  }
  return out;
}

const LEVEL_WORDS: Record<Level, string> = { national: '全国', province: '省', city: '市', county: '县', township: '乡镇' };

function levelFromTitle(t: string): Level | null {
  if (/全国人民代表大会代表/.test(t)) return 'national';
  if (/[乡镇]第?[一二三四五六七八九十\d]*届?人民代表大会|[乡镇]人大代表|乡镇(人大)?代表/.test(t)) return 'township';
  if (/[县区旗]第?[一二三四五六七八九十\d]*届?人民代表大会|[县区旗]人大代表|县级/.test(t)) return 'county';
  return levelFromSheetName(t);
}

export function fieldLabel(field: ImportField): string {
  return IMPORT_FIELD_LABELS[field];
}

/** A → 1 … for messages; 1 → A. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
