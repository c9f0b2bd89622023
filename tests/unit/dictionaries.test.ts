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
});
