import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect as baseExpect, test } from '@playwright/test';
import { ServeDoor } from './server.js';
import { SHOTS, shot } from './support.js';

const expect = baseExpect.configure({ timeout: 30_000 });
const PASS = '青山-醴陵 交换口令';

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A valid ID number for a birth date and sequence (GB 11643). */
function idNumber(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * w[i]!, 0);
  return first17 + '10X98765432'[sum % 11];
}

/** Exports from one door and imports into another through the api, for arranging what a step is not about. */
async function exchange(from: ServeDoor, to: ServeDoor, toCode: string, usb: string): Promise<void> {
  const r = await from.call('handoff.export', { peer: toCode, dir: usb, passphrase: PASS });
  await to.call('handoff.import', { file: { name: r.fileName, base64: fs.readFileSync(r.file).toString('base64') }, passphrase: PASS });
}

async function pairByApi(a: ServeDoor, b: ServeDoor): Promise<void> {
  const fa = await a.call('handoff.identityFile', {});
  const fb = await b.call('handoff.identityFile', {});
  await a.call('handoff.trust', { file: { name: fb.fileName, base64: fb.base64 } });
  await b.call('handoff.trust', { file: { name: fa.fileName, base64: fa.base64 } });
}

test('USB handoff: pairing with fingerprints, export to a drive, import with a report, conflicts and duplicates', async ({ page }) => {
  test.setTimeout(600_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  const dir = tempDir('deputy-desk-e2e-handoff-');
  const usb = tempDir('deputy-desk-e2e-handoff-usb-');
  const township = new ServeDoor(path.join(dir, 'township.sqlite'), path.join(dir, 't'));
  const county = new ServeDoor(path.join(dir, 'county.sqlite'), path.join(dir, 'c'));
  const other = new ServeDoor(path.join(dir, 'other.sqlite'), path.join(dir, 'o'));
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  const same = idNumber('43028119720815042');

  try {
    await township.start();
    await county.start();
    await other.start();
    await township.call('office.setup', { officeType: 'township', officeCode: '430281101', officeName: '青山镇' });
    await county.call('office.setup', { officeType: 'county', officeCode: '430281', officeName: '醴陵市' });
    await other.call('office.setup', { officeType: 'township', officeCode: '430281102', officeName: '白兔潭镇' });
    for (let i = 0; i < 12; i++) {
      await township.call('roster.create', {
        person: { name: `代表${String(i).padStart(2, '0')}`, phone: `1390733${String(1000 + i)}` },
        seat: { level: 'township', term: '第十九届', township: '青山镇' },
      });
    }
    await township.call('roster.create', { person: { name: '周建华', idNumber: same }, seat: { level: 'county', term: '第十九届', township: '青山镇' } });
    await other.call('roster.create', { person: { name: '周建华', idNumber: same, address: '白兔潭镇老街' }, seat: { level: 'county', term: '第十九届', township: '白兔潭镇' } });

    await test.step('pairing: export own identity, import the county’s after comparing fingerprints', async () => {
      await page.goto(township.url);
      await page.getByRole('menuitem', { name: '数据交换' }).click();
      await expect(page.getByTestId('pairing-panel')).toBeVisible();
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: '导出本单位身份文件' }).click();
      const identity = await download;
      expect(identity.suggestedFilename()).toBe('DD_identity_430281101.json');
      const ownFile = path.join(dir, 'township-identity.json');
      await identity.saveAs(ownFile);
      await expect(page.getByTestId('own-fingerprint')).toHaveText(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);

      const countyIdentity = await county.call('handoff.identityFile', {});
      const countyFile = path.join(dir, countyIdentity.fileName);
      fs.writeFileSync(countyFile, Buffer.from(countyIdentity.base64, 'base64'));
      await page.getByTestId('pairing-panel').locator('input[type=file]').setInputFiles(countyFile);
      await expect(page.getByTestId('peer-fingerprint')).toHaveText(countyIdentity.fingerprint);
      await shot(page, 'handoff-01-pairing-fingerprints');
      await expect(page.getByTestId('trust-confirm')).toBeDisabled();
      await page.getByTestId('confirm-fingerprint').click();
      await page.getByTestId('trust-confirm').click();
      await expect(page.getByRole('cell', { name: /醴陵市/ })).toBeVisible();
      await county.call('handoff.trust', { file: { name: 'township.json', base64: fs.readFileSync(ownFile).toString('base64') } });
      await shot(page, 'handoff-02-pairing');
    });

    let packageFile = '';
    await test.step('export to the USB drive with a progress bar, read back and verified', async () => {
      await page.getByRole('tab', { name: '导出到U盘' }).click();
      await page.getByPlaceholder(/例如 E:/).fill(usb);
      await page.getByTestId('export-passphrase').fill(PASS);
      await page.getByTestId('export-run').click();
      await expect(page.getByTestId('export-result')).toBeVisible();
      await expect(page.getByTestId('export-result')).toContainText('条变更');
      const files = fs.readdirSync(usb);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^DD_430281101_to_430281_\d{8}T\d{4}_[0-9a-f]{8}\.ddpkg$/);
      packageFile = path.join(usb, files[0]!);
      await shot(page, 'handoff-03-export');
    });

    await test.step('import at the county: what the package is, then the readable report', async () => {
      await page.goto(county.url);
      await page.getByRole('menuitem', { name: '数据交换' }).click();
      await page.getByRole('tab', { name: '从U盘导入' }).click();
      await page.getByTestId('import-panel').locator('input[type=file]').setInputFiles(packageFile);
      await expect(page.getByTestId('package-summary')).toContainText('青山镇');
      await page.getByTestId('import-passphrase').fill('错误的口令');
      await page.getByTestId('import-run').click();
      await expect(page.getByText(/交换口令不正确/)).toBeVisible();
      await page.getByTestId('import-passphrase').fill(PASS);
      await shot(page, 'handoff-04-import-summary');
      await page.getByTestId('import-run').click();
      await expect(page.getByTestId('import-report')).toContainText('已导入青山镇的数据交换包');
      await expect(page.getByTestId('import-report')).toContainText('26');
      await shot(page, 'handoff-05-import-report');
    });

    await test.step('conflicts: both values, both offices, the rule; the losing value applied again', async () => {
      await exchange(county, township, '430281101', usb);
      const seat = (await township.call('roster.list', { q: '代表03' })).rows[0]!;
      const edit = (door: ServeDoor, note: string, constituency: string) =>
        door.call('roster.update', { seatId: seat.seatId, person: { name: '代表03', note }, seat: { level: 'township', term: '第十九届', constituency } });
      await edit(township, '乡镇：已迁居石桥村', '第七选区');
      await edit(county, '县：资格审查通过', '第五选区');
      await exchange(township, county, '430281', usb);
      await page.goto(county.url);
      await page.getByRole('menuitem', { name: '冲突记录' }).click();
      await expect(page.getByTestId('conflicts-table')).toContainText('乡镇：已迁居石桥村');
      await expect(page.getByTestId('conflicts-table')).toContainText('归属方优先');
      await shot(page, 'handoff-06-conflicts');
      await page.getByRole('row', { name: /备注/ }).getByRole('button', { name: '重新应用落选值' }).click();
      await page.getByRole('button', { name: '重新应用', exact: true }).click();
      await expect(page.getByText('已重新应用，下次导出时会发给对方')).toBeVisible();
    });

    await test.step('duplicates: the county sees two registrations side by side and merges them', async () => {
      await pairByApi(county, other);
      await exchange(other, county, '430281', usb);
      await page.getByRole('menuitem', { name: '重复人员' }).click();
      await expect(page.getByTestId('duplicate-group')).toHaveCount(1);
      await expect(page.getByTestId('duplicate-group')).toContainText('白兔潭镇老街');
      await shot(page, 'handoff-07-duplicates');
      await page.getByRole('button', { name: '合并，保留选中的一条' }).click();
      await page.getByRole('button', { name: '合并', exact: true }).click();
      await expect(page.getByText('没有重复登记的人员')).toBeVisible();
    });

    await test.step('the history of exchanges, with each report', async () => {
      await page.getByRole('menuitem', { name: '数据交换' }).click();
      await page.getByRole('tab', { name: '交换记录' }).click();
      await expect(page.getByTestId('history-panel').getByRole('row')).toHaveCount(5); // header + 4 exchanges
      await shot(page, 'handoff-08-history');
      await page.getByTestId('history-panel').getByRole('row', { name: /青山镇/ }).last().click();
      await expect(page.getByRole('dialog').getByTestId('import-report')).toBeVisible();
      await shot(page, 'handoff-09-history-report');
    });
    expect(consoleErrors).toEqual([]);
  } finally {
    await township.stop();
    await county.stop();
    await other.stop();
  }
});
