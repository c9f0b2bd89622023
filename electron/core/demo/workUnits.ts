import type { Level } from '../../../shared/dictionaries.js';
import type { County, Township } from './geography.js';
import { FIRM_STEMS } from './placeNames.js';
import type { Rng } from './random.js';

/**
 * 工作单位及职务 that match a deputy's 代表构成 and where they live, written
 * the way rosters write them (青山镇石桥村党总支书记、村委会主任). Posts that
 * exist once (a 镇长, a 县委书记, a 村支书) are handed out once per place.
 */
export type Composition = '一线工人' | '农民' | '专业技术人员' | '党政领导干部' | '企业负责人' | '解放军' | '其他';

export interface Job {
  unit: string;
  /** 有固定收入: false drives the subsidy for deputies without a salary. */
  fixedIncome: boolean;
  /** 通讯地址 */
  address: string;
}

export interface JobContext {
  rng: Rng;
  level: Level;
  township: Township;
  gender: '男' | '女';
  /** Unique posts already given out, keyed by place + post. */
  taken: Set<string>;
}

const INDUSTRIES = ['机械', '电子', '建材', '食品', '纺织', '陶瓷', '新材料', '竹木', '服饰', '农产品', '鞋业', '茶业', '米业', '矿业'];
const BUREAUS = [
  '发展和改革局', '教育局', '财政局', '农业农村局', '自然资源局', '住房和城乡建设局', '交通运输局', '水利局', '卫生健康局',
  '民政局', '人力资源和社会保障局', '文化旅游广电体育局', '市场监督管理局', '应急管理局', '林业局', '商务局', '审计局',
  '统计局', '医疗保障局', '退役军人事务局', '司法局', '工业和信息化局',
];

/** Place-word for the county's own posts: 县委/市委/区委, 县长/市长/区长. */
const kindOf = (county: County) => county.name.slice(-1);
const stemOf = (name: string) => (name.length > 2 ? name.replace(/(县|市|区|镇|乡|街道)$/, '') : name);
const firm = (rng: Rng) => rng.pick(FIRM_STEMS);

/** Takes the first post in `posts` not yet taken in `place`; null when all are. */
function uniquePost(c: JobContext, place: string, posts: readonly string[]): string | null {
  for (const post of posts) {
    const key = place + post;
    if (!c.taken.has(key)) {
      c.taken.add(key);
      return post;
    }
  }
  return null;
}

export function job(c: JobContext, composition: Composition): Job {
  switch (composition) {
    case '农民':
      return farmer(c);
    case '一线工人':
      return worker(c);
    case '专业技术人员':
      return professional(c);
    case '党政领导干部':
      return official(c);
    case '企业负责人':
      return entrepreneur(c);
    case '解放军':
      return soldier(c);
    default:
      return other(c);
  }
}

function townAddress(c: JobContext): string {
  const t = c.township;
  const { rng } = c;
  if (t.communities.length > 0 && rng.chance(0.6)) return `${t.county.name}${t.name}${rng.pick(t.communities)}${rng.int(1, 60)}号`;
  return `${t.county.name}${rng.pick(t.county.streets)}${rng.int(1, 300)}号`;
}

function farmer(c: JobContext): Job {
  const { rng, township: t } = c;
  const village = rng.pick(t.villages.length > 0 ? t.villages : t.communities);
  const head = uniquePost(c, t.name + village, rng.chance(0.45) ? ['党总支书记、村委会主任', '党支部书记、村委会主任'] : []);
  const post =
    head ??
    rng.weighted<string>([
      ['村民', 4],
      ['村委会副主任', 2],
      ['村民小组组长', 2],
      ['种粮大户', 2],
      [`${firm(rng)}种养专业合作社理事长`, 2],
      ['家庭农场主', 1],
      [c.gender === '女' ? '妇联主席' : '党支部委员', 1],
      [rng.pick(['生猪养殖户', '茶叶种植户', '柑橘种植户', '油茶种植户', '水产养殖户']), 2],
    ]);
  return {
    unit: `${t.name}${village}${post}`,
    fixedIncome: rng.chance(0.1),
    address: `${t.county.name}${t.name}${village}${rng.int(1, 16)}组`,
  };
}

