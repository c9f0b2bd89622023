import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileOutput, RosterSheet } from '../../shared/contract/index.js';
import type { Result } from '../../shared/errors.js';
import { idCheckChar } from '../../shared/idcard.js';
import { CoreContext } from '../../electron/core/context.js';
import { createDispatcher } from '../../electron/core/dispatcher.js';
import { exportRosterWorkbook } from '../../electron/core/reports/roster.js';
import { runCli } from '../helpers/cli.js';
import { readWithOpenpyxl } from '../helpers/openpyxl.js';
import { tempDir, townshipContext } from '../helpers/tmp.js';

const id = (birth: string, seq: string) => {
  const first17 = '430281' + birth + seq;
  return first17 + idCheckChar(first17);
};

function ok<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data as T;
}

const HEADERS = [
  '序号', '姓名', '性别', '民族', '出生年月', '政治面貌', '学历', '工作单位及职务', '代表构成', '层级', '届次',
  '选区', '所属乡镇', '代表证号', '联系电话', '公民身份号码', '备注',
];

const PEOPLE = [
  { name: '李春梅', gender: '女', birth: '19780512', seq: '122', phone: '13812345678', level: 'township', township: '青山镇', work: '青山镇中心小学校长' },
  { name: '王建国', gender: '男', birth: '19700303', seq: '011', phone: '13900001111', level: 'township', township: '青山镇', work: '青山镇人民政府镇长' },
  { name: '赵德胜', gender: '男', birth: '19651120', seq: '031', phone: '13700002222', level: 'county', township: '青山镇', work: '红星村党支部书记' },
  { name: '陈秀兰', gender: '女', birth: '19851001', seq: '042', phone: '13600003333', level: 'township', township: '白沙镇', work: '白沙镇卫生院护士长' },
] as const;

/** Four deputies with full phone and ID numbers, one by-election, one suspended (through the repository). */
async function seed(ctx: CoreContext): Promise<Record<string, string>> {
  const call = createDispatcher(ctx);
  const seats: Record<string, string> = {};
  for (const p of PEOPLE) {
    const created = ok<{ seatId: string }>(
      await call('roster.create', {
        person: {
          name: p.name,
          gender: p.gender,
          ethnicity: '汉族',
          politicalAffiliation: '中共党员',
          education: '大学本科',
          workUnit: p.work,
          composition: '其他',
          phone: p.phone,
          idNumber: id(p.birth, p.seq),
        },
        seat: {
          level: p.level,
          term: p.level === 'county' ? '第十八届' : '第十九届',
          township: p.township,
          constituency: `${p.township}第一选区`,
          certificateNo: `QS-${p.seq}`,
          ...(p.name === '陈秀兰' ? { startMethod: 'by_election', startDate: '2023-04-18' } : {}),
        },
      }),
    );
    seats[p.name] = created.seatId;
  }
  ctx.repo.update('seats', seats['王建国']!, { status: 'suspended' }, { summary: '暂停执行代表职务（测试）' });
  return seats;
}

/** Puts 李春梅's seat into a 代表小组 (through the repository). */
async function seed2(ctx: CoreContext): Promise<{ groupId: string }> {
  const groupId = ctx.repo.insert('deputy_groups', { name: '第一代表小组', level: 'township', township: '青山镇' });
  const seatId = ctx.db
    .prepare("SELECT s.id FROM seats s JOIN persons p ON p.id = s.person_id WHERE p.name = '李春梅'")
    .pluck()
    .get() as string;
  ctx.repo.update('seats', seatId, { group_id: groupId });
  return { groupId };
}

function saveFile(file: FileOutput, dir: string): string {
  const out = path.join(dir, file.fileName);
  fs.writeFileSync(out, Buffer.from(file.base64, 'base64'));
  return out;
}

