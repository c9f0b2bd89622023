import type ExcelJS from 'exceljs';
import { columnLetter, type CellValue } from './layout.js';

/**
 * Body rows written straight into the sheet's XML stream: the same bytes
 * exceljs writes for a row of numbers and text with one style per column
 * (tests/unit/sheet-rows.test.ts compares the two), without the Row, Cell
 * and value objects, the XML node builder and the per-attribute escaping
 * exceljs goes through for every cell. At 140,000 rows × 17 cells that
 * machinery costs more than reading, zipping and writing the file together.
 *
 * Use after the rows above (title, header) are committed through exceljs;
 * afterwards only `ws.commit()`. Relies on exceljs 4.4's WorksheetWriter
 * (its `stream`, `startedData`, `_rowZero`) and the workbook's style table.
 */
export class SheetRowWriter {
  private readonly sheet: WriterInternals;
  private readonly columns: string[];
  private readonly styleIds: (number | undefined)[];
  private next: number;
  private xml = '';

  constructor(
    ws: ExcelJS.Worksheet,
    private readonly styles: readonly Partial<ExcelJS.Style>[],
  ) {
    this.sheet = ws as unknown as WriterInternals;
    if (!this.sheet.startedData || this.sheet._rows.length > 0) {
      throw new Error('SheetRowWriter: commit the rows above through exceljs first');
    }
    this.next = this.sheet._rowZero;
    this.columns = styles.map((_, i) => columnLetter(i + 1));
    this.styleIds = styles.map(() => undefined);
  }

  /** Appends the next row (buffered until flush); one value per column. */
  write(values: readonly CellValue[]): void {
    if (values.length !== this.columns.length) throw new Error(`SheetRowWriter: ${values.length} values for ${this.columns.length} columns`);
    const r = this.next++;
    let cells = '';
    let empty = true;
    for (let i = 0; i < this.columns.length; i++) {
      const value = values[i] ?? null; // undefined: an empty cell, as exceljs
      const cell = `<c r="${this.columns[i]}${r}" s="${this.styleId(i, value)}"`;
      if (value === null) {
        cells += `${cell}/>`;
        continue;
      }
      empty = false;
      if (typeof value === 'number') cells += `${cell}><v>${value}</v></c>`;
      else cells += `${cell} t="str"><v>${xmlEncode(value)}</v></c>`;
    }
    // Like exceljs, a row without a value is left out (its cells' borders with it).
    if (!empty) this.xml += `<row r="${r}" spans="1:${this.columns.length}" x14ac:dyDescent="0.25">${cells}</row>`;
  }

  /** Hands the buffered rows to the sheet stream (call before drainSheet). */
  flush(): void {
    if (this.xml) this.sheet.stream.write(this.xml);
    this.xml = '';
    // exceljs now counts these rows as committed: getRow() below `next` throws.
    this.sheet._rowZero = this.next;
  }

  /** exceljs's id for the column's style, registered (like exceljs) with the type of its first value. */
  private styleId(i: number, value: CellValue): number {
    let id = this.styleIds[i];
    if (id === undefined) {
      const type = value === null ? NULL_TYPE : typeof value === 'number' ? NUMBER_TYPE : STRING_TYPE;
      id = this.sheet.workbook.styles.addStyleModel(this.styles[i]!, type);
      // Style 0 would be written without s="…" (and an empty cell not at all): not a body style.
      if (!id) throw new Error(`SheetRowWriter: column ${this.columns[i]} has no style`);
      this.styleIds[i] = id;
    }
    return id;
  }
}

interface WriterInternals {
  stream: { write(text: string): unknown };
  startedData: boolean;
  _rows: unknown[];
  _rowZero: number;
  workbook: { styles: { addStyleModel(style: Partial<ExcelJS.Style>, cellType: number): number } };
}

// exceljs's ValueType numbers (lib/doc/enums.js).
const NULL_TYPE = 0;
const NUMBER_TYPE = 2;
const STRING_TYPE = 3;

/** As exceljs's utils.xmlEncode: the five XML entities; control characters XML cannot hold are dropped. */
const XML_SPECIAL = /[<>&'"\x7F\x00-\x08\x0B\x0C\x0E-\x1F]/;
const XML_SPECIALS = /[<>&'"\x7F\x00-\x08\x0B\x0C\x0E-\x1F]/g;
const ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };

function xmlEncode(text: string): string {
  return XML_SPECIAL.test(text) ? text.replace(XML_SPECIALS, (c) => ENTITIES[c] ?? '') : text;
}
