import { describe, expect, it } from 'vitest';
import { shownAs, shownStyles } from '../../electron/core/roster/import/bookParts.js';
import { detectHeader, levelFromSheetName, suggestionsFromTitles, townshipFromSheetName } from '../../electron/core/roster/import/header.js';
import { classifyRow, type SheetReading } from '../../electron/core/roster/import/record.js';
import { readRemarks } from '../../electron/core/roster/import/remarks.js';
import { sectionOf } from '../../electron/core/roster/import/sections.js';
import {
  cleanName,
  cleanText,
  parseBankNameAndAccount,
  parseBoolean,
  parseDate,
  parseEducationCell,
  parseEndReason,
  parseIdNumberCell,
  parseLevelCell,
  parseName,
  parsePhone,
  parsePolitical,
  parseSeatStatus,
  parseTerm,
  type CellValue,
} from '../../electron/core/roster/import/values.js';
import { matchHeader } from '../../shared/rosterImport.js';
import { idNumber } from '../helpers/rosterWorkbook.js';

const value = <T>(r: { ok: boolean; value?: T | null; message?: string }) => {
  if (!r.ok) throw new Error(r.message);
  return r.value;
};
const message = (r: { ok: boolean; message?: string }) => (r.ok ? '' : r.message!);
const today = new Date('2025-06-01T00:00:00Z');
const birth = (v: CellValue) => parseDate(v, { label: '出生年月', needDay: false, today });

