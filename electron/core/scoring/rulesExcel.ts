import type { Writable } from 'node:stream';
import type { FileOutput, RulesImportIssue, RulesImportReport } from '../../../shared/contract/index.js';
import { LEVEL_LABELS, parseLevel, type Level } from '../../../shared/dictionaries.js';
import { AppError } from '../../../shared/errors.js';
import {
  ACTIVITY_TYPES,
  DEFAULT_ALERTS,
  findPreset,
  formatGrades,
  formatPoints,
  parsePoints,
  RULE_CATEGORIES,
  RULE_PRESETS,
  SUGGESTION_TYPE,
  type AlertSettings,
  type GradeSpec,
  type RuleCategory,
  type RuleItemSpec,
  type RuleSetSpec,
} from '../../../shared/scoring/index.js';
import type { CoreContext } from '../context.js';
import {
  addHelpSheet,
  addOfficialSheet,
  BORDER_ALL,
  chineseDate,
  FONT_BODY,
  HEADER_ROW,
  newWorkbookWriter,
  safeFileName,
  styleHeaderCell,
  workbookFileOutput,
  writeHeaderRow,
  writeWorkbookFile,
} from '../reports/layout.js';
import { readWorkbook } from '../roster/import/sheet.js';
import { cellText, type CellValue } from '../roster/import/values.js';
import { assertEditable, insertRuleSet, itemColumns, periodOrThrow, ruleSetRow, ruleSetSpec, ruleSetWarnings, toSummary, type RuleSetDbRow } from './ruleSets.js';

/**
 * The rule table (积分规则表) as a workbook a county fills in and sends to its
 * townships: sheet 积分项目 (one row per item), sheet 总体设置 (base, floor,
 * grades, review, alerts), 填写说明 and 活动类型. Export and import use the
 * same columns, so an exported table imports back unchanged.
 */

const ITEM_COLUMNS = [
  { key: 'code', header: '编码', width: 8, aliases: ['项目编码', '代码', '序号编码'] },
  { key: 'name', header: '项目名称', width: 20, aliases: ['项目', '名称', '积分项目'] },
  { key: 'category', header: '类别', width: 10, aliases: ['分类', '类型类别'] },
  { key: 'types', header: '计分活动类型', width: 30, aliases: ['活动类型', '计分类型', '计分内容'] },
  { key: 'first', header: '首次分值', width: 9, aliases: ['首次', '首次得分', '首次计分'] },
  { key: 'further', header: '每增加一次', width: 10, aliases: ['每增加一次加分', '其后每次', '每增一次'] },
  { key: 'cap', header: '本期上限', width: 10, aliases: ['上限', '最高分', '封顶分'] },
  { key: 'leave', header: '请假每次扣分', width: 11, aliases: ['每次请假', '请假扣分', '请假'] },
  { key: 'absent', header: '缺席每次扣分', width: 11, aliases: ['每次缺席', '缺席扣分', '缺席'] },
  { key: 'cosign', header: '附议每件', width: 9, aliases: ['附议', '附议每件分值', '附议分值'] },
  { key: 'cosignCap', header: '附议上限', width: 9, aliases: ['附议最高分'] },
  { key: 'note', header: '说明', width: 36, aliases: ['备注', '计分说明'] },
] as const;
type ItemColumn = (typeof ITEM_COLUMNS)[number]['key'];

const SETTINGS = {
  name: '规则名称',
  period: '考核期间',
  level: '适用层级',
  base: '基础分',
  floor: '总分下限',
  grades: '等级',
  review: '乡镇录入须审核',
  bottomN: '末位预警人数',
  bottomRuns: '末位连续期数',
  below: '预警分数线',
} as const;

export const ITEMS_SHEET = '积分项目';
export const SETTINGS_SHEET = '总体设置';

interface TableSource {
  name: string;
  periodLabel: string;
  level: Level | null;
  rules: RuleSetSpec;
  alerts: AlertSettings;
  requireReview: boolean;
}

const abs = (n: number) => formatPoints(Math.abs(n));

