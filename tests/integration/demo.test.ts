import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreContext } from '../../electron/core/context.js';
import { closeDatabase } from '../../electron/core/db/connection.js';
import { DEMO_TODAY } from '../../electron/core/demo/calendar.js';
import { DEMO_OFFICES, ensureDemoOffice, generateDemo, planDemo, type DemoSummary } from '../../electron/core/demo/index.js';
import { setupOffice } from '../../electron/core/office/service.js';
import { COMPOSITION_CATEGORIES, END_REASONS, ETHNIC_GROUPS, GRASSROOTS_CATEGORIES } from '../../shared/dictionaries.js';
import { checkIdNumber } from '../../shared/idcard.js';

/*
 * The demo generator on real SQLite files. Each database lives for the whole
 * describe block (generating a county takes a few seconds), so this file
 * manages its own temp folder instead of the per-test helper.
 */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'deputy-desk-demo-'));
const opened: string[] = [];
let counter = 0;

function freshContext(): CoreContext {
  const file = path.join(root, `demo-${++counter}.sqlite`);
  opened.push(file);
  return new CoreContext(file, { operator: '测试员' });
}

afterAll(() => {
  for (const file of opened) closeDatabase(file);
  fs.rmSync(root, { recursive: true, force: true });
});

type Row = Record<string, unknown>;
const all = (ctx: CoreContext, sql: string, ...params: unknown[]) => ctx.db.prepare(sql).all(...params) as Row[];
const one = (ctx: CoreContext, sql: string, ...params: unknown[]) => ctx.db.prepare(sql).pluck().get(...params) as number;

/** Seat and person content without ids or timestamps, sorted: equal for equal seeds. */
function content(ctx: CoreContext): string[] {
  return all(
    ctx,
    `SELECT p.name, p.gender, p.ethnicity, p.birth_date, p.native_place, p.political_affiliation, p.education, p.degree,
            p.work_unit, p.composition, p.phone, p.address, p.id_number, p.has_fixed_income, p.bank_name, p.bank_account,
            s.level, s.term, s.constituency, s.township, s.certificate_no, s.is_reelected, s.start_date, s.start_method,
            s.status, s.end_date, s.end_reason, s.note, g.name AS group_name, g.leader, st.name AS station_name,
            (SELECT group_concat(e.kind || ' ' || e.date || ' ' || coalesce(e.document_no, '') || ' ' || coalesce(e.reason, ''), '; ')
               FROM (SELECT * FROM seat_events WHERE seat_id = s.id ORDER BY date, kind) e) AS events
       FROM seats s JOIN persons p ON p.id = s.person_id
       LEFT JOIN deputy_groups g ON g.id = s.group_id LEFT JOIN liaison_stations st ON st.id = s.station_id`,
  )
    .map((r) => JSON.stringify(r))
    .sort();
}

/** The brief's multiset: (name, id_number, level, term, township, status). */
function keyRows(ctx: CoreContext): string[] {
  return all(ctx, 'SELECT p.name, p.id_number, s.level, s.term, s.township, s.status FROM seats s JOIN persons p ON p.id = s.person_id')
    .map((r) => Object.values(r).join('|'))
    .sort();
}

