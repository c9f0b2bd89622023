import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect as baseExpect, test } from '@playwright/test';
import { repoRoot, ServeDoor } from './server.js';
import { SHOTS, demoDb, shot } from './support.js';

const expect = baseExpect.configure({ timeout: 30_000 });

test('scoring: ranking with explanations, rules, activities and sign-in sheets, the printed 履职档案', async ({ page }) => {
  test.setTimeout(600_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deputy-desk-e2e-scoring-'));
  const door = new ServeDoor(demoDb(dir, 'township', 'demo.sqlite'));
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  try {
    await page.goto(await door.start());
    await expect(page.getByTestId('office-name')).toBeVisible();

    await test.step('ranking, alerts, and a deputy explained line by line', async () => {
      await page.getByRole('menuitem', { name: '履职积分' }).click();
      await expect(page).toHaveURL(/#\/scoring$/);
      const table = page.getByTestId('score-table');
      await expect(table.locator('.el-table__body tr').first()).toBeVisible();
      await expect(page.getByTestId('score-total')).toContainText('2025年度');
      await shot(page, 'scoring-01-ranking');
      await table.locator('.el-table__body tr').first().click();
      const drawer = page.getByTestId('score-explain');
      await expect(drawer).toContainText('总分');
      await expect(drawer).toContainText('出席人代会');
      await shot(page, 'scoring-02-explain');
      await page.keyboard.press('Escape');
    });

    await test.step('rules: the table in force, an item opened for editing', async () => {
      await page.getByRole('menuitem', { name: '积分规则' }).click();
      await expect(page.getByTestId('rule-status')).toContainText('执行中');
      await expect(page.getByTestId('rule-items')).toContainText('视察、调研、执法检查');
      await shot(page, 'scoring-03-rules');
      await page.getByTestId('rule-items').locator('tr', { hasText: 'H06' }).getByRole('button', { name: '修改' }).click();
      await expect(page.getByRole('dialog', { name: '修改积分项目' })).toBeVisible();
      await shot(page, 'scoring-04-rule-item');
      await page.getByRole('dialog', { name: '修改积分项目' }).getByRole('button', { name: '取消' }).click();
    });

    await test.step('activities: list, participants, a sign-in sheet checked', async () => {
      await page.getByRole('menuitem', { name: '履职活动' }).click();
      const table = page.getByTestId('activity-table');
      await expect(table.locator('.el-table__body tr').first()).toBeVisible();
      await shot(page, 'scoring-05-activities');
      await table.locator('.el-table__body tr').first().getByRole('button', { name: '人员' }).click();
      await expect(page.getByTestId('add-participants')).toBeVisible();
      await shot(page, 'scoring-06-participants');
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: '导入签到表' }).click();
      const dialog = page.getByRole('dialog', { name: '导入签到表' });
      await dialog.locator('input[type=file]').setInputFiles(path.join(repoRoot, 'resources/templates/sign-in-sheet-template.xlsx'));
      await expect(dialog).toContainText('sign-in-sheet-template.xlsx');
      await dialog.getByRole('button', { name: '检查' }).click();
      // The template's example names are not in the demo roster: the row-level report says so.
      await expect(page.getByTestId('import-errors')).toContainText('名册中没有名为“张三”的代表');
      await shot(page, 'scoring-07-signin-report');
      await dialog.locator('.el-dialog__footer').getByRole('button', { name: '关闭' }).click();
      await page.getByRole('tab', { name: '代表建议' }).click();
      await expect(page.getByTestId('suggestion-table').locator('.el-table__body tr').first()).toBeVisible();
      await shot(page, 'scoring-08-suggestions');
    });

    await test.step('the printed 履职档案 of one deputy', async () => {
      await page.getByRole('menuitem', { name: '履职积分' }).click();
      await page.getByTestId('score-table').locator('.el-table__body tr').first().click();
      await page.getByRole('button', { name: '打印履职档案' }).last().click();
      await expect(page).toHaveURL(/#\/print\/dossier/);
      const dossier = page.getByTestId('dossier').first();
      await expect(dossier).toContainText('一、基本信息');
      await expect(dossier).toContainText('履职积分');
      await shot(page, 'scoring-09-dossier-print');
      const pdf = path.join(SHOTS, 'scoring-dossier.pdf');
      await page.emulateMedia({ media: 'print' });
      await page.pdf({ path: pdf, format: 'A4', printBackground: true });
      expect(fs.statSync(pdf).size).toBeGreaterThan(10_000);
    });
    expect(consoleErrors).toEqual([]);
  } finally {
    await door.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
