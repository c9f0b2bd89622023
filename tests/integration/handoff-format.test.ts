import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CoreContext } from '../../electron/core/context.js';
import { latestSchemaVersion } from '../../electron/core/db/migrate.js';
import { nodeIo, type PackageIo } from '../../electron/core/handoff/files.js';
import { checkCipherParams, decryptChunks, deriveKeys, encryptChunks, readEnvelope } from '../../electron/core/handoff/format.js';
import { upgradeChanges } from '../../electron/core/handoff/upgrade.js';
import {
  addDeputy,
  canonicalDump,
  COUNTY,
  dataDump,
  exportFor,
  failure,
  FAST_KDF,
  idNumber,
  importInto,
  office,
  pair,
  PASS,
} from '../helpers/handoff.js';
import { tempDir } from '../helpers/tmp.js';

/** Everything an import could touch, to prove a refused package changed nothing. */
function state(ctx: CoreContext): string {
  const count = (t: string) => ctx.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get();
  return JSON.stringify({
    dump: canonicalDump(ctx),
    log: count('change_log'),
    history: count('handoff_history'),
    conflicts: count('handoff_conflicts'),
    holdings: ctx.db.prepare('SELECT * FROM handoff_holdings ORDER BY 1, 2').all(),
    acks: ctx.db.prepare('SELECT * FROM handoff_peer_acks ORDER BY 1, 2, 3').all(),
  });
}

const PERSONS = [
  { name: '欧阳秀英', phone: '13907331234', idNumber: idNumber('19700305', '102'), bankAccount: '6217003320001234567', address: '青山镇石桥村七组' },
  { name: '李建国', phone: '15873351122', idNumber: idNumber('19651120', '031'), bankAccount: '6228480010987654321' },
];

/** A township with a few deputies, paired with the county; enough data for several 1 KiB chunks. */
async function townshipWithData(): Promise<{ county: CoreContext; township: CoreContext }> {
  const county = office(COUNTY.code, COUNTY.name);
  const township = office('430281101', '青山镇');
  pair(county, township);
  for (const p of PERSONS) await addDeputy(township, p);
  for (let i = 0; i < 40; i++) await addDeputy(township, { name: `代表${i}号`, phone: `1380000${String(i).padStart(4, '0')}` });
  return { county, township };
}

async function expectRefused(ctx: CoreContext, bytes: Buffer, code?: string | string[], passphrase?: string) {
  const before = state(ctx);
  const err = await failure(importInto(ctx, { bytes }, { passphrase }));
  if (code) expect([code].flat()).toContain(err.code);
  expect(state(ctx)).toBe(before);
  return err;
}

