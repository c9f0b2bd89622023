/**
 * Dictionaries the offices use, in the words they use. Stored values are the
 * Chinese terms themselves (民族, 政治面貌 …) except where an English code
 * reads better in SQL (levels, seat status), which have label maps.
 */

export const LEVELS = ['national', 'province', 'city', 'county', 'township'] as const;
export type Level = (typeof LEVELS)[number];
export const LEVEL_LABELS: Record<Level, string> = {
  national: '全国',
  province: '省',
  city: '设区的市',
  county: '县',
  township: '乡镇',
};

/** What clerks type in a 层级 column, normalised (spaces removed) → level. */
const LEVEL_ALIASES: Record<string, Level> = {};
for (const [level, words] of Object.entries({
  national: ['全国', '全国级', '全国人大', '全国人大代表', '国家', '国家级'],
  province: ['省', '省级', '省人大', '省人大代表', '自治区', '直辖市'],
  city: ['市', '市级', '设区的市', '设区市', '市人大', '市人大代表', '州', '州级', '地级', '地市级', '市州'],
  county: ['县', '县级', '县人大', '县人大代表', '区', '区级', '县区', '县（市、区）', '县(市、区)', '县市区', '县级市', '旗'],
  township: [
    '乡镇', '乡镇级', '镇', '乡', '镇级', '乡级', '乡镇人大', '乡镇人大代表', '镇人大', '乡人大', '镇人大代表', '乡人大代表', '民族乡', '苏木',
  ],
} as Record<Level, string[]>)) {
  for (const word of words) LEVEL_ALIASES[word] = level as Level;
}

export function parseLevel(text: string | null | undefined): Level | null {
  if (!text) return null;
  const key = text.replace(/[\s\u3000]/g, '');
  if ((LEVELS as readonly string[]).includes(key)) return key as Level;
  return LEVEL_ALIASES[key] ?? null;
}

export const GENDERS = ['男', '女'] as const;
export type Gender = (typeof GENDERS)[number];

/** The 56 ethnic groups (GB 3304 order). */
export const ETHNIC_GROUPS = [
  '汉族', '蒙古族', '回族', '藏族', '维吾尔族', '苗族', '彝族', '壮族', '布依族', '朝鲜族',
  '满族', '侗族', '瑶族', '白族', '土家族', '哈尼族', '哈萨克族', '傣族', '黎族', '傈僳族',
  '佤族', '畲族', '高山族', '拉祜族', '水族', '东乡族', '纳西族', '景颇族', '柯尔克孜族', '土族',
  '达斡尔族', '仫佬族', '羌族', '布朗族', '撒拉族', '毛南族', '仡佬族', '锡伯族', '阿昌族', '普米族',
  '塔吉克族', '怒族', '乌孜别克族', '俄罗斯族', '鄂温克族', '德昂族', '保安族', '裕固族', '京族', '塔塔尔族',
  '独龙族', '鄂伦春族', '赫哲族', '门巴族', '珞巴族', '基诺族',
] as const;

/** Accepts 汉 or 汉族, 蒙古 or 蒙古族 … */
export function parseEthnicity(text: string | null | undefined): string | null {
  if (!text) return null;
  const key = text.replace(/[\s\u3000]/g, '');
  if ((ETHNIC_GROUPS as readonly string[]).includes(key)) return key;
  const withSuffix = key + '族';
  if ((ETHNIC_GROUPS as readonly string[]).includes(withSuffix)) return withSuffix;
  return ETHNIC_ALIASES[key] ?? null;
}
/** Short names in common use that are not the name without 族. (哈族 could be 哈萨克族 or 哈尼族: not guessed.) */
const ETHNIC_ALIASES: Record<string, string> = { 蒙族: '蒙古族', 蒙: '蒙古族', 维族: '维吾尔族', 维: '维吾尔族' };