describe('代表名册 export', () => {
  it('writes the official layout, masked by default, and openpyxl reads it back', async () => {
    const ctx = townshipContext();
    await seed(ctx);
    const dir = tempDir();
    const out = path.join(dir, 'roster.xlsx');
    const result = await exportRosterWorkbook(ctx, { level: 'township', term: '第十九届', status: 'active', unmasked: false }, out);
    expect(result).toEqual({ title: '青山镇第十九届人民代表大会代表名册', rows: 3, unmasked: false });
    // No half-written temp file is left beside it.
    expect(fs.readdirSync(dir)).toEqual(['roster.xlsx']);

    const sheet = readWithOpenpyxl(out);
    expect(sheet.rows[0]![0]).toBe('青山镇第十九届人民代表大会代表名册');
    expect(sheet.merged).toContain('A1:Q1');
    expect(sheet.rows[1]!.filter(Boolean)).toEqual(['制表单位：青山镇', '共 3 人', expect.stringMatching(/^制表日期：\d{4}年\d{1,2}月\d{1,2}日$/)]);
    expect(sheet.rows[2]).toEqual(HEADERS);
    expect(sheet.maxRow).toBe(3 + 3);
    expect(sheet.maxColumn).toBe(17);

    // Print settings: A4 landscape, fit to one page wide, header row on every page, page numbers.
    expect(sheet.print).toEqual({ orientation: 'landscape', paperSize: 9, fitToWidth: 1, fitToHeight: 0, fitToPage: true });
    expect(sheet.printTitleRows).toBe('$3:$3');
    expect(sheet.freezePanes).toBe('C4');
    expect(sheet.footer.center).toBe('第 &P 页 共 &N 页');
    expect(sheet.fonts.A1).toEqual({ name: '宋体', size: 18, bold: true });
    expect(sheet.fonts.A3).toMatchObject({ name: '宋体', bold: true });
    expect(sheet.fonts.A4).toMatchObject({ name: '仿宋', bold: false });
    expect(sheet.headerBorder).toEqual({ top: 'thin', bottom: 'thin', left: 'thin', right: 'thin' });

    // Rows: 序号 as a number, masked phone and ID, by-election and suspension in 备注.
    const byName = new Map(sheet.rows.slice(3).map((r) => [r[1], r]));
    expect(sheet.rows.slice(3).map((r) => r[0])).toEqual([1, 2, 3]);
    const li = byName.get('李春梅')!;
    expect(li).toEqual([
      expect.any(Number), '李春梅', '女', '汉族', '1978.05', '中共党员', '大学本科', '青山镇中心小学校长', '其他', '乡镇',
      '第十九届', '青山镇第一选区', '青山镇', 'QS-122', '138****5678', `430281********${id('19780512', '122').slice(-4)}`, null,
    ]);
    expect(byName.get('王建国')![16]).toBe('暂停执行代表职务');
    expect(byName.get('陈秀兰')![16]).toBe('2023-04-18补选');
    expect(byName.has('赵德胜')).toBe(false); // county level, filtered out

    const text = JSON.stringify(sheet.rows);
    for (const p of PEOPLE) {
      expect(text).not.toContain(p.phone);
      expect(text).not.toContain(id(p.birth, p.seq));
    }
    const audit = ctx.db.prepare("SELECT summary, after_json FROM audit_log WHERE action = 'export'").all() as { summary: string; after_json: string }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]!.summary).toContain('身份证号、电话已隐藏');
    expect(JSON.parse(audit[0]!.after_json)).toMatchObject({ report: 'roster', unmasked: false, rows: 3 });
  });

  it('gives full values only when asked, and audits the unmasked export as such', async () => {
    const ctx = townshipContext();
    await seed(ctx);
    const call = createDispatcher(ctx);
    const dir = tempDir();
    const file = ok<FileOutput>(await call('reports.rosterWorkbook', { level: ['township', 'county'], unmasked: true }));
    expect(file.mimeType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(file.fileName).toBe('青山镇人大代表名册（完整信息）.xlsx');
    const sheet = readWithOpenpyxl(saveFile(file, dir));
    expect(sheet.maxRow).toBe(3 + PEOPLE.length);
    // County before township, then township name.
    // County before township; then township, constituency and name, by stroke count (白 5 < 青 8; 王 4 < 李 7).
    expect(sheet.rows.slice(3).map((r) => [r[1], r[9]])).toEqual([
      ['赵德胜', '县'],
      ['陈秀兰', '乡镇'],
      ['王建国', '乡镇'],
      ['李春梅', '乡镇'],
    ]);
    const zhao = sheet.rows[3]!;
    expect(zhao[14]).toBe('13700002222');
    expect(zhao[15]).toBe(id('19651120', '031'));
    expect(typeof zhao[15]).toBe('string'); // an 18-digit number would lose its last digits

    const masked = ok<FileOutput>(await call('reports.rosterWorkbook', { level: 'county' }));
    const maskedSheet = readWithOpenpyxl(saveFile(masked, dir));
    expect(maskedSheet.rows[3]![14]).toBe('137****2222');
    expect(maskedSheet.rows[0]![0]).toBe('青山镇第十八届县人大代表名册');

    const audit = ctx.db
      .prepare("SELECT summary, after_json FROM audit_log WHERE action = 'export' ORDER BY id")
      .all() as { summary: string; after_json: string }[];
    expect(audit.map((a) => JSON.parse(a.after_json).unmasked)).toEqual([true, false]);
    expect(audit[0]!.summary).toContain('含完整公民身份号码和联系电话');
    expect(audit[0]!.summary).toContain('4 人');
  });

  it('exports ended seats only when asked, and an empty roster is still a valid workbook', async () => {
    const ctx = townshipContext();
    const seats = await seed(ctx);
    const call = createDispatcher(ctx);
    ctx.repo.update('seats', seats['李春梅']!, { status: 'ended', end_date: '2024-05-01', end_reason: '辞职被接受' });
    const dir = tempDir();
    const active = readWithOpenpyxl(saveFile(ok<FileOutput>(await call('reports.rosterWorkbook', {})), dir));
    expect(active.maxRow).toBe(3 + 3);
    const all = readWithOpenpyxl(saveFile(ok<FileOutput>(await call('reports.rosterWorkbook', { status: 'all', title: '全部代表' })), dir));
    expect(all.rows[0]![0]).toBe('全部代表');
    expect(all.maxRow).toBe(3 + 4);
    expect(all.rows.find((r) => r[1] === '李春梅')![16]).toBe('资格终止 2024-05-01 辞职被接受');

    const none = readWithOpenpyxl(saveFile(ok<FileOutput>(await call('reports.rosterWorkbook', { township: '没有这个镇' })), dir));
    expect(none.maxRow).toBe(3);
    expect(none.rows[2]).toEqual(HEADERS);
  });

  it('gives the print view the same rows, masked', async () => {
    const ctx = townshipContext();
    await seed(ctx);
    const sheet = ok<RosterSheet>(await createDispatcher(ctx)('reports.rosterSheet', { level: 'township', township: '青山镇' }));
    expect(sheet.title).toBe('青山镇第十九届人民代表大会代表名册');
    expect(sheet.columns).toEqual(HEADERS);
    expect(sheet.total).toBe(2);
    expect(sheet.rows.map((r) => r[1])).toEqual(['王建国', '李春梅']); // 姓氏笔画: 王 4, 李 7
    expect(JSON.stringify(sheet)).not.toContain('13812345678');
    expect(sheet.rows[1]![14]).toBe('138****5678');

    // The roster screen's 代表小组 filter narrows the printout too.
    const seats = await seed2(ctx);
    const group = ok<RosterSheet>(await createDispatcher(ctx)('reports.rosterSheet', { groupId: seats.groupId }));
    expect(group.rows.map((r) => r[1])).toEqual(['李春梅']);
  });

  it('counts people, not rows, when someone holds seats at two levels', async () => {
    const ctx = townshipContext();
    const seats = await seed(ctx);
    const li = ctx.repo.get('seats', seats['李春梅']!)!;
    ctx.repo.insert('seats', { person_id: li.person_id, level: 'county', term: '第十八届', township: '青山镇', status: 'current' });
    const call = createDispatcher(ctx);

    const both = { level: ['county', 'township'], township: '青山镇' };
    const sheet = ok<RosterSheet>(await call('reports.rosterSheet', both));
    expect(sheet.rows.map((r) => r[1]).sort()).toEqual(['李春梅', '李春梅', '王建国', '赵德胜']);
    expect([sheet.total, sheet.persons]).toEqual([4, 3]);
    const dir = tempDir();
    const book = readWithOpenpyxl(saveFile(ok<FileOutput>(await call('reports.rosterWorkbook', both)), dir));
    expect(book.rows[1]!.filter(Boolean)).toContain('共 3 人（4 个席位）');

    // One level and term: one seat each, the plain count.
    const township = ok<RosterSheet>(await call('reports.rosterSheet', { level: 'township', township: '青山镇' }));
    expect([township.total, township.persons]).toEqual([2, 2]);
  });

  it('a searched roster prints and exports exactly the rows the screen lists', async () => {
    const ctx = townshipContext();
    await seed(ctx);
    const call = createDispatcher(ctx);
    // Names, a certificate fragment in either case, phone digits with a space, too few digits for a phone, no match.
    for (const q of ['李', '春梅', 'QS-0', 'qs-0', '1381234', '138 1234', '0001', '03', '镇', '龘']) {
      const screen = ok<{ rows: { certificateNo: string | null }[] }>(await call('roster.list', { q, page: 1, pageSize: 100 }));
      const sheet = ok<RosterSheet>(await call('reports.rosterSheet', { q }));
      expect(sheet.rows.map((r) => r[13]).sort(), q).toEqual(screen.rows.map((r) => r.certificateNo).sort());
    }
  });

  it('the CLI writes the file, takes --level in Chinese (repeatable) and prints JSON', async () => {
    const ctx = townshipContext();
    await seed(ctx);
    const dir = tempDir();
    const out = path.join(dir, '名册.xlsx');
    const r = runCli(['roster', 'export', out, '--db', ctx.dbPath, '--level', '县', '--level', '乡镇', '--unmasked', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.json()).toEqual({ file: out, title: '青山镇人大代表名册', rows: 4, unmasked: true });
    const sheet = readWithOpenpyxl(out);
    expect(sheet.maxRow).toBe(3 + 4);
    expect(JSON.stringify(sheet.rows)).toContain('13812345678');

    const town = runCli(['roster', 'export', path.join(dir, 'b.xlsx'), '--db', ctx.dbPath, '--level', '乡镇', '--township', '白沙镇']);
    expect(town.status).toBe(0);
    expect(town.stdout).toContain('青山镇第十九届人民代表大会代表名册（白沙镇），共 1 人（身份证号和电话已隐藏）');

    const bad = runCli(['roster', 'export', path.join(dir, 'c.xlsx'), '--db', ctx.dbPath, '--level', '村']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--level “村”无法识别');
    expect(fs.existsSync(path.join(dir, 'c.xlsx'))).toBe(false);

    const badStatus = runCli(['roster', 'export', path.join(dir, 'd.xlsx'), '--db', ctx.dbPath, '--status', 'gone', '--json']);
    expect(badStatus.status).toBe(1);
    expect(badStatus.json()).toMatchObject({ error: { code: 'VALIDATION' } });
  }, 180_000);
});

describe('代表名册 export at county scale (demo data)', () => {
  it('has one row per active seat', async () => {
    const { generateDemo, ensureDemoOffice } = await import('../../electron/core/demo/index.js');
    const ctx = new CoreContext(path.join(tempDir(), 'county.sqlite'), { operator: '测试员' });
    ensureDemoOffice(ctx, 'county');
    generateDemo(ctx, { scale: 'county', seed: 7 });
    const expected = ctx.db
      .prepare("SELECT count(*) FROM seats WHERE deleted_at IS NULL AND status IN ('current', 'suspended')")
      .pluck()
      .get() as number;
    expect(expected).toBeGreaterThan(1500);
    const out = path.join(tempDir(), 'county.xlsx');
    const result = await exportRosterWorkbook(ctx, { status: 'active', unmasked: false }, out);
    expect(result.rows).toBe(expected);
    const sheet = readWithOpenpyxl(out, { maxRows: 5 });
    expect(sheet.maxRow).toBe(3 + expected);
    expect(sheet.rows[3]![0]).toBe(1);
  }, 240_000);
});
