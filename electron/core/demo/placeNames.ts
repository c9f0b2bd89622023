import type { Rng } from './random.js';

/**
 * Word pools for invented place names in the style of south-central China
 * (石桥村, 龙潭镇, 白沙乡). Combinations are random; a match with a real
 * place is the chance match of a common pattern.
 */
const HEAD = [
  '青', '石', '龙', '凤', '白', '黄', '金', '花', '桃', '梅', '柳', '松', '竹', '枫', '云', '清', '双', '三',
  '五', '新', '高', '长', '大', '小', '东', '西', '南', '北', '万', '永', '太', '平', '安', '兴', '福', '寿',
  '仁', '杨', '马', '鹿', '鹤', '莲', '荷', '柏', '樟', '茶', '银', '铜', '桂', '紫', '红', '望', '古', '横',
];
const TAIL = [
  '山', '桥', '潭', '沙', '田', '溪', '塘', '泉', '坪', '铺', '市', '口', '源', '湾', '坡', '冲', '港', '洲',
  '岗', '江', '河', '湖', '岭', '林', '峰', '水', '阳', '丰', '庄', '家', '头', '滩', '井', '门', '坝', '堰',
];
const MIDDLE = ['家', '木', '子', '花', '水', '石', '马', '牛', '塘', '土', '竹', '岭'];

/** A 2- or 3-character place stem (without 村/镇/县) not yet in `used`; records it there. */
export function placeStem(rng: Rng, used: Set<string>, threeCharShare = 0.25): string {
  for (let attempt = 0; ; attempt++) {
    const three = rng.chance(attempt > 50 ? 0.8 : threeCharShare);
    const stem = three ? rng.pick(HEAD) + rng.pick(MIDDLE) + rng.pick(TAIL) : rng.pick(HEAD) + rng.pick(TAIL);
    if (stem[0] === stem[1] || used.has(stem)) continue;
    used.add(stem);
    return stem;
  }
}

export const COMMUNITY_STEMS = [
  '城东', '城西', '城南', '城北', '向阳', '新华', '建设', '人民', '和平', '幸福', '团结', '东风', '桥头', '河街',
  '新街', '老街', '站前', '滨江', '金桥', '文昌', '育才', '光明', '迎宾', '南门', '北门', '新城',
];

export const STREETS = [
  '人民路', '建设路', '解放路', '新华路', '朝阳路', '迎宾大道', '滨江路', '五一路', '东风路', '文化路', '胜利路',
  '长青路', '桂花路', '金星路', '府前路', '育才路', '和平路', '光明路', '沿河路', '城北路', '工业大道', '学府路',
];

/** Business name stems for companies and cooperatives. */
export const FIRM_STEMS = [
  '鑫源', '华泰', '宏达', '恒信', '金穗', '绿源', '兴旺', '丰泽', '福临', '永盛', '湘禾', '天成', '瑞丰', '博远',
  '中兴', '顺发', '嘉禾', '润农', '山河', '益民', '康达', '锦程', '新立', '正和', '汇通', '盛世', '红星', '青禾',
];

/** Province names by GB/T 2260 code, for the few strings that name the province itself. */
export const PROVINCES: Record<string, { name: string; abbr: string }> = {
  '11': { name: '北京市', abbr: '京' }, '12': { name: '天津市', abbr: '津' }, '13': { name: '河北省', abbr: '冀' },
  '14': { name: '山西省', abbr: '晋' }, '15': { name: '内蒙古自治区', abbr: '蒙' }, '21': { name: '辽宁省', abbr: '辽' },
  '22': { name: '吉林省', abbr: '吉' }, '23': { name: '黑龙江省', abbr: '黑' }, '31': { name: '上海市', abbr: '沪' },
  '32': { name: '江苏省', abbr: '苏' }, '33': { name: '浙江省', abbr: '浙' }, '34': { name: '安徽省', abbr: '皖' },
  '35': { name: '福建省', abbr: '闽' }, '36': { name: '江西省', abbr: '赣' }, '37': { name: '山东省', abbr: '鲁' },
  '41': { name: '河南省', abbr: '豫' }, '42': { name: '湖北省', abbr: '鄂' }, '43': { name: '湖南省', abbr: '湘' },
  '44': { name: '广东省', abbr: '粤' }, '45': { name: '广西壮族自治区', abbr: '桂' }, '46': { name: '海南省', abbr: '琼' },
  '50': { name: '重庆市', abbr: '渝' }, '51': { name: '四川省', abbr: '川' }, '52': { name: '贵州省', abbr: '黔' },
  '53': { name: '云南省', abbr: '滇' }, '54': { name: '西藏自治区', abbr: '藏' }, '61': { name: '陕西省', abbr: '陕' },
  '62': { name: '甘肃省', abbr: '甘' }, '63': { name: '青海省', abbr: '青' }, '64': { name: '宁夏回族自治区', abbr: '宁' },
  '65': { name: '新疆维吾尔自治区', abbr: '新' },
};
