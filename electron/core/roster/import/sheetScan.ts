/**
 * The cells of one worksheet's XML (SpreadsheetML <sheetData>), read as it
 * streams out of the zip, without exceljs's per-cell objects (they cost most
 * of the time on a 140,000-row roster). Values come out as exceljs's
 * streaming reader gives them with styles ignored: shared strings, numbers,
 * booleans, {formula, result}, {error}. Also collects the merged ranges
 * written after the rows. A test checks it against exceljs's own row reader.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Shown } from './bookParts.js';
import type { CellValue } from './values.js';

export interface ScannedRow {
  number: number;
  cells: CellValue[];
  /** Hidden in Excel (by hand or by a filter); only set when true. */
  hidden?: boolean;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Excel writes characters XML cannot hold as _xHHHH_ (a carriage return is _x000D_). */
export function decodeEscapes(s: string): string {
  if (s.indexOf('_x') < 0) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export function decodeXml(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e]!;
  });
}

const SEPARATORS = /[\t\n\r]/;
const SEPARATED = new Map<string, RegExp>();

/** Value of attribute `name` in a tag's text (`c r="A1" t="s"`), or null. */
function attr(tag: string, name: string): string | null {
  const key = ` ${name}="`;
  let at = tag.indexOf(key);
  if (at < 0) {
    // Attributes may be separated by tabs or newlines. Mostly the attribute is just not there
    // (a number has no t, a row is not hidden): no regular expression made and run per cell then.
    if (!SEPARATORS.test(tag)) return null;
    let re = SEPARATED.get(name);
    if (!re) SEPARATED.set(name, (re = new RegExp(`\\s${name}="([^"]*)"`)));
    const m = re.exec(tag);
    return m ? m[1]! : null;
  }
  at += key.length;
  return tag.slice(at, tag.indexOf('"', at));
}

function columnOf(ref: string): number {
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const k = ref.charCodeAt(i);
    if (k >= 65 && k <= 90) col = col * 26 + (k - 64);
    else break;
  }
  return col;
}

/** Where the name of the tag starting at `from` lies in s, without a namespace prefix (x:c → c): [start, end). */
function nameAt(s: string, from: number, limit: number): [number, number] {
  let start = from;
  let end = from;
  while (end < limit) {
    const k = s.charCodeAt(end);
    if (k === 32 || k === 47 || k === 9 || k === 10 || k === 13) break;
    if (k === 58) start = end + 1; // prefix:
    end++;
  }
  return [start, end];
}

/**
 * `t` not sharing the memory of the text it was cut from. V8 cuts a string
 * of 13 characters or more (an ID number, a long work unit) as a view into
 * its whole chunk of sheet XML, and one such value kept keeps the chunk:
 * read as it is, a 120 MB sheet stayed in memory with the roster, which
 * made every garbage collection after it slow. Joined to a space the text
 * is copied (flattened) before the cut.
 */
export function ownCopy(t: string): string {
  return t.length < 13 ? t : (' ' + t).slice(1);
}

export class SheetScanner {
  private text = '';
  private inData = false;
  private done = false;
  private tail = '';
  private rowNumber = 0;
  private rowHidden = false;
  private row: CellValue[] | null = null;
  private col = 0;
  private cellType = '';
  private value: string | null = null;
  private formula: string | null = null;
  /**
   * A <v> was there, if empty. With t="str" a formula's result is the empty string (Excel, WPS);
   * an empty number is a formula saved without its result (openpyxl and other generators).
   */
  private sawValue = false;
  /** Collecting text of <v>, <t> (inline string) or <f>. */
  private capture: 'v' | 't' | 'f' | null = null;
  private inPhonetic = false;
  private readonly decoder = new StringDecoder('utf8');

  /** Style of the cell being read, when month-only styles are asked for. */
  private style = -1;

  constructor(
    private readonly sharedStrings: unknown[],
    private readonly onRow: (row: ScannedRow) => void,
    /** Cell styles whose format changes what a number means: such a number comes out as the text shown (1975-03, 1975.10). */
    private readonly months: { styles: Map<number, Shown>; date1904: boolean } | null = null,
  ) {}

  write(chunk: Buffer | string): void {
    this.text += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    this.scan(false);
  }

  /** Call at the end; returns the merged ranges (A1:H1 …). */
  end(): string[] {
    this.text += this.decoder.end();
    this.scan(true);
    const merges: string[] = [];
    for (const m of this.tail.matchAll(/mergeCell\b[^>]*?\bref="([A-Z]+\d+(?::[A-Z]+\d+)?)"/g)) merges.push(m[1]!);
    return merges;
  }