export const POLITICAL_AFFILIATIONS = [
  '中共党员', '中共预备党员', '共青团员', '民革会员', '民盟盟员', '民建会员', '民进会员',
  '农工党党员', '致公党党员', '九三学社社员', '台盟盟员', '无党派人士', '群众',
] as const;
const POLITICAL_ALIASES: Record<string, string> = {
  党员: '中共党员', 中共: '中共党员', 中国共产党党员: '中共党员', 共产党员: '中共党员',
  预备党员: '中共预备党员', 团员: '共青团员', 民革: '民革会员', 民盟: '民盟盟员', 民建: '民建会员',
  民进: '民进会员', 农工党: '农工党党员', 致公党: '致公党党员', 九三学社: '九三学社社员',
  台盟: '台盟盟员', 无党派: '无党派人士',
  // The full names, and the member words people mix up between parties.
  中国共产党预备党员: '中共预备党员', 中共预备: '中共预备党员', '中共党员(预备)': '中共预备党员', '中共党员（预备）': '中共预备党员',
  共青团: '共青团员', 中国共产主义青年团团员: '共青团员',
  民革党员: '民革会员', 民盟会员: '民盟盟员', 民建盟员: '民建会员', 民进盟员: '民进会员',
  农工党员: '农工党党员', 农工民主党: '农工党党员', 农工民主党党员: '农工党党员', 中国农工民主党党员: '农工党党员',
  致公党员: '致公党党员', 九三: '九三学社社员', 九三学社员: '九三学社社员', 九三社员: '九三学社社员',
  台盟会员: '台盟盟员', 无党派民主人士: '无党派人士',
};
export function parsePoliticalAffiliation(text: string | null | undefined): string | null {
  if (!text) return null;
  const key = text.replace(/[\s\u3000]/g, '');
  if ((POLITICAL_AFFILIATIONS as readonly string[]).includes(key)) return key;
  return POLITICAL_ALIASES[key] ?? null;
}
/** Parties other than the CPC (民主党派), for composition statistics. */
export const DEMOCRATIC_PARTIES = [
  '民革会员', '民盟盟员', '民建会员', '民进会员', '农工党党员', '致公党党员', '九三学社社员', '台盟盟员',
] as const;

export const EDUCATION_LEVELS = [
  '小学及以下', '初中', '高中', '中专', '大专', '大学本科', '硕士研究生', '博士研究生',
] as const;
const EDUCATION_ALIASES: Record<string, string> = {
  小学: '小学及以下', 文盲: '小学及以下', 半文盲: '小学及以下', 初中及以下: '初中',
  高中及以下: '高中', 职高: '高中', 中技: '中专', 技校: '中专', 大学专科: '大专', 专科: '大专',
  高职: '大专', 本科: '大学本科', 大学: '大学本科', 研究生: '硕士研究生', 硕士: '硕士研究生',
  博士: '博士研究生', 中专及以下: '中专', 高中中专: '高中', '高中（中专）': '高中', '高中(中专)': '高中',
  // 高中 and 中专 written together are one tier; like 高中（中专）, counted as 高中.
  '高中/中专': '高中', '中专/高中': '高中', 中专高中: '高中', '高中、中专': '高中', '中专、高中': '高中', 高中或中专: '高中', 中专或高中: '高中',
  初中以下: '小学及以下', 初小: '小学及以下', 高小: '小学及以下', 中师: '中专', 中等专业学校: '中专', 技工: '中专', 技工学校: '中专',
  职中: '高中', 职业高中: '高中', 普通高中: '高中', 大本: '大学本科',
};
/**
 * 学历 as written: the standard word, an alias, or either with what says how it was
 * studied (全日制, 在职, 函授 …) or a tail (学历, 文化, （学士）). 党校 forms are left
 * to the caller: they are not counted as the schooling of the same name.
 */
