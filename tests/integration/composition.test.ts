import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompositionReport, CompositionRow, FileOutput } from '../../shared/contract/index.js';
import type { Result } from '../../shared/errors.js';
import { CoreContext } from '../../electron/core/context.js';
import { createDispatcher } from '../../electron/core/dispatcher.js';
import { setupOffice } from '../../electron/core/office/service.js';
import { compositionReport, percent } from '../../electron/core/reports/composition.js';
import { runCli } from '../helpers/cli.js';
import { readWithOpenpyxl } from '../helpers/openpyxl.js';
import { tempDir } from '../helpers/tmp.js';

function ok<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data as T;
}

const AS_OF = '2025-06-30';

/**
 * Ten county deputies whose every figure is known. Ages are as of 2025-06-30;
 * month-only birth dates count from the 1st of the month.
 */
const TEN = [
  // name, 性别, 民族, 政治面貌, 学历, 出生, 代表构成, 连任, 乡镇            age  band
  ['甲一', '女', '汉族', '中共党员', '大学本科', '1990-01-15', '专业技术人员', false, '青山镇'], // 35  ≤35
  ['甲二', '男', '土家族', '中共预备党员', '大专', '1989-07', '农民', true, '青山镇'], //           35  ≤35 (turns 36 on 07-01)
  ['甲三', '男', '汉族', '群众', '初中', '1989-06', '一线工人', false, '青山镇'], //                36  36–45
  ['甲四', '女', '苗族', '民盟盟员', '硕士研究生', '1979-06-30', '专业技术人员', true, '青山镇'], // 46 (birthday today) 46–55
  ['甲五', '男', '汉族', '无党派人士', '高中', '1979-07-01', '企业负责人', false, '青山镇'], //      45  36–45
  ['甲六', '男', '汉族', '中共党员', '大学本科', '1969-06-30', '党政领导干部', true, '青山镇'], //   56  ≥56
  ['乙一', '女', '汉族', '中共党员', '中专', '1969-07', '农民', false, '白沙镇'], //                 55  46–55
  ['乙二', '男', '汉族', '共青团员', '大专', '2000-01', '其他', null, '白沙镇'], //                  25  ≤35
  ['乙三', '男', '汉族', '九三学社社员', '博士研究生', '1960-03-03', '解放军', true, '白沙镇'], //   65  ≥56
  ['乙四', '女', '回族', '群众', '小学及以下', null, '农民', false, '白沙镇'], //                     ?   unknown
] as const;

async function countyWithTen(): Promise<{ ctx: CoreContext; seats: string[] }> {
  const ctx = new CoreContext(path.join(tempDir(), 'county.sqlite'), { operator: '测试员' });
  setupOffice(ctx, { officeType: 'county', officeCode: '430626', officeName: '平江县人大常委会' });
  const call = createDispatcher(ctx);
  const seats: string[] = [];
  for (const [name, gender, ethnicity, politicalAffiliation, education, birthDate, composition, isReelected, township] of TEN) {
    const r = ok<{ seatId: string }>(
      await call('roster.create', {
        person: { name, gender, ethnicity, politicalAffiliation, education, birthDate, composition },
        seat: { level: 'county', term: '第十八届', township, isReelected },
      }),
    );
    seats.push(r.seatId);
  }
  // Not counted: a township-level seat, an ended county seat, a deleted one.
  const extra = (name: string, level: 'county' | 'township') =>
    call('roster.create', {
      person: { name, gender: '女', ethnicity: '瑶族', politicalAffiliation: '中共党员', education: '大学本科', birthDate: '1980-01', composition: '农民' },
      seat: { level, term: level === 'county' ? '第十八届' : '第十九届', township: '青山镇', isReelected: true },
    }).then((r) => ok<{ seatId: string }>(r).seatId);
  await extra('丙一', 'township');
  const ended = await extra('丙二', 'county');
  ctx.repo.update('seats', ended, { status: 'ended', end_date: '2024-01-01', end_reason: '辞职被接受' });
  const removed = await extra('丙三', 'county');
  ok(await call('roster.remove', { seatId: removed }));
  return { ctx, seats };
}

const row = (report: CompositionReport, scope: string): CompositionRow => {
  const r = report.rows.find((x) => x.scope === scope);
  if (!r) throw new Error(`no row ${scope}`);
  return r;
};

