import { describe, expect, it } from 'vitest';
import {
  ETHNIC_GROUPS,
  parseEducation,
  parseEthnicity,
  parseLevel,
  parsePoliticalAffiliation,
} from '../../shared/dictionaries.js';

describe('dictionaries', () => {
  it('has the 56 ethnic groups, each once', () => {
    expect(ETHNIC_GROUPS).toHaveLength(56);
    expect(new Set(ETHNIC_GROUPS).size).toBe(56);
  });

  it('reads the level words clerks type', () => {
    for (const word of ['县', '县级', '县人大代表', ' 县 级 ']) expect(parseLevel(word)).toBe('county');
    for (const word of ['乡镇', '乡镇级', '镇', '乡', '镇人大代表']) expect(parseLevel(word)).toBe('township');
    expect(parseLevel('省级')).toBe('province');
    expect(parseLevel('村')).toBeNull();
  });

  it('normalises short forms', () => {
    expect(parseEthnicity('汉')).toBe('汉族');
    expect(parseEthnicity('土家族')).toBe('土家族');
    expect(parseEthnicity('火星族')).toBeNull();
    expect(parsePoliticalAffiliation('党员')).toBe('中共党员');
    expect(parsePoliticalAffiliation('预备党员')).toBe('中共预备党员');
    expect(parseEducation('本科')).toBe('大学本科');
  });

  it('reads the other ways offices write 民族, 政治面貌 and 学历', () => {
    expect(parseEthnicity('维族')).toBe('维吾尔族');
    expect(parseEthnicity('蒙族')).toBe('蒙古族');
    expect(parseEthnicity('哈族')).toBeNull(); // 哈萨克族 or 哈尼族
    for (const [typed, stored] of [
      ['中国共产党预备党员', '中共预备党员'], ['中共党员（预备）', '中共预备党员'], ['民盟会员', '民盟盟员'], ['民革党员', '民革会员'],
      ['农工民主党', '农工党党员'], ['九三', '九三学社社员'], ['台盟会员', '台盟盟员'], ['共青团', '共青团员'],
    ]) {
      expect(parsePoliticalAffiliation(typed), typed).toBe(stored);
    }
    for (const [typed, stored] of [
      ['中专/高中', '高中'], ['高中、中专', '高中'], ['全日制本科', '大学本科'], ['在职大专', '大专'], ['函授本科', '大学本科'],
      ['本科学历', '大学本科'], ['初中文化', '初中'], ['小学文化', '小学及以下'], ['大学本科（在职）', '大学本科'], ['本科（学士）', '大学本科'],
      ['中师', '中专'], ['职中', '高中'], ['初中以下', '小学及以下'], ['研究生学历', '硕士研究生'],
    ]) {
      expect(parseEducation(typed), typed).toBe(stored);
    }
    expect(parseEducation('党校研究生')).toBeNull(); // not the same schooling: kept as written, with a warning
    expect(parseEducation('在职党校大学')).toBeNull();
    for (const word of ['乡人大', '镇人大']) expect(parseLevel(word)).toBe('township');
  });
});