export function parseEducation(text: string | null | undefined): string | null {
  if (!text) return null;
  const key = text.replace(/[\s\u3000]/g, '');
  const known = (k: string) => ((EDUCATION_LEVELS as readonly string[]).includes(k) ? k : (EDUCATION_ALIASES[k] ?? null));
  const direct = known(key);
  if (direct || /党校/.test(key)) return direct;
  const bare = key
    .replace(/^(全日制|在职|函授|自考|自学考试|成人|成教|电大|广播电视大学|网络教育|远程教育|夜大|业余|普通)/, '')
    .replace(/[（(](在职|全日制|函授|自考|学士|硕士|博士|无学位|毕业|肄业|结业)[)）]$/, '')
    .replace(/(毕业|肄业|学历|文化|文化程度|程度)+$/, '');
  return bare && bare !== key ? known(bare) : null;
}
/** 大专及以上 */
export const COLLEGE_OR_ABOVE: readonly string[] = ['大专', '大学本科', '硕士研究生', '博士研究生'];

export const DEGREES = ['无', '学士', '硕士', '博士'] as const;

/** 代表构成 / 身份类别 */
export const COMPOSITION_CATEGORIES = [
  '一线工人', '农民', '专业技术人员', '党政领导干部', '企业负责人', '解放军', '其他',
] as const;
const COMPOSITION_ALIASES: Record<string, string> = {
  工人: '一线工人', 农民工: '一线工人', 专技人员: '专业技术人员', 专业技术: '专业技术人员',
  党政干部: '党政领导干部', 领导干部: '党政领导干部', 企业家: '企业负责人', 军人: '解放军',
  解放军和武警: '解放军', 武警: '解放军',
};
export function parseComposition(text: string | null | undefined): string | null {
  if (!text) return null;
  const key = text.replace(/[\s\u3000]/g, '');
  if ((COMPOSITION_CATEGORIES as readonly string[]).includes(key)) return key;
  return COMPOSITION_ALIASES[key] ?? null;
}
/** 基层代表 = 一线工人 + 农民 + 专业技术人员 */
export const GRASSROOTS_CATEGORIES: readonly string[] = ['一线工人', '农民', '专业技术人员'];

export const SEAT_STATUSES = ['current', 'suspended', 'ended'] as const;
export type SeatStatus = (typeof SEAT_STATUSES)[number];
export const SEAT_STATUS_LABELS: Record<SeatStatus, string> = {
  current: '在任',
  suspended: '暂停执行职务',
  ended: '资格终止',
};

/** How a seat began: 换届选举 or 补选. */
export const START_METHODS = ['general', 'by_election'] as const;
export type StartMethod = (typeof START_METHODS)[number];
export const START_METHOD_LABELS: Record<StartMethod, string> = {
  general: '换届选举',
  by_election: '补选',
};

/** 代表资格终止 reasons: the seven in the Deputies Law plus death. */
export const END_REASONS = [
  '迁出或调离本行政区域',
  '辞职被接受',
  '未经批准两次不出席本级人民代表大会会议',
  '被罢免',
  '丧失中华人民共和国国籍',
  '依照法律被剥夺政治权利',
  '丧失行为能力',
  '死亡',
] as const;

/** Kinds of seat_events rows (任职变动), in the words of the timeline. */
export const SEAT_EVENT_KINDS = ['elected', 'by_election', 'suspended', 'restored', 'ended', 'resigned'] as const;
export type SeatEventKind = (typeof SEAT_EVENT_KINDS)[number];
export const SEAT_EVENT_LABELS: Record<SeatEventKind, string> = {
  elected: '当选',
  by_election: '补选当选',
  suspended: '暂停执行代表职务',
  restored: '恢复执行代表职务',
  ended: '代表资格终止',
  resigned: '辞职',
};
/** The two grounds for suspension in the Deputies Law (暂停执行代表职务), offered as suggestions. */
export const SUSPEND_REASONS = [
  '因刑事案件被羁押正在受侦查、起诉、审判',
  '被依法判处管制、拘役或者有期徒刑而没有附加剥夺政治权利，正在服刑',
] as const;

export const OFFICE_TYPES = ['county', 'township'] as const;
export type OfficeType = (typeof OFFICE_TYPES)[number];
export const OFFICE_TYPE_LABELS: Record<OfficeType, string> = {
  county: '县（市、区）人大常委会',
  township: '乡镇人大（街道人大工委）',
};