/** Checks every table against the change log and the office stamp. */
function expectBookkeeping(ctx: CoreContext, summary: DemoSummary): void {
  const office = ctx.requireOffice().officeCode;
  const tables = { persons: summary.persons, seats: summary.seats, deputy_groups: summary.groups, liaison_stations: summary.stations, seat_events: summary.seatEvents };
  for (const [table, n] of Object.entries(tables)) {
    expect(one(ctx, `SELECT count(*) FROM ${table}`), table).toBe(n);
    expect(one(ctx, `SELECT count(*) FROM ${table} WHERE origin_office IS NOT ? OR created_at IS NULL`, office), table).toBe(0);
    // One insert per row, for exactly these rows.
    expect(one(ctx, `SELECT count(*) FROM change_log WHERE entity = ? AND op = 'insert'`, table), table).toBe(n);
    expect(
      one(ctx, `SELECT count(*) FROM ${table} t LEFT JOIN change_log c ON c.entity = ? AND c.entity_id = t.id WHERE c.entity_id IS NULL`, table),
      table,
    ).toBe(0);
  }
  // The sequence stays gap-free.
  expect(one(ctx, 'SELECT max(seq) - min(seq) + 1 - count(*) FROM change_log WHERE origin_office = ?', office)).toBe(0);
  // A summary audit entry for the roster, none per row.
  const audit = all(ctx, "SELECT action, summary FROM audit_log WHERE action = 'demo'");
  expect(audit.some((a) => String(a.summary).includes(`席位 ${summary.seats} 个`))).toBe(true);
  expect(one(ctx, `SELECT count(*) FROM audit_log WHERE entity IN (${Object.keys(tables).map((t) => `'${t}'`).join(', ')})`)).toBe(0);
}

/** Every ID number is valid and agrees with the stored gender and birth date. */
function expectValidIdentities(ctx: CoreContext): void {
  const persons = all(ctx, 'SELECT * FROM persons');
  for (const p of persons) {
    const check = checkIdNumber(String(p.id_number));
    expect(check.ok, `${p.name} ${p.id_number}`).toBe(true);
    if (!check.ok) continue;
    expect(check.info.gender).toBe(p.gender);
    expect(check.info.birthDate).toBe(p.birth_date);
    const year = Number(String(p.birth_date).slice(0, 4));
    expect(year).toBeGreaterThanOrEqual(1955);
    expect(year).toBeLessThanOrEqual(1998);
    expect(String(p.phone)).toMatch(/^1[3-9]\d{9}$/);
    expect(ETHNIC_GROUPS as readonly unknown[]).toContain(p.ethnicity);
    expect(COMPOSITION_CATEGORIES as readonly unknown[]).toContain(p.composition);
    expect(String(p.name)).toMatch(/^[\u4e00-\u9fa5]{2,4}$/);
    // Party secretaries are party members.
    if (/书记/.test(String(p.work_unit))) expect(p.political_affiliation).toBe('中共党员');
    // Payments need an account exactly when there is no salary.
    if (p.has_fixed_income === 0) expect(String(p.bank_account)).toMatch(/^\d{19}$/);
    else expect(p.bank_account).toBeNull();
  }
  expect(new Set(persons.map((p) => p.id_number)).size).toBe(persons.length);
}

/** Lifecycle rows agree with the seats they describe. */
function expectConsistentLifecycle(ctx: CoreContext): void {
  const seats = all(ctx, 'SELECT * FROM seats');
  const events = all(ctx, 'SELECT * FROM seat_events');
  const bySeat = new Map<unknown, Row[]>();
  for (const e of events) bySeat.set(e.seat_id, [...(bySeat.get(e.seat_id) ?? []), e]);
  for (const s of seats) {
    const ev = bySeat.get(s.id) ?? [];
    expect(String(s.start_date) <= DEMO_TODAY).toBe(true);
    if (s.start_method === 'by_election') {
      expect(ev.filter((e) => e.kind === 'by_election')).toHaveLength(1);
      expect(ev.find((e) => e.kind === 'by_election')!.date).toBe(s.start_date);
      expect(s.is_reelected).toBe(0);
    }
    if (s.status === 'ended') {
      expect(String(s.end_date) > String(s.start_date)).toBe(true);
      if (s.end_reason !== '任期届满') {
        expect(END_REASONS as readonly unknown[]).toContain(s.end_reason);
        const ended = ev.find((e) => e.kind === 'ended');
        expect(ended).toMatchObject({ date: s.end_date, reason: s.end_reason, document_no: expect.stringMatching(/^.+〔20\d\d〕\d+号$/) });
      }
    }
    if (s.status === 'suspended') expect(ev.some((e) => e.kind === 'suspended')).toBe(true);
    for (const e of ev) expect(String(e.date) <= DEMO_TODAY && String(e.date) >= String(s.start_date)).toBe(true);
  }
  // 代表证号 unique within level + term; nobody holds two seats of one congress.
  expect(one(ctx, 'SELECT count(*) FROM (SELECT 1 FROM seats GROUP BY level, term, certificate_no HAVING count(*) > 1)')).toBe(0);
  expect(one(ctx, 'SELECT count(*) FROM (SELECT 1 FROM seats GROUP BY person_id, level, term HAVING count(*) > 1)')).toBe(0);
  // Groups of three or more serving deputies; serving seats of the current term sit in a group and a station.
  expect(
    one(ctx, "SELECT count(*) FROM deputy_groups g WHERE (SELECT count(*) FROM seats s WHERE s.group_id = g.id AND s.status <> 'ended') < 3"),
  ).toBe(0);
  expect(one(ctx, "SELECT count(*) FROM seats WHERE status <> 'ended' AND (group_id IS NULL OR station_id IS NULL)")).toBe(0);
}

