import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { z } from 'zod';
import {
  COMPOSITION_MEASURES,
  type CompositionMeasure,
  type CompositionReport,
  type CompositionRow,
  type CompositionUnknowns,
  type compositionInput,
  type FileOutput,
} from '../../../shared/contract/index.js';
import {
  COLLEGE_OR_ABOVE,
  COMPOSITION_CATEGORIES,
  DEMOCRATIC_PARTIES,
  GRASSROOTS_CATEGORIES,
} from '../../../shared/dictionaries.js';
import type { CoreContext } from '../context.js';
import { congressTitle, levelList, officeLevel, seatWhere, withReadCacheSync } from './filters.js';
import {
  addOfficialSheet,
  BORDER_ALL,
  chineseDate,
  columnLetter,
  FONT_BODY,
  FONT_HEADER,
  FONT_NOTE,
  HEADER_ROW,
  isoLocalDate,
  newWorkbookWriter,
  safeFileName,
  styleHeaderCell,
  workbookFileOutput,
  writeWorkbookFile,
} from './layout.js';

/**
 * 代表结构统计表: for the active seats (在任, 暂停执行职务 included) of the chosen
 * level(s) and term, per township and in total: women, minorities, parties,
 * 代表构成, 基层代表, 大专及以上, age bands as of a date, newly elected vs
 * re-elected — each with its share of the total. Counted in one SQL GROUP BY.
 */

export type CompositionQuery = z.output<typeof compositionInput>;

export const TOTAL_SCOPE = '合计';
export const NO_TOWNSHIP = '（未填乡镇）';

const list = (values: readonly string[]) => values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');

/** The composition category of each measure key. */
const CATEGORY_OF: Partial<Record<CompositionMeasure, string>> = {
  workers: '一线工人',
  farmers: '农民',
  professionals: '专业技术人员',
  leaders: '党政领导干部',
  entrepreneurs: '企业负责人',
  military: '解放军',
  otherComposition: '其他',
};

/** The condition (over the CTE below) each measure counts. */
const CONDITIONS: Record<CompositionMeasure, string> = {
  female: "gender = '女'",
  minority: "ethnicity NOT IN ('汉族', '汉', '')",
  cpc: "pa IN ('中共党员', '中共预备党员')",
  otherParties: `pa IN (${list(DEMOCRATIC_PARTIES)})`,
  nonPartisan: "pa = '无党派人士'",
  masses: "pa = '群众'",
  workers: '',
  farmers: '',
  professionals: '',
  leaders: '',
  entrepreneurs: '',
  military: '',
  otherComposition: '',
  grassroots: `comp IN (${list(GRASSROOTS_CATEGORIES)})`,
  collegeOrAbove: `edu IN (${list(COLLEGE_OR_ABOVE)})`,
  age35Under: 'age <= 35',
  age36To45: 'age BETWEEN 36 AND 45',
  age46To55: 'age BETWEEN 46 AND 55',
  age56Over: 'age >= 56',
  newlyElected: 're = 0',
  reelected: 're = 1',
};
for (const [key, category] of Object.entries(CATEGORY_OF)) {
  CONDITIONS[key as CompositionMeasure] = `comp = '${category}'`;
}

const UNKNOWN_CONDITIONS: Record<keyof CompositionUnknowns, string> = {
  gender: 'gender IS NULL',
  ethnicity: "coalesce(ethnicity, '') = ''",
  politicalAffiliation: "coalesce(pa, '') = ''",
  composition: `comp IS NULL OR comp NOT IN (${list(COMPOSITION_CATEGORIES)})`,
  education: "coalesce(edu, '') = ''",
  birthDate: 'age IS NULL',
  reelected: 're IS NULL',
};

/**
 * Age in whole years at :asOf. A birth date given as YYYY-MM counts from the
 * 1st of that month; anything unreadable gives NULL (counted as unknown).
 */
const AGE_SQL = `CASE WHEN p.birth_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]*' THEN
    CAST(substr(:asOf, 1, 4) AS INTEGER) - CAST(substr(p.birth_date, 1, 4) AS INTEGER)
    - (substr(:asOf, 6, 5) < (substr(p.birth_date, 6, 2) || '-' ||
         CASE WHEN length(p.birth_date) >= 10 THEN substr(p.birth_date, 9, 2) ELSE '01' END))
  END`;

const count = (cond: string) => `count(CASE WHEN ${cond} THEN 1 END)`;

const MEASURE_KEYS = COMPOSITION_MEASURES.map((m) => m.key);
const UNKNOWN_KEYS = Object.keys(UNKNOWN_CONDITIONS) as (keyof CompositionUnknowns)[];

