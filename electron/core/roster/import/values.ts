/**
 * Cell values as offices really type them → the values the roster stores.
 * Every parser returns the value or a Chinese message that says what to do;
 * none of them throws. Pure (no database), unit-tested on its own.
 */
import {
  COMPOSITION_CATEGORIES,
  EDUCATION_LEVELS,
  END_REASONS,
  parseComposition,
  parseEducation,
  parseEthnicity,
  parseLevel,
  parsePoliticalAffiliation,
  POLITICAL_AFFILIATIONS,
  type Level,
  type SeatStatus,
  type StartMethod,
} from '../../../../shared/dictionaries.js';
import { checkIdNumber } from '../../../../shared/idcard.js';

/** A cell as exceljs's streaming reader gives it. */
export type CellValue = string | number | boolean | Date | null | undefined | { [key: string]: unknown };

export type Parsed<T> = { ok: true; value: T | null; warning?: string } | { ok: false; message: string };

const ok = <T>(value: T | null, warning?: string): Parsed<T> => (warning ? { ok: true, value, warning } : { ok: true, value });
const bad = (message: string): Parsed<never> => ({ ok: false, message });

/** Text of any cell: rich text joined, formula results, hyperlink text; '' for empty and error cells. */
export function cellText(v: CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (Array.isArray(v.richText)) return (v.richText as { text?: string }[]).map((r) => r.text ?? '').join('');
  if ('result' in v) return cellText(v.result as CellValue);
  if ('formula' in v || 'sharedFormula' in v || 'error' in v) return '';
  if (typeof v.text === 'string') return v.text;
  if (v.text && typeof v.text === 'object') return cellText(v.text as CellValue);
  return '';
}

/** The value inside formula and rich-text wrappers: string, number, boolean or Date. */
export function cellPrimitive(v: CellValue): string | number | boolean | Date | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if ('result' in v) return cellPrimitive(v.result as CellValue);
  const text = cellText(v);
  return text === '' ? null : text;
}

const WS = /[\s\u3000\u00a0\u200b\ufeff]+/g;
const CJK = '\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef';
const BETWEEN_CJK = new RegExp(`(?<=[${CJK}])\\s+(?=[${CJK}])`, 'g');

const HAS_WS = /[\s\u3000\u00a0\u200b\ufeff]/;

/** Free text: trimmed, runs of spaces collapsed, no spaces between Chinese characters. */
export function cleanText(s: string): string {
  if (!HAS_WS.test(s)) return s;
  return s.replace(WS, ' ').trim().replace(BETWEEN_CJK, '');
}

/** Names: no spaces of any kind (王　芳 is 王芳); the middle dot of minority names made uniform. */
export function cleanName(s: string): string {
  return s.replace(WS, '').replace(/[•・‧∙⋅．.]/g, '·');
}

/** Codes, numbers and dates: full-width digits and punctuation made half-width, no spaces. */
export function cleanCode(s: string): string {
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(s);
  return (ascii ? s : s.normalize('NFKC')).replace(WS, '');
}

/** Cells that mean “nothing here”. */
const PLACEHOLDERS = new Set(['-', '—', '——', '--', '－', '/', '／', '\\', '无', '暂无', '空', '无无', 'N/A', 'NA']);
export function isPlaceholder(text: string): boolean {
  if (text.length > 8) return false;
  const t = HAS_WS.test(text) ? text.replace(WS, '') : text;
  return PLACEHOLDERS.has(t) || (t.length <= 3 && PLACEHOLDERS.has(t.toUpperCase()));
}

