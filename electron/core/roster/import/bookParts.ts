/**
 * The small parts of a workbook that say what its sheets are: workbook.xml
 * (names in the order the tabs show, visibility, date system), its
 * relationships (which file holds which sheet) and the shared strings. Read
 * with plain patterns: writers differ in attribute order, namespace prefixes
 * (x:sheet) and absolute or relative targets, never in these names.
 */
import { decodeEscapes, decodeXml, ownCopy } from './sheetScan.js';

export interface BookSheet {
  name: string;
  hidden: boolean;
  /** The part that holds the sheet's cells, e.g. xl/worksheets/sheet1.xml; null when it is not a worksheet (a chart sheet). */
  part: string | null;
}

export interface BookModel {
  sheets: BookSheet[];
  date1904: boolean;
  sharedStringsPart: string | null;
  stylesPart: string | null;
}

function attribute(tag: string, name: RegExp): string | null {
  const m = new RegExp(`\\s${name.source}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return m ? decodeXml(m[1] ?? m[2] ?? '') : null;
}

interface Relationship {
  id: string;
  type: string;
  target: string;
}

function relationships(xml: string): Relationship[] {
  const out: Relationship[] = [];
  for (const m of xml.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const id = attribute(m[0], /Id/);
    const target = attribute(m[0], /Target/);
    if (id && target) out.push({ id, target, type: attribute(m[0], /Type/) ?? '' });
  }
  return out;
}

/** A relationship target relative to the folder of the part that names it (xl/), or absolute (/xl/…). */
export function resolvePart(fromPart: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = fromPart.split('/').slice(0, -1);
  for (const piece of target.split('/')) {
    if (piece === '..') parts.pop();
    else if (piece !== '.' && piece !== '') parts.push(piece);
  }
  return parts.join('/');
}

/** The main part named in _rels/.rels (almost always xl/workbook.xml). */
export function workbookPart(rootRels: string | null): string {
  const main = rootRels ? relationships(rootRels).find((r) => /\/officeDocument$/.test(r.type)) : undefined;
  return main ? resolvePart('', main.target) : 'xl/workbook.xml';
}

export function readBookModel(workbookXml: string, workbookPath: string, relsXml: string | null): BookModel {
  const rels = relsXml ? relationships(relsXml) : [];
  const byId = new Map(rels.map((r) => [r.id, r]));
  const sheets: BookSheet[] = [];
  for (const m of workbookXml.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
    const tag = m[0];
    const name = attribute(tag, /name/) ?? `Sheet${sheets.length + 1}`;
    const state = attribute(tag, /state/);
    const rel = byId.get(attribute(tag, /[\w-]+:id/) ?? '');
    const isWorksheet = rel ? /\/worksheet$/.test(rel.type) || rel.type === '' : false;
    // Without relationships, the usual name of the n-th sheet's part.
    const part = rel ? (isWorksheet ? resolvePart(workbookPath, rel.target) : null) : relsXml ? null : `xl/worksheets/sheet${sheets.length + 1}.xml`;
    sheets.push({ name, hidden: state === 'hidden' || state === 'veryHidden', part });
  }
  const pr = /<(?:\w+:)?workbookPr\b[^>]*>/.exec(workbookXml);
  const date1904 = pr ? /^(1|true)$/i.test(attribute(pr[0], /date1904/) ?? '') : false;
  const shared = rels.find((r) => /\/sharedStrings$/.test(r.type));
  const styles = rels.find((r) => /\/styles$/.test(r.type));
  return {
    sheets,
    date1904,
    sharedStringsPart: shared ? resolvePart(workbookPath, shared.target) : null,
    stylesPart: styles ? resolvePart(workbookPath, styles.target) : null,
  };
}

/** Built-in formats that show a year and month but no day: mmm-yy, and the Chinese yyyy"年"m"月" ones. */
const BUILTIN_MONTH_ONLY = new Set([17, 27, 36, 50, 52, 55, 57]);
/** Built-in 0.00 and #,##0.00. */
const BUILTIN_TWO_DECIMALS = new Set([2, 4]);

/**
 * How a number format shows a number, where that changes what it means: a date
 * without its day (yyyy"年"m"月", yyyy.mm, mmm-yy → 'month'; yyyy → 'year'), or
 * two decimals ('fixed2': 1975.1 shows as 1975.10, October).
 */
export type Shown = 'month' | 'year' | 'fixed2';

export function shownAs(code: string): Shown | null {
  const bare = code
    .split(';')[0]!
    .replace(/"[^"]*"/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\\./g, '')
    .toLowerCase();
  if (/^[#,]*0\.00$/.test(bare)) return 'fixed2';
  if (!/y/.test(bare) || /[dhs]/.test(bare)) return null;
  return /m/.test(bare) ? 'month' : 'year';
}

/**
 * The cell styles (the s="…" of a cell) whose number format changes what a
 * number means. A clerk who types 1975年3月 gets the date 1975-03-01 shown as
 * 1975年3月: the import must read 1975-03, not the 1st of March.
 */
export function shownStyles(stylesXml: string): Map<number, Shown> {
  const custom = new Map<number, string>();
  for (const m of stylesXml.matchAll(/<(?:\w+:)?numFmt\b[^>]*>/g)) {
    const id = attribute(m[0], /numFmtId/);
    const code = attribute(m[0], /formatCode/);
    if (id !== null && code !== null) custom.set(Number(id), code);
  }
  const out = new Map<number, Shown>();
  const xfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(stylesXml);
  if (!xfs) return out;
  let index = 0;
  for (const m of xfs[1]!.matchAll(/<(?:\w+:)?xf\b[^>]*>/g)) {
    const id = Number(attribute(m[0], /numFmtId/) ?? 0);
    const code = custom.get(id);
    const shown =
      code !== undefined ? shownAs(code) : BUILTIN_MONTH_ONLY.has(id) ? 'month' : BUILTIN_TWO_DECIMALS.has(id) ? 'fixed2' : null;
    if (shown) out.set(index, shown);
    index++;
  }
  return out;
}

/**
 * Shared strings, fed in chunks: each <si> becomes its text, the runs of rich
 * text joined and the phonetic guides (<rPh>) left out.
 */
export class SharedStringsReader {
  readonly strings: string[] = [];
  private text = '';

  write(chunk: string): void {
    this.text += chunk;
    // Everything up to the last complete item; the rest waits for the next chunk.
    let cut = -1;
    const close = /<\/(?:\w+:)?si>/g;
    for (let m; (m = close.exec(this.text)) !== null; ) cut = m.index + m[0].length;
    if (cut < 0) return;
    this.consume(this.text.slice(0, cut));
    this.text = this.text.slice(cut);
  }

  end(): string[] {
    this.consume(this.text);
    this.text = '';
    return this.strings;
  }

  private consume(xml: string): void {
    for (const m of xml.matchAll(/<(?:\w+:)?si\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?si>)/g)) {
      const body = (m[1] ?? '').replace(/<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g, '');
      let s = '';
      for (const t of body.matchAll(/<(?:\w+:)?t\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?t>)/g)) s += t[1] ?? '';
      this.strings.push(ownCopy(decodeEscapes(decodeXml(s)))); // kept all through: not a view into the XML
    }
  }
}