describe('handoff package format', () => {
  it('idempotency: the same package twice changes nothing (byte-identical canonical dump)', async () => {
    const { county, township } = await townshipWithData();
    const pkg = await exportFor(township, county);
    const first = await importInto(county, pkg);
    expect(first.status).toBe('applied');
    expect(first.new).toBe(84); // 42 persons + 42 seats
    expect(dataDump(county, '430281101') === dataDump(township, '430281101')).toBe(true);
    const dump = canonicalDump(county);
    const log = county.db.prepare('SELECT count(*) FROM change_log').pluck().get();
    const again = await importInto(county, pkg);
    expect(again.status).toBe('already-imported');
    expect(again.new + again.updated + again.deleted).toBe(0);
    expect(canonicalDump(county)).toBe(dump);
    expect(county.db.prepare('SELECT count(*) FROM change_log').pluck().get()).toBe(log);
  });

  it('truncation at many offsets, including exactly at a chunk boundary and a missing final chunk', async () => {
    const { county, township } = await townshipWithData();
    const { bytes } = await exportFor(township, county, { chunkSize: 1024 });
    const { header } = readEnvelope(bytes);
    expect(header.cipher.chunkCount).toBeGreaterThan(3);
    const payloadStart = bytes.length - header.payload.bytes;
    const boundaries = Array.from({ length: header.cipher.chunkCount - 1 }, (_, k) => payloadStart + (k + 1) * (1024 + 16));
    const missingFinalChunk = boundaries[boundaries.length - 1]!;
    const offsets = [1, 4, 8, 9, 12, 13, 100, payloadStart - 64, payloadStart - 1, payloadStart, payloadStart + 1, ...boundaries,
      missingFinalChunk, bytes.length - 16, bytes.length - 1];
    for (const at of offsets) {
      await expectRefused(county, bytes.subarray(0, at), 'PACKAGE_INVALID');
    }
    // The whole file still imports afterwards.
    expect((await importInto(county, { bytes })).status).toBe('applied');
  });

  it('the chunk cipher itself refuses a missing final chunk, a cut at a chunk boundary and swapped chunks', async () => {
    const keys = await deriveKeys(PASS, Buffer.alloc(16, 7), FAST_KDF);
    const nonce = Buffer.alloc(12, 3);
    const aad = Buffer.from('package');
    const plain = Buffer.from('x'.repeat(5000));
    const enc = await encryptChunks(plain, keys.enc, nonce, 1024, aad);
    expect(decryptChunks(enc, keys.enc, nonce, 1024, 5, aad).equals(plain)).toBe(true);
    const chunk = 1024 + 16;
    expect(() => decryptChunks(enc.subarray(0, 4 * chunk), keys.enc, nonce, 1024, 4, aad)).toThrow(/解密校验未通过/);
    expect(() => decryptChunks(enc.subarray(0, 4 * chunk), keys.enc, nonce, 1024, 5, aad)).toThrow();
    const swapped = Buffer.concat([enc.subarray(chunk, 2 * chunk), enc.subarray(0, chunk), enc.subarray(2 * chunk)]);
    expect(() => decryptChunks(swapped, keys.enc, nonce, 1024, 5, aad)).toThrow(/第 1\/5 段/);
  });

  it('one flipped bit in header, payload and signature', async () => {
    const { county, township } = await townshipWithData();
    const { bytes } = await exportFor(township, county, { chunkSize: 1024 });
    const env = readEnvelope(bytes);
    const headerStart = 13;
    const headerEnd = headerStart + bytes.readUInt32BE(9);
    const sigStart = headerEnd + 2;
    const payloadStart = sigStart + 64;
    const flip = (at: number, bit: number) => {
      const copy = Buffer.from(bytes);
      copy[at] = copy[at]! ^ (1 << bit);
      return copy;
    };
    const spread = (from: number, to: number, n: number) => Array.from({ length: n }, (_, i) => from + Math.floor(((to - from) * i) / n));
    for (const at of [0, 8, 9, 12, ...spread(headerStart, headerEnd, 25)]) {
      await expectRefused(county, flip(at, at % 8), ['PACKAGE_INVALID', 'BAD_SIGNATURE', 'PACKAGE_NEWER', 'UNKNOWN_SIGNER']);
    }
    for (const at of spread(sigStart, payloadStart, 12)) {
      await expectRefused(county, flip(at, at % 8), at < sigStart ? 'PACKAGE_INVALID' : 'BAD_SIGNATURE');
    }
    for (const at of [...spread(payloadStart, bytes.length, 25), bytes.length - 1]) {
      const err = await expectRefused(county, flip(at, at % 8), 'PACKAGE_INVALID');
      expect(err.message).toMatch(/损坏/);
    }
    expect(env.header.changes).toBeGreaterThan(0);
    expect((await importInto(county, { bytes })).status).toBe('applied');
    // A damaged copy of a package already imported is still reported as damaged, not as "already imported".
    await expectRefused(county, flip(bytes.length - 100, 3), 'PACKAGE_INVALID');
  });

  it('empty, random and renamed files', async () => {
    const { county, township } = await townshipWithData();
    expect((await expectRefused(county, Buffer.alloc(0), 'PACKAGE_INVALID')).message).toMatch(/空/);
    let seed = 42;
    const random = Buffer.from(Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff));
    expect((await expectRefused(county, random, 'PACKAGE_INVALID')).message).toMatch(/不是数据交换包/);
    const notAPackage = Buffer.from('PK\x03\x04 a spreadsheet renamed to .ddpkg');
    await expectRefused(county, notAPackage, 'PACKAGE_INVALID');
    // A real package under another name (a clerk renamed it) imports: the name means nothing.
    const pkg = await exportFor(township, county);
    const renamed = path.join(tempDir(), '青山镇数据.txt');
    fs.copyFileSync(pkg.file, renamed);
    const report = await importInto(county, { file: renamed, bytes: fs.readFileSync(renamed) });
    expect(report.status).toBe('applied');
    expect(report.fileName).toBe('青山镇数据.txt');
  });

  it('unknown signer: an unpaired office, and a paired office code with another key', async () => {
    const { county, township } = await townshipWithData();
    // Another township, paired with a county that uses the same code, but not with this county.
    const otherCounty = office(COUNTY.code, COUNTY.name);
    const stranger = office('430281109', '陌生镇');
    pair(otherCounty, stranger);
    await addDeputy(stranger, { name: '张三' });
    const fromStranger = await exportFor(stranger, otherCounty);
    expect((await expectRefused(county, fromStranger.bytes, 'UNKNOWN_SIGNER')).message).toMatch(/430281109 的单位，本单位尚未与其配对/);
    // A database claiming to be 青山镇 with its own key: the signature key differs from the paired one.
    const impostor = office('430281101', '青山镇');
    pair(otherCounty, impostor);
    const forged = await exportFor(impostor, otherCounty);
    expect((await expectRefused(county, forged.bytes, 'UNKNOWN_SIGNER')).message).toMatch(/密钥.*不一致/);
    expect((await importInto(county, await exportFor(township, county))).status).toBe('applied');
  });

  it('wrong addressee', async () => {
    const { county, township } = await townshipWithData();
    const otherCounty = office('430221', '株洲县');
    pair(otherCounty, township);
    const meantForOther = await exportFor(township, otherCounty);
    const err = await expectRefused(county, meantForOther.bytes, 'WRONG_ADDRESSEE');
    expect(err.message).toContain('430221');
    // Its own package, imported back by mistake.
    const own = await exportFor(township, county);
    expect((await expectRefused(township, own.bytes, 'WRONG_ADDRESSEE')).message).toMatch(/本单位自己导出/);
  });

  it('wrong passphrase reported as such', async () => {
    const { county, township } = await townshipWithData();
    const pkg = await exportFor(township, county);
    const err = await expectRefused(county, pkg.bytes, 'WRONG_PASSPHRASE', '青山-醴陵 交换口令 2025');
    expect(err.message).toMatch(/口令不正确/);
    expect((await importInto(county, pkg)).status).toBe('applied');
  });

  it('no ID number, phone number, bank account or name readable anywhere in the package bytes', async () => {
    const { county, township } = await townshipWithData();
    const { bytes } = await exportFor(township, county);
    const needles: Buffer[] = [];
    for (const p of PERSONS) {
      for (const v of [p.idNumber, p.phone, p.bankAccount, p.idNumber.slice(6, 14), p.phone.slice(-8), p.bankAccount.slice(-10)]) {
        needles.push(Buffer.from(v, 'latin1'), Buffer.from(v, 'utf16le'));
      }
      for (const v of [p.name, p.name.slice(0, 2), p.address].filter(Boolean) as string[]) {
        const escaped = [...v].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
        needles.push(Buffer.from(v, 'utf8'), Buffer.from(v, 'utf16le'), Buffer.from(escaped, 'latin1'));
      }
    }
    for (const needle of needles) expect(bytes.includes(needle), needle.toString('hex')).toBe(false);
    // No Chinese text at all travels in clear: not even the offices' names.
    expect(bytes.includes(Buffer.from('青山镇'))).toBe(false);
    // The header is readable and carries only office codes, counts, sizes and crypto parameters.
    const { header } = readEnvelope(bytes);
    expect(Object.keys(header).sort()).toEqual(['acks', 'appVersion', 'changes', 'cipher', 'counts', 'createdAt', 'format', 'from',
      'kdf', 'keyCheck', 'packageId', 'payload', 'ranges', 'schemaVersion', 'senderHlc', 'signer', 'to']);
    expect(header.counts).toEqual({ persons: 42, seats: 42 });
    // …and it all arrives intact.
    await importInto(county, { bytes });
    const row = county.db.prepare('SELECT phone, id_number, bank_account FROM persons WHERE name = ?').get('欧阳秀英');
    expect(row).toEqual({ phone: PERSONS[0]!.phone, id_number: PERSONS[0]!.idNumber, bank_account: PERSONS[0]!.bankAccount });
  });

  it('newer and older schema versions: newer refused naming the version it needs, older upgraded on read', async () => {
    const { county, township } = await townshipWithData();
    const latest = latestSchemaVersion();
    const newer = await exportFor(township, county, { schemaVersion: latest + 3 });
    const err = await expectRefused(county, newer.bytes, 'PACKAGE_NEWER');
    expect(err.message).toContain(`需要数据库版本 ${latest + 3}`);
    expect(err.message).toContain(String(latest));

    const older = await exportFor(township, county, { schemaVersion: latest - 1 });
    const report = await importInto(county, older);
    expect(report.status).toBe('applied');
    expect(report.warnings.join()).toMatch(/较旧版本/);
    expect(dataDump(county, '430281101') === dataDump(township, '430281101')).toBe(true);
  });

  it('upgrade steps run from the package version to this one, in order', () => {
    const change = { origin: '430281101', epoch: 'e', seq: 1, hlc: '000000000000001-000000-430281101', entity: 'persons', entityId: 'p', op: 'update' as const, fields: '{"mobile":"x"}', at: '' };
    const steps = [
      { to: 3, upgrade: (c: typeof change) => ({ ...c, fields: c.fields.replace('mobile', 'phone') }) },
      { to: 4, upgrade: (c: typeof change) => (c.entity === 'gone' ? null : c) },
      { to: 2, upgrade: (c: typeof change) => ({ ...c, fields: c.fields.replace('"x"', '"y"') }) },
    ];
    expect(upgradeChanges([change], 1, 4, steps)[0]!.fields).toBe('{"phone":"y"}');
    expect(upgradeChanges([change], 2, 4, steps)[0]!.fields).toBe('{"phone":"x"}');
    expect(upgradeChanges([{ ...change, entity: 'gone' }], 1, 4, steps)).toEqual([]);
    // The fields as decoding parsed them are not used once a step rewrote the fields.
    const decoded = { ...change, values: { mobile: 'x' } as Record<string, unknown> };
    expect(upgradeChanges([decoded], 1, 4, steps)[0]!.values).toBeUndefined();
    expect(upgradeChanges([decoded], 3, 4, steps)[0]!.values).toEqual({ mobile: 'x' });
  });

  it('absurd scrypt or chunk parameters in a header are refused before any work (no denial of service)', async () => {
    const { county, township } = await townshipWithData();
    const { header } = readEnvelope((await exportFor(township, county)).bytes);
    expect(() => checkCipherParams(header)).not.toThrow();
    const bad = [
      { kdf: { ...header.kdf, N: 1 << 24 } },
      { kdf: { ...header.kdf, N: 1000 } },
      { kdf: { ...header.kdf, r: 1024 } },
      { kdf: { ...header.kdf, p: 64 } },
      { kdf: { ...header.kdf, N: 1 << 20, r: 16 } },
      { cipher: { ...header.cipher, chunkSize: 16 } },
      { cipher: { ...header.cipher, chunkCount: header.cipher.chunkCount + 1 } },
    ];
    for (const change of bad) expect(() => checkCipherParams({ ...header, ...change })).toThrow(/拒绝|不一致/);
  });

  it('the default key derivation stays strong and is recorded in the header', async () => {
    const { county, township } = await townshipWithData();
    const pkg = await exportFor(township, county, { kdf: undefined });
    const { header } = readEnvelope(pkg.bytes);
    expect(header.kdf).toMatchObject({ name: 'scrypt', N: 1 << 15, r: 8, p: 1 });
    expect(Buffer.from(header.kdf.salt, 'base64')).toHaveLength(16);
    expect(path.basename(pkg.file)).toMatch(/^DD_430281101_to_430281_\d{8}T\d{4}_[0-9a-f]{8}\.ddpkg$/);
  });

  it('a full or removed drive leaves no final-named file', async () => {
    const { county, township } = await townshipWithData();
    const fail = (code: string) => Object.assign(new Error(code), { code });
    const cases: [string, PackageIo, string][] = [
      ['drive full halfway', { ...nodeIo, writeFile: (f, d) => { fs.writeFileSync(f, d.subarray(0, d.length >> 1)); throw fail('ENOSPC'); } }, 'DISK_FULL'],
      ['drive pulled out before the rename', { ...nodeIo, rename: () => { throw fail('EIO'); } }, 'READ_ONLY'],
      ['drive pulled out after the rename', { ...nodeIo, readFile: () => { throw fail('EIO'); } }, 'READ_ONLY'],
      ['drive returns other bytes', { ...nodeIo, readFile: (f) => { const b = fs.readFileSync(f); b[b.length - 5] = b[b.length - 5]! ^ 1; return b; } }, 'READ_ONLY'],
      ['write-protected', { ...nodeIo, writeFile: () => { throw fail('EROFS'); } }, 'READ_ONLY'],
    ];
    for (const [what, io, code] of cases) {
      const dir = tempDir('dd-usb-');
      const err = await failure(exportFor(township, county, { dir, io }));
      expect(err.code, what).toBe(code);
      expect(fs.readdirSync(dir), what).toEqual([]);
    }
    const gone = await failure(exportFor(township, county, { dir: path.join(tempDir(), 'not-mounted') }));
    expect(gone.code).toBe('NOT_FOUND');
    expect(township.db.prepare("SELECT count(*) FROM handoff_history WHERE direction = 'export'").pluck().get()).toBe(0);
  });
});
