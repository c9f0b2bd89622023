/**
 * One sheet row → one seat to import: person values, seat values, and the
 * row's errors naming the header text as written. Also tells data rows from
 * the rows around them that are not data (blank, 合计, 注：…, section lines).
 */
import type { RosterImportIssue } from '../../../../shared/contract/rosterImport.js';
import type { Level, SeatStatus, StartMethod } from '../../../../shared/dictionaries.js';
import { IMPORT_FIELD_LABELS, matchHeader, type ImportField } from '../../../../shared/rosterImport.js';
import { checkIdentity, type PersonInput } from '../service.js';
import { readRemarks } from './remarks.js';
import {
  cellPrimitive,
  cellText,
  cleanCode,
  parseBankAccount,
  parseBankNameAndAccount,
  parseBoolean,
  parseCompositionCell,
  parseDate,
  parseEducationCell,
  parseEndReason,
  parseEthnicityCell,
  parseGender,
  parseIdNumberCell,
  parseLevelCell,
  parseName,
  parsePhone,
  parsePlace,
  parsePolitical,
  parseSeatStatus,
  parseStartMethod,
  parseTerm,
  parseText,
  type CellValue,
  type Parsed,
} from './values.js';

export interface SeatValues {
  level?: Level;
  term?: string;
  constituency?: string;
  township?: string;
  certificateNo?: string;
  isReelected?: boolean;
  startDate?: string;
  startMethod?: StartMethod;
  status?: SeatStatus;
  endDate?: string;
  endReason?: string;
  note?: string;
}

export interface ParsedRow {
  sheet: string;
  row: number;
  /** Only the values the row gives (empty cells are left out: an import never clears). */
  person: PersonInput;
  /** gender / birthDate worked out from the ID number rather than typed. */
  derived: ('gender' | 'birthDate')[];
  seat: SeatValues;
  group: string | null;
  station: string | null;
  errors: RosterImportIssue[];
  warnings: RosterImportIssue[];
}

/** How one sheet is read: which column holds which field, and values for the fields it lacks. */
export interface SheetReading {
  sheet: string;
  /** field → column number and its header text. */
  columns: Map<ImportField, { index: number; header: string }>;
  /** Parsed fill values for fields without a column (or with an empty cell). */
  fills: Map<ImportField, unknown>;
  date1904: boolean;
  today: Date;
  /** The header rows' cell texts without spaces, by column: a row that repeats them is a printed page's header. */
  headerTexts?: Map<number, Set<string>>;
  /** Parsed values of text cells in columns with few distinct values (层级, 民族, 出生年月 …). */
  memo?: Map<ImportField, Map<string, Parsed<unknown>>>;
}

/** Columns whose values repeat a lot: each distinct text is parsed once per sheet. */
const MEMO_FIELDS = new Set<ImportField>([
  'gender', 'ethnicity', 'birthDate', 'nativePlace', 'politicalAffiliation', 'education', 'degree', 'composition',
  'hasFixedIncome', 'level', 'term', 'constituency', 'township', 'group', 'station', 'isReelected', 'startDate', 'startMethod',
]);
const MEMO_LIMIT = 5000;

function parseCell(field: Exclude<ImportField, 'serial'>, cell: CellValue, reading: SheetReading): Parsed<unknown> {
  if (typeof cell !== 'string' || !MEMO_FIELDS.has(field)) return PARSERS[field](cell, reading);
  const memo = (reading.memo ??= new Map());
  let byText = memo.get(field);
  if (!byText) memo.set(field, (byText = new Map()));
  let result = byText.get(cell);
  if (!result) {
    result = PARSERS[field](cell, reading);
    if (byText.size < MEMO_LIMIT) byText.set(cell, result);
  }
  return result;
}

type Parser = (v: CellValue, r: SheetReading) => Parsed<unknown>;

