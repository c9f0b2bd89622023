import path from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { CoreContext } from '../../electron/core/context.js';
import { closeAllDatabases } from '../../electron/core/db/connection.js';
import { loadMigrations, migrate } from '../../electron/core/db/migrate.js';
import { importRosterFile } from '../../electron/core/roster/import/index.js';
import { rebuildSearch, withSearchKept } from '../../electron/core/roster/search.js';
import { listSeats, type RosterQuery } from '../../electron/core/roster/service.js';
import { LEVELS, SEAT_STATUSES } from '../../shared/dictionaries.js';
import { addDeputy, editRow, network, send } from '../helpers/handoff.js';
import { caller } from '../helpers/scoringFixture.js';
import { tempDir, townshipContext } from '../helpers/tmp.js';

/**
 * The roster's text search (migration 0008: search tables kept by triggers)
 * against a plain reading of its rules over persons and seats: the text in
 * the certificate number, in the name (unless it is all digits), or in the
 * phone number (digits only, 4 or more; spaces dropped); the filters; list
 * order (status, level, township, term, entry order) and the total.
 */
interface Plain {
  rowid: number;
  id: string;
  status: string;
  level: string;
  township: string | null;
  term: string;
  certificate_no: string | null;
  group_id: string | null;
  station_id: string | null;
  name: string;
  phone: string | null;
}

const STATUS_ORDER = ['current', 'suspended', 'ended'];