  private scan(final: boolean): void {
    const s = this.text;
    if (this.done) {
      this.tail += s;
      this.text = '';
      return;
    }
    let pos = 0;
    if (!this.inData) {
      const at = s.indexOf('<sheetData');
      if (at < 0) {
        // keep the end: the word may be cut in two
        this.text = final ? '' : s.slice(Math.max(0, s.length - 16));
        return;
      }
      const gt = s.indexOf('>', at);
      if (gt < 0) {
        this.text = s.slice(at);
        return;
      }
      this.inData = true;
      if (s.charCodeAt(gt - 1) === 47) {
        // <sheetData/>: no rows
        this.done = true;
        this.tail = s.slice(gt + 1);
        this.text = '';
        return;
      }
      pos = gt + 1;
    }
    for (;;) {
      const lt = s.indexOf('<', pos);
      if (lt < 0) break;
      const gt = s.indexOf('>', lt);
      if (gt < 0) break;
      if (this.capture !== null && lt > pos) this.addText(s.slice(pos, lt));
      pos = gt + 1;
      // The tag is read where it lies (no copy of it per tag): its name is
      // told by its length and first letter, and only <row> and <c> are cut
      // out, for their attributes.
      const first = s.charCodeAt(lt + 1);
      if (first === 47) {
        // closing tag
        const [start, end] = nameAt(s, lt + 2, gt);
        if (end - start === 9 && s.startsWith('sheetData', start)) {
          this.done = true;
          this.tail = s.slice(pos);
          this.text = '';
          return;
        }
        this.close(s, start, end);
      } else if (first !== 63 && first !== 33) {
        const selfClosing = s.charCodeAt(gt - 1) === 47;
        const [start, end] = nameAt(s, lt + 1, gt);
        this.open(s, start, end, lt, gt);
        if (selfClosing) this.close(s, start, end);
      }
    }
    this.text = s.slice(pos);
  }

  private addText(t: string): void {
    if (this.inPhonetic) return;
    if (this.capture === 'f') this.formula = (this.formula ?? '') + t;
    else this.value = (this.value ?? '') + ownCopy(t);
  }

  /** An opening tag: its name is s[start, end); the whole tag s[lt, gt]. */
  private open(s: string, start: number, end: number, lt: number, gt: number): void {
    const length = end - start;
    const k = s.charCodeAt(start);
    if (length === 1) {
      if (k === 99 /* c */) {
        const tag = s.slice(lt + 1, gt);
        const r = attr(tag, 'r');
        this.col = r ? columnOf(r) : this.col + 1;
        this.cellType = attr(tag, 't') ?? '';
        if (this.months) this.style = Number(attr(tag, 's') ?? -1);
        this.value = null;
        this.formula = null;
        this.sawValue = false;
      } else if (k === 118 /* v */) {
        this.capture = 'v';
        this.sawValue = true;
      } else if (k === 116 /* t */) this.capture = 't';
      else if (k === 102 /* f */) this.capture = 'f';
    } else if (length === 3) {
      if (s.startsWith('row', start)) {
        const tag = s.slice(lt + 1, gt);
        const r = attr(tag, 'r');
        this.rowNumber = r ? Number(r) : this.rowNumber + 1;
        const hidden = attr(tag, 'hidden');
        this.rowHidden = hidden === '1' || hidden === 'true';
        this.row = [];
        this.col = 0;
      } else if (s.startsWith('rPh', start)) this.inPhonetic = true;
    }
  }

  /** A closing tag (or the end of a self-closing one) named s[start, end). */
  private close(s: string, start: number, end: number): void {
    const length = end - start;
    const k = s.charCodeAt(start);
    if (length === 1) {
      if (k === 99 /* c */) {
        if (this.row) {
          const v = this.cellValue();
          if (v !== undefined && v !== null) this.row[this.col] = v;
        }
      } else if (k === 118 || k === 116 || k === 102) this.capture = null;
    } else if (length === 3) {
      if (s.startsWith('row', start)) {
        if (this.row) this.onRow(this.rowHidden ? { number: this.rowNumber, cells: this.row, hidden: true } : { number: this.rowNumber, cells: this.row });
        this.row = null;
      } else if (s.startsWith('rPh', start)) this.inPhonetic = false;
    }
  }

  private cellValue(): CellValue {
    const raw = this.value;
    const type = this.cellType;
    if (this.formula !== null) {
      const result = raw === null ? (this.sawValue && type === 'str' ? '' : undefined) : type === 'str' ? decodeEscapes(decodeXml(raw)) : type === 'b' ? raw === '1' : type === 'e' ? { error: raw } : this.number(raw);
      return { formula: decodeXml(this.formula), result } as CellValue;
    }
    if (raw === null) return undefined;
    switch (type) {
      case 's':
        return this.sharedStrings[parseInt(raw, 10)] as CellValue;
      case 'inlineStr':
      case 'str':
        return decodeEscapes(decodeXml(raw));
      case 'b':
        return parseInt(raw, 10) !== 0;
      case 'e':
        return { error: raw };
      case 'd':
        return new Date(raw);
      default:
        return this.number(raw);
    }
  }

  /** A number, or what is shown where that is what it means: a date without its day (1975-03, 1975), or 1975.10 for 1975.1. */
  private number(raw: string): number | string {
    const n = parseFloat(raw);
    const shown = this.months?.styles.get(this.style);
    if (!shown || !(n >= 1 && n < 2958466)) return n;
    if (shown === 'fixed2') return n > 1900 && n < 2101 && !Number.isInteger(n) ? n.toFixed(2) : n; // only a year.month
    const date = new Date(Math.round((Math.floor(n) - 25569 + (this.months!.date1904 ? 1462 : 0)) * 86400000));
    const year = String(date.getUTCFullYear());
    return shown === 'year' ? year : `${year}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
  }
}