function itemValues(item: RuleItemSpec): (string | number)[] {
  const num = (x100: number) => x100 / 100;
  return [
    item.code,
    item.name,
    item.category,
    item.activityTypes.join('、'),
    num(item.firstPoints),
    num(item.furtherPoints),
    item.cap === null ? '不封顶' : num(item.cap),
    item.leavePoints === 0 ? '' : Number(abs(item.leavePoints)),
    item.absentPoints === 0 ? '' : Number(abs(item.absentPoints)),
    item.cosignPoints === 0 ? '' : num(item.cosignPoints),
    item.cosignCap === null ? '' : num(item.cosignCap),
    item.note ?? '',
  ];
}

async function writeTable(stream: Writable, t: TableSource, officeName: string): Promise<void> {
  const wb = newWorkbookWriter(stream);
  const ws = addOfficialSheet(wb, {
    sheetName: ITEMS_SHEET,
    title: t.name,
    widths: ITEM_COLUMNS.map((c) => c.width),
    officeLine: { left: `制定单位：${officeName}`, center: `考核期间：${t.periodLabel}`, right: `制表日期：${chineseDate()}` },
    headerRowCount: 1,
  });
  writeHeaderRow(ws, ITEM_COLUMNS.map((c) => c.header), 30);
  t.rules.items.forEach((item, index) => {
    const row = ws.getRow(HEADER_ROW + 1 + index);
    itemValues(item).forEach((v, i) => {
      const cell = row.getCell(i + 1);
      cell.value = v === '' ? null : v;
      cell.font = FONT_BODY;
      cell.border = BORDER_ALL;
      cell.alignment = { vertical: 'middle', wrapText: i === 3 || i === 11, horizontal: typeof v === 'number' ? 'center' : 'left' };
      if (typeof v === 'number') cell.numFmt = '0.##';
    });
    row.commit();
  });
  ws.commit();

  const settings = wb.addWorksheet(SETTINGS_SHEET, { properties: { defaultRowHeight: 20 } });
  settings.columns = [{ width: 18 }, { width: 40 }, { width: 56 }];
  const rows: [string, string | number, string][] = [
    ['设置项', '值', '填写说明'],
    [SETTINGS.name, t.name, '如：2025年度县人大代表履职积分规则'],
    [SETTINGS.period, t.periodLabel, '仅供阅读；导入时由导入界面或 --period 指定'],
    [SETTINGS.level, t.level ? LEVEL_LABELS[t.level] : '全部', '全部，或 县、乡镇 等（不同层级可用不同规则）'],
    [SETTINGS.base, t.rules.base / 100, '每名代表的起始分，没有填 0'],
    [SETTINGS.floor, t.rules.floor === null ? '不设' : t.rules.floor / 100, '总分最低为多少（如 0 表示扣分后不低于0分）；不设下限填“不设”'],
    [SETTINGS.grades, t.rules.grades.length ? formatGrades(t.rules.grades, formatPoints) : '不评等级', '如：好≥80；较好≥60；差（最后一个不写分数，表示其余）；不评等级填“不评等级”'],
    [SETTINGS.review, t.requireReview ? '是' : '否', '是：乡镇录入的活动须经县人大确认后才计分'],
    [SETTINGS.bottomN, t.alerts.bottomN ?? '不设', '积分列末几名时提示（如 5）；不提示填“不设”'],
    [SETTINGS.bottomRuns, t.alerts.bottomRuns, '连续几期列末位才提示（如 2 表示连续两期）'],
    [SETTINGS.below, t.alerts.below === null ? '不设' : t.alerts.below / 100, '总分低于此分时提示；不提示填“不设”'],
  ];
  rows.forEach((values, i) => {
    const row = settings.getRow(i + 1);
    values.forEach((v, j) => {
      const cell = row.getCell(j + 1);
      cell.value = v;
      cell.border = BORDER_ALL;
      cell.alignment = { vertical: 'middle', wrapText: true };
      if (i === 0) styleHeaderCell(cell);
      else cell.font = j === 2 ? { name: '仿宋', size: 9, color: { argb: 'FF666666' } } : FONT_BODY;
    });
    row.commit();
  });
  settings.commit();

  addHelpSheet(wb, HELP_LINES);

  const types = wb.addWorksheet('活动类型');
  types.columns = [{ width: 18 }, { width: 50 }];
  [['活动类型', '说明'] as [string, string], ...ACTIVITY_TYPES.map((a) => [a.name, a.hint] as [string, string]), [SUGGESTION_TYPE, '代表建议：领衔按“首次/每增加一次”计分，附议按“附议每件”计分']].forEach(
    (values, i) => {
      const row = types.getRow(i + 1);
      values.forEach((v, j) => {
        const cell = row.getCell(j + 1);
        cell.value = v;
        cell.border = BORDER_ALL;
        if (i === 0) styleHeaderCell(cell);
        else cell.font = FONT_BODY;
      });
      row.commit();
    },
  );
  types.commit();
  await wb.commit();
}