/** Each field's parser; the label in messages is the field's own name. */
export const PARSERS: Record<Exclude<ImportField, 'serial'>, Parser> = {
  name: (v) => parseName(v),
  gender: (v) => parseGender(v),
  ethnicity: (v) => parseEthnicityCell(v),
  birthDate: (v, r) => parseDate(v, { label: '出生年月', needDay: false, date1904: r.date1904, today: r.today, birth: true }),
  nativePlace: (v) => parseText(v, '籍贯', 40),
  politicalAffiliation: (v) => parsePolitical(v),
  education: (v) => parseEducationCell(v),
  degree: (v) => parseText(v, '学位', 20),
  workUnit: (v) => parseText(v, '工作单位及职务', 100),
  position: (v) => parseText(v, '职务', 100),
  composition: (v) => parseCompositionCell(v),
  phone: (v) => parsePhone(v),
  address: (v) => parseText(v, '通讯地址', 100),
  idNumber: (v, r) => parseIdNumberCell(v, r.today),
  hasFixedIncome: (v) => parseBoolean(v, '是否有固定收入', ['有固定收入'], ['无固定收入', '没有固定收入']),
  bankName: (v) => parseText(v, '开户行', 60),
  bankAccount: (v) => parseBankAccount(v),
  bankNameAndAccount: (v) => parseBankNameAndAccount(v),
  level: (v) => parseLevelCell(v),
  term: (v) => parseTerm(v),
  constituency: (v) => parseText(v, '选区', 60),
  township: (v) => parsePlace(v, '所属乡镇', 40),
  certificateNo: (v) => parsePlace(v, '代表证号', 30),
  group: (v) => parseText(v, '代表小组', 60),
  station: (v) => parseText(v, '代表联络站', 60),
  isReelected: (v) => parseBoolean(v, '是否连任', ['连任'], ['新任', '新当选', '首次当选']),
  startDate: (v, r) => parseDate(v, { label: '当选日期', needDay: true, date1904: r.date1904, today: r.today }),
  startMethod: (v) => parseStartMethod(v),
  status: (v) => parseSeatStatus(v),
  endDate: (v, r) => parseDate(v, { label: '资格终止日期', needDay: true, date1904: r.date1904, today: r.today }),
  endReason: (v) => parseEndReason(v),
  note: (v) => parseText(v, '备注', 500),
};

/** The words a column is called in messages: as written in the sheet, else the field's name. */
export function columnName(reading: SheetReading, field: ImportField): string {
  return reading.columns.get(field)?.header ?? IMPORT_FIELD_LABELS[field];
}

export type RowKind = 'data' | 'blank' | 'total' | 'note' | 'section' | 'header';

const TOTAL = /^(合计|总计|小计|共计|总数|累计)/;
const NOTE = /^(注|注意|备注|说明|填表说明|附注|附)\s*[:：\d一二三四五六七八九①②③④⑤⑥⑦⑧⑨、.]|^(填表人|制表人|审核人|审核|填报人|负责人|单位负责人|联系人|经办人|填表日期|填报日期|制表日期|报送日期|制表单位|填报单位)\s*[:：]/;

/**
 * What a row below the header is. `afterNotes`: a 注 line was seen above, so
 * lines without a name are further notes.
 */
export function classifyRow(cells: CellValue[], reading: SheetReading, afterNotes: boolean): RowKind {
  const serialIndex = reading.columns.get('serial')?.index;
  let first = '';
  let count = 0;
  let only: string | null = null; // the one text all cells hold, if they hold one
  let differ = false;
  for (let i = 1; i < cells.length; i++) {
    const v = cells[i];
    if (v === undefined || v === null || v === '') continue;
    const t = (typeof v === 'string' ? v : cellText(v)).trim();
    if (!t) continue;
    if (!first) first = t;
    if (i === serialIndex) continue;
    count++;
    if (only === null) only = t;
    else if (t !== only) differ = true;
  }
  if (!first) return 'blank';
  if (mayBeWords(first) && TOTAL.test(squeeze(first))) return 'total';
  if (count === 0) return NOTE.test(squeeze(first)) || (afterNotes && !/^\d+$/.test(first)) ? 'note' : 'blank';
  const nameIndex = reading.columns.get('name')?.index;
  const name = nameIndex ? cellText(cells[nameIndex]).trim() : '';
  if (name && mayBeWords(name) && TOTAL.test(squeeze(name))) return 'total';
  if (mayBeWords(first) && NOTE.test(squeeze(first))) return 'note';
  if (afterNotes && (!name || count < 2 || !differ)) return 'note';
  // A sentence typed under the table in the name column (本表由乡镇人大主席团填报, 共2人): a note, not a deputy.
  if (count === 1 && name && !looksLikeName(squeeze(name))) return 'note';
  if (!differ && count >= 3) return 'section'; // a line merged across the table
  if (count >= 2 && repeatsHeader(cells, reading)) return 'header'; // the header repeated on a pasted page, either of its rows
  if (count >= 2 && numbersColumns(cells)) return 'header'; // 1 2 3 … (or A B C, ① ② ③, 甲 乙 丙) under the header of an official form
  // The header repeated (pasted pages): its name cell says 姓名.
  if (name && name.length <= 8 && (!PLAIN_NAME.test(name) || name.includes('名')) && matchHeader(name) === 'name') {
    let words = 0;
    for (let i = 1; i < cells.length; i++) if (matchHeader(cellText(cells[i]).trim())) words++;
    if (words >= Math.max(2, count - 1)) return 'header';
  }
  return 'data';
}

