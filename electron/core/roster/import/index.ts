/**
 * Roster import from Excel (代表名册导入): read every sheet (streaming), find
 * its header, read each row, match rows to the roster, then write all rows
 * without errors in one transaction, or with `dryRun` only report what would
 * happen. The preview and the import share every step, so they agree.
 */
import path from 'node:path';
import {
  rosterImportOptions,
  type RosterImportColumn,
  type RosterImportIssue,
  type RosterImportOptions,
  type RosterImportReport,
  type RosterImportSheetOption,
  type RosterImportSheet,
} from '../../../../shared/contract/rosterImport.js';
import { LEVEL_LABELS, type Level } from '../../../../shared/dictionaries.js';
import { AppError } from '../../../../shared/errors.js';
import { IMPORT_FIELD_LABELS, IMPORT_FIELD_SPECS, matchHeader, type ImportField } from '../../../../shared/rosterImport.js';
import { maskBankAccount, maskIdNumber, maskPhone } from '../../../../shared/idcard.js';
import { describeZodError } from '../../../../shared/validation.js';
import type { CoreContext } from '../../context.js';
import { backupBefore } from '../../backup/index.js';
import { applyPlan, hasWrites } from './apply.js';
import {
  columnLetter,
  detectHeader,
  HEADER_SEARCH_ROWS,
  levelFromSheetName,
  suggestionsFromTitles,
  townshipFromSheetName,
  type SheetRow,
} from './header.js';
import { Planner } from './plan.js';
import { PARSERS, type ParsedRow, type SheetReading } from './record.js';
import { readSheetRows, type SheetWork } from './rows.js';
import { sectionOf } from './sections.js';
import { readWorkbook, type RawSheet, type WorkbookSource } from './sheet.js';
import { cellText, cleanCode } from './values.js';

export interface RunOptions extends RosterImportOptions {
  /** Report only; write nothing. */
  dryRun?: boolean;
  /** The preview shows sheets even when none has a header; the import refuses. */
  allowNothing?: boolean;
  /** Shown in the report and the audit log (defaults to the file's own name). */
  fileName?: string;
  /** false: no backup before writing (the caller took one). */
  backup?: boolean;
  /** How rows find known persons: 'auto' loads a small roster up front; tests force either way. */
  lookup?: 'auto' | 'preload' | 'indexed';
  /** Called with the time each phase took (the benchmark). */
  onPhase?: (phase: 'read' | 'plan' | 'write', ms: number) => void;
}

/** From a path, streaming: the CLI and the benchmark. */
export async function importRosterFile(ctx: CoreContext, filePath: string, options: RunOptions = {}): Promise<RosterImportReport> {
  return runImport(ctx, { path: filePath }, options.fileName ?? path.basename(filePath), options);
}

/** From bytes that crossed a door ({name, base64}). */
export async function importRosterBuffer(ctx: CoreContext, data: Buffer, fileName: string, options: RunOptions = {}): Promise<RosterImportReport> {
  return runImport(ctx, { buffer: data }, fileName, options);
}

const FILLABLE = new Set<ImportField>(IMPORT_FIELD_SPECS.filter((s) => s.kind === 'seat').map((s) => s.field));

/** 层级=乡镇 / level=township → parsed values; a bad key or value stops the import before it reads anything. */
export function resolveFills(fills: Record<string, string> | undefined, today: Date): Map<ImportField, unknown> {
  const out = new Map<ImportField, unknown>();
  for (const [key, raw] of Object.entries(fills ?? {})) {
    const field = matchHeader(key);
    if (!field || !FILLABLE.has(field)) {
      throw new AppError(
        'VALIDATION',
        `补充值“${key}”不是可补充的列。可补充：${[...FILLABLE].map((f) => IMPORT_FIELD_LABELS[f]).join('、')}（例如 层级=乡镇、届次=第十九届、所属乡镇=青山镇）`,
      );
    }
    if (raw.trim() === '') continue;
    const parsed = PARSERS[field as Exclude<ImportField, 'serial'>](raw, { sheet: '', columns: new Map(), fills: new Map(), date1904: false, today });
    if (!parsed.ok) throw new AppError('VALIDATION', `补充值“${key}=${raw}”有误：${parsed.message}`);
    if (parsed.value !== null) out.set(field, parsed.value);
  }
  return out;
}

