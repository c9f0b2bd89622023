import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * A second reader for every workbook we write: Debian's python3-openpyxl, run
 * as a child process. Returns what a test needs as JSON: cell values, merged
 * ranges, frozen panes, print settings, header/footer and fonts.
 */

/** Debian's python (has python3-openpyxl) before any pyenv shim on PATH. */
export const PYTHON = ['/usr/bin/python3', '/bin/python3'].find((p) => fs.existsSync(p)) ?? 'python3';

export interface SheetDump {
  title: string;
  maxRow: number;
  maxColumn: number;
  /** Values by row (1-based rows → index 0), trailing empty rows kept. */
  rows: (string | number | boolean | null)[][];
  merged: string[];
  freezePanes: string | null;
  printTitleRows: string | null;
  print: {
    orientation: string | null;
    paperSize: number | null;
    fitToWidth: number | null;
    fitToHeight: number | null;
    fitToPage: boolean;
  };
  footer: { center: string | null; left: string | null; right: string | null };
  /** Font name, size and bold of selected cells (A1, A2, A3, A4, and the first column of the last row). */
  fonts: Record<string, { name: string | null; size: number | null; bold: boolean }>;
  /** Border styles of A3 (top/bottom/left/right). */
  headerBorder: Record<string, string | null>;
  numberFormats: Record<string, string>;
}

const SCRIPT = String.raw`
import json, sys, openpyxl
path, max_rows, cells = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
wb = openpyxl.load_workbook(path)
ws = wb.worksheets[0]
rows = []
for i, row in enumerate(ws.iter_rows(values_only=True)):
    if max_rows >= 0 and i >= max_rows:
        break
    rows.append([v if (v is None or isinstance(v, (str, int, float, bool))) else str(v) for v in row])
def font(ref):
    f = ws[ref].font
    return {"name": f.name, "size": float(f.sz) if f.sz is not None else None, "bold": bool(f.b)}
last = "A%d" % ws.max_row
refs = sorted(set(["A1", "A2", "A3", "A4", last] + cells))
b = ws["A3"].border
ps = ws.page_setup
out = {
    "title": ws.title,
    "maxRow": ws.max_row,
    "maxColumn": ws.max_column,
    "rows": rows,
    "merged": sorted(str(r) for r in ws.merged_cells.ranges),
    "freezePanes": ws.freeze_panes,
    "printTitleRows": ws.print_title_rows,
    "print": {
        "orientation": ps.orientation,
        "paperSize": int(ps.paperSize) if ps.paperSize is not None else None,
        "fitToWidth": int(ps.fitToWidth) if ps.fitToWidth is not None else None,
        "fitToHeight": int(ps.fitToHeight) if ps.fitToHeight is not None else None,
        "fitToPage": bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage),
    },
    "footer": {
        "center": ws.oddFooter.center.text,
        "left": ws.oddFooter.left.text,
        "right": ws.oddFooter.right.text,
    },
    "fonts": {r: font(r) for r in refs},
    "headerBorder": {"top": b.top.style, "bottom": b.bottom.style, "left": b.left.style, "right": b.right.style},
    "numberFormats": {r: ws[r].number_format for r in refs},
}
print(json.dumps(out, ensure_ascii=False))
`;

/**
 * Reads the first sheet of `file` with openpyxl. `maxRows` limits the rows
 * returned (values only; maxRow still tells the real count); `cells` adds
 * cells to the font/number-format dump.
 */
export function readWithOpenpyxl(file: string, options: { maxRows?: number; cells?: string[] } = {}): SheetDump {
  const r = spawnSync(PYTHON, ['-c', SCRIPT, file, String(options.maxRows ?? -1), JSON.stringify(options.cells ?? [])], {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    timeout: 600_000,
  });
  if (r.status !== 0) throw new Error(`openpyxl could not read ${file}: ${r.stderr || r.error}`);
  return JSON.parse(r.stdout) as SheetDump;
}
