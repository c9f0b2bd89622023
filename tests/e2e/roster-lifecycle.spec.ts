import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { CoreContext } from '../../electron/core/context.js';
import { closeAllDatabases } from '../../electron/core/db/connection.js';
import { setupOffice } from '../../electron/core/office/service.js';
import { idCheckChar } from '../../shared/idcard.js';
import { ServeDoor } from './server.js';
import { SHOTS, shot } from './support.js';


const rosterRow = (page: Page, name: string) => page.getByTestId('roster-table').getByRole('row').filter({ hasText: name });

async function pickOption(page: Page, scope: Locator, label: string, option: string): Promise<void> {
  await scope.locator('.el-form-item').filter({ has: page.getByText(label, { exact: true }) }).locator('.el-select').click();
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: option, exact: true }).click();
}

const ID_NUMBER = ((first17: string) => first17 + idCheckChar(first17))('43028119700101201');
const SEAT = { level: 'township', term: '第十九届', township: '青山镇', startDate: '2021-11-20', startMethod: 'general' } as const;

test('lifecycle actions, revealing an ID number, groups and liaison stations', async ({ page }) => {
  test.setTimeout(300_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deputy-desk-e2e-roster-'));
  const dbPath = path.join(dir, 'roster.sqlite');
  const door = new ServeDoor(dbPath);
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));

  let zhou = { personId: '', seatId: '' };
  try {
    await page.goto(await door.start());
    await door.call('office.setup', { officeType: 'township', officeCode: '430281101', officeName: '青山镇' });
    zhou = await door.call('roster.create', {
      person: { name: '周建华', idNumber: ID_NUMBER, phone: '13807331234', bankAccount: '6228480012345678901', bankName: '农业银行青山支行' },
      seat: { ...SEAT, certificateNo: 'QS-001' },
    });
    for (const name of ['王秀英', '王德明', '李国庆']) {
      await door.call('roster.create', { person: { name }, seat: SEAT });
    }
    await page.reload();
    await expect(page.getByTestId('roster-total')).toHaveText('共 4 人');

    await test.step('reveal the ID number in the drawer', async () => {
      await rosterRow(page, '周建华').getByRole('button', { name: '查看' }).click();
      const drawer = page.getByTestId('seat-detail');
      await expect(drawer.getByTestId('reveal-idNumber')).toHaveText(`${ID_NUMBER.slice(0, 6)}********${ID_NUMBER.slice(-4)}`);
      await drawer.getByRole('button', { name: '查看完整公民身份号码' }).click();
      await expect(drawer.getByTestId('reveal-idNumber')).toHaveText(ID_NUMBER);
      await expect(drawer.getByTestId('reveal-phone')).toHaveText('138****1234');
      await shot(page, 'roster-01-drawer-revealed');
    });

    await test.step('suspend, with date, 文号 and reason; the timeline shows it', async () => {
      const drawer = page.getByTestId('seat-detail');
      await drawer.getByRole('button', { name: '暂停执行代表职务' }).click();
      const dialog = page.getByRole('dialog', { name: '暂停执行代表职务' });
      await dialog.getByLabel('日期').fill('2024-03-02');
      await dialog.getByLabel('日期').press('Enter');
      await dialog.getByLabel('文号').fill('青人主〔2024〕3号');
      await dialog.getByLabel('暂停原因').fill('因刑事案件被羁押正在受侦查、起诉、审判');
      await shot(page, 'roster-02-suspend-dialog');
      await dialog.getByRole('button', { name: '确定' }).click();
      await expect(dialog).toBeHidden();
      await expect(drawer.locator('.seat-timeline')).toContainText('暂停执行代表职务');
      await expect(drawer.locator('.seat-timeline')).toContainText('青人主〔2024〕3号');
      await expect(drawer.getByRole('button', { name: '恢复' })).toBeVisible();
      await expect(rosterRow(page, '周建华')).toContainText('暂停执行职务');
    });

    await test.step('end the seat: it leaves the default roster and shows under 资格终止', async () => {
      const drawer = page.getByTestId('seat-detail');
      await drawer.getByRole('button', { name: '终止资格' }).click();
      const dialog = page.getByRole('dialog', { name: '代表资格终止' });
      await dialog.getByLabel('日期').fill('2024-09-30');
      await dialog.getByLabel('日期').press('Enter');
      await dialog.getByLabel('文号').fill('青人主〔2024〕9号');
      await pickOption(page, dialog, '终止原因', '迁出或调离本行政区域');
      await dialog.getByRole('button', { name: '确定' }).click();
      await expect(dialog).toBeHidden();
      await expect(drawer.locator('.seat-timeline')).toContainText('代表资格终止');
      await expect(drawer).toContainText('迁出或调离本行政区域');
      await drawer.locator('.el-drawer__body').evaluate((el) => (el.scrollTop = el.scrollHeight));
      await shot(page, 'roster-03-drawer-history');
      await drawer.getByRole('button', { name: '关闭', exact: true }).click();
      await expect(rosterRow(page, '周建华')).toHaveCount(0);
      await expect(page.getByTestId('roster-total')).toHaveText('共 3 人');

      await pickOption(page, page.locator('.filters'), '状态', '资格终止');
      await expect(page.getByTestId('roster-total')).toHaveText('共 1 人');
      await expect(rosterRow(page, '周建华')).toContainText('资格终止');
      await pickOption(page, page.locator('.filters'), '状态', '全部');
      await expect(page.getByTestId('roster-total')).toHaveText('共 4 人');
    });

    await test.step('column chooser: 代表证号 and 终止原因 shown, remembered after a reload', async () => {
      await page.getByTestId('column-chooser').click();
      const popover = page.locator('.el-popover:visible');
      await popover.getByText('代表证号', { exact: true }).click();
      await popover.getByText('终止原因', { exact: true }).click();
      await page.getByTestId('roster-total').click();
      await expect(page.getByRole('columnheader', { name: '代表证号' })).toBeVisible();
      await expect(rosterRow(page, '周建华')).toContainText('QS-001');
      await shot(page, 'roster-04-all-statuses-columns');
      await page.reload();
      await expect(page.getByRole('columnheader', { name: '终止原因' })).toBeVisible();
    });

    await test.step('a group: create, add members from the roster, refuse deletion while it has members', async () => {
      await page.getByRole('menuitem', { name: '代表小组' }).click();
      await expect(page).toHaveURL(/#\/groups$/);
      await page.getByRole('button', { name: '新建代表小组' }).click();
      const form = page.getByRole('dialog', { name: '新建代表小组' });
      await form.getByLabel('名称').fill('青山镇第一代表小组');
      await form.getByLabel('所属乡镇').fill('青山镇');
      await form.getByLabel('组长').fill('王秀英');
      await form.getByRole('button', { name: '保存' }).click();
      await expect(form).toBeHidden();
      const row = page.getByTestId('org-table').locator('tr', { hasText: '青山镇第一代表小组' });
      await expect(row).toContainText('王秀英');

      await row.getByRole('button', { name: '成员' }).click();
      const drawer = page.getByTestId('org-members');
      await drawer.getByPlaceholder('输入姓名、电话或代表证号查找').fill('王');
      await drawer.getByRole('button', { name: '查找' }).click();
      const found = drawer.getByTestId('member-search');
      await found.locator('tr', { hasText: '王秀英' }).getByRole('button', { name: '加入' }).click();
      await found.locator('tr', { hasText: '王德明' }).getByRole('button', { name: '加入' }).click();
      await expect(drawer.getByTestId('member-list').locator('tbody tr')).toHaveCount(2);
      await expect(found.locator('tr', { hasText: '王德明' })).toContainText('青山镇第一代表小组');
      await shot(page, 'roster-05-group-members');
      await drawer.getByTestId('member-list').locator('tr', { hasText: '王德明' }).getByRole('button', { name: '移出' }).click();
      await expect(drawer.getByTestId('member-list').locator('tbody tr')).toHaveCount(1);
      await page.keyboard.press('Escape');
      await expect(drawer).toBeHidden();
      await expect(row).toContainText('1');

      await row.getByRole('button', { name: '删除' }).click();
      const box = page.locator('.el-message-box');
      await expect(box).toContainText('还有 1 名在任成员，不能删除');
      await shot(page, 'roster-06-group-delete-refused');
      await box.getByRole('button', { name: '知道了' }).click();
      await shot(page, 'roster-07-groups');
    });

    await test.step('a liaison station with its reception day', async () => {
      await page.getByRole('menuitem', { name: '联络站' }).click();
      await page.getByRole('button', { name: '新建代表联络站' }).click();
      const form = page.getByRole('dialog', { name: '新建代表联络站' });
      await form.getByLabel('名称').fill('青山镇人大代表联络站');
      await form.getByLabel('所属乡镇').fill('青山镇');
      await form.getByLabel('地址').fill('青山镇人民路8号');
      await form.getByLabel('接待日').fill('每月15日');
      await form.getByRole('button', { name: '保存' }).click();
      await expect(form).toBeHidden();
      await expect(page.getByTestId('org-table').locator('tr', { hasText: '青山镇人大代表联络站' })).toContainText('每月15日');
      await shot(page, 'roster-08-stations');
    });

    await test.step('the roster filters by group', async () => {
      await page.getByRole('menuitem', { name: '代表名册' }).click();
      const select = page.locator('.filters .el-form-item').filter({ hasText: '代表小组' }).locator('.el-select');
      await select.click();
      await page.keyboard.type('第一');
      await page.locator('.el-select-dropdown:visible').getByRole('option', { name: /青山镇第一代表小组/ }).click();
      await expect(page.getByTestId('roster-total')).toHaveText('共 1 人');
      await expect(rosterRow(page, '王秀英')).toBeVisible();
    });

    await test.step('1366×768: 状态 and 操作 stay in view beside the wider columns', async () => {
      await page.getByRole('button', { name: '重置' }).click();
      await pickOption(page, page.locator('.filters'), '状态', '全部');
      await page.setViewportSize({ width: 1366, height: 768 });
      await expect(rosterRow(page, '周建华').getByRole('cell', { name: '资格终止' })).toBeInViewport();
      await shot(page, 'roster-09-1366');
    });
  } finally {
    await door.stop();
  }

  await test.step('the reveal is audited, without the number', async () => {
    const db = new Database(dbPath, { readonly: true });
    try {
      const rows = db.prepare("SELECT * FROM audit_log WHERE action = 'reveal'").all() as Record<string, unknown>[];
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ entity: 'persons', entity_id: zhou.personId, summary: '查看周建华的完整公民身份号码' });
      expect(JSON.stringify(rows[0])).not.toContain(ID_NUMBER);
      const events = db.prepare('SELECT kind, date, document_no FROM seat_events WHERE seat_id = ? ORDER BY date').all(zhou.seatId);
      expect(events).toEqual([
        { kind: 'suspended', date: '2024-03-02', document_no: '青人主〔2024〕3号' },
        { kind: 'ended', date: '2024-09-30', document_no: '青人主〔2024〕9号' },
      ]);
    } finally {
      db.close();
    }
  });
  expect(consoleErrors).toEqual([]);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Seats written straight through the repository (one transaction), so the scroll test starts in seconds. */