describe('import values', () => {
  it('cleans names and free text', () => {
    expect(cleanName('王　芳')).toBe('王芳');
    expect(cleanName(' 李 强\u00a0')).toBe('李强');
    expect(cleanName('阿依古丽・买买提')).toBe('阿依古丽·买买提');
    expect(value(parseName('  ')) ?? null).toBeNull();
    expect(parseName('王芳*')).toMatchObject({ ok: true, value: '王芳', warning: expect.stringContaining('“*”') });
    expect(parseName('李强（女）')).toMatchObject({ ok: true, value: '李强', warning: expect.stringContaining('“（女）”') });
    expect(value(parseName('买买提·艾力'))).toBe('买买提·艾力');
    expect(message(parseName('王芳、李强'))).toContain('一行只填一位代表');
    expect(cleanText('  青山镇  卫生院 院长 ')).toBe('青山镇卫生院院长');
    expect(cleanText('ABC  Company 经理')).toBe('ABC Company 经理');
  });

  it('reads dates in every form offices type', () => {
    expect(value(birth(new Date(Date.UTC(1975, 2, 12))))).toBe('1975-03-12');
    expect(value(birth(27465))).toBe('1975-03-12'); // a date serial when styles are not read
    for (const t of ['1975.03', '1975.3', '1975年3月', '1975年03月', '1975-03', '1975/3', '197503', ' 1975 . 03 ', '１９７５．０３', '1975。03', '1975·3']) {
      expect(value(birth(t)), t).toBe('1975-03');
    }
    for (const t of ['1975-03-12', '1975.3.12', '1975年3月12日', '1975/03/12', '19750312', '1975-03-12 00:00:00']) {
      expect(value(birth(t)), t).toBe('1975-03-12');
    }
    expect(value(birth(197503))).toBe('1975-03');
    expect(value(birth(19750312))).toBe('1975-03-12');
    expect(value(birth(1975.03))).toBe('1975-03');
    const ambiguous = birth(1975.1);
    expect(ambiguous).toMatchObject({ ok: true, value: '1975-01', warning: expect.stringContaining('1975.10') });
    expect(message(birth('1975'))).toContain('只填了年份');
    expect(message(birth(1975))).toContain('只填了年份');
    expect(message(birth('75.03'))).toContain('四位年份');
    expect(message(birth('1975.13'))).toContain('不是有效日期');
    expect(message(birth('2030.01'))).toContain('晚于今天');
    expect(message(birth('不详'))).toContain('无法识别');
    expect(message(parseDate('2021.11', { label: '当选日期', needDay: true, today }))).toContain('请填到日');
    expect(value(birth('-'))).toBeNull();
  });

  it('reads ID numbers, and never accepts one typed into a number cell', () => {
    const id = idNumber('19750312', '105'); // ends in X
    expect(value(parseIdNumberCell(id.toLowerCase()))).toBe(id);
    expect(value(parseIdNumberCell(` ${id.slice(0, 6)} ${id.slice(6)} `))).toBe(id);
    expect(value(parseIdNumberCell(`'${id}`))).toBe(id);
    expect(message(parseIdNumberCell(430281197503121200))).toBe('身份证号被存成了数字，末几位已丢失，请把该列设为文本格式后重新填写');
    expect(message(parseIdNumberCell('4.30281197503121E+17'))).toContain('末几位已丢失');
    expect(message(parseIdNumberCell(430281750312123))).toContain('15位');
    expect(message(parseIdNumberCell('430281750312123'))).toContain('15位');
    expect(message(parseIdNumberCell(id.slice(0, 17) + '1'))).toContain('校验位');
    expect(value(parseIdNumberCell(`${id.slice(0, 6)}-${id.slice(6, 14)}-${id.slice(14)}`))).toBe(id);
    expect(value(parseIdNumberCell('４３０２８１' + id.slice(6, 17) + 'Ｘ'))).toBe(id);
    expect(message(parseIdNumberCell(`身份证：${id}`))).toContain('只能有数字和X');
  });

  it('reads dictionary words, levels, terms and yes/no', () => {
    expect(value(parseLevelCell('乡 镇'))).toBe('township');
    expect(value(parseLevelCell('县人大代表'))).toBe('county');
    expect(message(parseLevelCell('县、乡'))).toContain('分两行');
    expect(message(parseLevelCell('村'))).toContain('无法识别');
    for (const t of ['第十九届', '十九届', '第19届', '19', 19, '第十九届人大']) expect(value(parseTerm(t)), String(t)).toBe('第十九届');
    expect(value(parseTerm('第二十一届'))).toBe('第二十一届');
    expect(value(parseTerm('9'))).toBe('第九届');
    expect(message(parseTerm('本届'))).toContain('第十九届');
    expect(value(parsePolitical('党员'))).toBe('中共党员');
    expect(value(parsePolitical('中国共产党员'))).toBe('中共党员');
    expect(message(parsePolitical('无党员'))).toContain('政治面貌');
    expect(parseEducationCell('中央党校研究生')).toMatchObject({ ok: true, value: '中央党校研究生', warning: expect.any(String) });
    expect(value(parseBoolean('有', '是否有固定收入'))).toBe(true);
    expect(value(parseBoolean('否', '是否连任'))).toBe(false);
    expect(message(parseBoolean('也许', '是否连任'))).toContain('“是”或“否”');
  });

  it('reads how a seat ended', () => {
    expect(value(parseEndReason('调离本县'))).toBe('迁出或调离本行政区域');
    expect(value(parseEndReason('辞职'))).toBe('辞职被接受');
    expect(value(parseEndReason('病故'))).toBe('死亡');
    expect(value(parseEndReason('届满'))).toBe('任期届满');
    expect(parseEndReason('因工作调动辞去代表职务')).toMatchObject({ ok: true, value: '因工作调动辞去代表职务', warning: expect.any(String) });
    expect(value(parseSeatStatus('在任'))).toEqual({ status: 'current', reason: null });
    expect(value(parseSeatStatus('暂停'))).toEqual({ status: 'suspended', reason: null });
    expect(value(parseSeatStatus('已离任'))).toEqual({ status: 'ended', reason: null });
    expect(value(parseSeatStatus('去世'))).toEqual({ status: 'ended', reason: '死亡' });
    expect(message(parseSeatStatus('待定'))).toContain('任职状态');
  });

  it('reads back what the export writes into 备注, and ignores masked numbers', () => {
    expect(readRemarks('资格终止 2024-02-01 死亡；连任')).toEqual({
      note: '连任', status: 'ended', endDate: '2024-02-01', endReason: '死亡',
    });
    expect(readRemarks('暂停执行代表职务；2022-03-10补选')).toEqual({
      note: null, status: 'suspended', startMethod: 'by_election', startDate: '2022-03-10',
    });
    expect(readRemarks('补选')).toEqual({ note: null, startMethod: 'by_election' });
    expect(readRemarks('曾任村支书')).toEqual({ note: '曾任村支书' });
    expect(parseIdNumberCell('430281********1314')).toMatchObject({ ok: true, value: null, warning: expect.stringContaining('带*号') });
    expect(parsePhone('138****0001')).toMatchObject({ ok: true, value: null, warning: expect.stringContaining('带*号') });
  });

  it('reads phones and a combined bank column', () => {
    expect(parsePhone(13812345678)).toEqual({ ok: true, value: '13812345678' });
    expect(parsePhone(7312345678)).toMatchObject({ ok: true, value: '7312345678', warning: expect.stringContaining('丢了开头“0”') });
    expect(value(parsePhone('138 1234 5678，0731-2345678'))).toBe('13812345678、0731-2345678');
    expect(value(parsePhone('无'))).toBeNull();
    expect(value(parseBankNameAndAccount('青山农商银行 6217 0000 1234 5678'))).toEqual({
      bankName: '青山农商银行',
      bankAccount: '6217000012345678',
    });
    expect(message(parseBankNameAndAccount(6.217000012345678e15))).toContain('末几位已丢失');
  });
});

