/**
 * The columns a roster workbook may have, in the words offices use for them.
 * Shared so the import wizard shows the same names the core matches. Pure.
 */

export const IMPORT_FIELDS = [
  // person (代表本人)
  'name', 'gender', 'ethnicity', 'birthDate', 'nativePlace', 'politicalAffiliation', 'education', 'degree',
  'workUnit', 'position', 'composition', 'phone', 'address', 'idNumber', 'hasFixedIncome', 'bankName',
  'bankAccount', 'bankNameAndAccount',
  // seat (席位)
  'level', 'term', 'constituency', 'township', 'certificateNo', 'group', 'station', 'isReelected', 'startDate',
  'startMethod', 'status', 'endDate', 'endReason', 'note',
  // recognised, never stored
  'serial',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export interface ImportFieldSpec {
  field: ImportField;
  /** The name shown in the wizard and the template header. */
  label: string;
  /** Header words that mean this column (spaces and brackets do not matter). */
  synonyms: readonly string[];
  kind: 'person' | 'seat' | 'none';
  /** Needed for every seat: from a column, a fill value (补充值) or the sheet name. */
  required?: boolean;
  /** Shown in the template and the column guide. */
  hint: string;
  /** Offered as a fill value in the wizard when the sheet lacks the column. */
  fillable?: boolean;
}

export const IMPORT_FIELD_SPECS: readonly ImportFieldSpec[] = [
  { field: 'serial', label: '序号', synonyms: ['序号', '编号', '序', 'NO', 'NO.'], kind: 'none', hint: '可有可无，不导入' },
  { field: 'name', label: '姓名', synonyms: ['姓名', '代表姓名', '名字'], kind: 'person', required: true, hint: '必填；中间的空格会被去掉' },
  { field: 'gender', label: '性别', synonyms: ['性别'], kind: 'person', hint: '男 或 女；可不填，由身份证号推出' },
  { field: 'ethnicity', label: '民族', synonyms: ['民族'], kind: 'person', hint: '汉族 或 汉 均可' },
  {
    field: 'birthDate', label: '出生年月', kind: 'person',
    synonyms: ['出生年月', '出生日期', '出生年月日', '出生时间', '生日', '出生年份'],
    hint: '1975.03、1975年3月、1975-03-12、197503 或 Excel 日期；可不填，由身份证号推出',
  },
  { field: 'nativePlace', label: '籍贯', synonyms: ['籍贯'], kind: 'person', hint: '' },
  {
    field: 'politicalAffiliation', label: '政治面貌', kind: 'person',
    synonyms: ['政治面貌', '党派', '政治身份', '党派面貌'], hint: '中共党员、群众、民盟盟员 …',
  },
  {
    field: 'education', label: '学历', kind: 'person',
    synonyms: ['学历', '文化程度', '最高学历', '学历文化程度'], hint: '小学及以下、初中、高中、中专、大专、大学本科、硕士研究生、博士研究生',
  },
  { field: 'degree', label: '学位', synonyms: ['学位'], kind: 'person', hint: '无、学士、硕士、博士' },
  {
    field: 'workUnit', label: '工作单位及职务', kind: 'person',
    synonyms: ['工作单位及职务', '单位及职务', '工作单位', '工作单位和职务', '现工作单位及职务', '单位职务', '工作单位及职务职称', '单位'],
    hint: '',
  },
  { field: 'position', label: '职务', synonyms: ['职务', '现任职务', '职务职称'], kind: 'person', hint: '单独一列时接在工作单位后面' },
  {
    field: 'composition', label: '代表构成', kind: 'person',
    synonyms: ['代表构成', '身份类别', '代表身份类别', '代表构成类别', '构成类别', '代表结构'],
    hint: '一线工人、农民、专业技术人员、党政领导干部、企业负责人、解放军、其他',
  },
  {
    field: 'phone', label: '联系电话', kind: 'person',
    synonyms: ['联系电话', '电话', '手机号码', '手机', '手机号', '电话号码', '联系方式', '移动电话'], hint: '',
  },
  { field: 'address', label: '通讯地址', synonyms: ['通讯地址', '通信地址', '联系地址', '家庭住址', '住址', '地址'], kind: 'person', hint: '' },
  {
    field: 'idNumber', label: '公民身份号码', kind: 'person',
    synonyms: ['公民身份号码', '身份证号', '身份证号码', '身份证', '居民身份证号码', '身份证件号码'],
    hint: '18位；请把该列设为“文本”格式，否则 Excel 会丢掉末几位',
  },
  {
    field: 'hasFixedIncome', label: '是否有固定收入', kind: 'person',
    synonyms: ['是否有固定收入', '有无固定收入', '固定收入', '是否有固定工资收入'], hint: '是/否 或 有/无（决定履职补贴）',
  },
  { field: 'bankName', label: '开户行', synonyms: ['开户行', '开户银行', '开户行名称'], kind: 'person', hint: '' },
  { field: 'bankAccount', label: '银行账号', synonyms: ['银行账号', '银行卡号', '账号', '开户账号', '银行帐号', '帐号'], kind: 'person', hint: '请设为“文本”格式' },
  { field: 'bankNameAndAccount', label: '开户行及账号', synonyms: ['开户行及账号', '开户行及帐号', '开户银行及账号'], kind: 'person', hint: '如：青山农商银行 6217 0000 1234 5678' },
  {
    field: 'level', label: '层级', kind: 'seat', required: true, fillable: true,
    synonyms: ['层级', '代表层级', '级别', '代表级别', '代表层次'], hint: '全国、省、市、县、乡镇',
  },
  { field: 'term', label: '届次', synonyms: ['届次', '届别', '届'], kind: 'seat', required: true, fillable: true, hint: '第十九届、十九届 或 19' },
  { field: 'constituency', label: '选区', synonyms: ['选区', '原选举单位', '选举单位', '选区名称', '选区原选举单位'], kind: 'seat', hint: '' },
  {
    field: 'township', label: '所属乡镇', kind: 'seat', fillable: true,
    synonyms: ['所属乡镇', '乡镇(街道)', '所属乡镇(街道)', '乡镇', '乡镇街道', '所在乡镇', '所在乡镇(街道)', '街道'], hint: '',
  },
  { field: 'certificateNo', label: '代表证号', synonyms: ['代表证号', '代表证编号', '代表证号码'], kind: 'seat', hint: '' },
  { field: 'group', label: '代表小组', synonyms: ['代表小组', '所属代表小组', '所在代表小组', '小组'], kind: 'seat', hint: '没有的小组会新建' },
  {
    field: 'station', label: '代表联络站', kind: 'seat',
    synonyms: ['代表联络站', '联络站', '所属联络站', '所进联络站', '进站联络站', '所在联络站'], hint: '没有的联络站会新建',
  },
  { field: 'isReelected', label: '是否连任', synonyms: ['是否连任', '连任', '是否连任代表'], kind: 'seat', hint: '是/否' },
  { field: 'startDate', label: '当选日期', synonyms: ['当选日期', '当选时间', '补选日期', '当选补选日期'], kind: 'seat', hint: '2021-11-15' },
  { field: 'startMethod', label: '当选方式', synonyms: ['当选方式', '产生方式', '选举方式'], kind: 'seat', hint: '换届选举 或 补选' },
  {
    field: 'status', label: '任职状态', kind: 'seat',
    synonyms: ['状态', '代表状态', '任职情况', '是否在任', '在任情况', '代表资格状态', '履职状态'],
    hint: '在任、暂停执行代表职务 或 资格终止；可不填：填了终止日期或原因即为资格终止',
  },
  {
    field: 'endDate', label: '资格终止日期', kind: 'seat',
    synonyms: ['终止日期', '资格终止时间', '代表资格终止日期', '代表资格终止时间', '终止时间', '离任日期', '离任时间'], hint: '2023-05-10',
  },
  {
    field: 'endReason', label: '终止原因', kind: 'seat',
    synonyms: ['资格终止原因', '代表资格终止原因', '终止情形', '终止理由', '离任原因'],
    hint: '迁出或调离本行政区域、辞职被接受、被罢免、死亡 …',
  },
  { field: 'note', label: '备注', synonyms: ['备注', '说明'], kind: 'seat', hint: '' },
];

export const IMPORT_FIELD_LABELS = Object.fromEntries(IMPORT_FIELD_SPECS.map((s) => [s.field, s.label])) as Record<
  ImportField,
  string
>;

/**
 * A header cell as a lookup key: NFKC (full-width → half-width), no whitespace
 * of any kind (incl. U+3000), no required-field stars or trailing colon.
 */
export function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\u3000\u00a0\u200b*]/g, '')
    .replace(/[:：]$/, '')
    .replace(/[【〔［]/g, '(')
    .replace(/[】〕］]/g, ')');
}

/** The ways a header may be read: as is, without bracketed text, with brackets dropped. */
function headerVariants(text: string): string[] {
  const key = headerKey(text);
  return [...new Set([key, key.replace(/\([^)]*\)/g, ''), key.replace(/[()]/g, '')])].filter(Boolean);
}

const BY_KEY = new Map<string, ImportField>();
for (const spec of IMPORT_FIELD_SPECS) {
  for (const word of [spec.label, spec.field, ...spec.synonyms]) {
    const key = headerKey(word).toUpperCase();
    if (!BY_KEY.has(key)) BY_KEY.set(key, spec.field);
  }
}

function matchOne(text: string): ImportField | null {
  for (const variant of headerVariants(text)) {
    const field = BY_KEY.get(variant.toUpperCase());
    if (field) return field;
  }
  return null;
}

/** The field a header cell means, or null. “电话/手机” names one field twice: that field. */
export function matchHeader(text: string | null | undefined): ImportField | null {
  if (!text) return null;
  const field = matchOne(text);
  if (field || !/[/／、或]/.test(text)) return field;
  const parts = text.split(/[/／、或]/).map(matchOne);
  return parts.every((f) => f !== null && f === parts[0]) ? parts[0]! : null;
}