describe('代表结构统计表', () => {
  it('counts ten known deputies exactly, per township and in total', async () => {
    const { ctx } = await countyWithTen();
    const report = ok<CompositionReport>(await createDispatcher(ctx)('reports.composition', { asOf: AS_OF }));
    expect(report.title).toBe('平江县第十八届人民代表大会代表结构统计表');
    expect(report.levels).toEqual(['county']); // the county office's own level by default
    expect(report.asOf).toBe(AS_OF);
    expect(report.rows.map((r) => r.scope)).toEqual(['白沙镇', '青山镇', '合计']);

    const total = row(report, '合计');
    expect(total).toMatchObject({
      total: 10,
      female: 4, femalePct: 40,
      minority: 3, minorityPct: 30,
      cpc: 4, cpcPct: 40, // 中共预备党员 counted as cpc
      otherParties: 2, otherPartiesPct: 20,
      nonPartisan: 1, nonPartisanPct: 10,
      masses: 2, massesPct: 20,
      workers: 1, farmers: 3, professionals: 2, leaders: 1, entrepreneurs: 1, military: 1, otherComposition: 1,
      leadersPct: 10, farmersPct: 30,
      grassroots: 6, grassrootsPct: 60,
      collegeOrAbove: 6, collegeOrAbovePct: 60,
      age35Under: 3, age35UnderPct: 30,
      age36To45: 2, age36To45Pct: 20,
      age46To55: 2, age46To55Pct: 20,
      age56Over: 2, age56OverPct: 20,
      reelected: 4, reelectedPct: 40,
      newlyElected: 5, newlyElectedPct: 50,
      unknown: { birthDate: 1, reelected: 1, gender: 0, ethnicity: 0, politicalAffiliation: 0, composition: 0, education: 0 },
    });

    expect(row(report, '青山镇')).toMatchObject({
      total: 6,
      female: 2, femalePct: 33.3,
      minority: 2, minorityPct: 33.3,
      cpc: 3, cpcPct: 50,
      grassroots: 4, grassrootsPct: 66.7,
      age35Under: 2, age36To45: 2, age46To55: 1, age56Over: 1,
    });
    expect(row(report, '白沙镇')).toMatchObject({
      total: 4,
      female: 2, femalePct: 50,
      minority: 1, minorityPct: 25,
      cpc: 1, cpcPct: 25,
      grassroots: 2, grassrootsPct: 50,
      age35Under: 1, age46To55: 1, age56Over: 1,
    });
    expect(report.notes.join('')).toContain('出生年月未填 1 人，是否连任未填 1 人');
  });

  it('moves a month-only birth date into the next band on the 1st of the month', async () => {
    const { ctx } = await countyWithTen();
    const before = compositionReport(ctx, { asOf: '2025-06-30' });
    const after = compositionReport(ctx, { asOf: '2025-07-01' });
    // 甲二 (1989-07) turns 36 and 乙一 (1969-07) turns 56; 甲五 (1979-07-01) turns 46.
    expect(row(before, '合计')).toMatchObject({ age35Under: 3, age36To45: 2, age46To55: 2, age56Over: 2 });
    expect(row(after, '合计')).toMatchObject({ age35Under: 2, age36To45: 2, age46To55: 2, age56Over: 3 });
  });

  it('filters by level and term', async () => {
    const { ctx } = await countyWithTen();
    const township = compositionReport(ctx, { level: 'township', asOf: AS_OF });
    expect(township.title).toBe('平江县第十九届乡镇人大代表结构统计表');
    expect(row(township, '合计')).toMatchObject({ total: 1, female: 1, minority: 1, farmers: 1, reelected: 1 });
    const both = compositionReport(ctx, { level: ['county', 'township'], asOf: AS_OF });
    expect(row(both, '合计').total).toBe(11);
    const none = compositionReport(ctx, { term: '第十七届', asOf: AS_OF });
    expect(none.rows).toHaveLength(1);
    expect(row(none, '合计')).toMatchObject({ total: 0, female: 0, femalePct: 0 });
  });

  it('rounds percentages half up to one decimal', () => {
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(1, 16)).toBe(6.3); // 6.25
    expect(percent(1, 8)).toBe(12.5);
    expect(percent(0, 0)).toBe(0);
  });

  it('exports the official two-level-header workbook, read back with openpyxl', async () => {
    const { ctx } = await countyWithTen();
    const file = ok<FileOutput>(await createDispatcher(ctx)('reports.compositionWorkbook', { asOf: AS_OF }));
    expect(file.fileName).toBe('平江县第十八届人民代表大会代表结构统计表.xlsx');
    const out = path.join(tempDir(), file.fileName);
    fs.writeFileSync(out, Buffer.from(file.base64, 'base64'));
    const sheet = readWithOpenpyxl(out, { cells: ['C6', 'D6', 'A7'] });

    expect(sheet.rows[0]![0]).toBe('平江县第十八届人民代表大会代表结构统计表');
    expect(sheet.maxColumn).toBe(2 + 21 * 2);
    expect(sheet.merged).toEqual(expect.arrayContaining(['A1:AR1', 'A3:A4', 'B3:B4', 'C3:D3', 'AQ3:AR3']));
    expect(sheet.rows[1]!.filter(Boolean)).toEqual([
      '制表单位：平江县人大常委会',
      '年龄计算日期：2025年6月30日',
      expect.stringMatching(/^制表日期：/),
    ]);
    expect(sheet.rows[2]!.slice(0, 5)).toEqual(['单位', '代表总数', '女性', null, '少数民族']);
    expect(sheet.rows[3]!.slice(2, 6)).toEqual(['人数', '占比', '人数', '占比']);
    expect(sheet.print).toEqual({ orientation: 'landscape', paperSize: 9, fitToWidth: 1, fitToHeight: 0, fitToPage: true });
    expect(sheet.printTitleRows).toBe('$3:$4');
    expect(sheet.freezePanes).toBe('C5');
    expect(sheet.footer.center).toBe('第 &P 页 共 &N 页');

    const [baisha, qingshan, total] = [sheet.rows[4]!, sheet.rows[5]!, sheet.rows[6]!];
    expect(baisha.slice(0, 4)).toEqual(['白沙镇', 4, 2, 0.5]);
    expect(qingshan[0]).toBe('青山镇');
    expect(qingshan[3]).toBeCloseTo(0.333, 6);
    expect(total.slice(0, 3)).toEqual(['合计', 10, 4]);
    expect(total[3]).toBeCloseTo(0.4, 6);
    expect(sheet.numberFormats.D6).toBe('0.0%');
    expect(sheet.fonts.A7).toMatchObject({ bold: true }); // 合计
    // Notes under the table.
    expect(String(sheet.rows[7]![0])).toMatch(/^注：1\. 统计对象为在任代表/);
    expect(sheet.merged).toContain('A8:AR8');
  });

  it('the CLI prints the rows as JSON and writes the workbook', async () => {
    const { ctx } = await countyWithTen();
    const out = path.join(tempDir(), '结构.xlsx');
    const r = runCli(['report', 'composition', out, '--db', ctx.dbPath, '--level', '县', '--term', '第十八届', '--as-of', AS_OF, '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const json = r.json<{ file: string; rows: Record<string, unknown>[] }>();
    expect(json.file).toBe(out);
    expect(fs.existsSync(out)).toBe(true);
    expect(json.rows.map((x) => x.scope)).toEqual(['白沙镇', '青山镇', '合计']);
    expect(json.rows[2]).toMatchObject({ scope: '合计', total: 10, female: 4, minority: 3, cpc: 4, grassroots: 6, femalePct: 40, grassrootsPct: 60 });
    for (const key of ['scope', 'total', 'female', 'minority', 'cpc', 'otherParties', 'nonPartisan', 'masses', 'grassroots', 'leaders', 'collegeOrAbove', 'age35Under', 'age56Over', 'newlyElected', 'reelected', 'femalePct', 'cpcPct']) {
      expect(json.rows[0]).toHaveProperty(key);
    }

    const plain = runCli(['report', 'composition', '--db', ctx.dbPath, '--as-of', AS_OF]);
    expect(plain.status).toBe(0);
    expect(plain.stdout).toContain('合计：10 人，女 4（40.0%）');

    const bad = runCli(['report', 'composition', '--db', ctx.dbPath, '--as-of', '2025/06/30', '--json']);
    expect(bad.status).toBe(1);
    expect(bad.json()).toMatchObject({ error: { code: 'VALIDATION', message: expect.stringContaining('日期格式') } });
  }, 180_000);
});