const HELP_LINES = [
  '积分规则表填写说明',
  '1. “积分项目”表每行一个计分项目；表头（第3行）不要改动，可增删行。',
  '2. 编码：每项一个唯一编码（字母和数字，如 H01），导出积分时用它区分各项，年度之间尽量保持不变。',
  '3. 类别：会议期间、闭会期间、加分、扣分 四选一。',
  '4. 计分活动类型：本项计入哪些活动，多个类型用“、”分隔，合并计分、共用一个上限（如：视察、调研、执法检查）。可用的类型见“活动类型”表；也可写本地的活动类型名称，登记活动时使用相同名称即可。写“代表建议”表示本项按代表建议计分。',
  '5. 首次分值、每增加一次：第一次得“首次分值”，以后每多一次加“每增加一次”。只按次计分时两列填相同的数（如每次5分：5、5）。',
  '6. 本期上限：本项在一个考核期间最多得多少分；不封顶填“不封顶”或留空。',
  '7. 请假每次扣分、缺席每次扣分：本项活动每请假一次、每未经批准缺席一次扣几分，填正数（如 1、5），不扣分留空。扣分不受本期上限限制。',
  '8. 附议每件、附议上限：只用于计入“代表建议”的项目，附议一件得几分、附议最多得几分；附议分计入本项，本项合计仍不超过“本期上限”。',
  '9. 分值可以有小数，最多两位（如 0.5、2.5）。',
  '10. “总体设置”表：基础分、总分下限、等级、审核和预警。等级写法如“好≥80；较好≥60；差”。',
  '11. 导入：在“积分规则”页面点击“导入规则表”，或命令行 deputy-desk rules import 文件.xlsx --period 2025。同一期间同一层级已有规则（未结束）时，导入会替换其全部项目，执行中的积分随即按新规则重新计算。',
];

export function presetTable(key: string, period: string): TableSource {
  const preset = findPreset(key);
  if (!preset) throw new AppError('VALIDATION', `没有名为“${key}”的预设。可选：${RULE_PRESETS.map((p) => `${p.key}（${p.name}）`).join('、')}`);
  const p = periodOrThrow(period);
  return { name: `${p.label}人大代表履职积分规则`, periodLabel: p.label, level: null, rules: preset.rules, alerts: preset.alerts, requireReview: false };
}

function ruleSetTable(ctx: CoreContext, row: RuleSetDbRow): TableSource {
  const s = toSummary(row);
  return { name: row.name, periodLabel: s.periodLabel, level: row.level, rules: ruleSetSpec(ctx, row), alerts: s.alerts, requireReview: s.requireReview };
}