function compositionSql(where: string): string {
  const measures = MEASURE_KEYS.map((k) => `${count(CONDITIONS[k])} AS ${k}`);
  const unknowns = UNKNOWN_KEYS.map((k) => `${count(UNKNOWN_CONDITIONS[k])} AS unknown_${k}`);
  // MATERIALIZED: each seat's age is computed once, not once per band that uses it.
  return `WITH base AS MATERIALIZED (
      SELECT s.township AS scope, p.gender, p.ethnicity, p.political_affiliation AS pa, p.composition AS comp,
        p.education AS edu, s.is_reelected AS re, s.term, ${AGE_SQL} AS age
      -- A full scan of seats beats the filter index here: nearly every seat matches.
      FROM seats s NOT INDEXED JOIN persons p ON p.id = s.person_id ${where}
    )
    SELECT scope, count(*) AS total, min(term) AS min_term, max(term) AS max_term, ${[...measures, ...unknowns].join(', ')}
    FROM base GROUP BY scope ORDER BY scope IS NULL, scope`;
}

/** Share of the total in percent, one decimal, half up; 0 when there is nobody. */
export function percent(n: number, total: number): number {
  return total > 0 ? Math.round((n * 1000) / total) / 10 : 0;
}

type Counts = { scope: string; total: number } & Record<CompositionMeasure, number> & { unknown: CompositionUnknowns };

function withPercentages(c: Counts): CompositionRow {
  const row = { scope: c.scope, total: c.total } as CompositionRow;
  for (const k of MEASURE_KEYS) row[k] = c[k];
  for (const k of MEASURE_KEYS) row[`${k}Pct`] = percent(c[k], c.total);
  row.unknown = c.unknown;
  return row;
}

function resolveQuery(ctx: CoreContext, q: CompositionQuery) {
  const office = ctx.requireOffice();
  const levels = levelList(q.level);
  return {
    office,
    levels: levels.length > 0 ? levels : [officeLevel(office)],
    term: q.term || null,
    asOf: q.asOf ?? isoLocalDate(),
  };
}

export function compositionReport(ctx: CoreContext, q: CompositionQuery): CompositionReport {
  const { office, levels, term, asOf } = resolveQuery(ctx, q);
  const { sql, params } = seatWhere({ levels, term: term ?? undefined, status: 'active' });
  // Named :asOf and positional ? cannot mix in better-sqlite3: number the filter parameters.
  let n = 0;
  const named: Record<string, unknown> = { asOf };
  const where = sql.replace(/\?/g, () => {
    const name = `p${n}`;
    named[name] = params[n++];
    return `:${name}`;
  });
  const raw = withReadCacheSync(ctx.db, () => ctx.db.prepare(compositionSql(where)).all(named)) as Record<
    string,
    number | string | null
  >[];

  const rows: Counts[] = raw.map((r) => {
    const unknown = {} as CompositionUnknowns;
    for (const k of UNKNOWN_KEYS) unknown[k] = Number(r[`unknown_${k}`]);
    const c = { scope: (r.scope as string | null) ?? NO_TOWNSHIP, total: Number(r.total), unknown } as Counts;
    for (const k of MEASURE_KEYS) c[k] = Number(r[k]);
    return c;
  });
  const total = {
    scope: TOTAL_SCOPE,
    total: 0,
    unknown: Object.fromEntries(UNKNOWN_KEYS.map((k) => [k, 0])) as unknown as CompositionUnknowns,
  } as Counts;
  for (const k of MEASURE_KEYS) total[k] = 0;
  for (const r of rows) {
    total.total += r.total;
    for (const k of MEASURE_KEYS) total[k] += r[k];
    for (const k of UNKNOWN_KEYS) total.unknown[k] += r.unknown[k];
  }

  return {
    title: congressTitle(office, levels, term ?? sharedTermOf(raw), null, '代表结构统计表'),
    officeName: office.officeName,
    levels,
    term,
    asOf,
    rows: [...rows, total].map(withPercentages),
    notes: compositionNotes(asOf, total),
  };
}

/** The term all counted seats share (for the title), else null. */
function sharedTermOf(raw: Record<string, number | string | null>[]): string | null {
  const terms = new Set(raw.flatMap((r) => [r.min_term, r.max_term]));
  return terms.size === 1 ? String([...terms][0]) : null;
}

const UNKNOWN_LABELS: Record<keyof CompositionUnknowns, string> = {
  gender: '性别',
  ethnicity: '民族',
  politicalAffiliation: '政治面貌',
  composition: '代表构成',
  education: '学历',
  birthDate: '出生年月',
  reelected: '是否连任',
};

function compositionNotes(asOf: string, total: Counts): string[] {
  const [y, m, d] = asOf.split('-').map(Number);
  const notes = [
    `统计对象为在任代表（含暂停执行代表职务的代表）；年龄按${y}年${m}月${d}日计算，出生年月只到月的按当月1日计算。`,
    '基层代表为一线工人、农民和专业技术人员代表之和；中共党员含中共预备党员；占比为占本行代表总数的百分比。',
  ];
  const missing = UNKNOWN_KEYS.filter((k) => total.unknown[k] > 0).map((k) => `${UNKNOWN_LABELS[k]}未填 ${total.unknown[k]} 人`);
  if (missing.length > 0) notes.push(`${missing.join('，')}，未计入相应栏目。`);
  return notes;
}

