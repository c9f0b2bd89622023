import type { Rng, Weighted } from './random.js';

/**
 * Synthetic Chinese personal names. Surname weights follow published
 * frequency tables (per mille, rounded), nudged towards Hunan, where 刘, 陈,
 * 周, 彭, 唐, 曾, 谭, 邓 and 罗 are more common than nationally. Given names
 * are drawn from character pools, so any resemblance to a real person is
 * the chance resemblance of a common name.
 */
const SURNAMES: Weighted<string> = [
  ['李', 75], ['王', 65], ['张', 62], ['刘', 65], ['陈', 55], ['杨', 30], ['黄', 24], ['赵', 20],
  ['吴', 20], ['周', 25], ['徐', 13], ['孙', 11], ['马', 10], ['朱', 11], ['胡', 14], ['郭', 9],
  ['何', 13], ['高', 9], ['林', 9], ['罗', 18], ['郑', 7], ['梁', 7], ['谢', 12], ['宋', 6],
  ['唐', 15], ['许', 5], ['韩', 5], ['冯', 5], ['邓', 13], ['曹', 5], ['彭', 15], ['曾', 12],
  ['肖', 10], ['田', 5], ['董', 4], ['袁', 5], ['潘', 4], ['于', 3], ['蒋', 9], ['蔡', 3],
  ['余', 4], ['杜', 3], ['叶', 3], ['程', 3], ['苏', 3], ['魏', 3], ['吕', 3], ['丁', 3],
  ['任', 3], ['沈', 2], ['姚', 3], ['卢', 3], ['姜', 2], ['钟', 3], ['谭', 10], ['陆', 2],
  ['汪', 2], ['范', 2], ['金', 2], ['石', 3], ['廖', 6], ['贾', 2], ['夏', 3], ['付', 2],
  ['方', 2], ['白', 2], ['邹', 6], ['孟', 1], ['熊', 3], ['秦', 2], ['邱', 2], ['江', 2],
  ['尹', 3], ['段', 2], ['雷', 2], ['侯', 1], ['龙', 4], ['陶', 2], ['黎', 3], ['贺', 5],
  ['毛', 2], ['龚', 2], ['邵', 2], ['万', 1], ['严', 1], ['戴', 2], ['莫', 1], ['汤', 2],
  ['向', 3], ['易', 3], ['符', 1], ['康', 1], ['欧阳', 2], ['文', 2], ['阳', 2], ['颜', 1],
];

/** Surnames frequent in a minority group, drawn more often for its members. */
const MINORITY_SURNAMES: Record<string, readonly string[]> = {
  土家族: ['向', '田', '彭', '覃', '张', '李', '王', '杨', '冉', '黄'],
  苗族: ['龙', '石', '麻', '吴', '杨', '田', '张', '滕', '欧', '梁'],
  侗族: ['杨', '吴', '龙', '石', '粟', '陆', '姚', '林'],
  瑶族: ['盘', '赵', '邓', '黄', '李', '奉', '房', '唐'],
  回族: ['马', '丁', '海', '沙', '白', '杨'],
  白族: ['谷', '王', '钟', '熊', '杨'],
};

/** Generation characters: older deputies more often carry the 1950s–60s ones. */
const LEAD_OLD = ['建', '国', '志', '永', '德', '新', '卫', '爱', '长', '世', '绍', '庆', '家', '光', '正', '明', '春', '海', '文', '立'];
const LEAD_YOUNG = ['晓', '文', '海', '俊', '思', '佳', '雨', '子', '一', '欣', '明', '宇', '浩', '嘉', '志', '家', '小', '亚', '诗', '梓'];
const MALE = [
  '伟', '强', '军', '勇', '杰', '涛', '明', '斌', '波', '辉', '刚', '平', '华', '林', '海', '峰', '鹏', '飞',
  '超', '磊', '俊', '浩', '宇', '鑫', '亮', '东', '洪', '新', '德', '龙', '兵', '光', '荣', '福', '生', '祥',
  '安', '清', '振', '雄', '翔', '成', '宏', '胜', '民', '坤', '江', '湘', '晖', '益', '武', '彬', '锋', '忠',
];
const FEMALE = [
  '芳', '娟', '敏', '静', '丽', '艳', '霞', '燕', '玲', '萍', '红', '梅', '英', '兰', '琴', '云', '莉', '婷',
  '慧', '琳', '洁', '颖', '倩', '雪', '丹', '凤', '秀', '桂', '春', '玉', '珍', '芬', '娜', '蓉', '佳', '欣',
  '雯', '璐', '薇', '菊', '群', '辉', '华', '莲',
];
const OLD_FEMALE = ['秀英', '桂兰', '玉兰', '桂英', '秀兰', '淑珍', '凤英', '春梅', '冬梅', '玉梅', '桂香', '秀珍'];
const OLD_MALE = ['建国', '国庆', '建华', '建军', '国强', '志强', '德明', '卫东', '红军', '新民', '国华', '长生'];

/** Names of well-known public figures the pools could spell; redrawn so no demo deputy bears one. */
const AVOID = new Set(['李鹏', '李强', '王毅', '汪洋', '韩正', '刘华清', '李先念', '王震', '彭真', '胡耀邦', '朱德', '刘志丹']);

export interface NameOptions {
  gender: '男' | '女';
  birthYear: number;
  ethnicity: string;
}

export function personName(rng: Rng, o: NameOptions): string {
  for (;;) {
    const name = surname(rng, o.ethnicity) + givenName(rng, o);
    if (!AVOID.has(name)) return name;
  }
}

function surname(rng: Rng, ethnicity: string): string {
  const local = MINORITY_SURNAMES[ethnicity];
  if (local && rng.chance(0.7)) return rng.pick(local);
  return rng.weighted(SURNAMES);
}

function givenName(rng: Rng, o: NameOptions): string {
  const pool = o.gender === '男' ? MALE : FEMALE;
  const old = o.birthYear < 1970;
  // Single-character given names were commoner for people born in the 1950s–70s and again lately.
  if (rng.chance(old ? 0.22 : 0.14)) return rng.pick(pool);
  if (old && rng.chance(0.06)) return rng.pick(o.gender === '男' ? OLD_MALE : OLD_FEMALE);
  const lead = rng.pick(old ? LEAD_OLD : LEAD_YOUNG);
  let tail = rng.pick(pool);
  while (tail === lead) tail = rng.pick(pool);
  return lead + tail;
}