/** Marks put after a name to flag it (王芳* for 连任, with the key in a note) and remarks in brackets (王芳（女）). */
const NAME_MARKS = /[*＊※△▲☆★#＃]+$/;
const NAME_REMARK = /[(（][^()（）]*[)）]$/;

export function parseName(v: CellValue): Parsed<string> {
  let name = cleanName(cellText(v));
  if (!name) return ok(null);
  let warning: string | undefined;
  const bare = name.replace(NAME_MARKS, '').replace(NAME_REMARK, '').replace(NAME_MARKS, '');
  if (bare && bare !== name) {
    warning = `姓名“${name}”中的“${name.slice(bare.length)}”不是姓名的一部分，按“${bare}”导入`;
    name = bare;
  }
  if (name.length > 30) return bad(`姓名不超过30个字，现为${name.length}个字，请检查是否把其他内容填进了姓名列`);
  if (/[，,、；;。：:！!？?]/.test(name)) return bad(`姓名“${name}”中有标点：一行只填一位代表的姓名，其他内容请填到备注`);
  return ok(name, warning);
}

export function parseGender(v: CellValue): Parsed<'男' | '女'> {
  const t = cellText(v).replace(WS, '');
  if (!t || isPlaceholder(t)) return ok(null);
  if (t === '男' || t === '男性') return ok('男');
  if (t === '女' || t === '女性') return ok('女');
  return bad(`性别“${t}”无法识别，请填写“男”或“女”`);
}

export function parseEthnicityCell(v: CellValue): Parsed<string> {
  const t = cellText(v).replace(WS, '');
  if (!t || isPlaceholder(t)) return ok(null);
  const value = parseEthnicity(t);
  return value ? ok(value) : bad(`民族“${t}”不是56个民族之一，请填写如“汉族”“土家族”`);
}

export function parsePolitical(v: CellValue): Parsed<string> {
  const t = cellText(v).replace(WS, '');
  if (!t || isPlaceholder(t)) return ok(null);
  const value =
    parsePoliticalAffiliation(t) ??
    parsePoliticalAffiliation(t.replace(/^中国共产党员?$/, '中共党员').replace(/^中共正式党员$/, '中共党员'));
  if (value) return ok(value);
  return bad(`政治面貌“${t}”无法识别，请填写：${POLITICAL_AFFILIATIONS.join('、')}`);
}

/** 学历: the standard words; party-school and other forms are kept as written, with a warning. */
export function parseEducationCell(v: CellValue): Parsed<string> {
  const t = cleanText(cellText(v));
  if (!t || isPlaceholder(t)) return ok(null);
  const value = parseEducation(t);
  if (value) return ok(value);
  if (t.length > 20) return bad(`学历不超过20个字，现为${t.length}个字`);
  return ok(t, `学历“${t}”不是常用分类（${EDUCATION_LEVELS.join('、')}），已按原样导入，统计时归入“其他”`);
}

export function parseCompositionCell(v: CellValue): Parsed<string> {
  const t = cleanText(cellText(v));
  if (!t || isPlaceholder(t)) return ok(null);
  const value = parseComposition(t);
  if (value) return ok(value);
  if (t.length > 20) return bad(`代表构成不超过20个字，现为${t.length}个字`);
  return ok(t, `代表构成“${t}”不是常用分类（${COMPOSITION_CATEGORIES.join('、')}），已按原样导入`);
}

export function parseLevelCell(v: CellValue): Parsed<Level> {
  const t = cellText(v).replace(WS, '');
  if (!t || isPlaceholder(t)) return ok(null);
  const level = parseLevel(t) ?? parseLevel(t.replace(/(人大)?代表$/, '')) ?? parseLevel(t.replace(/级$/, ''));
  if (level) return ok(level);
  if (/[、,，/和及]/.test(t)) {
    return bad(`层级“${t}”包含两个层级；同时是两级代表的，请分两行填写，每行一个层级`);
  }
  return bad(`层级“${t}”无法识别，请填写：全国、省、市、县、乡镇`);
}

const DIGITS = '零一二三四五六七八九';
function chineseNumber(n: number): string {
  if (n < 10) return DIGITS[n]!;
  if (n < 20) return '十' + (n % 10 ? DIGITS[n % 10] : '');
  if (n < 100) return DIGITS[Math.floor(n / 10)] + '十' + (n % 10 ? DIGITS[n % 10] : '');
  return String(n);
}
function fromChinese(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  const m = /^([一二三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(s);
  if (!m || s === '') return null;
  const [, tens, ten, ones] = m;
  if (!ten) return tens && !ones ? DIGITS.indexOf(tens) : null;
  return (tens ? DIGITS.indexOf(tens) : 1) * 10 + (ones ? DIGITS.indexOf(ones) : 0);
}

/** 届次 → 第十九届 (from 第十九届, 十九届, 第19届, 19). */
export function parseTerm(v: CellValue): Parsed<string> {
  const raw = cellText(v);
  const t = cleanCode(raw).replace(/(人民代表大会|人大)(代表)?$/, '');
  if (!t || isPlaceholder(t)) return ok(null);
  const m = /^第?([0-9]{1,2}|[一二三四五六七八九十]{1,3})届?$/.exec(t);
  const n = m ? fromChinese(m[1]!) : null;
  if (n === null || n < 1 || n > 99) return bad(`届次“${raw.trim()}”无法识别，请写成“第十九届”`);
  return ok(`第${chineseNumber(n)}届`);
}

export function parseBoolean(v: CellValue, label: string, yes: string[] = [], no: string[] = []): Parsed<boolean> {
  if (typeof v === 'boolean') return ok(v);
  const t = cellText(v).replace(WS, '').toUpperCase();
  if (!t || ['-', '—', '/', '／'].includes(t)) return ok(null);
  if (['是', '有', 'Y', 'YES', '√', '✓', '✔', 'TRUE', '1', '对', ...yes].includes(t)) return ok(true);
  if (['否', '无', '没有', 'N', 'NO', '×', '✗', 'X', 'FALSE', '0', '不是', ...no].includes(t)) return ok(false);
  return bad(`${label}“${cellText(v).trim()}”无法识别，请填写“是”或“否”`);
}

export function parseStartMethod(v: CellValue): Parsed<StartMethod> {
  const t = cellText(v).replace(WS, '');
  if (!t || isPlaceholder(t)) return ok(null);
  if (/补选/.test(t)) return ok('by_election');
  if (['换届选举', '选举', '换届', '当选', '直接选举', '直选', '间接选举', '选举产生', '换届选举产生'].includes(t)) return ok('general');
  return bad(`当选方式“${t}”无法识别，请填写“换届选举”或“补选”`);
}

/** The grounds in the Deputies Law, by the words offices write for them. */
const END_REASON_WORDS: [RegExp, (typeof END_REASONS)[number]][] = [
  [/调离|迁出|调出|调动|调走|迁走|离开本/, '迁出或调离本行政区域'],
  [/辞职|辞去/, '辞职被接受'],
  [/两次|不出席|缺席/, '未经批准两次不出席本级人民代表大会会议'],
  [/罢免/, '被罢免'],
  [/国籍/, '丧失中华人民共和国国籍'],
  [/剥夺政治权利/, '依照法律被剥夺政治权利'],
  [/行为能力/, '丧失行为能力'],
  [/死亡|去世|逝世|病故|病逝|身故|亡故|故去|已故/, '死亡'],
];

/** 终止原因 → one of END_REASONS when the words name exactly one; else as written, with a warning. */
export function parseEndReason(v: CellValue): Parsed<string> {
  const t = cleanText(cellText(v));
  if (!t || isPlaceholder(t)) return ok(null);
  if (t.length > 100) return bad(`终止原因不超过100个字，现为${t.length}个字`);
  if ((END_REASONS as readonly string[]).includes(t)) return ok(t);
  if (/^(任期)?届满$|^换届$/.test(t)) return ok('任期届满');
  const found = [...new Set(END_REASON_WORDS.filter(([re]) => re.test(t)).map(([, reason]) => reason))];
  if (found.length === 1) return ok(found[0]!);
  return ok(t, `终止原因“${t}”不是法定的终止情形（${END_REASONS.join('、')}），已按原样导入`);
}

/** 任职状态: 在任 / 暂停 / 终止, or a reason the seat ended for (调离, 去世 …), which is then also the reason. */
export function parseSeatStatus(v: CellValue): Parsed<{ status: SeatStatus; reason: string | null }> {
  if (typeof v === 'boolean') return ok({ status: v ? 'current' : 'ended', reason: null });
  const t = cellText(v).replace(WS, '');
  if (!t || ['-', '—', '/', '／'].includes(t)) return ok(null);
  if (/^(在任|现任|正常|是|在职|履职|履职中|现任代表|有效)$/.test(t)) return ok({ status: 'current', reason: null });
  if (/暂停/.test(t)) return ok({ status: 'suspended', reason: null });
  if (/^(否|不在任|离任|已离任|终止|已终止|资格终止|代表资格终止|出缺|已出缺|免职|失效)$/.test(t)) return ok({ status: 'ended', reason: null });
  const reason = parseEndReason(t);
  if (reason.ok && reason.value && !reason.warning) return ok({ status: 'ended', reason: reason.value });
  return bad(`任职状态“${t}”无法识别，请填写“在任”“暂停执行代表职务”或“资格终止”`);
}

const pad = (n: number) => String(n).padStart(2, '0');

function validDate(y: number, m: number, d: number | null): boolean {
  if (y < 1900 || y > 2100 || m < 1 || m > 12) return false;
  if (d === null) return true;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function excelSerialToDate(serial: number, date1904: boolean): { y: number; m: number; d: number } {
  const ms = Math.round((Math.floor(serial) - 25569 + (date1904 ? 1462 : 0)) * 86400000);
  const date = new Date(ms);
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

/** 75 → 1975, 05 → 2005: the one century in which a deputy born that year is at most 110 years old today. */
function birthCentury(yy: number, today: Date = new Date()): number {
  return today.getUTCFullYear() - (1900 + yy) <= 110 ? 1900 + yy : 2000 + yy;
}

export interface DateOptions {
  label: string;
  /** true: the day is required (当选日期); false: YYYY-MM is enough (出生年月). */
  needDay: boolean;
  date1904?: boolean;
  today?: Date;
  /** A birth date: 75.03 can only be 1975 (or 05.03 2005) for a living adult, so a two-digit year is read, with a warning. */
  birth?: boolean;
}

/**
 * Dates as offices type them: real Excel dates (Date, or a serial number when
 * styles are not read), 1975.03, 1975.3, 1975年3月, 1975-03-12, 1975/3/12,
 * 197503, 19750312. Returns YYYY-MM or YYYY-MM-DD.
 */
export function parseDate(v: CellValue, options: DateOptions): Parsed<string> {
  const { label } = options;
  const prim = cellPrimitive(v);
  if (prim === null || prim === '') return ok(null);
  let y: number, m: number, d: number | null;
  let warning: string | undefined;
  if (prim instanceof Date) {
    if (Number.isNaN(prim.getTime())) return ok(null);
    y = prim.getUTCFullYear();
    m = prim.getUTCMonth() + 1;
    d = prim.getUTCDate();
  } else if (typeof prim === 'number') {
    if (Number.isInteger(prim) && prim >= 1900 && prim <= 2100) {
      return bad(`${label}只填了年份“${prim}”，请填到月，例如 ${prim}.03`);
    }
    if (Number.isInteger(prim) && prim >= 190001 && prim <= 210012) {
      y = Math.floor(prim / 100);
      m = prim % 100;
      d = null;
    } else if (Number.isInteger(prim) && prim >= 19000101 && prim <= 21001231) {
      y = Math.floor(prim / 10000);
      m = Math.floor(prim / 100) % 100;
      d = prim % 100;
    } else if (!Number.isInteger(prim) && ((prim > 1900 && prim < 2101) || (options.birth && prim > 0 && prim < 100))) {
      // 1975.03 typed into a number cell. 1975.1 may have been 1975.10 before Excel dropped the zero.
      // 75.03 is a birth month with a two-digit year, not day 75 of 1900.
      const [ys, ms = ''] = String(prim).split('.');
      y = ys!.length === 2 ? birthCentury(Number(ys), options.today) : Number(ys);
      m = Number(ms.slice(0, 2));
      d = null;
      if (ms.length > 2) return bad(`${label}“${prim}”无法识别，请填写如 1975.03 或 1975-03-12`);
      if (ys!.length === 2) warning = `${label}“${prim}”的年份只有两位，按 ${y} 年导入；请尽量写全四位年份`;
      if (ms === '1') {
        warning = `${label}“${prim}”按 ${y} 年 1 月导入；如果是 10 月，请把该列设为文本格式后填写 ${y}.10`;
      }
    } else if (prim >= 1 && prim < 73051) {
      ({ y, m, d } = excelSerialToDate(prim, options.date1904 ?? false));
    } else {
      return bad(`${label}“${prim}”无法识别，请填写如 1975.03 或 1975-03-12`);
    }
  } else {
    const raw = String(prim);
    // 1975。03 and 1975·03: the Chinese full stop and the middle dot typed for the dot.
    const t = cleanCode(raw).replace(/\s/g, '').replace(/[。·・]/g, '.');
    if (isPlaceholder(t)) return ok(null);
    let match: RegExpExecArray | null;
    if ((match = /^(\d{4})[.\-/年、,](\d{1,2})(?:[.\-/月、,](\d{1,2})日?)?(?:月|T[\d:.]+Z?|[\d:]+)?$/.exec(t))) {
      y = Number(match[1]);
      m = Number(match[2]);
      d = match[3] ? Number(match[3]) : null;
    } else if ((match = /^(\d{4})(\d{2})(\d{2})?$/.exec(t))) {
      y = Number(match[1]);
      m = Number(match[2]);
      d = match[3] ? Number(match[3]) : null;
    } else if (/^\d{4}年?$/.test(t)) {
      return bad(`${label}只填了年份“${raw.trim()}”，请填到月，例如 ${t.slice(0, 4)}.03`);
    } else if (/^\d{5}$/.test(t) && Number(t) >= 10000 && Number(t) < 73051) {
      // An Excel date pasted as text (“27852”): five digits can be nothing else.
      ({ y, m, d } = excelSerialToDate(Number(t), options.date1904 ?? false));
    } else if (options.birth && (match = /^(\d{2})[.\-/年](\d{1,2})(?:[.\-/月](\d{1,2})日?)?月?$/.exec(t))) {
      y = birthCentury(Number(match[1]), options.today);
      m = Number(match[2]);
      d = match[3] ? Number(match[3]) : null;
      warning = `${label}“${raw.trim()}”的年份只有两位，按 ${y} 年导入；请尽量写全四位年份`;
    } else if (/^\d{2}[.\-/年]\d{1,2}/.test(t)) {
      return bad(`${label}“${raw.trim()}”的年份只有两位，请写全四位年份，例如 1975.03`);
    } else {
      return bad(`${label}“${raw.trim()}”无法识别，请填写如 1975.03、1975年3月 或 1975-03-12`);
    }
  }
  if (!validDate(y, m, d)) return bad(`${label}“${cellText(v).trim()}”不是有效日期，请核对年、月、日`);
  const today = options.today ?? new Date();
  const iso = `${y}-${pad(m)}` + (d === null ? '' : `-${pad(d)}`);
  const todayIso = today.toISOString().slice(0, iso.length);
  if (iso > todayIso) return bad(`${label}“${iso}”晚于今天，请核对`);
  if (options.needDay && d === null) return bad(`${label}“${cellText(v).trim()}”请填到日，例如 2021-11-15`);
  return ok(iso, warning);
}

/**
 * 公民身份号码. A number cell has lost digits (Excel keeps 15 significant
 * digits), so it is always an error, never a silently wrong number.
 */
export function parseIdNumberCell(v: CellValue, today?: Date): Parsed<string> {
  const prim = cellPrimitive(v);
  if (prim === null) return ok(null);
  if (typeof prim === 'number') {
    const digits = Number.isInteger(prim) ? String(prim) : '';
    if (digits.length === 15) return bad('这是15位旧身份证号码，请改填18位公民身份号码（并把该列设为文本格式）');
    if (prim >= 1e15) return bad('身份证号被存成了数字，末几位已丢失，请把该列设为文本格式后重新填写');
    return bad(`身份证号“${cellText(v)}”位数不对，应为18位，请把该列设为文本格式后重新填写`);
  }
  if (prim instanceof Date || typeof prim === 'boolean') return bad('身份证号无法识别，请把该列设为文本格式后重新填写');
  let t = cleanCode(prim).replace(/^['‘’`]/, '').toUpperCase();
  if (!t || isPlaceholder(t)) return ok(null);
  // 430281********1314, as exports and screens show it: the number itself is not in the file.
  if (/^[\dX]{0,8}[*＊]{4,}[\dX]{0,6}$/.test(t)) return ok(null, `${maskedWarning('公民身份号码')}；这一行按姓名等信息对应`);
  if (/^\d(\.\d+)?E\+\d+$/.test(t)) return bad('身份证号被存成了数字，末几位已丢失，请把该列设为文本格式后重新填写');
  // 430281-19750312-105X: separators typed for reading, not part of the number.
  if (/^[\dX]+([-_—－.][\dX]+)+$/.test(t) && t.replace(/[-_—－.]/g, '').length === 18) t = t.replace(/[-_—－.]/g, '');
  if (/[^\dX]/.test(t)) return bad('公民身份号码只能有数字和X，这一格还有其他文字或符号，请只填18位号码');
  const check = checkIdNumber(t, today);
  return check.ok ? ok(check.value) : bad(check.message);
}

/** A value exported with its middle hidden (138****0001): not the value, so nothing is stored and the clerk is told. */
const maskedWarning = (label: string) => `${label}是隐藏了中间几位的（带*号），已忽略；如需导入，请导出或填写完整号码`;

/** Phone numbers: digits and dashes; several numbers kept, separated by “、”. */
export function parsePhone(v: CellValue): Parsed<string> {
  const prim = cellPrimitive(v);
  if (prim === null) return ok(null);
  if (typeof prim === 'number') {
    if (!Number.isInteger(prim) || prim >= 1e15) return bad(`联系电话“${cellText(v)}”无法识别，请把该列设为文本格式后重新填写`);
    const digits = String(prim);
    // 0731-2345678 typed into a number cell comes back as 7312345678: a number cell keeps no leading 0.
    if (digits.length === 10 || (digits.length === 11 && digits[0] !== '1')) {
      return ok(digits, `联系电话“${digits}”不是11位手机号，可能是丢了开头“0”的固定电话（单元格是数字格式），已按原样导入，请核对`);
    }
    return ok(digits);
  }
  const t = cleanText(String(prim).normalize('NFKC'));
  if (!t || isPlaceholder(t)) return ok(null);
  if (/\d\*{3,}\d/.test(t.replace(/\s/g, ''))) return ok(null, maskedWarning('联系电话'));
  const parts = t.split(/\s*[,，;；、/]\s*|\s{1,}(?=1\d{10}\b)/).map((p) => p.replace(/\s/g, '')).filter(Boolean);
  const value = parts.join('、');
  if (value.length > 40) return bad(`联系电话不超过40个字，现为${value.length}个字`);
  if (!/\d{5,}/.test(value.replace(/[-—()（）]/g, ''))) return bad(`联系电话“${t}”中没有电话号码，请核对`);
  return ok(value);
}

/** Bank accounts: digits only; a number cell has lost digits. */
export function parseBankAccount(v: CellValue): Parsed<string> {
  const prim = cellPrimitive(v);
  if (prim === null) return ok(null);
  if (typeof prim === 'number') {
    if (prim >= 1e15 || !Number.isInteger(prim)) {
      return bad('银行账号被存成了数字，末几位已丢失，请把该列设为文本格式后重新填写');
    }
    return ok(String(prim));
  }
  const t = cleanCode(String(prim)).replace(/^['‘’`]/, '').replace(/-/g, '');
  if (!t || isPlaceholder(t)) return ok(null);
  if (/\d\*{3,}/.test(t)) return ok(null, maskedWarning('银行账号'));
  if (/^\d(\.\d+)?E\+\d+$/i.test(t)) return bad('银行账号被存成了数字，末几位已丢失，请把该列设为文本格式后重新填写');
  if (!/^\d{6,40}$/.test(t)) return bad(`银行账号“${String(prim).trim()}”应只含数字，请核对`);
  return ok(t);
}

/** 开户行及账号 in one cell: “青山农商银行 6217 0000 1234 5678”. */
export function parseBankNameAndAccount(v: CellValue): Parsed<{ bankName: string | null; bankAccount: string | null }> {
  const prim = cellPrimitive(v);
  if (prim === null) return ok(null);
  if (typeof prim === 'number') {
    const account = parseBankAccount(prim);
    return account.ok ? ok({ bankName: null, bankAccount: account.value }) : account;
  }
  const t = cleanText(String(prim));
  if (!t || isPlaceholder(t)) return ok(null);
  const m = /^(.*?)[\s:：,，;；]*((?:\d[\s-]?){6,40})$/.exec(t.normalize('NFKC'));
  if (!m) return bad(`开户行及账号“${t}”中找不到账号，请写成“开户行 账号”，例如：青山农商银行 6217000012345678`);
  const bankName = cleanText(m[1]!) || null;
  if (bankName && bankName.length > 60) return bad('开户行不超过60个字');
  return ok({ bankName, bankAccount: m[2]!.replace(/[\s-]/g, '') });
}

/** Plain text with a length limit (certificate numbers may arrive as numbers). */
export function parseText(v: CellValue, label: string, max: number): Parsed<string> {
  const prim = cellPrimitive(v);
  if (prim === null) return ok(null);
  // A date or a TRUE/FALSE cell reads as the sheet shows it (2021-11-15, 是/否), not as “true”.
  const text = typeof prim === 'string' || typeof prim === 'number' ? cleanText(String(prim)) : cellText(prim);
  if (!text || isPlaceholder(text)) return ok(null);
  if (text.length > max) return bad(`${label}不超过${max}个字，现为${text.length}个字`);
  return ok(text);
}

/** 所属乡镇, 选区 …: free text without any inner spaces. */
export function parsePlace(v: CellValue, label: string, max: number): Parsed<string> {
  const r = parseText(v, label, max);
  return r.ok && r.value ? ok(r.value.replace(WS, '')) : r;
}