/** Writes the 代表结构统计表 workbook (official layout, two-level header: 人数 / 占比). */
export async function writeCompositionWorkbook(
  report: CompositionReport,
  target: Writable,
  now: Date = new Date(),
): Promise<void> {
  const widths = [13, 7, ...COMPOSITION_MEASURES.flatMap(() => [5, 6.5])];
  const wb = newWorkbookWriter(target);
  const ws = addOfficialSheet(wb, {
    sheetName: '代表结构统计表',
    title: report.title,
    widths,
    officeLine: {
      left: `制表单位：${report.officeName}`,
      center: `年龄计算日期：${chineseDate(new Date(`${report.asOf}T00:00:00`))}`,
      right: `制表日期：${chineseDate(now)}`,
    },
    headerRowCount: 2,
    freezeColumns: 2,
  });

  const top = ws.getRow(HEADER_ROW);
  const sub = ws.getRow(HEADER_ROW + 1);
  top.height = 30;
  sub.height = 18;
  const merge = (from: number, to: number, r1: number, r2: number) =>
    ws.mergeCells(`${columnLetter(from)}${r1}:${columnLetter(to)}${r2}`);
  for (const [col, text] of [
    [1, '单位'],
    [2, '代表总数'],
  ] as const) {
    top.getCell(col).value = text;
    styleHeaderCell(top.getCell(col));
    styleHeaderCell(sub.getCell(col));
    merge(col, col, HEADER_ROW, HEADER_ROW + 1);
  }
  COMPOSITION_MEASURES.forEach((m, i) => {
    const col = 3 + i * 2;
    top.getCell(col).value = m.label;
    styleHeaderCell(top.getCell(col));
    styleHeaderCell(top.getCell(col + 1));
    merge(col, col + 1, HEADER_ROW, HEADER_ROW);
    sub.getCell(col).value = '人数';
    sub.getCell(col + 1).value = '占比';
    styleHeaderCell(sub.getCell(col));
    styleHeaderCell(sub.getCell(col + 1));
  });
  top.commit();
  sub.commit();

  const body = (bold: boolean) => ({
    text: { font: bold ? FONT_HEADER : FONT_BODY, border: BORDER_ALL, alignment: { horizontal: 'center', vertical: 'middle' } },
    count: { font: bold ? FONT_HEADER : FONT_BODY, border: BORDER_ALL, numFmt: '0', alignment: { horizontal: 'center', vertical: 'middle' } },
    pct: { font: bold ? FONT_HEADER : FONT_BODY, border: BORDER_ALL, numFmt: '0.0%', alignment: { horizontal: 'center', vertical: 'middle' } },
  }) satisfies Record<string, Partial<ExcelJS.Style>>;
  const plain = body(false);
  const strong = body(true);

  let rowNumber = HEADER_ROW + 1;
  for (const r of report.rows) {
    const st = r.scope === TOTAL_SCOPE ? strong : plain;
    const row = ws.getRow(++rowNumber);
    row.height = 20;
    row.getCell(1).value = r.scope;
    row.getCell(1).style = st.text;
    row.getCell(2).value = r.total;
    row.getCell(2).style = st.count;
    COMPOSITION_MEASURES.forEach((m, i) => {
      const col = 3 + i * 2;
      row.getCell(col).value = r[m.key];
      row.getCell(col).style = st.count;
      // Stored as a fraction with a percent format: 33.3% in Excel, 0.333 to a program.
      row.getCell(col + 1).value = Math.round(r[`${m.key}Pct`] * 10) / 1000;
      row.getCell(col + 1).style = st.pct;
    });
    row.commit();
  }

  const last = columnLetter(widths.length);
  report.notes.forEach((note, i) => {
    const row = ws.getRow(++rowNumber);
    const cell = row.getCell(1);
    cell.value = `${i === 0 ? '注：' : '　　'}${i + 1}. ${note}`;
    cell.font = FONT_NOTE;
    cell.alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
    ws.mergeCells(`A${rowNumber}:${last}${rowNumber}`);
    row.commit();
  });
  ws.commit();
  await wb.commit();
}

export async function exportCompositionWorkbook(ctx: CoreContext, q: CompositionQuery, out: string): Promise<CompositionReport> {
  const report = compositionReport(ctx, q);
  await writeWorkbookFile(out, (stream) => writeCompositionWorkbook(report, stream));
  return report;
}

export async function compositionWorkbookOutput(ctx: CoreContext, q: CompositionQuery): Promise<FileOutput> {
  const report = compositionReport(ctx, q);
  const file = await workbookFileOutput('代表结构统计表.xlsx', (stream) => writeCompositionWorkbook(report, stream));
  return { ...file, fileName: safeFileName(`${report.title}.xlsx`) };
}