function worker(c: JobContext): Job {
  const { rng, township: t } = c;
  const county = t.county.name;
  const unit = rng.weighted<() => string>([
    [() => `${county}${firm(rng)}${rng.pick(INDUSTRIES)}有限公司${rng.pick(['一线操作工', '车间工人', '班组长', '车间主任', '技术工人'])}`, 6],
    [() => `国网${county}供电公司${stemOf(t.name)}供电所线路工`, 1],
    [() => `${county}环境卫生服务中心环卫工人`, 1],
    [() => `${t.name}${firm(rng)}${rng.pick(['建材厂', '米厂', '砖厂', '竹木加工厂'])}工人`, 2],
    [() => `${county}公路养护中心养护工`, 1],
    [() => `${t.name}${rng.pick(['快递网点', '物流站'])}快递员`, 1],
  ])();
  return { unit, fixedIncome: rng.chance(0.55), address: townAddress(c) };
}

function professional(c: JobContext): Job {
  const { rng, township: t } = c;
  const county = t.county.name;
  const local = c.level === 'township' || rng.chance(0.4);
  const options: [() => string, number, number][] = local
    ? [
        [() => `${t.name}中心小学${rng.pick(['教师', '副校长', '高级教师'])}`, 4, 1],
        [() => `${t.name}中学${rng.pick(['教师', '教导主任', '高级教师'])}`, 3, 1],
        [() => `${t.name}卫生院${rng.pick(['医生', '护士长', '副院长', '主治医师'])}`, 3, 1],
        [() => `${t.name}农业综合服务中心农艺师`, 1, 1],
        [() => `${t.name}${rng.pick(t.villages.length > 0 ? t.villages : t.communities)}卫生室乡村医生`, 1, 0.4],
      ]
    : [
        [() => `${county}人民医院${rng.pick(['主任医师', '副主任医师', '护士长'])}`, 3, 1],
        [() => `${county}第${rng.pick(['一', '二', '三'])}中学${rng.pick(['高级教师', '教师', '教研组长'])}`, 3, 1],
        [() => `${county}中医医院${rng.pick(['主治医师', '副主任医师'])}`, 1, 1],
        [() => `${county}职业中专学校教师`, 1, 1],
        [() => `${county}${firm(rng)}律师事务所律师`, 1, 0.5],
        [() => `${county}林业局高级工程师`, 1, 1],
        [() => `${county}疾病预防控制中心主管医师`, 1, 1],
      ];
  const i = rng.weighted(options.map((o, idx) => [idx, o[1]] as const));
  const [make, , fixed] = options[i]!;
  return { unit: make(), fixedIncome: rng.chance(fixed), address: townAddress(c) };
}

const TOWNSHIP_POSTS: Record<string, readonly string[]> = {
  镇: ['党委书记', '党委副书记、镇长', '人大主席', '党委副书记', '人大副主席', '党委委员、副镇长', '党委委员、组织委员', '党委委员、纪委书记', '党委委员、宣传委员', '党委委员、武装部长'],
  乡: ['党委书记', '党委副书记、乡长', '人大主席', '党委副书记', '人大副主席', '党委委员、副乡长', '党委委员、组织委员', '党委委员、纪委书记', '党委委员、宣传委员', '党委委员、武装部长'],
  街道: ['党工委书记', '党工委副书记、办事处主任', '人大工委主任', '党工委副书记', '党工委委员、办事处副主任', '党工委委员、纪工委书记'],
};
const TOWNSHIP_OFFICES = ['财政所所长', '农业综合服务中心主任', '社会事务综合服务中心主任', '退役军人服务站站长', '党政综合办公室主任', '综治中心主任', '自然资源所所长', '中心学校校长'];
/** County leaders, one of each; `{k}` is 县, 市 or 区. */
const COUNTY_TOP_POSTS = [
  '委书记', '委副书记、{k}长', '人大常委会主任', '委副书记', '委常委、常务副{k}长', '委常委、组织部部长',
  '委常委、纪委书记、监委主任', '委常委、宣传部部长', '委常委、政法委书记', '委常委、统战部部长', '人民法院院长',
  '人民检察院检察长',
];
/** Posts a county has several of. */
const COUNTY_SHARED_POSTS = ['人大常委会副主任', '人民政府副{k}长'];