/** Every filled cell holds the header text of its column (序号 … 年月 | 民族 | 号码 under a repeated heading). */
function repeatsHeader(cells: CellValue[], reading: SheetReading): boolean {
  const texts = reading.headerTexts;
  if (!texts) return false;
  for (let i = 1; i < cells.length; i++) {
    const t = cleanCode(cellText(cells[i]));
    if (t && !texts.get(i)?.has(t)) return false;
  }
  return true;
}

const STEMS = '甲乙丙丁戊己庚辛壬癸';
/** A column's number in a row that numbers the columns: 3, C, ③ or 丙 → 3. */
function ordinal(t: string): number | null {
  if (/^\d{1,2}$/.test(t)) return Number(t);
  if (/^[A-Z]$/.test(t)) return t.charCodeAt(0) - 64;
  const circled = t.length === 1 ? t.charCodeAt(0) - 0x245f : 0;
  if (circled >= 1 && circled <= 20) return circled;
  const stem = t.length === 1 ? STEMS.indexOf(t) : -1;
  return stem >= 0 ? stem + 1 : null;
}

/** Three or more cells counting up by one from left to right, and nothing else: the columns' numbers. */
function numbersColumns(cells: CellValue[]): boolean {
  let last: number | null = null;
  let seen = 0;
  for (let i = 1; i < cells.length; i++) {
    const t = cellText(cells[i]).trim();
    if (!t) continue;
    const n = ordinal(t);
    if (n === null || (last !== null && n !== last + 1)) return false;
    last = n;
    seen++;
  }
  return seen >= 3;
}

/**
 * What a deputy's name can look like: two to six Chinese characters, a
 * minority name joined by ·, or a name in Latin letters; a mark or a remark
 * in brackets may follow (王芳*, 李强（女）).
 */