function rosterOf(dbPath: string, n: number): void {
  const ctx = new CoreContext(dbPath, { operator: '测试员' });
  setupOffice(ctx, { officeType: 'county', officeCode: '430281', officeName: '醴陵市' });
  const quiet = { audit: false } as const;
  ctx.repo.transaction(() => {
    for (let i = 0; i < n; i++) {
      const personId = ctx.repo.insert('persons', { name: `代表${String(i).padStart(5, '0')}`, phone: `139${String(i).padStart(8, '0')}` }, quiet);
      ctx.repo.insert(
        'seats',
        { person_id: personId, level: 'township', term: '第十九届', township: `第${String(Math.floor(i / 100)).padStart(2, '0')}镇`, status: 'current' },
        quiet,
      );
    }
  });
  closeAllDatabases();
}

test('the roster scrolls through thousands of seats with a bounded number of rows on the page', async ({ page }) => {
  test.setTimeout(300_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deputy-desk-e2e-scroll-'));
  const dbPath = path.join(dir, 'scroll.sqlite');
  // ROSTER_E2E_DB=/tmp/prov.sqlite runs the same test on a province demo (140,000 seats), on a copy.
  const given = process.env.ROSTER_E2E_DB;
  if (given) fs.copyFileSync(given, dbPath);
  else rosterOf(dbPath, 3000);
  const door = new ServeDoor(dbPath);
  try {
    await page.goto(await door.start());
    const table = page.getByTestId('roster-table');
    // Opening a large file (its integrity check on open) can take a while before the first rows.
    await expect(table.getByRole('row').nth(1)).not.toContainText('加载中', { timeout: 90_000 });
    const total = Number((await page.getByTestId('roster-total').innerText()).replace(/\D/g, ''));
    expect(total).toBeGreaterThanOrEqual(3000);
    const rowsInPage = async () => table.getByRole('row').count();
    expect(await rowsInPage()).toBeLessThan(60);

    const scroller = table.locator('.vt-scroll');
    // Jump to the middle, then to the very end: only the rows in view (and a few around) exist.
    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await expect(table.getByRole('row').nth(1)).not.toContainText('加载中');
    const middle = Number(await table.getByRole('row').nth(1).getAttribute('aria-rowindex'));
    expect(middle).toBeGreaterThan(total / 2 - 60);
    await shot(page, given ? 'roster-10-province-middle' : 'roster-10-scroll-middle');

    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(table.getByRole('row').last()).not.toContainText('加载中');
    expect(Number(await table.getByRole('row').last().getAttribute('aria-rowindex'))).toBe(total + 1);
    expect(await rowsInPage()).toBeLessThan(60);
    await shot(page, given ? 'roster-11-province-end' : 'roster-11-scroll-end');

    // Scrolling through many blocks keeps memory bounded: at most 12 blocks of 200 rows are held.
    for (let i = 0; i < 15; i++) {
      await scroller.evaluate((el, step) => (el.scrollTop = el.scrollHeight * (0.05 + step * 0.06)), i);
      await expect(table.getByRole('row').nth(1)).not.toContainText('加载中');
    }
    expect(Number(await table.getAttribute('data-cached-rows'))).toBeLessThanOrEqual(2400);
  } finally {
    await door.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
