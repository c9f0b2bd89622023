import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { messyRosterWorkbook } from '../helpers/rosterWorkbook.js';
import { repoRoot, ServeDoor } from './server.js';
import { SHOTS, shot } from './support.js';


test('导入名册 wizard: file, columns, fills, report, import', async ({ page }) => {
  test.setTimeout(300_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deputy-desk-e2e-import-'));
  const db = path.join(dir, 'import.sqlite');
  execFileSync(
    process.execPath,
    [path.join(repoRoot, 'electron/cli/bin.cjs'), 'init', '--db', db, '--office-type', 'township', '--office-code', '430281101', '--office-name', '青山镇', '--json'],
    { cwd: repoRoot, env: { ...process.env, DEPUTY_DESK_DATA_DIR: dir } },
  );
  const workbook = path.join(dir, '青山镇代表名册.xlsx');
  await messyRosterWorkbook(workbook);
  const door = new ServeDoor(db);
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));

  try {
    await page.goto(await door.start());
    await expect(page.getByTestId('office-name')).toHaveText('青山镇');
    await page.getByTestId('roster-import').click();
    await expect(page).toHaveURL(/#\/roster-import$/);
    await expect(page.getByTestId('import-step-file')).toBeVisible();
    await shot(page, 'import-01-choose-file');

    await test.step('choose the file: sheets and header rows found, columns mapped', async () => {
      await page.getByTestId('import-file').setInputFiles(workbook);
      await expect(page.getByTestId('import-step-columns')).toBeVisible({ timeout: 60_000 });
      const columns = page.getByTestId('import-step-columns');
      await expect(columns.getByRole('tab', { name: '代表名册' })).toBeVisible();
      await expect(columns.getByRole('tab', { name: '县级代表' })).toBeVisible();
      await expect(columns.locator('.el-input-number input').first()).toHaveValue('4');
      await expect(columns.getByText('爱好', { exact: true })).toBeVisible();
      await expect(columns.getByText('所属乡镇（街道）', { exact: true })).toBeVisible();
      // The ID number sample is masked on screen.
      await expect(columns.getByRole('tabpanel', { name: '代表名册' }).getByText(/^430281\*+1023$/)).toBeVisible();
      await shot(page, 'import-02-columns');
      await page.getByTestId('import-next').click();
    });

    await test.step('fills: 层级 and 届次 taken from the title line, the county sheet from its name', async () => {
      const fills = page.getByTestId('import-step-fills');
      await expect(fills).toBeVisible({ timeout: 60_000 });
      await expect(fills.getByTestId('fill-term').first()).toHaveValue('第十九届');
      await expect(fills.getByText('工作表“县级代表”')).toBeVisible();
      await shot(page, 'import-03-fills');
      await page.getByTestId('import-next').click();
    });

    await test.step('report: counts and each error by row and column', async () => {
      const report = page.getByTestId('import-step-report');
      await expect(report).toBeVisible({ timeout: 60_000 });
      await expect(page.getByTestId('import-stats')).toContainText('7新增席位');
      const errors = page.getByTestId('import-errors');
      await expect(errors.locator('.el-table__body-wrapper tbody tr')).toHaveCount(2);
      await expect(errors).toContainText('第7行');
      await expect(errors).toContainText('身份证号被存成了数字');
      await expect(errors).toContainText('与第5行重复');
      await shot(page, 'import-04-report');
    });

    await test.step('confirm: written, and the roster shows the seats', async () => {
      await page.getByTestId('import-confirm').click();
      const box = page.locator('.el-message-box');
      await expect(box).toContainText('将新增 7 个席位');
      await shot(page, 'import-05-confirm');
      await box.getByRole('button', { name: '确定导入' }).click();
      await expect(page.getByText('导入完成')).toBeVisible({ timeout: 60_000 });
      await shot(page, 'import-06-done');
      const list = await door.call('roster.list', { status: 'all' });
      expect(list.total).toBe(7);
      await page.getByRole('button', { name: '查看代表名册' }).click();
      await expect(page.getByTestId('roster-total')).toContainText('7');
    });

    await test.step('the same file again: nothing to import', async () => {
      await page.getByTestId('roster-import').click();
      await page.getByTestId('import-file').setInputFiles(workbook);
      await expect(page.getByTestId('import-step-columns')).toBeVisible({ timeout: 60_000 });
      await page.getByTestId('import-next').click();
      await expect(page.getByTestId('import-step-fills')).toBeVisible({ timeout: 60_000 });
      await page.getByTestId('import-next').click();
      await expect(page.getByTestId('import-stats')).toContainText('7未变', { timeout: 60_000 });
      await expect(page.getByTestId('import-confirm')).toBeDisabled();
      await expect(page.getByText('名册中已有这些代表，内容也相同，无需导入。')).toBeVisible();
      await shot(page, 'import-07-reimport-unchanged');
    });
    expect(consoleErrors).toEqual([]);
  } finally {
    await door.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
