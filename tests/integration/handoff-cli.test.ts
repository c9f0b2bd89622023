import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CoreContext } from '../../electron/core/context.js';
import { closeAllDatabases } from '../../electron/core/db/connection.js';
import { setupOffice } from '../../electron/core/office/service.js';
import { runCli } from '../helpers/cli.js';
import { addDeputy, idNumber } from '../helpers/handoff.js';
import { tempDir } from '../helpers/tmp.js';

describe('handoff through the deputy-desk command', () => {
  it('pairs two offices, exports and imports with --json, reports a replay as already imported and refuses a damaged package with {"error"}', async () => {
    const dir = tempDir();
    const countyDb = path.join(dir, 'county.sqlite');
    const townshipDb = path.join(dir, 'township.sqlite');
    const county = new CoreContext(countyDb);
    setupOffice(county, { officeType: 'county', officeCode: '430281', officeName: '醴陵市' });
    const township = new CoreContext(townshipDb);
    setupOffice(township, { officeType: 'township', officeCode: '430281101', officeName: '青山镇' });
    const id = idNumber('19800312', '102');
    await addDeputy(township, { name: '王芳', phone: '13907331234', idNumber: id });
    closeAllDatabases();

    const identity = runCli(['office', 'identity', path.join(dir, 'township.json'), '--db', townshipDb, '--json']);
    expect(identity.status, identity.stderr).toBe(0);
    const shown = identity.json<{ officeCode: string; fingerprint: string }>();
    expect(shown.officeCode).toBe('430281101');
    expect(shown.fingerprint).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);
    expect(runCli(['office', 'identity', path.join(dir, 'county.json'), '--db', countyDb]).status).toBe(0);
    const trust = runCli(['office', 'trust', path.join(dir, 'township.json'), '--db', countyDb]);
    expect(trust.status, trust.stderr).toBe(0);
    expect(trust.stdout).toContain(shown.fingerprint); // both fingerprints shown, to compare by phone
    expect(runCli(['office', 'trust', path.join(dir, 'county.json'), '--db', townshipDb]).status).toBe(0);

    const passFile = path.join(dir, 'pass.txt');
    fs.writeFileSync(passFile, '青山-醴陵 交换口令\n');
    const usb = path.join(dir, 'usb');
    fs.mkdirSync(usb);
    const exported = runCli(['package', 'export', '--db', townshipDb, '--for', '430281', '--to', usb, '--passphrase-file', passFile, '--json']);
    expect(exported.status, exported.stderr).toBe(0);
    const { file, changes } = exported.json<{ file: string; changes: number }>();
    expect(changes).toBe(2);
    expect(fs.readdirSync(usb)).toEqual([path.basename(file)]);
    expect(path.basename(file)).toMatch(/^[A-Za-z0-9_.-]+$/);
    const bytes = fs.readFileSync(file);
    expect(bytes.includes(Buffer.from(id))).toBe(false);
    expect(bytes.includes(Buffer.from('王芳'))).toBe(false);

    const imported = runCli(['package', 'import', file, '--db', countyDb, '--passphrase-file', passFile, '--json']);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.json()).toMatchObject({ status: 'applied', changes: 2, new: 2, updated: 0, deleted: 0, skipped: 0, conflicts: [] });
    const again = runCli(['package', 'import', file, '--db', countyDb, '--passphrase-file', passFile, '--json']);
    expect(again.status).toBe(0);
    expect(again.json()).toMatchObject({ status: 'already-imported', new: 0 });

    const damaged = Buffer.from(bytes);
    damaged[damaged.length - 100] = damaged[damaged.length - 100]! ^ 0x10;
    const damagedFile = path.join(dir, 'damaged.ddpkg');
    fs.writeFileSync(damagedFile, damaged);
    const refused = runCli(['package', 'import', damagedFile, '--db', countyDb, '--passphrase-file', passFile, '--json']);
    expect(refused.status).not.toBe(0);
    expect(refused.json()).toEqual({ error: { code: 'PACKAGE_INVALID', message: expect.stringMatching(/损坏/) } });
    expect(refused.stderr).toMatch(/损坏/);

    const check = new CoreContext(countyDb);
    expect(check.db.prepare('SELECT name, phone, id_number FROM persons').get()).toEqual({ name: '王芳', phone: '13907331234', id_number: id });
  }, 300_000); // eight real processes: slow on a busy 2-core machine
});