const share = (n: number, d: number) => (d === 0 ? 0 : n / d);

describe('demo data, township scale', () => {
  let ctx: CoreContext;
  let summary: DemoSummary;
  const progress: [number, number][] = [];

  beforeAll(() => {
    ctx = freshContext();
    const office = ensureDemoOffice(ctx, 'township');
    expect(office).toMatchObject({ officeType: 'township', officeCode: DEMO_OFFICES.township.officeCode });
    summary = generateDemo(ctx, { scale: 'township', seed: 7, onProgress: (done, total) => progress.push([done, total]) });
  }, 120_000);

  it('is one township: ~50 township seats, 8–12 county deputies, a few holding both', () => {
    expect(summary.townships).toBe(1);
    expect(summary.seats).toBeGreaterThanOrEqual(53);
    expect(summary.seats).toBeLessThanOrEqual(70);
    const byLevel = Object.fromEntries(all(ctx, 'SELECT level, count(*) AS n FROM seats GROUP BY level').map((r) => [r.level, r.n]));
    expect(byLevel.township).toBeGreaterThanOrEqual(45);
    expect(byLevel.township).toBeLessThanOrEqual(56);
    expect(byLevel.county).toBeGreaterThanOrEqual(8);
    expect(byLevel.county).toBeLessThanOrEqual(12);
    expect(summary.persons).toBeLessThan(summary.seats);
    expect(one(ctx, 'SELECT count(DISTINCT township) FROM seats')).toBe(1);
    expect(one(ctx, "SELECT count(*) FROM seats WHERE township <> '青山镇'")).toBe(0);
    expect(summary.stations).toBeGreaterThanOrEqual(2);
    expect(summary.stations).toBeLessThanOrEqual(3);
    expect(summary.byElections).toBeGreaterThanOrEqual(1);
    expect(summary.endedSeats).toBeGreaterThanOrEqual(1);
  });

  it('writes valid people, consistent lifecycles and complete bookkeeping', () => {
    expectValidIdentities(ctx);
    expectConsistentLifecycle(ctx);
    expectBookkeeping(ctx, summary);
    // The office's area code is the ID numbers' area code (a few are born elsewhere).
    const local = one(ctx, "SELECT count(*) FROM persons WHERE id_number LIKE '436124%'");
    expect(share(local, summary.persons)).toBeGreaterThan(0.7);
  });

  it('gives every station a 负责人 who serves there and an office landline', () => {
    const stations = all(ctx, 'SELECT id, leader, phone FROM liaison_stations WHERE deleted_at IS NULL');
    for (const st of stations) {
      expect(st.phone).toMatch(/^0[3-9]\d{2}-2\d{7}$/);
      const members = all(
        ctx,
        `SELECT p.name FROM seats s JOIN persons p ON p.id = s.person_id WHERE s.station_id = ? AND s.status <> 'ended'`,
        st.id,
      ).map((r) => r.name);
      if (members.length > 0) expect(members).toContain(st.leader);
      else expect(st.leader).toBeNull();
    }
  });

  it('reports progress up to the number of rows written', () => {
    const total = summary.persons + summary.seats + summary.groups + summary.stations + summary.seatEvents;
    expect(progress[0]).toEqual([0, total]);
    expect(progress[progress.length - 1]).toEqual([total, total]);
  });

  it('gives the same data for the same seed and different data for another', () => {
    const again = freshContext();
    ensureDemoOffice(again, 'township');
    generateDemo(again, { scale: 'township', seed: 7 });
    expect(keyRows(again)).toEqual(keyRows(ctx));
    expect(content(again)).toEqual(content(ctx));

    const other = freshContext();
    ensureDemoOffice(other, 'township');
    generateDemo(other, { scale: 'township', seed: 8 });
    expect(keyRows(other)).not.toEqual(keyRows(ctx));
  }, 120_000);

  it('refuses a database that already has deputies, and one without an office', () => {
    expect(() => generateDemo(ctx, { scale: 'township', seed: 7 })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    const bare = freshContext();
    expect(() => generateDemo(bare, { scale: 'township' })).toThrow(expect.objectContaining({ code: 'NOT_INITIALIZED' }));
  });

  it('keeps an existing office and builds on its code and name', () => {
    const own = freshContext();
    setupOffice(own, { officeType: 'township', officeCode: '430281101', officeName: '白石镇' });
    expect(ensureDemoOffice(own, 'county')).toMatchObject({ officeCode: '430281101', officeName: '白石镇' });
    generateDemo(own, { scale: 'township', seed: 3 });
    expect(all(own, 'SELECT DISTINCT township FROM seats')).toEqual([{ township: '白石镇' }]);
    expect(one(own, "SELECT count(*) FROM persons WHERE id_number NOT LIKE '43%'")).toBe(0);
    expect(one(own, "SELECT count(*) FROM seats WHERE certificate_no LIKE '430281101-%'")).toBeGreaterThan(40);
  });
});

describe('demo data, county scale', () => {
  let ctx: CoreContext;
  let summary: DemoSummary;

  beforeAll(() => {
    ctx = freshContext();
    expect(ensureDemoOffice(ctx, 'county')).toMatchObject({ officeType: 'county', officeCode: '436124' });
    summary = generateDemo(ctx, { scale: 'county', seed: 2021 });
    // Generous: the generator also writes funds, subsidies and scoring data, and CI machines are slow.
  }, 300_000);

  it('has the size of a county', () => {
    expect(summary.seats).toBeGreaterThanOrEqual(2700);
    expect(summary.seats).toBeLessThanOrEqual(3400);
    expect(summary.townships).toBeGreaterThanOrEqual(15);
    expect(summary.townships).toBeLessThanOrEqual(30);
    expect(summary.stations).toBeGreaterThanOrEqual(40);
    expect(summary.stations).toBeLessThanOrEqual(180);
    const current = (level: string) => one(ctx, "SELECT count(*) FROM seats WHERE level = ? AND coalesce(end_reason, '') <> '任期届满'", level);
    expect(current('county')).toBeGreaterThanOrEqual(250);
    expect(current('county')).toBeLessThanOrEqual(300);
    expect(current('township')).toBeGreaterThanOrEqual(2000);
    expect(current('township')).toBeLessThanOrEqual(3000);
    expect(current('city')).toBeGreaterThan(0);
    // The previous county congress, ended at this term's election.
    expect(summary.previousTermSeats).toBeGreaterThan(200);
    expect(one(ctx, "SELECT count(DISTINCT term) FROM seats WHERE level = 'county'")).toBe(2);
  });

  it('has realistic lifecycle shares', () => {
    const current = summary.seats - summary.previousTermSeats;
    expect(share(summary.byElections, current)).toBeGreaterThanOrEqual(0.028);
    expect(share(summary.byElections, current)).toBeLessThanOrEqual(0.052);
    expect(share(summary.endedSeats, current)).toBeGreaterThanOrEqual(0.018);
    expect(share(summary.endedSeats, current)).toBeLessThanOrEqual(0.035);
    expect(share(summary.suspendedSeats, current)).toBeGreaterThan(0);
    expect(share(summary.suspendedSeats, current)).toBeLessThanOrEqual(0.008);
    expect(one(ctx, "SELECT count(*) FROM seat_events WHERE kind = 'by_election'")).toBe(summary.byElections);
    // 连任 county deputies really sat in the previous congress.
    const reelected = all(
      ctx,
      `SELECT s.person_id, (SELECT count(*) FROM seats o WHERE o.person_id = s.person_id AND o.level = 'county' AND o.term <> s.term) AS before
         FROM seats s WHERE s.level = 'county' AND s.is_reelected = 1 AND coalesce(s.end_reason, '') <> '任期届满'`,
    );
    expect(reelected.length).toBeGreaterThan(60);
    expect(reelected.every((r) => r.before === 1)).toBe(true);
    const general = one(ctx, "SELECT count(*) FROM seats WHERE level = 'county' AND start_method = 'general' AND coalesce(end_reason, '') <> '任期届满'");
    expect(share(reelected.length, general)).toBeGreaterThanOrEqual(0.29);
    expect(share(reelected.length, general)).toBeLessThanOrEqual(0.41);
  });

  it('has the composition a county reports', () => {
    const stats = (level: string) => {
      const rows = all(
        ctx,
        `SELECT p.* FROM seats s JOIN persons p ON p.id = s.person_id WHERE s.level = ? AND coalesce(s.end_reason, '') <> '任期届满'`,
        level,
      );
      const n = rows.length;
      const count = (f: (r: Row) => boolean) => share(rows.filter(f).length, n);
      return {
        grassroots: count((r) => GRASSROOTS_CATEGORIES.includes(String(r.composition))),
        women: count((r) => r.gender === '女'),
        minorities: count((r) => r.ethnicity !== '汉族'),
        cpc: count((r) => r.political_affiliation === '中共党员'),
        college: count((r) => ['大专', '大学本科', '硕士研究生', '博士研究生'].includes(String(r.education))),
        noIncomeFarmers: share(rows.filter((r) => r.composition === '农民' && r.has_fixed_income === 0).length, rows.filter((r) => r.composition === '农民').length),
      };
    };
    const county = stats('county');
    const township = stats('township');
    expect(county.grassroots).toBeGreaterThan(0.45);
    expect(county.grassroots).toBeLessThan(0.6);
    expect(township.grassroots).toBeGreaterThan(0.68);
    expect(township.grassroots).toBeLessThan(0.84);
    expect(county.women).toBeGreaterThan(0.25);
    expect(county.women).toBeLessThan(0.42);
    expect(county.minorities).toBeGreaterThan(0.03);
    expect(county.minorities).toBeLessThan(0.2);
    expect(county.cpc).toBeGreaterThan(0.62);
    expect(county.cpc).toBeLessThan(0.8);
    expect(county.college).toBeGreaterThan(township.college);
    expect(township.noIncomeFarmers).toBeGreaterThan(0.8);
    // Some deputies sit in both the county and their township's congress.
    expect(one(ctx, "SELECT count(*) FROM (SELECT person_id FROM seats WHERE term IN ('第十八届', '第十九届') GROUP BY person_id HAVING count(*) > 1)")).toBeGreaterThan(20);
  });

  it('writes valid people, consistent lifecycles and complete bookkeeping', () => {
    expectValidIdentities(ctx);
    expectConsistentLifecycle(ctx);
    expectBookkeeping(ctx, summary);
  }, 60_000);
});

describe('demo plan', () => {
  const office = DEMO_OFFICES.county;
  const project = (seed: number) =>
    planDemo(office, 'county', seed).seats.map((s) =>
      [s.person.name, s.person.idNumber, s.level, s.term.name, s.township.name, s.status, s.certificateNo, s.group?.name, s.station?.name, s.events.map((e) => e.documentNo).join()].join('|'),
    );

  it('is a pure function of office, scale and seed', () => {
    const a = project(99);
    expect(project(99)).toEqual(a);
    expect(project(100)).not.toEqual(a);
  }, 60_000);
});
