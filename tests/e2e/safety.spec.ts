import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect as baseExpect, test } from '@playwright/test';
import { ServeDoor } from './server.js';
import { SHOTS, shot } from './support.js';

// Page chunks load slowly on a busy 2-core machine; waiting longer changes nothing else.
const expect = baseExpect.configure({ timeout: 30_000 });

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Overwrites some data pages of the audit log in the closed file, as a failing disk would: the rest stays readable. */
function damageAuditPages(file: string): void {
  const db = new Database(file, { readonly: true });
  const pages = db.prepare("SELECT pageno FROM dbstat WHERE name = 'audit_log' AND pagetype = 'leaf' ORDER BY pageno").pluck().all() as number[];
  const size = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = fs.openSync(file, 'r+');
  for (const p of pages.slice(1, 3)) fs.writeSync(fd, Buffer.alloc(size, 0x5a), 0, size, (p - 1) * size);
  fs.closeSync(fd);
}

test('operators, audit log, backups and restore, a damaged database', async ({ page }) => {
  test.setTimeout(300_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  const dir = tempDir('deputy-desk-e2e-safety-');
  const usb = tempDir('deputy-desk-e2e-usb-');
  const dbPath = path.join(dir, 'safety.sqlite');
  const door = new ServeDoor(dbPath);
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));

  try {
    await door.start();
    await door.call('office.setup', { officeType: 'township', officeCode: '430281101', officeName: '青山镇' });
    await door.call('operators.create', { name: '李文书', password: 'qs2025', note: '人大办' });
    await door.call('operators.create', { name: '王干事' });
    // Stations fill a few hundred pages, so damaging the middle of the file hits real data later.
    for (let i = 0; i < 40; i++) {
      await door.call('roster.create', {
        person: { name: `代表${String(i).padStart(2, '0')}`, gender: i % 2 ? '男' : '女', phone: `1380000${String(1000 + i)}`, workUnit: '青山镇'.repeat(10) },
        seat: { level: 'township', term: '第十九届', township: '青山镇' },
      });
    }
    await door.stop();

    await test.step('the app asks who is working', async () => {
      await page.goto(await door.start());
      await expect(page).toHaveURL(/#\/login/);
      await expect(page.getByRole('heading', { name: /青山镇/ })).toBeVisible();
      await shot(page, 'safety-01-login');
      await page.getByRole('radio', { name: '李文书' }).click();
      await page.getByLabel('密码').fill('wrong');
      await page.getByRole('button', { name: '开始工作' }).click();
      await expect(page.getByTestId('login-problem')).toHaveText('密码不正确，请重新输入。');
      await page.getByLabel('密码').fill('qs2025');
      await page.getByRole('button', { name: '开始工作' }).click();
      await expect(page).toHaveURL(/#\/roster$/);
      await expect(page.getByTestId('operator-badge')).toContainText('操作员：李文书');
    });

    await test.step('work is recorded under that name', async () => {
      // The roster screen is another test's subject: the edit goes through the same door the page uses.
      const found = await door.call('roster.list', { q: '代表05' });
      const seat = found.rows[0]!;
      await door.call('roster.update', {
        seatId: seat.seatId,
        person: { name: '代表05', workUnit: '青山镇卫生院院长' },
        seat: { level: 'township', term: '第十九届', township: '青山镇' },
      });
    });

    await test.step('the audit log lists who did what, filterable, with before and after', async () => {
      await page.getByRole('menuitem', { name: '操作日志' }).click();
      await expect(page).toHaveURL(/#\/audit$/);
      const table = page.getByTestId('audit-table');
      const edit = table.locator('tr', { hasText: '修改代表信息：代表05' }).first();
      await expect(edit).toContainText('李文书');
      // The screen shows the whole log (the exact entries are checked in tests/integration/audit.test.ts).
      const { total } = await door.call('audit.list', { pageSize: 1 });
      expect(total).toBeGreaterThanOrEqual(85); // setup, 2 operators, 40 × (person, seat), the login, the edit
      await expect(page.getByTestId('audit-total')).toHaveText(`共 ${total} 条`);
      await shot(page, 'safety-02-audit');
      await edit.locator('.el-table__expand-icon').click();
      const changes = page.locator('.changes-table');
      await expect(changes).toContainText('工作单位及职务');
      await expect(changes).toContainText('青山镇卫生院院长');
      await shot(page, 'safety-03-audit-expanded');

      await page.locator('.el-form-item').filter({ hasText: '操作员' }).locator('.el-select').click();
      await page.locator('.el-select-dropdown:visible').getByRole('option', { name: '李文书', exact: true }).click();
      await expect(page.getByTestId('audit-total')).toHaveText('共 2 条');

      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: '导出 Excel' }).click();
      const file = await download;
      expect(file.suggestedFilename()).toMatch(/^操作日志.*\.xlsx$/);
    });

    await test.step('operators screen', async () => {
      await page.getByRole('menuitem', { name: '操作员' }).click();
      const table = page.getByTestId('operators-table');
      await expect(table.locator('tr', { hasText: '李文书' })).toContainText('当前');
      await shot(page, 'safety-04-operators');
      await page.getByRole('button', { name: '新增操作员' }).first().click();
      await expect(page.getByRole('dialog', { name: '新增操作员' })).toBeVisible();
      await shot(page, 'safety-05-operator-new');
      await page.getByRole('dialog', { name: '新增操作员' }).getByRole('button', { name: '取消' }).click();
    });

    let backupTime = '';
    await test.step('back up now, set the passphrase and a second folder', async () => {
      await page.getByRole('menuitem', { name: '备份与恢复' }).click();
      await expect(page.getByTestId('backup-status')).toContainText('今日自动备份');
      await page.getByRole('button', { name: '立即备份' }).click();
      const table = page.getByTestId('backup-table');
      await expect(table.locator('tr', { hasText: '手动备份' })).toContainText('代表席位 40');
      await expect(table.locator('tr', { hasText: '每日自动备份' })).toBeVisible();
      backupTime = (await table.locator('tr', { hasText: '手动备份' }).first().locator('td').first().innerText()).trim();

      await page.getByRole('button', { name: '备份设置' }).click();
      const settings = page.getByRole('dialog', { name: '备份设置' });
      await settings.getByPlaceholder('至少8个字符').fill('青山镇2025备份口令');
      await settings.locator('.el-form-item').filter({ hasText: '再输一次' }).locator('input').fill('青山镇2025备份口令');
      await settings.getByRole('button', { name: '设置口令' }).click();
      await expect(settings.getByText('已设置')).toBeVisible();
      await settings.getByPlaceholder(/人大备份/).fill(usb);
      await settings.getByRole('button', { name: '保存' }).click();
      await expect(page.getByTestId('backup-status')).toContainText(usb);
      await shot(page, 'safety-06-settings');
      await settings.getByRole('button', { name: '关闭', exact: true }).click();

      await page.getByRole('button', { name: '备份到第二位置' }).click();
      await expect(table.locator('tr', { hasText: '第二备份位置' }).first()).toBeVisible();
      expect(fs.readdirSync(usb).filter((n) => n.endsWith('.ddbak'))).toHaveLength(1);
      await shot(page, 'safety-07-backups');
    });

    await test.step('a deputy added after the backup is gone after restoring it', async () => {
      await door.call('roster.create', { person: { name: '后来的代表' }, seat: { level: 'township', term: '第十九届' } });
      await page.getByTestId('backup-table').locator('tr', { hasText: '手动备份' }).filter({ hasText: '数据目录' }).first().getByRole('button', { name: '查看并恢复' }).click();
      const dialog = page.getByRole('dialog', { name: '恢复备份' });
      await expect(dialog).toContainText('备份文件完整');
      const counts = dialog.getByTestId('restore-counts');
      await expect(counts.locator('tr', { hasText: '代表席位' })).toContainText('40');
      await expect(counts.locator('tr', { hasText: '代表席位' })).toContainText('41');
      await shot(page, 'safety-08-restore-dialog');
      await expect(dialog.getByRole('button', { name: '恢复此备份' })).toBeDisabled();
      await dialog.getByText('我已了解').click();
      await dialog.getByRole('button', { name: '恢复此备份' }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByText(/已恢复/)).toBeVisible();
      await expect(page.getByTestId('backup-table').locator('tr', { hasText: '恢复备份前' })).toBeVisible();
      // The passphrase and second folder belong to this PC: kept across the restore.
      await expect(page.getByTestId('backup-status')).toContainText(usb);
      await page.getByRole('menuitem', { name: '代表名册' }).click();
      await expect(page.getByTestId('roster-total')).toHaveText('共 40 人');

      await page.getByRole('menuitem', { name: '备份与恢复' }).click();
      await page.getByRole('button', { name: '完整性检查' }).click();
      await expect(page.getByRole('dialog', { name: '完整性检查' })).toContainText('数据库正常');
      await shot(page, 'safety-09-check');
      await page.getByRole('dialog', { name: '完整性检查' }).getByRole('button', { name: '关闭', exact: true }).click();
    });
    expect(backupTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  } finally {
    await door.stop();
  }

  await test.step('a damaged file opens read-only, with the newest good backup offered', async () => {
    damageAuditPages(dbPath);
    await page.goto(await door.start());
    await page.getByRole('radio', { name: '王干事' }).click();
    await page.getByRole('button', { name: '开始工作' }).click();
    const banner = page.getByTestId('damage-banner');
    await expect(banner).toContainText('数据库文件已损坏');
    await expect(banner).toContainText('最近的完好备份');
    await shot(page, 'safety-10-damaged-banner');
    const write = await door.call('operators.create', { name: '赵六' }).catch((e: Error) => e.message);
    expect(String(write)).toMatch(/DB_CORRUPT.*只读/);
    await door.stop();
  });

  await test.step('an unreadable file: the recovery page restores the newest good backup', async () => {
    const fd = fs.openSync(dbPath, 'r+');
    fs.writeSync(fd, Buffer.alloc(100, 0), 0, 100, 0);
    fs.closeSync(fd);
    await page.goto(await door.start());
    await expect(page).toHaveURL(/#\/recovery$/);
    await expect(page.getByText('数据库文件已损坏，无法读取')).toBeVisible();
    await shot(page, 'safety-11-recovery');
    await page.getByTestId('newest-good').getByRole('button', { name: '恢复此备份' }).click();
    const dialog = page.getByRole('dialog', { name: '恢复备份' });
    await expect(dialog).toContainText('备份文件完整');
    await dialog.getByText('我已了解').click();
    await dialog.getByRole('button', { name: '恢复此备份' }).click();
    await expect(page).toHaveURL(/#\/login/);
    await door.stop();
  });

  const db = new Database(dbPath, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const restores = db.prepare("SELECT count(*) FROM audit_log WHERE action = 'restore'").pluck().get();
    expect(restores).toBeGreaterThanOrEqual(1);
  } finally {
    db.close();
  }
  expect(consoleErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(usb, { recursive: true, force: true });
});