function fillText(field: ImportField, value: unknown): string {
  if (field === 'level') return LEVEL_LABELS[value as keyof typeof LEVEL_LABELS] ?? String(value);
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (field === 'startMethod') return value === 'by_election' ? '补选' : '换届选举';
  return String(value);
}

/** Samples are shown on screen: ID numbers, phones and account numbers masked, as everywhere. */
function maskSample(text: string): string {
  if (/^\d{17}[\dXx]$/.test(text)) return maskIdNumber(text);
  if (/^1\d{10}$/.test(text)) return maskPhone(text);
  return text.replace(/\d{12,}/g, (digits) => maskBankAccount(digits));
}


const hasContent = (r: SheetRow) => r.cells.some((c) => cellText(c).trim() !== '');

/** Header, column mapping, fills and what is missing, for one sheet. */
function analyseSheet(raw: RawSheet, option: RosterImportSheetOption | undefined, globalFills: Map<ImportField, unknown>, today: Date): SheetWork {
  const summary: RosterImportSheet = {
    name: raw.name,
    included: false,
    skipReason: null,
    headerRow: null,
    headerRowCount: 1,
    columns: [],
    missing: [],
    absent: [],
    fillsUsed: [],
    suggestedFills: {},
    levelHint: null,
    dataRows: 0,
    imported: 0,
    updated: 0,
    unchanged: 0,
    errorRows: 0,
    ignoredColumns: [],
  };
  const issues = { errors: [] as RosterImportIssue[], warnings: [] as RosterImportIssue[] };
  const work: SheetWork = { summary, reading: null, issues, dataStart: 0, sectionFields: [] };
  const sheetIssue = (list: RosterImportIssue[], column: string, message: string, row: number | null = null) =>
    list.push({ sheet: raw.name, row, column, message });

  const content = raw.rows.filter(hasContent);
  const top = content.slice(0, HEADER_SEARCH_ROWS + 1);
  if (content.length === 0) {
    summary.skipReason = '空白工作表';
    return work;
  }
  const header = option?.headerRow
    ? detectHeader(content.filter((r) => r.number <= option.headerRow! + 1), option.headerRow)
    : detectHeader(top);
  if (header) {
    summary.headerRow = header.headerRow;
    summary.headerRowCount = header.headerRowCount;
    summary.suggestedFills = suggestionsFromTitles(
      content.filter((r) => r.number < header.headerRow).map((r) => r.cells.map((c) => cellText(c)).filter(Boolean).join(' ')),
      raw.name,
    );
  }
  if (option?.include === false) {
    summary.skipReason = '已选择不导入';
    return work;
  }
  if (raw.hidden && option?.include !== true) {
    summary.skipReason = '隐藏的工作表';
    // A hidden sheet that holds a roster may be deputies the clerk forgot; say it was left out.
    if (header?.columns.some((c) => c.detected === 'name') && content.some((r) => r.number >= header.headerRow + header.headerRowCount)) {
      sheetIssue(issues.warnings, '', `工作表“${raw.name}”是隐藏的，其中的代表名册未导入；如需导入，请在 Excel 中取消隐藏，或在命令行用 --sheet 指定该表`);
    }
    return work;
  }
  if (!header) {
    summary.skipReason = '没有找到表头（表头行应包含“姓名”等列名）';
    sheetIssue(issues.warnings, '', `工作表“${raw.name}”的前15行中没有找到表头（需要有“姓名”“性别”等列名），已跳过`);
    return work;
  }

  // Columns: detected, then the user's choices.
  const overrides = option?.mapping ?? {};
  const firstRow = content.find((r) => r.number >= header.headerRow + header.headerRowCount);
  const sample = (index: number, field: ImportField | null) => {
    const cell = firstRow?.cells[index];
    // A real Excel date arrives as a day number: show it as the date it is.
    if (typeof cell === 'number' && (field === 'birthDate' || field === 'startDate')) {
      const date = PARSERS[field](cell, { sheet: raw.name, columns: new Map(), fills: new Map(), date1904: raw.date1904, today });
      if (date.ok && date.value) return String(date.value);
    }
    return maskSample(cellText(cell).trim().slice(0, 30));
  };
  const columns: RosterImportColumn[] = header.columns.map((c) => ({
    index: c.index,
    letter: columnLetter(c.index),
    header: c.header,
    sample: sample(c.index, c.detected),
    detected: c.detected,
    field: Object.prototype.hasOwnProperty.call(overrides, String(c.index)) ? (overrides[String(c.index)] ?? null) : c.detected,
  }));
  for (const [index, field] of Object.entries(overrides)) {
    if (!columns.some((c) => c.index === Number(index)) && field) {
      const letter = columnLetter(Number(index));
      columns.push({ index: Number(index), letter, header: `${letter}列`, sample: sample(Number(index), field), detected: null, field });
    }
  }
  columns.sort((a, b) => a.index - b.index);
  const dataRows = content.filter((r) => r.number >= header.headerRow + header.headerRowCount);
  // Something of its own: a merged cell (a note under the table across A:H) repeats its left neighbour.
  const hasData = (index: number) =>
    dataRows.some((r) => {
      const text = cellText(r.cells[index]).trim();
      return text !== '' && (index === 0 || text !== cellText(r.cells[index - 1]).trim());
    });
  // Two columns under one header (a merged cell) are told apart by their letters.
  const named = (c: RosterImportColumn) => (columns.filter((o) => o.header === c.header).length > 1 ? `${c.header}（${c.letter}列）` : c.header);
  const byField = new Map<ImportField, RosterImportColumn>();
  for (const c of columns) {
    if (!c.field) continue;
    const first = byField.get(c.field);
    if (first) {
      // A header merged over an empty column (备注 across G:H) leaves nothing behind: nothing to say.
      if (hasData(c.index)) {
        sheetIssue(
          issues.warnings,
          named(c),
          `“${named(first)}”列和“${named(c)}”列都是“${IMPORT_FIELD_LABELS[c.field]}”，只导入了“${named(first)}”列`,
          header.headerRow,
        );
      }
      c.field = null;
      continue;
    }
    byField.set(c.field, c);
  }
  summary.columns = columns;
  // Only columns that hold something are "not imported"; an empty one loses nothing.
  summary.ignoredColumns = columns.filter((c) => !c.field && hasData(c.index)).map(named);

  // Values for what the sheet lacks: the sheet's own fills, then for 层级 the sheet name, then the workbook's fills.
  const sheetFills = option?.fills ? resolveFills(option.fills, today) : new Map<ImportField, unknown>();
  const fills = new Map([...globalFills, ...sheetFills]);
  summary.levelHint = levelFromSheetName(raw.name);
  const hint = summary.levelHint;
  if (!byField.has('level') && !sheetFills.has('level') && hint) {
    const given = globalFills.get('level');
    fills.set('level', hint);
    sheetIssue(
      issues.warnings,
      '层级',
      given && given !== hint
        ? `工作表没有“层级”列，名称“${raw.name}”表明是${LEVEL_LABELS[hint]}级代表，按${LEVEL_LABELS[hint]}级导入，未使用补充值“层级=${LEVEL_LABELS[given as keyof typeof LEVEL_LABELS]}”`
        : `工作表没有“层级”列，按工作表名称“${raw.name}”作为${LEVEL_LABELS[hint]}级代表导入；如不对，请为本表补充“层级”`,
    );
  }
  // One sheet per township: the sheet's name is the 所属乡镇 of its rows, as a clerk would fill it in.
  const township = byField.has('township') || sheetFills.has('township') ? null : townshipFromSheetName(raw.name);
  if (township) {
    const given = globalFills.get('township');
    fills.set('township', township);
    sheetIssue(
      issues.warnings,
      '所属乡镇',
      given && given !== township
        ? `工作表没有“所属乡镇”列，按工作表名称作为所属乡镇“${township}”导入，未使用补充值“所属乡镇=${String(given)}”`
        : `工作表没有“所属乡镇”列，按工作表名称作为所属乡镇“${township}”导入；如不对，请为本表补充“所属乡镇”`,
    );
  }
  for (const spec of IMPORT_FIELD_SPECS) {
    if (spec.fillable && !byField.has(spec.field)) summary.absent.push(spec.field);
  }
  // The title (“青山镇第十九届人民代表大会代表名册”) for a term or level nothing else gives, as a clerk would read it.
  const fromTitle = new Set<ImportField>();
  for (const field of ['term', 'level'] as const) {
    const said = summary.suggestedFills[field];
    if (!said || byField.has(field) || fills.has(field)) continue;
    const parsed = PARSERS[field](said, { sheet: raw.name, columns: new Map(), fills: new Map(), date1904: false, today });
    if (!parsed.ok || parsed.value === null) continue;
    fills.set(field, parsed.value);
    fromTitle.add(field);
    sheetIssue(
      issues.warnings,
      IMPORT_FIELD_LABELS[field],
      `表中没有“${IMPORT_FIELD_LABELS[field]}”列，按表格标题作为${field === 'term' ? `“${String(parsed.value)}”` : `${LEVEL_LABELS[parsed.value as Level]}级代表`}导入；如不对，请补充“${IMPORT_FIELD_LABELS[field]}”`,
    );
  }
  for (const [field, value] of fills) {
    if (byField.has(field)) continue;
    const fromName =
      (field === 'level' && hint !== null && value === hint && !sheetFills.has('level') && globalFills.get('level') !== hint) ||
      (field === 'township' && township !== null && globalFills.get('township') !== township);
    summary.fillsUsed.push({ field, value: fillText(field, value), source: fromTitle.has(field) ? 'title' : fromName ? 'sheetName' : 'fill' });
  }
  work.sectionFields = (['township', 'level'] as const).filter((f) => !byField.has(f));
  const dataStart = header.headerRow + header.headerRowCount;
  const levelsFromSections =
    !byField.has('level') && !fills.has('level') && content.some((r) => r.number >= dataStart && sectionOf(r.cells)?.level);
  for (const field of ['name', 'level', 'term'] as const) {
    if (!byField.has(field) && !fills.has(field) && !(field === 'level' && levelsFromSections)) summary.missing.push(field);
  }
  if (summary.missing.length) {
    summary.skipReason = `缺少${summary.missing.map((f) => `“${IMPORT_FIELD_LABELS[f]}”`).join('、')}`;
    for (const field of summary.missing) {
      sheetIssue(
        issues.errors,
        IMPORT_FIELD_LABELS[field],
        field === 'name'
          ? '表头中没有“姓名”列：请在“列对应”中指定哪一列是姓名，或检查表头行是否找对'
          : `表中没有“${IMPORT_FIELD_LABELS[field]}”列：请补充${IMPORT_FIELD_LABELS[field]}（导入界面的“补充信息”，命令行用 --fill ${IMPORT_FIELD_LABELS[field]}=${field === 'level' ? '乡镇' : '第十九届'}），本表未导入`,
        header.headerRow,
      );
    }
  }

  summary.included = summary.missing.length === 0;
  const headerTexts = new Map<number, Set<string>>();
  for (const row of content) {
    if (row.number < header.headerRow || row.number >= header.headerRow + header.headerRowCount) continue;
    row.cells.forEach((cell, i) => {
      const t = cleanCode(cellText(cell));
      if (t) (headerTexts.get(i) ?? headerTexts.set(i, new Set()).get(i)!).add(t);
    });
  }
  work.reading = { sheet: raw.name, columns: byField, fills, date1904: raw.date1904, today, headerTexts };
  work.dataStart = dataStart;
  return work;
}