function looksLikeName(t: string): boolean {
  const bare = t.replace(/[(（][^()（）]*[)）]$/, '').replace(/[*＊※△▲☆★#＃]+$/, '');
  if (NOT_NAME_WORDS.test(bare)) return false;
  if (HAN_NAME.test(bare)) return true;
  if (DOTTED_NAME.test(bare) && /[·•・．.]/.test(bare)) return true;
  return LATIN_NAME.test(bare);
}
const HAN_NAME = /^[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]{2,6}$/u;
const DOTTED_NAME = /^[\u3400-\u9fff\u{20000}-\u{3134f}·•・．.]{3,24}$/u;
const LATIN_NAME = /^[A-Za-z][A-Za-z .'-]{1,40}$/;
/** Words of the lines under a table that are never in a name. */
const NOT_NAME_WORDS = /填表|填报|签字|签名|盖章|审核|核对|合计|共计|以上|本表|备注|说明|附件|单位|日期|负责人|联系人|制表|人数/;

/**
 * A name of Chinese characters only, without 名, cannot be a header word for
 * the name column (姓名, 代表姓名, 名字, name): no matchHeader on every row.
 */
const PLAIN_NAME = /^[\u4e00-\u9fff·]+$/;

/** Total and note lines start with one of these characters. */
const FIRST_CHARS = new Set([...'合总小共累注备说填附制审负联经报单']);
const mayBeWords = (t: string) => FIRST_CHARS.has(t[0]!);
const squeeze = (t: string) => cleanCode(t);

/** Reads one data row. Never throws: problems become errors naming the row and the column. */
export function parseRow(number: number, cells: CellValue[], reading: SheetReading): ParsedRow {
  const sheet = reading.sheet;
  let errors: RosterImportIssue[] = NO_ISSUES;
  let warnings: RosterImportIssue[] = NO_ISSUES;
  const values: Partial<Record<ImportField, unknown>> = {};
  const failed: Partial<Record<ImportField, true>> = {};
  for (const [field, column] of reading.columns) {
    if (field === 'serial') continue;
    const cell = cells[column.index];
    if (cell === undefined || cell === null || cell === '') continue;
    if (typeof cell === 'object' && !(cell instanceof Date) && 'formula' in cell && cell.result === undefined) {
      // Excel would show a value here, but the file does not hold it: read as empty, and say so.
      if (warnings === NO_ISSUES) warnings = [];
      warnings.push({ sheet, row: number, column: column.header, message: NO_RESULT });
      continue;
    }
    const result = typeof cell === 'object' && !(cell instanceof Date) && errorValue(cell) ? errorValue(cell)! : parseCell(field, cell, reading);
    if (!result.ok) {
      if (errors === NO_ISSUES) errors = [];
      errors.push({ sheet, row: number, column: column.header, message: result.message });
      failed[field] = true;
      continue;
    }
    if (result.warning) {
      if (warnings === NO_ISSUES) warnings = [];
      warnings.push({ sheet, row: number, column: column.header, message: result.warning });
    }
    if (result.value !== null && result.value !== undefined) values[field] = result.value;
  }
  for (const [field, value] of reading.fills) {
    if (values[field] === undefined && !failed[field]) values[field] = value;
  }
  const error = (field: ImportField, message: string) => {
    if (errors === NO_ISSUES) errors = [];
    errors.push({ sheet, row: number, column: columnName(reading, field), message });
  };

  if (values.name === undefined && !failed.name) error('name', '姓名为空：这一行有其他内容但没有姓名，请补上姓名，或删除这一行');
  if (values.level === undefined && !failed.level) {
    error('level', reading.columns.has('level') ? '层级为空，请填写：全国、省、市、县 或 乡镇' : '缺少层级，请在导入时补充“层级”');
  }
  if (values.term === undefined && !failed.term) {
    error('term', reading.columns.has('term') ? '届次为空，请填写如“第十九届”' : '缺少届次，请在导入时补充“届次”');
  }

  let workUnit = values.workUnit as string | undefined;
  const position = values.position as string | undefined;
  if (position && !(workUnit ?? '').endsWith(position)) workUnit = (workUnit ?? '') + position;
  if (workUnit && workUnit.length > 100) {
    error(reading.columns.has('workUnit') ? 'workUnit' : 'position', `工作单位及职务不超过100个字，现为${workUnit.length}个字`);
  }
  const bank = values.bankNameAndAccount as { bankName: string | null; bankAccount: string | null } | undefined;

  const person: PersonInput = { name: (values.name as string | undefined) ?? '' };
  for (const field of PERSON_FIELDS) {
    const value = values[field];
    if (value !== undefined) (person as Record<string, unknown>)[field] = value;
  }
  if (workUnit) person.workUnit = workUnit;
  if (bank) {
    if (!person.bankName && bank.bankName) person.bankName = bank.bankName;
    if (!person.bankAccount && bank.bankAccount) person.bankAccount = bank.bankAccount;
  }

  let derived: ParsedRow['derived'] = NO_DERIVED;
  if (person.idNumber && person.birthDate && tenthMonth(cells, reading, person.idNumber, person.birthDate)) {
    // 1975.1 in a number cell was 1975.10 before Excel dropped the zero: the ID number says so.
    person.birthDate = `${person.birthDate.slice(0, 4)}-10`;
  }
  if (person.idNumber) {
    const identity = checkIdentity(person, { validated: true });
    if (!identity.ok) error(identity.field, identity.message);
    else {
      // The ID number settles what a 出生年月 warning asks (1975.1 or 10? 75 = 1975?).
      if (person.birthDate && warnings.length) {
        const header = columnName(reading, 'birthDate');
        warnings = warnings.filter((w) => w.column !== header);
      }
      person.idNumber = identity.person.idNumber;
      person.gender = identity.person.gender;
      person.birthDate = identity.person.birthDate;
      derived = identity.derived;
    }
  }

  if (typeof values.note === 'string' && /资格终止|暂停执行代表职务|补选/.test(values.note)) {
    // What the export writes into 备注 is the seat's status and start: a column, where the sheet has none, wins.
    const remarks = readRemarks(values.note);
    values.note = remarks.note ?? undefined;
    const ends = reading.columns.has('status') || reading.columns.has('endDate') || reading.columns.has('endReason');
    if (remarks.status && !ends) {
      values.status = { status: remarks.status, reason: null };
      if (remarks.endDate) values.endDate = remarks.endDate;
      if (remarks.endReason) values.endReason = remarks.endReason;
    }
    if (remarks.startMethod && values.startMethod === undefined) values.startMethod = remarks.startMethod;
    if (remarks.startDate && values.startDate === undefined) values.startDate = remarks.startDate;
  }
  const seat: SeatValues = {};
  for (const field of SEAT_FIELDS) {
    const value = values[field];
    if (value !== undefined) (seat as Record<string, unknown>)[field] = value;
  }
  endOfSeat(seat, values.status as { status: SeatStatus; reason: string | null } | undefined, error);
  return {
    sheet,
    row: number,
    person,
    derived,
    seat,
    group: (values.group as string | undefined) ?? null,
    station: (values.station as string | undefined) ?? null,
    errors,
    warnings,
  };
}

const NO_RESULT =
  '这是公式，但文件里没有保存计算结果（可能由其他程序生成），按空白导入；如需导入此项，请在 Excel 或 WPS 中打开、保存后重新导入';

/** An error value (#N/A, #VALUE!) shown in the cell, itself or as a formula's result: the clerk must fix it. */
function errorValue(cell: { [key: string]: unknown }): Parsed<never> | null {
  const value = 'formula' in cell ? cell.result : cell;
  if (!value || typeof value !== 'object' || !('error' in value)) return null;
  return { ok: false, message: `单元格显示错误值“${String((value as { error: unknown }).error)}”，请改正公式或填写内容后再导入` };
}

/** The 出生年月 cell is a number ending in .1 (read as month 1) and the ID number's birth month is 10 of that year. */
function tenthMonth(cells: CellValue[], reading: SheetReading, idNumber: string, birthDate: string): boolean {
  const index = reading.columns.get('birthDate')?.index;
  const cell = index === undefined ? null : cellPrimitive(cells[index]);
  return typeof cell === 'number' && /\.1$/.test(String(cell)) && birthDate.endsWith('-01') && idNumber.slice(6, 12) === `${birthDate.slice(0, 4)}10`;
}

/**
 * 任职状态, 资格终止日期 and 终止原因 together: a date or a reason means the seat
 * ended; a status of 调离 or 去世 is also the reason. A seat said to be in
 * office with an end date is a contradiction the clerk must settle.
 */
function endOfSeat(
  seat: SeatValues,
  given: { status: SeatStatus; reason: string | null } | undefined,
  error: (field: ImportField, message: string) => void,
): void {
  const ends = seat.endDate !== undefined || seat.endReason !== undefined;
  if (given && given.status !== 'ended' && ends) {
    error('status', `任职状态为“${given.status === 'current' ? '在任' : '暂停执行代表职务'}”，但填写了资格终止日期或原因，请核对`);
    return;
  }
  if (given) seat.status = given.status;
  else if (ends) seat.status = 'ended';
  if (given?.reason && seat.endReason === undefined) seat.endReason = given.reason;
  if (seat.endDate && seat.startDate && seat.endDate < seat.startDate) {
    error('endDate', `资格终止日期 ${seat.endDate} 早于当选日期 ${seat.startDate}，请核对`);
  }
}

const NO_ISSUES: RosterImportIssue[] = [];
const NO_DERIVED: ParsedRow['derived'] = [];
const PERSON_FIELDS = [
  'gender', 'ethnicity', 'birthDate', 'nativePlace', 'politicalAffiliation', 'education', 'degree', 'composition',
  'phone', 'address', 'idNumber', 'hasFixedIncome', 'bankName', 'bankAccount',
] as const;
const SEAT_FIELDS = [
  'level', 'term', 'constituency', 'township', 'certificateNo', 'isReelected', 'startDate', 'startMethod', 'endDate', 'endReason', 'note',
] as const;