function official(c: JobContext): Job {
  const { rng, township: t } = c;
  const county = t.county;
  // Township deputies hold township posts; higher deputies more often county (or city) posts.
  const atTownship = c.level === 'township' || (c.level === 'county' && rng.chance(0.45));
  if (atTownship) {
    const post = uniquePost(c, t.name, TOWNSHIP_POSTS[t.kind] ?? TOWNSHIP_POSTS['镇']!) ?? rng.pick(TOWNSHIP_OFFICES);
    const office = t.kind === '街道' ? '街道办事处' : '人民政府';
    return { unit: t.name + post, fixedIncome: true, address: `${county.name}${t.name}${office}` };
  }
  const k = kindOf(county);
  const cityLevel = (c.level === 'city' || c.level === 'province' || c.level === 'national') && rng.chance(0.5);
  if (cityLevel) {
    const city = county.city;
    const post =
      uniquePost(c, city.name, ['委书记', '委副书记、市长', '人大常委会主任', '委常委、常务副市长', '中级人民法院院长', '人民检察院检察长']) ??
      `${rng.pick(BUREAUS)}局长`;
    return { unit: city.name + post, fixedIncome: true, address: `${city.name}${rng.pick(county.streets)}${rng.int(1, 200)}号` };
  }
  const post =
    (rng.chance(0.5) ? uniquePost(c, county.name, COUNTY_TOP_POSTS.map((p) => p.replaceAll('{k}', k))) : null) ??
    uniquePost(c, county.name, rng.shuffle(BUREAUS).map((b) => `${b}局长`)) ??
    rng.pick(COUNTY_SHARED_POSTS).replaceAll('{k}', k);
  return { unit: county.name + post, fixedIncome: true, address: `${county.name}${rng.pick(county.streets)}${rng.int(1, 200)}号` };
}

function entrepreneur(c: JobContext): Job {
  const { rng, township: t } = c;
  const county = t.county.name;
  const unit = rng.weighted<() => string>([
    [() => `${county}${firm(rng)}${rng.pick(INDUSTRIES)}有限公司${rng.pick(['董事长', '总经理', '董事长、总经理'])}`, 5],
    [() => `${county}${firm(rng)}农业开发有限公司董事长`, 2],
    [() => `${county}${firm(rng)}建筑工程有限公司总经理`, 1],
    [() => `${t.name}${firm(rng)}${rng.pick(['米厂', '建材厂', '茶厂', '竹木加工厂'])}厂长`, 2],
    [() => `${county}${firm(rng)}商贸有限公司经理`, 1],
    [() => `${county}${firm(rng)}旅游开发有限公司总经理`, 1],
  ])();
  return { unit, fixedIncome: rng.chance(0.5), address: townAddress(c) };
}

function soldier(c: JobContext): Job {
  const { rng, township: t } = c;
  const county = t.county;
  const post = uniquePost(c, county.name, ['人民武装部部长', '人民武装部政治委员', '人民武装部副部长']);
  const unit = post ? county.name + post : `${county.city.name}军分区${rng.pick(['参谋', '干事', '助理员'])}`;
  return { unit, fixedIncome: true, address: `${county.name}${rng.pick(county.streets)}${rng.int(1, 200)}号` };
}

function other(c: JobContext): Job {
  const { rng, township: t } = c;
  const county = t.county.name;
  const unit = rng.weighted<() => string>([
    [() => (t.communities.length > 0 ? `${t.name}${rng.pick(t.communities)}居民委员会主任` : `${t.name}个体工商户`), 3],
    [() => `${county}${firm(rng)}商行个体工商户`, 3],
    [() => `${county}工商业联合会副主席`, 1],
    [() => `${county}归国华侨联合会副主席`, 1],
    [() => `${t.name}退休教师`, 1],
    [() => `${county}${firm(rng)}社会工作服务中心负责人`, 1],
  ])();
  return { unit, fixedIncome: rng.chance(0.45), address: townAddress(c) };
}