describe('import headers', () => {
  it('matches header words with spaces, brackets and synonyms', () => {
    expect(matchHeader('姓  名')).toBe('name');
    expect(matchHeader('性　别')).toBe('gender');
    expect(matchHeader('出生日期')).toBe('birthDate');
    expect(matchHeader('出生年月（年.月）')).toBe('birthDate');
    expect(matchHeader('党派')).toBe('politicalAffiliation');
    expect(matchHeader('文化程度')).toBe('education');
    expect(matchHeader('工作单位及职务')).toBe('workUnit');
    expect(matchHeader('单位及职务')).toBe('workUnit');
    expect(matchHeader('公民身份号码')).toBe('idNumber');
    expect(matchHeader('身份证号码*')).toBe('idNumber');
    expect(matchHeader('手机号码')).toBe('phone');
    expect(matchHeader('身份类别')).toBe('composition');
    expect(matchHeader('代表层级')).toBe('level');
    expect(matchHeader('乡镇(街道)')).toBe('township');
    expect(matchHeader('所属乡镇（街道）')).toBe('township');
    expect(matchHeader('爱好')).toBeNull();
    expect(matchHeader('电话/手机')).toBe('phone');
    expect(matchHeader('联系电话、手机号码')).toBe('phone');
    expect(matchHeader('学历/学位')).toBeNull(); // two fields in one column: left to the clerk's mapping
  });

  it('finds the header below titles and fill-in lines', () => {
    const rows = [
      { number: 1, cells: [null, '青山镇第十九届人民代表大会代表名册', '青山镇第十九届人民代表大会代表名册'] },
      { number: 2, cells: [null, '填报单位：青山镇', '', '填报日期：2024年1月'] },
      { number: 4, cells: [null, '序号', '姓  名', '性别', '爱好'] },
      { number: 5, cells: [null, 1, '王芳', '女', '读书'] },
    ];
    expect(detectHeader(rows)).toEqual({
      headerRow: 4,
      headerRowCount: 1,
      columns: [
        { index: 1, header: '序号', detected: 'serial' },
        { index: 2, header: '姓  名', detected: 'name' },
        { index: 3, header: '性别', detected: 'gender' },
        { index: 4, header: '爱好', detected: null },
      ],
    });
    expect(detectHeader(rows.slice(0, 2))).toBeNull();
    expect(suggestionsFromTitles(['青山镇第十九届人民代表大会代表名册'], 'Sheet1')).toEqual({ term: '第十九届', level: '乡镇' });
    expect(levelFromSheetName('县级代表')).toBe('county');
    expect(levelFromSheetName('乡镇人大代表')).toBe('township');
    expect(levelFromSheetName('Sheet1')).toBeNull();
    expect(levelFromSheetName('青山镇')).toBeNull();
    for (const [name, township] of [
      ['青山镇', '青山镇'], ['石门乡代表名册', '石门乡'], ['城关街道', '城关街道'], ['白云镇人大代表', '白云镇'],
      ['乡镇代表', null], ['乡镇', null], ['镇', null], ['各乡镇', null], ['县级代表', null], ['Sheet1', null], ['汇总', null],
    ] as const) {
      expect(townshipFromSheetName(name), name).toBe(township);
    }
  });

  it('reads the township or level of a group heading', () => {
    const row = (text: string, merged = true) => [null, text, ...(merged ? [text, text] : [])];
    expect(sectionOf(row('一、青山镇（15人）'))).toEqual({ text: '一、青山镇（15人）', township: '青山镇', level: null });
    expect(sectionOf(row('石门乡代表团', false))).toMatchObject({ township: '石门乡' });
    expect(sectionOf(row('（二）乡镇人大代表'))).toMatchObject({ township: null, level: 'township' });
    expect(sectionOf(row('三、县级代表名单'))).toMatchObject({ level: 'county' });
    expect(sectionOf(row('注：本表由各乡镇填报'))).toBeNull();
    expect(sectionOf([null, '王芳', '女'])).toBeNull();
  });

  it('tells data rows from totals, notes and section lines', () => {
    const reading: SheetReading = {
      sheet: 's',
      columns: new Map([
        ['serial', { index: 1, header: '序号' }],
        ['name', { index: 2, header: '姓名' }],
        ['gender', { index: 3, header: '性别' }],
        ['phone', { index: 4, header: '电话' }],
      ]),
      fills: new Map(),
      date1904: false,
      today,
    };
    const kind = (cells: CellValue[], afterNotes = false) => classifyRow([null, ...cells], reading, afterNotes);
    expect(kind([1, '王芳', '女', ''])).toBe('data');
    expect(kind([2, '', '', ''])).toBe('blank');
    expect(kind(['合计', '', '', '25人'])).toBe('total');
    expect(kind(['', '合 计', '', ''])).toBe('total');
    expect(kind(['注：本表由乡镇填报', '注：本表由乡镇填报', '注：本表由乡镇填报', '注：本表由乡镇填报'])).toBe('note');
    expect(kind(['填表人：张三', '', '审核人：李四', ''])).toBe('note');
    expect(kind(['2. 出生年月按身份证填写', '', '', ''], true)).toBe('note');
    expect(kind(['一、县级代表', '一、县级代表', '一、县级代表', '一、县级代表'])).toBe('section');
    expect(kind(['序号', '姓名', '性别', '电话'])).toBe('header');
    for (const numbers of [[1, 2, 3, 4], ['A', 'B', 'C', 'D'], ['①', '②', '③', '④'], ['甲', '乙', '丙', '丁']]) {
      expect(kind(numbers), String(numbers)).toBe('header'); // the columns numbered under an official form's header
    }
    expect(kind([1, '甲', '乙', '丙'])).toBe('data');
    expect(kind(['', '', '男', ''])).toBe('data'); // no name: an error, not silently skipped
    // A sentence in the name column with nothing else on the row is a note; a name alone is a deputy.
    expect(kind(['', '本表由乡镇人大主席团填报', '', ''])).toBe('note');
    expect(kind(['', '填表人签字', '', ''])).toBe('note');
    expect(kind(['', '共2人', '', ''])).toBe('note');
    for (const name of ['王芳', '欧阳明月', '买买提·艾力', '王芳*', '李强（女）']) expect(kind([3, name, '', '']), name).toBe('data');
  });
});

describe('workbook parts', () => {
  it('tells number formats that change what a number means', () => {
    expect(shownAs('yyyy"年"m"月"')).toBe('month');
    expect(shownAs('yyyy.mm')).toBe('month');
    expect(shownAs('[DBNum1][$-804]yyyy"年"m"月"')).toBe('month');
    expect(shownAs('mmm-yy')).toBe('month');
    expect(shownAs('yyyy')).toBe('year');
    expect(shownAs('yyyy"年"m"月"d"日"')).toBeNull();
    expect(shownAs('yyyy-mm-dd h:mm')).toBeNull();
    expect(shownAs('0.00')).toBe('fixed2');
    expect(shownAs('0.0')).toBeNull();
    expect(shownAs('@')).toBeNull();
    const styles = shownStyles(
      '<styleSheet><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/></numFmts>' +
        '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="176"/><xf numFmtId="14"/><xf numFmtId="57"/><xf numFmtId="2"/></cellXfs></styleSheet>',
    );
    expect([...styles]).toEqual([[1, 'month'], [3, 'month'], [4, 'fixed2']]); // 57: WPS's built-in yyyy"年"m"月"
  });
});