/** The rule set to export: by id, by period (its only or all-levels rule set), or the newest in force. */
export function resolveExportSource(ctx: CoreContext, input: { id?: string; period?: string; preset?: string }): TableSource {
  if (input.preset) return presetTable(input.preset, input.period ?? String(new Date().getFullYear()));
  if (input.id) return ruleSetTable(ctx, ruleSetRow(ctx, input.id));
  const where = input.period ? 'period = ?' : "status IN ('in_force', 'closed')";
  const row = ctx.db
    .prepare(`SELECT id FROM rule_sets WHERE deleted_at IS NULL AND ${where} ORDER BY period DESC, level IS NOT NULL, level LIMIT 1`)
    .pluck()
    .get(...(input.period ? [input.period] : [])) as string | undefined;
  if (!row) {
    throw new AppError(
      'NOT_FOUND',
      input.period ? `${periodOrThrow(input.period).label}没有积分规则。` : '还没有积分规则。可加 --preset first-further-cap 导出预设规则表作为模板。',
    );
  }
  return ruleSetTable(ctx, ruleSetRow(ctx, row));
}

export async function exportRules(ctx: CoreContext, input: { id?: string; period?: string; preset?: string }): Promise<FileOutput> {
  const t = resolveExportSource(ctx, input);
  const officeName = ctx.office()?.officeName ?? '';
  ctx.repo.audit({ action: 'export', entity: 'rule_sets', summary: `导出积分规则表：${t.name}` });
  return workbookFileOutput(`${safeFileName(t.name)}.xlsx`, (stream) => writeTable(stream, t, officeName));
}

export async function exportRulesToFile(ctx: CoreContext, out: string, input: { id?: string; period?: string; preset?: string }): Promise<{ file: string; name: string; items: number }> {
  const t = resolveExportSource(ctx, input);
  const officeName = ctx.office()?.officeName ?? '';
  await writeWorkbookFile(out, (stream) => writeTable(stream, t, officeName));
  return { file: out, name: t.name, items: t.rules.items.length };
}

/** For scripts/tests: writes any table (the template in resources/templates is a preset). */
export async function writeTableFile(out: string, t: TableSource, officeName = ''): Promise<void> {
  await writeWorkbookFile(out, (stream) => writeTable(stream, t, officeName));
}

// ---------- import ----------

const HEADER_INDEX = (() => {
  const m = new Map<string, ItemColumn>();
  for (const c of ITEM_COLUMNS) for (const w of [c.header, ...c.aliases]) m.set(w, c.key);
  return m;
})();

