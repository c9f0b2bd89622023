import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { idCheckChar } from '../../shared/idcard.js';

/** A valid ID number for an invented person: area 430281, birth YYYYMMDD, 3-digit sequence (odd = male). */
export function idNumber(birth: string, seq: string): string {
  const first17 = '430281' + birth + seq;
  return first17 + idCheckChar(first17);
}

export const IDS = {
  wangFang: idNumber('19800312', '102'), // 女
  liQiang: idNumber('19750312', '105'), // 男, check character X
  zhouMin: idNumber('19721105', '204'), // 女
  sunLi: idNumber('19820715', '302'), // 女
};

/**
 * A roster the way offices keep it: a merged title and a fill-in line above
 * the header, header words with spaces and synonyms in their own order, an
 * unknown column, a merged 所属乡镇 column, full-width spaces, every date form,
 * an ID typed into a number cell, a lowercase x, blank rows, a duplicate, a
 * 合计 row and notes below. A second sheet holds county deputies (level from
 * the sheet name), one of whom is also a township deputy in the first.
 */
export async function messyRosterWorkbook(
  file: string,
  options: { liQiangPhone?: string; extraRows?: unknown[][] } = {},
): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('代表名册');
  ws.addRow(['青山镇第十九届人民代表大会代表名册']);
  ws.mergeCells('A1:N1');
  ws.addRow(['填报单位：青山镇人大主席团', '', '', '', '', '', '', '', '', '', '填报日期：2024年1月']);
  ws.addRow([]);
  ws.addRow([
    '序号', '姓  名', '公民身份号码', '性　别', '民族', '出生年月', '党派', '文化程度', '单位及职务', '手机号码',
    '身份类别', '所属乡镇（街道）', '爱好', '选区',
  ]);
  const rows: unknown[][] = [
    [1, '王　芳', IDS.wangFang, '女', '汉', new Date(Date.UTC(1980, 2, 12)), '中共党员', '本科', '青山镇卫生院 院长', '13812345678', '专业技术人员', '青山镇', '读书', '第一选区'],
    [2, ' 李 强 ', IDS.liQiang.toLowerCase(), '男', '土家族', '1975.03', '群众', '高中', '青山村党支部书记', options.liQiangPhone ?? 13900000001, '农民', null, '', '第二选区'],
    [3, '赵刚', 430281197503121234, '男', '汉族', '1975年3月', '中共党员', '大专', '青山镇农技站站长', '13900000002', '专业技术人员', null, '', '第二选区'],
    [],
    [4, '陈静', null, '女', '汉族', '1968-11-02', '民盟', '硕士', '青山中学副校长 ', '13900000003', '专业技术人员', '石门乡', '', '第三选区'],
    [5, '刘洋', null, '男', '汉族', '197001', '中共党员', '初中', '青山村村民', '', '农民', '石门乡', '', '第三选区'],
    [6, '孙丽', IDS.sunLi, '女', '汉族', '1982年7月', '共青团员', '大学本科', '青山镇个体户', '13900000004', '一线工人', '石门乡', '', '第四选区'],
    [7, '王芳', IDS.wangFang, '女', '汉族', '1980.03', '中共党员', '大学本科', '青山镇卫生院院长', '13812345678', '专业技术人员', '石门乡', '', '第一选区'],
    ...(options.extraRows ?? []),
    ['合计', '', '', '', '', '', '', '', '', '', '', '', '', '7人'],
    [],
    ['注：1. 本表由乡镇人大主席团填报，出生年月按身份证填写。'],
    ['2. 身份类别按代表构成填写。'],
  ];
  for (const r of rows) ws.addRow(r);
  // 所属乡镇 merged down over the first three deputies (rows 5–7).
  ws.mergeCells('L5:L7');
  const noteRow = 5 + rows.length - 2;
  ws.mergeCells(`A${noteRow}:N${noteRow}`);
  ws.mergeCells(`A${noteRow + 1}:N${noteRow + 1}`);

  const county = wb.addWorksheet('县级代表');
  county.addRow(['青山县第十九届人民代表大会代表名单']);
  county.mergeCells('A1:E1');
  county.addRow(['姓名', '身份证号', '届次', '工作单位', '电话']);
  county.addRow(['王芳', IDS.wangFang, '十九届', '青山镇卫生院院长', '13812345678']);
  county.addRow(['周敏', IDS.zhouMin, '19', '青山县教育局副局长', '13900000005']);

  const hidden = wb.addWorksheet('字典', { state: 'hidden' });
  hidden.addRow(['民族', '政治面貌']);
  hidden.addRow(['汉族', '中共党员']);

  fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
}

export const MESSY_FILLS = { 层级: '乡镇', 届次: '第十九届' };