async function runImport(ctx: CoreContext, source: WorkbookSource, fileName: string, raw: RunOptions): Promise<RosterImportReport> {
  ctx.requireOffice();
  const parsed = rosterImportOptions.safeParse({ fills: raw.fills, sheets: raw.sheets, onlySheets: raw.onlySheets, maxIssues: raw.maxIssues });
  if (!parsed.success) throw new AppError('VALIDATION', describeZodError(parsed.error));
  const options = parsed.data;
  const today = new Date();
  const globalFills = resolveFills(options.fills, today);
  const sheetOptions = new Map((options.sheets ?? []).map((s) => [s.name, s]));

  const works: SheetWork[] = [];
  const readings = new Map<string, SheetReading>();
  const planner = new Planner(ctx, (sheet, field) => readings.get(sheet)?.columns.get(field)?.header ?? IMPORT_FIELD_LABELS[field]);
  let rows = 0;
  const parsedRows: { row: ParsedRow; summary: RosterImportSheet }[] = [];
  let started = performance.now();
  const phase = (name: 'read' | 'plan' | 'write') => {
    const now = performance.now();
    raw.onPhase?.(name, now - started);
    started = now;
  };

  const only = options.onlySheets ? new Set(options.onlySheets) : null;
  for await (const sheet of readWorkbook(source, fileName)) {
    // A sheet named with --sheet is wanted, hidden or not.
    const option = only
      ? only.has(sheet.name)
        ? { ...sheetOptions.get(sheet.name), name: sheet.name, include: true }
        : { name: sheet.name, include: false }
      : sheetOptions.get(sheet.name);
    const work = analyseSheet(sheet, option, globalFills, today);
    works.push(work);
    const { reading, summary } = work;
    if (!reading) continue;
    readings.set(sheet.name, reading);
    for (const row of readSheetRows(sheet, work)) parsedRows.push({ row, summary });
    rows = parsedRows.length;
    sheet.rows = [];
  }
  phase('read');

  const unknownSheets = [...new Set([...sheetOptions.keys(), ...(only ?? [])])].filter((name) => !works.some((w) => w.summary.name === name));
  if (unknownSheets.length) {
    throw new AppError('VALIDATION', `工作簿中没有名为${unknownSheets.map((n) => `“${n}”`).join('、')}的工作表，请核对工作表名称`);
  }
  if (works.length === 0) throw new AppError('VALIDATION', `“${fileName}”中没有工作表。`);
  if (!raw.allowNothing && !works.some((w) => w.reading)) {
    const reasons = works.map((w) => `“${w.summary.name}”：${w.summary.skipReason ?? '未导入'}`).join('；');
    throw new AppError('VALIDATION', `“${fileName}”中没有可以导入的代表名册（${reasons}）。表头行应包含“姓名”“层级”“届次”等列名。`);
  }

  planner.prepare(parsedRows.length, raw.lookup);
  for (const { row, summary } of parsedRows) {
    const outcome = planner.add(row);
    if (outcome === 'error') summary.errorRows++;
    else summary[outcome]++;
  }
  parsedRows.length = 0;
  const plan = planner.finish();
  phase('plan');
  const dryRun = raw.dryRun ?? false;
  const counts = {
    fileName,
    imported: plan.imported,
    updated: plan.updated,
    unchanged: plan.unchanged,
    errorRows: plan.errorRows,
    newPersons: plan.newPersons,
  };
  if (!dryRun && hasWrites(plan)) {
    // A copy of the roster as it was, before the one transaction that writes the rows.
    if (raw.backup !== false) backupBefore(ctx, 'import', `代表名册导入：${fileName}`);
    applyPlan(ctx, plan, counts);
  }
  phase('write');

  const position = new Map(works.map((w, i) => [w.summary.name, i]));
  const order = (a: RosterImportIssue, b: RosterImportIssue) =>
    (position.get(a.sheet) ?? 0) - (position.get(b.sheet) ?? 0) || (a.row ?? 0) - (b.row ?? 0);
  const errors = [...works.flatMap((w) => w.issues.errors), ...plan.errors].sort(order);
  const warnings = [...works.flatMap((w) => w.issues.warnings), ...plan.warnings].sort(order);
  const max = options.maxIssues ?? Number.POSITIVE_INFINITY;
  return {
    imported: plan.imported,
    updated: plan.updated,
    unchanged: plan.unchanged,
    errors: errors.slice(0, max),
    warnings: warnings.slice(0, max),
    ignoredColumns: [...new Set(works.flatMap((w) => (w.reading ? w.summary.ignoredColumns : [])))],
    rows,
    errorRows: plan.errorRows,
    errorCount: errors.length,
    warningCount: warnings.length,
    newPersons: plan.newPersons,
    changes: plan.changes.slice(0, max),
    sheets: works.map((w) => w.summary),
    dryRun,
    fileName,
  };
}
