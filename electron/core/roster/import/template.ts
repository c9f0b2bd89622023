/**
 * 代表名册导入模板: a title line, a fill-in line, the header with every
 * column the import reads, one invented example row and a 注 line, the way
 * offices lay out their own sheets. Generated, so it always matches the import.
 */
import ExcelJS from 'exceljs';
import type { FileOutput, RosterImportFieldInfo } from '../../../../shared/contract/index.js';
import { idCheckChar } from '../../../../shared/idcard.js';
import { IMPORT_FIELD_SPECS, type ImportField } from '../../../../shared/rosterImport.js';

export const TEMPLATE_FILE_NAME = '代表名册导入模板.xlsx';

const EXAMPLE_ID = (() => {
  const first17 = '43028119800312102';
  return first17 + idCheckChar(first17);
})();

/** An invented person: never a real one. */
const EXAMPLE: Partial<Record<ImportField, string>> = {
  serial: '1',
  name: '张示例',
  gender: '女',
  ethnicity: '汉族',
  birthDate: '1980.03',
  nativePlace: '湖南醴陵',
  politicalAffiliation: '中共党员',
  education: '大学本科',
  degree: '学士',
  workUnit: '青山镇中心小学教师',
  composition: '专业技术人员',
  phone: '13800000000',
  address: '青山镇示范路1号',
  idNumber: EXAMPLE_ID,
  hasFixedIncome: '是',
  bankName: '青山农村商业银行',
  bankAccount: '6217000000000000',
  level: '乡镇',
  term: '第十九届',
  constituency: '第一选区',
  township: '青山镇',
  certificateNo: '19001',
  group: '第一代表小组',
  station: '青山镇代表联络站',
  isReelected: '否',
  startDate: '2021-11-15',
  startMethod: '换届选举',
  note: '示例行，导入前请删除',
};

const LEFT_OUT = new Set<ImportField>(['position', 'bankNameAndAccount', 'status', 'endDate', 'endReason']);
/** The fields the template carries, in its column order (the combined and split forms, and ended seats, are left out). */
const TEMPLATE_FIELDS = IMPORT_FIELD_SPECS.filter((s) => !LEFT_OUT.has(s.field));

export function importFieldInfo(): RosterImportFieldInfo[] {
  return IMPORT_FIELD_SPECS.map((s) => ({
    field: s.field,
    label: s.label,
    kind: s.kind,
    required: Boolean(s.required),
    fillable: Boolean(s.fillable),
    hint: s.hint,
  }));
}

export async function rosterImportTemplate(): Promise<FileOutput> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '人大代表履职管理系统';
  const ws = wb.addWorksheet('代表名册', {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    views: [{ state: 'frozen', ySplit: 3 }],
  });
  const n = TEMPLATE_FIELDS.length;
  const font = { name: '宋体', size: 11 };

  ws.addRow(['××镇第十九届人民代表大会代表名册']);
  ws.mergeCells(1, 1, 1, n);
  const title = ws.getCell(1, 1);
  title.font = { name: '宋体', size: 18, bold: true };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = 32;

  ws.addRow(['填报单位：（盖章）', ...Array(Math.max(0, n - 4)).fill(''), '填报日期：    年  月  日']);
  ws.getRow(2).font = font;

  const header = ws.addRow(TEMPLATE_FIELDS.map((s) => s.label));
  header.font = { ...font, bold: true };
  header.height = 30;
  header.eachCell((cell) => {
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFF3F8' } };
  });
  TEMPLATE_FIELDS.forEach((s, i) => {
    const column = ws.getColumn(i + 1);
    column.width = Math.max(8, Math.min(28, s.label.length * 2 + 4, (EXAMPLE[s.field]?.length ?? 0) * 1.6 + 4));
    // ID numbers, phones and accounts as text, so Excel never drops digits.
    if (['idNumber', 'phone', 'bankAccount', 'certificateNo', 'birthDate', 'startDate'].includes(s.field)) column.numFmt = '@';
    const hint = s.hint || (s.required ? '必填' : '');
    if (hint) header.getCell(i + 1).note = hint;
  });

  const example = ws.addRow(TEMPLATE_FIELDS.map((s) => EXAMPLE[s.field] ?? ''));
  example.font = { ...font, color: { argb: 'FF808080' }, italic: true };
  example.eachCell({ includeEmpty: true }, (cell) => {
    cell.numFmt = '@';
    cell.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
  });

  ws.addRow([]);
  const note = ws.addRow([
    '注：1. 第4行是虚构的示例，导入前请删除。2. 层级填 全国/省/市/县/乡镇；届次如“第十九届”；表中没有的列（如层级、届次、所属乡镇）可在导入时统一补充。' +
      '3. 公民身份号码、联系电话、银行账号请保持“文本”格式。4. 列的顺序可以调整，不需要的列可以删除。',
  ]);
  ws.mergeCells(note.number, 1, note.number, n);
  note.getCell(1).alignment = { wrapText: true, vertical: 'top' };
  note.getCell(1).font = { ...font, size: 10 };
  note.height = 48;

  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return {
    fileName: TEMPLATE_FILE_NAME,
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    base64: buffer.toString('base64'),
  };
}