/** SQLite compares text by code point (BINARY on UTF-8); JavaScript's < by UTF-16 unit. */
function byCodePoint(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

function expected(ctx: CoreContext, q: RosterQuery): { total: number; ids: string[] } {
  const rows = ctx.db
    .prepare(
      `SELECT s.rowid, s.id, s.status, s.level, s.township, s.term, s.certificate_no, s.group_id, s.station_id, p.name, p.phone
       FROM seats s JOIN persons p ON p.id = s.person_id WHERE s.deleted_at IS NULL`,
    )
    .all() as Plain[];
  const statuses = q.status === 'all' ? STATUS_ORDER : q.status === 'active' ? ['current', 'suspended'] : [q.status];
  const text = q.q;
  const digits = text ? /^[\d\s\-+]+$/.test(text) : false;
  const found = rows.filter((s) => {
    if (!statuses.includes(s.status)) return false;
    if (q.level && s.level !== q.level) return false;
    if (q.township && s.township !== q.township) return false;
    if (q.term && s.term !== q.term) return false;
    if (q.groupId && s.group_id !== q.groupId) return false;
    if (q.stationId && s.station_id !== q.stationId) return false;
    if (!text) return true;
    if (s.certificate_no?.includes(text)) return true;
    if (!digits) return s.name.includes(text);
    const phone = text.replace(/\s/g, '');
    return text.replace(/\D/g, '').length >= 4 && (s.phone?.includes(phone) ?? false);
  });
  found.sort(
    (a, b) =>
      STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
      LEVELS.indexOf(a.level as never) - LEVELS.indexOf(b.level as never) ||
      byCodePoint(a.township, b.township) ||
      byCodePoint(a.term, b.term) ||
      a.rowid - b.rowid,
  );
  const from = (q.page - 1) * q.pageSize;
  return { total: found.length, ids: found.slice(from, from + q.pageSize).map((s) => s.id) };
}

function listed(ctx: CoreContext, q: RosterQuery): { total: number; ids: string[] } {
  const page = listSeats(ctx, q);
  return { total: page.total, ids: page.rows.map((r) => r.seatId) };
}

function query(input: Partial<RosterQuery>): RosterQuery {
  return { status: 'active', page: 1, pageSize: 50, ...input };
}

/** Every text with every filter: the list and the plain reading agree. */
function expectSearchesRight(ctx: CoreContext, texts: string[]): number {
  const one = (sql: string) => (ctx.db.prepare(sql).pluck().all() as (string | null)[]).filter((v): v is string => v !== null);
  const townships = one('SELECT DISTINCT township FROM seats');
  const terms = one('SELECT DISTINCT term FROM seats');
  const groups = one('SELECT DISTINCT group_id FROM seats');
  const stations = one('SELECT DISTINCT station_id FROM seats');
  const filters: Partial<RosterQuery>[] = [
    {},
    ...(['all', ...SEAT_STATUSES] as const).map((status) => ({ status })),
    ...LEVELS.map((level) => ({ level })),
    ...townships.map((township) => ({ township })),
    ...terms.map((term) => ({ term })),
    ...groups.map((groupId) => ({ groupId })),
    ...stations.map((stationId) => ({ stationId })),
    { level: 'township', township: townships[0] },
    { level: 'county', term: terms[0], status: 'all' },
    { pageSize: 2, page: 2 },
    { pageSize: 1, page: 3, status: 'all' },
  ];
  let nonEmpty = 0;
  for (const q of texts) {
    for (const f of filters) {
      const input = query({ q, ...f });
      const want = expected(ctx, input);
      expect(listed(ctx, input), JSON.stringify(input)).toEqual(want);
      if (want.total > 0) nonEmpty++;
    }
  }
  return nonEmpty;
}

/** The search tables as the triggers left them, and as a rebuild from persons and seats makes them. */
function expectTriggersMatchRebuild(ctx: CoreContext): void {
  const snapshot = () => ({
    chars: ctx.db.prepare('SELECT * FROM search_name_chars ORDER BY seat_rowid, ch').all(),
    pending: ctx.db.prepare('SELECT * FROM search_name_pending ORDER BY seat_rowid').all(),
    certificates: ctx.db.prepare(`SELECT rowid FROM search_certificates WHERE search_certificates MATCH '"QS-" OR "-00" OR "山李字"' ORDER BY rowid`).pluck().all(),
    phones: ctx.db.prepare(`SELECT rowid FROM search_phones WHERE search_phones MATCH '"138" OR "139" OR "000"' ORDER BY rowid`).pluck().all(),
  });
  const kept = snapshot();
  ctx.db.transaction(() => rebuildSearch(ctx.db))();
  expect(kept).toEqual(snapshot());
}

const TEXTS = [
  '李', '王', '李明', '明', '李李', '四', '青山李', '李字', '·', '阿依', '古丽', '张三丰', '龘', '李龘',
  'QS', 'QS-00', 'QS-0', 'qs', 'S-', '-00', '00', '0', '1', '2021-008', '七号', '第',
  '1380000', '0000111', '5678', '138', '1381', '1381 2345', '138 1234 5678', '13812345678', '+86', '-', '9999', 'xyz',
];

function setup() {
  const ctx = townshipContext();
  return { ctx, call: caller(ctx) };
}

/** A small roster with the awkward cases: shared characters, a Chinese certificate number, no township, every level and status. */
async function roster(call: ReturnType<typeof setup>['call']) {
  const group = (await call('groups.create', { name: '第一代表小组', township: '青山镇' })).id;
  const station = (await call('stations.create', { name: '青山镇联络站', township: '青山镇' })).id;
  const seats: Record<string, string> = {};
  const add = async (name: string, phone: string | undefined, seat: Record<string, unknown>) => {
    const r = await call('roster.create', {
      person: { name, phone },
      seat: { level: 'township', term: '第十九届', township: '青山镇', ...seat } as never,
    });
    seats[name] = r.seatId;
    return r;
  };
  await add('李明', '13800001111', { certificateNo: 'QS-001', groupId: group });
  await add('张李', '13812345678', { certificateNo: 'QS-002', township: '石门乡' });
  await add('王五', undefined, { certificateNo: '青山李字003', stationId: station });
  await add('李四', '139 0000 2222', { certificateNo: '李004', groupId: group });
  await add('赵六', '+86 139 0000 1111', { certificateNo: 'QS-005', stationId: station });
  await add('李县', '13900009999', { level: 'county', term: '第十八届', township: undefined, certificateNo: '2021-008' });
  await add('李李', '13700000000', { level: 'county', term: '第十八届', certificateNo: 'qs-007' });
  await add('阿依古丽·买买提', '13600001234', { level: 'city', term: '第十七届', certificateNo: '七号' });
  await add('张三丰', null as never, { level: 'province', township: undefined, term: '第十四届' });
  await add('王明', '13812340000', { level: 'national', township: undefined, term: '第十四届', certificateNo: 'QG-14-0001' });
  const ended = await add('李终', '13800000000', {});
  await call('roster.endSeat', { seatId: ended.seatId, date: '2024-01-01', reason: '死亡' });
  const suspended = await add('王暂', '13811110000', { certificateNo: 'QS-0099' });
  await call('roster.suspend', { seatId: suspended.seatId, date: '2024-01-01', reason: '因刑事案件被羁押正在受侦查、起诉、审判' });
  const removed = await add('李删', '13800002222', { certificateNo: 'QS-003' });
  await call('roster.remove', { seatId: removed.seatId });
  return { group, station, seats };
}

describe('roster text search (migration 0008)', () => {
  it('finds names, phones and certificate numbers with every filter, in list order, with the right totals', async () => {
    const { ctx, call } = setup();
    await roster(call);
    expect(expectSearchesRight(ctx, TEXTS)).toBeGreaterThan(200);
    expectTriggersMatchRebuild(ctx);
    // The trigram tables took the certificate and phone numbers.
    expect(ctx.db.prepare(`SELECT count(*) FROM search_certificates WHERE search_certificates MATCH '"QS-"'`).pluck().get()).toBe(5); // the removed seat's too: the list leaves it out
  });

  it('follows edits: names, phones, certificate numbers, level, township, term, status, removal', async () => {
    const { ctx, call } = setup();
    const { seats, group } = await roster(call);
    const detail = await call('roster.get', { seatId: seats['李明']! });
    const person = { name: '周明', phone: '15000001111' };
    await call('roster.update', {
      seatId: seats['李明']!,
      person,
      seat: { level: 'county', term: '第十八届', township: '石门乡', certificateNo: 'ZZ-123', groupId: group },
    });
    expect(detail.person.name).toBe('李明');
    await call('roster.update', {
      seatId: seats['王五']!,
      person: { name: '王五' },
      seat: { level: 'township', term: '第二十届', township: '白兔潭镇', certificateNo: null },
    });
    await call('roster.restore', { seatId: seats['王暂']!, date: '2024-06-01' });
    await call('roster.resign', { seatId: seats['赵六']!, date: '2024-06-01' });
    await call('roster.remove', { seatId: seats['张李']! });
    // A second seat for a person: both seats carry the person's name, and a rename reaches both.
    const liSi = (await call('roster.get', { seatId: seats['李四']! })).person.id;
    await call('roster.byElection', { personId: liSi, seat: { level: 'county', term: '第十八届', township: '青山镇' }, date: '2024-03-01' });
    editRow(ctx, 'persons', liSi, { name: '孙四', phone: '13811112222' });

    const texts = [...TEXTS, '周明', '周', 'ZZ', 'ZZ-1', '1500000', '孙四', '孙', '1111 2222'];
    expect(listed(ctx, query({ q: '李明' })).total).toBe(0);
    expect(listed(ctx, query({ q: '周明' })).ids).toEqual([seats['李明']]);
    expect(listed(ctx, query({ q: '孙四' })).total).toBe(2);
    expect(listed(ctx, query({ q: '李四' })).total).toBe(0);
    expectSearchesRight(ctx, texts);
    expectTriggersMatchRebuild(ctx);
  });

  it('finds rows a roster import wrote, rebuilt at the end of a big import or kept row by row in a small one', async () => {
    const { ctx, call } = setup();
    const workbook = async (rows: [string, string, string, string][], name: string) => {
      const file = path.join(tempDir(), name);
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('乡镇代表');
      ws.addRow(['序号', '姓名', '层级', '届次', '所属乡镇', '联系电话', '代表证号']);
      rows.forEach(([n, phone, township, cert], i) => ws.addRow([i + 1, n, '乡镇', '第十九届', township, phone, cert]));
      await wb.xlsx.writeFile(file);
      return file;
    };
    const surnames = '李王张刘陈杨黄赵周吴';
    const big = Array.from({ length: 600 }, (_, i) => [
      `${surnames[i % 10]}${'明华强军'[i % 4]}${i}`,
      `139${String(i).padStart(8, '0')}`,
      i % 3 ? '青山镇' : '石门乡',
      `QS-${String(i).padStart(4, '0')}`,
    ]) as [string, string, string, string][];
    // 600 new seats into an empty roster: the search tables are rebuilt once (no triggers while it writes).
    const first = await importRosterFile(ctx, await workbook(big, 'big.xlsx'));
    expect(first.imported).toBe(600);
    await roster(call);
    // 3 more into 613: kept by the triggers.
    const small = await importRosterFile(
      ctx,
      await workbook(
        [
          ['李小导', '13500001111', '青山镇', 'DR-001'],
          ['欧阳导', '13500002222', '石门乡', 'DR-002'],
          ['导', '13500003333', '青山镇', 'DR-003'],
        ],
        'small.xlsx',
      ),
    );
    expect(small.imported).toBe(3);
    const triggers = ctx.db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search%'").pluck().get();
    expect(triggers).toBe(9);
    expect(listed(ctx, query({ q: '导' })).total).toBe(3);
    expect(listed(ctx, query({ q: '李明' })).total).toBe(31); // 李明0, 李明20, … 李明580 and roster()'s 李明
    expectSearchesRight(ctx, [...TEXTS, '导', '欧阳', 'DR-00', '1350000', '明1', '华22', 'QS-05', '00000599']);
    expectTriggersMatchRebuild(ctx);
  });

  it('finds rows the USB handoff wrote directly, also a seat that arrived before its person', async () => {
    const { county, townships } = network(1);
    const township = townships[0]!;
    const made = await addDeputy(township, { name: '李交', phone: '13812345000' });
    await addDeputy(township, { name: '王交', phone: '13812345001' }, { township: '石门乡' });
    await send(township, county);
    expect(listed(county, query({ q: '交' })).total).toBe(2);
    expect(listed(county, query({ q: '2345000' })).ids).toEqual([made.seatId]);
    // An edit at the township travels: the county's search follows.
    editRow(township, 'persons', made.personId, { name: '赵交' });
    await send(township, county);
    expect(listed(county, query({ q: '李交' })).total).toBe(0);
    expect(listed(county, query({ q: '赵交' })).ids).toEqual([made.seatId]);
    expectSearchesRight(county, ['交', '李', '赵交', '1381234', '2345001', '石门']);
    expectTriggersMatchRebuild(county);

    // References are checked at commit: a seat may be written before its person.
    const db = county.db;
    db.transaction(() => {
      db.pragma('defer_foreign_keys = ON');
      const now = new Date().toISOString();
      db.prepare(
        `INSERT INTO seats (id, person_id, level, term, township, certificate_no, origin_office, created_at, updated_at)
         VALUES ('seat-early', 'person-late', 'township', '第十九届', '青山镇', 'EARLY-1', '430281101', ?, ?)`,
      ).run(now, now);
      expect(db.prepare('SELECT person_id FROM search_name_pending').pluck().all()).toEqual(['person-late']);
      db.prepare(
        `INSERT INTO persons (id, name, phone, origin_office, created_at, updated_at) VALUES ('person-late', '钱迟到', '13700007777', '430281101', ?, ?)`,
      ).run(now, now);
    })();
    expect(db.prepare('SELECT count(*) FROM search_name_pending').pluck().get()).toBe(0);
    expect(listed(county, query({ q: '迟到' })).ids).toEqual(['seat-early']);
    expect(listed(county, query({ q: 'EARLY' })).ids).toEqual(['seat-early']);
    expect(listed(county, query({ q: '0007777' })).ids).toEqual(['seat-early']);
    expectTriggersMatchRebuild(county);
  });

  it('fills the search tables of an existing database when it is migrated (0008), and keeps them through a backup copy', async () => {
    const file = path.join(tempDir(), 'old.sqlite');
    const raw = new Database(file);
    migrate(raw, ':memory:', loadMigrations().slice(0, 7));
    const now = new Date().toISOString();
    const person = raw.prepare('INSERT INTO persons (id, name, phone, origin_office, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
    const seat = raw.prepare(
      `INSERT INTO seats (id, person_id, level, term, township, certificate_no, status, deleted_at, origin_office, created_at, updated_at)
       VALUES (?, ?, ?, '第十九届', ?, ?, ?, ?, '430281101', ?, ?)`,
    );
    raw.transaction(() => {
      for (let i = 0; i < 40; i++) {
        person.run(`p${i}`, `${'李王张'[i % 3]}${'一二三四'[i % 4]}${i % 7 ? '' : '李'}`, i % 5 ? `1380000${String(i).padStart(4, '0')}` : null, '430281101', now, now);
        seat.run(
          `s${i}`,
          `p${i}`,
          i % 4 ? 'township' : 'county',
          i % 6 ? '青山镇' : null,
          i % 9 ? `QS-${i}` : null,
          ['current', 'suspended', 'ended'][i % 3],
          i === 13 ? now : null,
          now,
          now,
        );
      }
    })();
    raw.close();
    const ctx = new CoreContext(file, { operator: '测试员' });
    expect(ctx.db.pragma('user_version', { simple: true })).toBe(loadMigrations().length);
    const texts = ['李', '李一', '王', '二', 'QS-1', 'QS-', '0000001', '00012', '三李', 'S'];
    expectSearchesRight(ctx, texts);
    expectTriggersMatchRebuild(ctx);

    // A backup is a VACUUM INTO copy: the rowids the search tables keep are the same there.
    const copy = path.join(tempDir(), 'copy.sqlite');
    ctx.db.prepare('VACUUM INTO ?').run(copy);
    closeAllDatabases();
    const restored = new CoreContext(copy, { operator: '测试员' });
    expectSearchesRight(restored, texts);
  });

  it('withSearchKept rebuilds only for writes that add at least half as many rows, and refuses to run outside a transaction', async () => {
    const { ctx, call } = setup();
    await roster(call);
    expect(() => withSearchKept(ctx.db, { persons: 1000, seats: 1000 }, () => 0)).toThrow(/transaction/);
    const triggersDuring = (adding: number) =>
      ctx.db.transaction(() =>
        withSearchKept(ctx.db, { persons: adding, seats: adding }, () =>
          ctx.db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search%'").pluck().get(),
        ),
      )();
    expect(triggersDuring(10)).toBe(9);
    expect(triggersDuring(1000)).toBe(0);
    // A write that fails in a transaction its caller still commits leaves the triggers in place.
    ctx.db.transaction(() => {
      expect(() =>
        withSearchKept(ctx.db, { persons: 1000, seats: 1000 }, () => {
          throw new Error('boom');
        }),
      ).toThrow('boom');
    })();
    expect(ctx.db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search%'").pluck().get()).toBe(9);
    expect(ctx.db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'search_name_chars_find'").pluck().get()).toBe(1);
    expectSearchesRight(ctx, ['李', 'QS-0', '13800']);
  });
});
