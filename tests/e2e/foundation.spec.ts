import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { idCheckChar } from '../../shared/idcard.js';
import { ServeDoor } from './server.js';
import { SHOTS, shot } from './support.js';


/** Opens an Element Plus select by its form label and picks an option. */
async function pick(scope: Locator, label: string, option: string, page: Page): Promise<void> {
  await scope.locator('.el-form-item').filter({ has: page.getByText(label, { exact: true }) }).locator('.el-select').click();
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: option, exact: true }).click();
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'deputy-desk-e2e-'));
}

/** A synthetic, checksum-valid ID number; the 17th digit is even, so 女. */
const ID_NUMBER = ((first17: string) => first17 + idCheckChar(first17))('43028119780512122');

test('first run, add, restart, edit and delete a deputy', async ({ page }) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const dir = tempDir();
  const dbPath = path.join(dir, 'e2e.sqlite');
  const door = new ServeDoor(dbPath);
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));

  try {
    await test.step('first-run wizard', async () => {
      await page.goto(await door.start());
      await expect(page).toHaveURL(/#\/setup$/);
      await expect(page).not.toHaveURL(/token=/);
      await expect(page.getByRole('heading', { name: '人大代表履职管理系统' })).toBeVisible();
      await shot(page, '01-setup-wizard');

      await page.getByRole('button', { name: '完成设置，进入代表名册' }).click();
      await expect(page.getByText('请填写行政区划代码', { exact: true })).toBeVisible();
      await page.getByLabel('行政区划代码').fill('4302');
      await page.getByLabel('单位名称').click();
      await expect(page.getByText(/乡镇的行政区划代码应为9位或12位数字/)).toBeVisible();
      await shot(page, '02-setup-validation');

      await page.getByText('乡镇人大', { exact: true }).click();
      await page.getByLabel('行政区划代码').fill('430281101');
      await page.getByLabel('单位名称').fill('青山镇');
      await page.getByRole('button', { name: '完成设置，进入代表名册' }).click();
      await expect(page).toHaveURL(/#\/roster$/);
      await expect(page.getByTestId('office-name')).toHaveText('青山镇');
    });

    await test.step('empty roster tells the clerk what to do', async () => {
      await expect(page.getByText('暂无代表，点击“新增代表”开始登记')).toBeVisible();
      await shot(page, '03-roster-empty');
    });

    await test.step('add a deputy through the form', async () => {
      await page.getByRole('button', { name: '新增代表' }).first().click();
      const dialog = page.getByRole('dialog', { name: '新增代表' });
      await expect(dialog).toBeVisible();
      await dialog.getByRole('button', { name: '保存' }).click();
      await expect(dialog.getByText('请填写姓名')).toBeVisible();
      await expect(dialog.getByText('请填写届次，例如：第十九届')).toBeVisible();

      await dialog.getByLabel('姓名').fill('李春梅');
      await pick(dialog, '民族', '汉族', page);
      await pick(dialog, '政治面貌', '中共党员', page);
      await pick(dialog, '学历', '大学本科', page);
      await dialog.getByLabel('工作单位及职务').fill('青山镇中心小学教师');
      await dialog.getByLabel('联系电话').fill('13812345678');
      // Gender and birth month come from the ID number when left empty.
      await dialog.getByLabel('公民身份号码').fill(ID_NUMBER);
      await dialog.getByLabel('姓名').click();
      await expect(dialog.getByRole('radio', { name: '女' })).toBeChecked();
      await expect(dialog.getByPlaceholder('请选择出生年月')).toHaveValue('1978年05月');
      await dialog.getByLabel('届次').fill('第十九届');
      await dialog.getByLabel('姓名').click();
      await expect(dialog.getByLabel('所属乡镇')).toHaveValue('青山镇');
      await shot(page, '04-seat-form-new');

      await dialog.getByRole('button', { name: '保存' }).click();
      await expect(dialog).toBeHidden();
      const row = page.getByTestId('roster-table').getByRole('row').filter({ hasText: '李春梅' });
      await expect(row).toContainText('青山镇中心小学教师');
      await expect(row).toContainText('138****5678');
      await expect(row).toContainText('1978-05');
    });

    await test.step('more deputies (arranged through the API) fill the roster', async () => {
      for (const [name, gender, workUnit] of [
        ['王建国', '男', '青山镇人民政府镇长'],
        ['赵德胜', '男', '青山镇红星村党支部书记、村委会主任'],
        ['陈秀兰', '女', '青山镇卫生院护士长'],
      ] as const) {
        await door.call('roster.create', {
          person: { name, gender, ethnicity: '汉族', politicalAffiliation: '中共党员', education: '大专', workUnit, phone: '13900001111' },
          seat: { level: 'township', term: '第十九届', township: '青山镇' },
        });
      }
    });

    await test.step('restart the server on the same database', async () => {
      await door.stop();
      await page.goto(await door.start());
      await expect(page).toHaveURL(/#\/roster$/);
      await expect(page.getByTestId('roster-table').getByRole('row').filter({ hasText: '李春梅' })).toBeVisible();
      await expect(page.getByTestId('roster-total')).toHaveText('共 4 人');
      await shot(page, '05-roster-filled');
    });

    await test.step('filters narrow the list', async () => {
      await page.getByPlaceholder('姓名/电话/代表证号').fill('李春');
      await page.getByPlaceholder('姓名/电话/代表证号').press('Enter');
      await expect(page.getByTestId('roster-total')).toHaveText('共 1 人');
      await page.getByRole('button', { name: '重置' }).click();
      await expect(page.getByTestId('roster-total')).toHaveText('共 4 人');
    });

    await test.step('detail drawer', async () => {
      await page.getByTestId('roster-table').getByRole('row').filter({ hasText: '李春梅' }).getByRole('button', { name: '查看' }).click();
      const drawer = page.getByRole('dialog').filter({ hasText: '个人信息' });
      await expect(drawer).toContainText('第十九届乡镇人大代表');
      await expect(drawer).toContainText(`${ID_NUMBER.slice(0, 6)}********${ID_NUMBER.slice(-4)}`);
      await expect(drawer).not.toContainText(ID_NUMBER);
      await expect(drawer).toContainText('代表席位（共 1 个）');
      await shot(page, '06-detail-drawer');
      await drawer.getByRole('button', { name: '关闭', exact: true }).click();
      await expect(drawer).toBeHidden();
    });

    await test.step('edit: masked phone and ID are not sent back', async () => {
      await page.getByTestId('roster-table').getByRole('row').filter({ hasText: '李春梅' }).getByRole('button', { name: '编辑' }).click();
      const dialog = page.getByRole('dialog', { name: '编辑代表信息' });
      await expect(dialog.getByLabel('姓名')).toHaveValue('李春梅');
      await expect(dialog.getByLabel('联系电话')).toHaveValue('');
      await expect(dialog.getByLabel('联系电话')).toHaveAttribute('placeholder', /留空则不修改/);
      await expect(dialog.getByLabel('公民身份号码')).toHaveValue('');
      await dialog.getByLabel('工作单位及职务').fill('青山镇中心小学校长');
      await shot(page, '07-seat-form-edit');
      await dialog.getByRole('button', { name: '保存' }).click();
      await expect(dialog).toBeHidden();
      const row = page.getByTestId('roster-table').getByRole('row').filter({ hasText: '李春梅' });
      await expect(row).toContainText('青山镇中心小学校长');
      await expect(row).toContainText('138****5678');
    });

    await test.step('delete with confirmation', async () => {
      await page.getByTestId('roster-table').getByRole('row').filter({ hasText: '李春梅' }).getByRole('button', { name: '删除' }).click();
      const confirm = page.locator('.el-message-box');
      await expect(confirm).toContainText('李春梅');
      await shot(page, '08-delete-confirm');
      await confirm.getByRole('button', { name: '确定删除' }).click();
      await expect(page.getByTestId('roster-table').getByRole('row').filter({ hasText: '李春梅' })).toHaveCount(0);
      await expect(page.getByTestId('roster-total')).toHaveText('共 3 人');
    });

    await test.step('smaller screen (1366×768) still fits', async () => {
      await page.setViewportSize({ width: 1366, height: 768 });
      await shot(page, '09-roster-1366');
    });
  } finally {
    await door.stop();
  }

  await test.step('the seat is tombstoned, not deleted', async () => {
    const db = new Database(dbPath, { readonly: true });
    try {
      const seat = db
        .prepare('SELECT s.deleted_at, p.deleted_at AS person_deleted_at, p.phone, p.id_number, p.birth_date, p.work_unit FROM seats s JOIN persons p ON p.id = s.person_id WHERE p.name = ?')
        .get('李春梅') as { deleted_at: string | null; person_deleted_at: string | null; phone: string | null; id_number: string | null; birth_date: string | null; work_unit: string } | undefined;
      expect(seat).toBeDefined();
      expect(seat!.deleted_at).toBeTruthy();
      expect(seat!.person_deleted_at).toBeTruthy();
      // The edit left the phone alone and did not store the masked value.
      expect(seat!.phone).toBe('13812345678');
      expect(seat!.id_number).toBe(ID_NUMBER);
      // The month picker's value was widened to the full date the ID number carries.
      expect(seat!.birth_date).toBe('1978-05-12');
      expect(seat!.work_unit).toBe('青山镇中心小学校长');
    } finally {
      db.close();
    }
  });
  expect(consoleErrors).toEqual([]);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the API refuses requests without the launch token', async ({ page, request }) => {
  const dir = tempDir();
  const door = new ServeDoor(path.join(dir, 'auth.sqlite'));
  try {
    await door.start();
    const bare = await request.post(`${door.origin}/api/office.get`, { data: {} });
    expect(bare.status()).toBe(401);
    expect((await bare.json()).error.code).toBe('UNAUTHORIZED');

    const wrong = await request.post(`${door.origin}/api/office.get`, {
      data: {},
      headers: { 'x-deputy-desk-token': 'not-the-token' },
    });
    expect(wrong.status()).toBe(401);

    const right = await request.post(`${door.origin}/api/office.get`, {
      data: {},
      headers: { 'x-deputy-desk-token': door.token },
    });
    expect(right.status()).toBe(200);
    expect(await right.json()).toEqual({ ok: true, data: null });

    // The page itself is public (it holds no data); only the API needs the token.
    const index = await request.get(`${door.origin}/`);
    expect(index.status()).toBe(200);
    expect(index.headers()['content-security-policy']).toContain("script-src 'self'");

    // Opened without the token, the page says what to do instead of showing an empty app.
    await page.goto(`${door.origin}/`);
    await expect(page.getByText('无法读取本单位信息')).toBeVisible();
    await expect(page.getByText(/请使用启动时显示的网址打开/)).toBeVisible();
    await shot(page, '10-no-token');
  } finally {
    await door.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