function headerWord(text: string): string {
  return text.replace(/[\s\u3000]/g, '').replace(/[（(].*$/, '');
}

const NO_CAP = ['', '不封顶', '上不封顶', '无', '不限', '无上限', '—', '-', '/'];
const NONE = ['', '不设', '无', '不设下限', '不评等级', '—', '-', '/'];

function parseGrades(text: string): GradeSpec[] | string {
  const t = text.trim();
  if (NONE.includes(t)) return [];
  const grades: GradeSpec[] = [];
  for (const part of t.split(/[；;，,、\n]+/).map((s) => s.trim()).filter(Boolean)) {
    const m = /^(.+?)\s*(?:≥|>=|＞=|大于等于|:|：)\s*(-?[\d.]+)\s*分?(?:以上|及以上)?$/.exec(part) ?? /^(.+?)\s*(-?[\d.]+)\s*分(?:以上|及以上)$/.exec(part);
    if (m) {
      const min = parsePoints(m[2]!);
      if (min === null) return `等级“${part}”的分数无法识别`;
      grades.push({ name: m[1]!.trim(), min });
    } else if (/^[^\d<>≥≤＜＞]+$/.test(part)) {
      grades.push({ name: part.replace(/[（(].*$/, '').trim(), min: null });
    } else {
      return `等级“${part}”无法识别，请写成“好≥80”，兜底等级只写名称（如“差”）`;
    }
  }
  if (grades.filter((g) => g.min === null).length > 1) return '只能有一个不写分数的兜底等级';
  return grades;
}

interface ParsedTable {
  items: RuleItemSpec[];
  name: string | null;
  level: Level | null | undefined;
  base: number;
  floor: number | null;
  grades: GradeSpec[];
  requireReview: boolean;
  alerts: AlertSettings;
  errors: RulesImportIssue[];
  warnings: RulesImportIssue[];
}

async function parseTable(file: { name: string; buffer: Buffer }): Promise<ParsedTable> {
  const out: ParsedTable = {
    items: [],
    name: null,
    level: undefined,
    base: 0,
    floor: 0,
    grades: [],
    requireReview: false,
    alerts: { ...DEFAULT_ALERTS },
    errors: [],
    warnings: [],
  };
  let foundItems = false;
  let foundSettings = false;
  for await (const sheet of readWorkbook({ buffer: file.buffer }, file.name)) {
    if (!foundItems) {
      const headerRow = sheet.rows.slice(0, 15).find((r) => {
        const words = r.cells.map((c) => headerWord(cellText(c as CellValue)));
        return words.includes('编码') && (words.includes('项目名称') || words.includes('项目'));
      });
      if (headerRow) {
        foundItems = true;
        readItems(sheet.name, sheet.rows.filter((r) => r.number > headerRow.number), headerRow.cells as CellValue[], out);
        continue;
      }
    }
    if (!foundSettings && (sheet.name.includes('设置') || sheet.rows.some((r) => headerWord(cellText(r.cells[1] as CellValue)) === '基础分'))) {
      foundSettings = true;
      readSettings(sheet.name, sheet.rows, out);
    }
  }
  if (!foundItems) {
    out.errors.push({ sheet: '', row: null, column: '', message: '没有找到积分项目表：需要一个表头含“编码”“项目名称”“计分活动类型”等列的工作表。请使用积分规则表模板。' });
  }
  return out;
}

function readItems(sheet: string, rows: { number: number; cells: unknown[] }[], header: CellValue[], out: ParsedTable): void {
  const columns = new Map<ItemColumn, number>();
  header.forEach((c, i) => {
    const key = HEADER_INDEX.get(headerWord(cellText(c)));
    if (key && !columns.has(key)) columns.set(key, i);
  });
  for (const required of ['code', 'name', 'category', 'types', 'first'] as const) {
    if (!columns.has(required)) {
      out.errors.push({ sheet, row: null, column: ITEM_COLUMNS.find((c) => c.key === required)!.header, message: '缺少这一列，请使用积分规则表模板。' });
    }
  }
  if (out.errors.length) return;
  const label = (key: ItemColumn) => ITEM_COLUMNS.find((c) => c.key === key)!.header;
  const codes = new Set<string>();
  for (const r of rows) {
    const text = (key: ItemColumn) => {
      const i = columns.get(key);
      return i === undefined ? '' : cellText(r.cells[i] as CellValue).trim();
    };
    if (ITEM_COLUMNS.every((c) => text(c.key) === '')) continue;
    const problems: RulesImportIssue[] = [];
    const bad = (key: ItemColumn, message: string) => problems.push({ sheet, row: r.number, column: label(key), message });
    const pts = (key: ItemColumn, opts: { nullable?: boolean; deduction?: boolean } = {}): number | null => {
      const t = text(key);
      if (opts.nullable && NO_CAP.includes(t)) return null;
      if (t === '') return 0;
      const v = parsePoints(t);
      if (v === null) {
        bad(key, `“${t}”不是分值，请填写数字（最多两位小数）${opts.nullable ? '，不封顶填“不封顶”' : ''}`);
        return 0;
      }
      if (opts.nullable && v < 0) bad(key, '上限不能为负数');
      return opts.deduction ? -Math.abs(v) : v;
    };
    const code = text('code');
    if (!/^[A-Za-z0-9_.\-]{1,20}$/.test(code)) bad('code', code ? `编码“${code}”只能由字母、数字、点、横线组成（如 H01）` : '请填写编码');
    else if (codes.has(code)) bad('code', `编码“${code}”与上面的项目重复`);
    codes.add(code);
    const name = text('name');
    if (!name) bad('name', '请填写项目名称');
    const category = text('category').replace(/\s/g, '');
    if (!(RULE_CATEGORIES as readonly string[]).includes(category)) bad('category', `类别“${category}”应为：${RULE_CATEGORIES.join('、')}`);
    const types = [...new Set(text('types').split(/[、,，;；\n/／+＋\s]+/).map((s) => s.trim()).filter(Boolean))];
    if (types.length === 0) bad('types', '请填写计入本项的活动类型，多个用“、”分隔');
    const item: RuleItemSpec = {
      code,
      name,
      category: category as RuleCategory,
      activityTypes: types,
      firstPoints: pts('first') ?? 0,
      furtherPoints: pts('further') ?? 0,
      cap: pts('cap', { nullable: true }),
      leavePoints: pts('leave', { deduction: true }) ?? 0,
      absentPoints: pts('absent', { deduction: true }) ?? 0,
      cosignPoints: pts('cosign') ?? 0,
      cosignCap: pts('cosignCap', { nullable: true }),
      note: text('note') || null,
    };
    const known = new Set([...ACTIVITY_TYPES.map((a) => a.name), SUGGESTION_TYPE]);
    const unknown = types.filter((t) => !known.has(t));
    if (unknown.length) {
      out.warnings.push({ sheet, row: r.number, column: label('types'), message: `“${unknown.join('、')}”不是内置活动类型，登记活动时须使用完全相同的名称才会计分。` });
    }
    if ((item.cosignPoints !== 0 || item.cosignCap !== null) && !types.includes(SUGGESTION_TYPE)) {
      out.warnings.push({ sheet, row: r.number, column: label('cosign'), message: '填写了附议分值，但本项不计入“代表建议”，附议分不会生效。' });
    }
    if (problems.length) out.errors.push(...problems);
    else out.items.push(item);
  }
  if (out.items.length === 0 && out.errors.length === 0) out.errors.push({ sheet, row: null, column: '', message: '积分项目表中没有项目。' });
}

function readSettings(sheet: string, rows: { number: number; cells: unknown[] }[], out: ParsedTable): void {
  for (const r of rows) {
    const key = headerWord(cellText(r.cells[1] as CellValue));
    const raw = cellText(r.cells[2] as CellValue).trim();
    const bad = (message: string) => out.errors.push({ sheet, row: r.number, column: key, message });
    const optionalPoints = (): number | null | undefined => {
      if (NONE.includes(raw)) return null;
      const v = parsePoints(raw);
      if (v === null) bad(`“${raw}”不是分数`);
      return v ?? undefined;
    };
    switch (key) {
      case SETTINGS.name:
        if (raw) out.name = raw.slice(0, 60);
        break;
      case SETTINGS.level:
        if (raw === '' || raw === '全部' || raw === '全体') out.level = null;
        else {
          const level = parseLevel(raw);
          if (!level) bad(`“${raw}”不是代表层级，请填写 全部、县、乡镇 等`);
          else out.level = level;
        }
        break;
      case SETTINGS.base: {
        const v = raw === '' ? 0 : parsePoints(raw);
        if (v === null) bad(`“${raw}”不是分数`);
        else out.base = v;
        break;
      }
      case SETTINGS.floor: {
        const v = optionalPoints();
        if (v !== undefined) out.floor = v;
        break;
      }
      case SETTINGS.grades: {
        const g = parseGrades(raw);
        if (typeof g === 'string') bad(g);
        else out.grades = g;
        break;
      }
      case SETTINGS.review:
        out.requireReview = ['是', '须审核', '需要', 'Y', 'y', '1', '√'].includes(raw);
        break;
      case SETTINGS.bottomN: {
        if (NONE.includes(raw)) out.alerts.bottomN = null;
        else if (/^\d+$/.test(raw) && Number(raw) > 0) out.alerts.bottomN = Number(raw);
        else bad(`“${raw}”应为人数（如 5）或“不设”`);
        break;
      }
      case SETTINGS.bottomRuns:
        if (raw === '') break;
        if (/^\d+$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 10) out.alerts.bottomRuns = Number(raw);
        else bad(`“${raw}”应为 1 到 10 的整数`);
        break;
      case SETTINGS.below: {
        const v = optionalPoints();
        if (v !== undefined) out.alerts.below = v;
        break;
      }
      default:
        break;
    }
  }
}

export async function importRules(
  ctx: CoreContext,
  input: { file: { name: string; base64: string }; period: string; level?: Level | null; dryRun: boolean; status?: 'draft' | 'in_force' },
): Promise<RulesImportReport> {
  ctx.requireOffice();
  const period = periodOrThrow(input.period);
  const parsed = await parseTable({ name: input.file.name, buffer: Buffer.from(input.file.base64, 'base64') });
  const level = input.level !== undefined ? input.level : (parsed.level ?? null);
  const name = parsed.name ?? `${period.label}${level ? LEVEL_LABELS[level] + '人大代表' : '人大代表'}履职积分规则`;
  const report: RulesImportReport = {
    imported: false,
    ruleSetId: null,
    period: period.id,
    level,
    name,
    items: parsed.items.length,
    replaced: false,
    errors: parsed.errors,
    warnings: [...parsed.warnings, ...ruleSetWarnings(parsed.items).map((message) => ({ sheet: ITEMS_SHEET, row: null, column: '', message }))],
  };
  const existing = ctx.db
    .prepare(`SELECT id FROM rule_sets WHERE period = ? AND coalesce(level, '') = ? AND deleted_at IS NULL`)
    .pluck()
    .get(period.id, level ?? '') as string | undefined;
  if (existing) {
    const row = ruleSetRow(ctx, existing);
    if (row.status === 'closed') {
      report.errors.push({ sheet: '', row: null, column: '', message: `“${row.name}”已结束，${period.label}的积分已封存，不能导入替换。` });
    }
  }
  if (report.errors.length > 0 || input.dryRun) return report;
  const status = input.status ?? 'in_force';
  const rules: RuleSetSpec = { base: parsed.base, floor: parsed.floor, grades: parsed.grades, items: parsed.items };
  const id = ctx.repo.transaction(() => {
    if (existing) {
      const row = ruleSetRow(ctx, existing);
      assertEditable(row);
      for (const item of ctx.db.prepare('SELECT id FROM rule_items WHERE rule_set_id = ? AND deleted_at IS NULL').pluck().all(existing) as string[]) {
        ctx.repo.tombstone('rule_items', item, { audit: false });
      }
      ctx.repo.update(
        'rule_sets',
        existing,
        {
          name,
          status,
          base_x100: rules.base,
          floor_x100: rules.floor,
          grades_json: JSON.stringify(rules.grades),
          require_review: parsed.requireReview ? 1 : 0,
          alert_bottom_n: parsed.alerts.bottomN,
          alert_bottom_runs: parsed.alerts.bottomRuns,
          alert_below_x100: parsed.alerts.below,
        },
        { audit: false },
      );
      rules.items.forEach((item, index) => {
        ctx.repo.insert('rule_items', { ...itemColumns(item), rule_set_id: existing, sort_order: index + 1 }, { audit: false });
      });
      ctx.repo.audit({
        action: 'import',
        entity: 'rule_sets',
        entityId: existing,
        summary: `导入积分规则表“${input.file.name}”，替换“${row.name}”的全部 ${rules.items.length} 个项目${row.status === 'in_force' ? '；执行中，积分已按新规则重新计算' : ''}`,
      });
      report.replaced = true;
      return existing;
    }
    const newId = insertRuleSet(
      ctx,
      { period: period.id, level, name, preset: null, rules, alerts: parsed.alerts, requireReview: parsed.requireReview },
      { audit: false },
    );
    if (status === 'in_force') ctx.repo.update('rule_sets', newId, { status }, { audit: false });
    ctx.repo.audit({ action: 'import', entity: 'rule_sets', entityId: newId, summary: `导入积分规则表“${input.file.name}”：${name}，${rules.items.length} 个项目` });
    return newId;
  });
  report.imported = true;
  report.ruleSetId = id;
  return report;
}
