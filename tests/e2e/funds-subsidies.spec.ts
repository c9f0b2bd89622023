import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect as baseExpect, test } from '@playwright/test';
import type { BatchSummary } from '../../shared/contract/index.js';
import { ServeDoor } from './server.js';
import { SHOTS, demoDb, shot } from './support.js';

// The two shared cores are often busy with other suites: API-bound waits get more room.
const expect = baseExpect.configure({ timeout: 30_000 });

test('funds, subsidy standards, batches and the printed 签领表', async ({ page }) => {
  test.setTimeout(600_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deputy-desk-e2e-funds-'));
  const door = new ServeDoor(demoDb(dir, 'township', 'demo.sqlite'));
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));

  try {
    await page.goto(await door.start());
    await expect(page.getByTestId('office-name')).toBeVisible();

    await test.step('funds: budgets, balances, an over-budget entry needs an approval', async () => {
      await page.getByRole('menuitem', { name: '活动经费' }).click();
      await expect(page).toHaveURL(/#\/funds$/);
      await page.getByTestId('funds-year').click();
      await page.locator('.el-select-dropdown:visible').getByRole('option', { name: '2025年' }).click();
      const table = page.getByTestId('funds-table');
      await expect(table.locator('tr', { hasText: '代表联络站活动经费' })).toBeVisible();
      await expect(table.locator('tr', { hasText: '乡镇人大代表活动经费' })).toContainText('每人 2,000元 × ');
      await shot(page, 'funds-01-budgets');

      // Training fund: spend more than what is left.
      const row = table.locator('tr', { hasText: '代表学习培训经费' });
      await row.getByRole('button', { name: '登记支出' }).click();
      const dialog = page.getByTestId('entry-form');
      await expect(dialog).toBeVisible();
      await dialog.getByPlaceholder('支出日期').fill('2025-12-20');
      await dialog.getByPlaceholder('支出日期').press('Enter');
      await dialog.getByPlaceholder('例如 1286.50').fill('30000');
      await dialog.getByPlaceholder('例如：选民接待日茶水及资料印制').fill('年末代表集中培训场地费');
      await dialog.getByPlaceholder('收款人或收款单位').fill('县委党校');
      await expect(dialog.getByTestId('approval-section')).toBeVisible();
      await dialog.getByRole('button', { name: '保存' }).click();
      await expect(dialog.getByText('超出预算，请填写审批事由')).toBeVisible();
      await shot(page, 'funds-02-over-budget');
      await dialog.getByPlaceholder('例如：经主任会议研究同意追加').fill('年末集中培训，经主任会议研究同意追加');
      await dialog.getByPlaceholder('例如：主任会议、张主任').fill('主任会议');
      await dialog.getByRole('button', { name: '保存' }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByTestId('funds-totals')).toContainText('1笔');
      await expect(row.locator('.el-progress.is-exception')).toBeVisible();

      // A new special fund typed in yuan, stored in fen.
      await page.getByRole('button', { name: '新增经费' }).click();
      const fundForm = page.getByTestId('fund-form');
      await fundForm.getByText('按联络站', { exact: true }).click();
      await expect(fundForm.getByTestId('computed-budget')).toHaveText('0.00 元');
      await fundForm.getByPlaceholder('例如 10000').fill('10000');
      await fundForm.getByLabel('经费名称').fill('联络站提质改造补助');
      await fundForm.getByLabel('经费名称').press('Tab');
      await expect(fundForm.getByTestId('computed-budget')).toHaveText('30,000.00 元');
      await shot(page, 'funds-06-new-fund');
      await fundForm.getByRole('button', { name: '保存' }).click();
      await expect(fundForm).toBeHidden();
      await expect(table.locator('tr', { hasText: '联络站提质改造补助' })).toContainText('30,000.00');

      await page.getByRole('tab', { name: '支出明细' }).click();
      await expect(page.getByTestId('entries-table')).toContainText('年末代表集中培训场地费');
      await shot(page, 'funds-03-entries');
      await page.getByRole('tab', { name: '联络站结余' }).click();
      // Two per-station funds now: each station's share is 10,000 + 10,000.
      await expect(page.getByTestId('stations-table')).toContainText('20,000.00');
      await shot(page, 'funds-04-stations');
      await page.getByRole('tab', { name: /超预算审批/ }).click();
      await expect(page.getByTestId('approvals-table')).toContainText('经主任会议研究同意追加');
      await shot(page, 'funds-05-approvals');
    });

    await test.step('standards and the payout rules', async () => {
      await page.getByRole('menuitem', { name: '补贴标准' }).click();
      await expect(page).toHaveURL(/#\/subsidy-standards$/);
      const table = page.getByTestId('standards-table');
      await expect(table).toContainText('乡镇代表履职补贴');
      await expect(table).toContainText('2022-01起 200.00元；2026-01起 300.00元');
      await shot(page, 'subsidies-01-standards');
      await page.getByRole('button', { name: '新增标准' }).click();
      await expect(page.getByTestId('standard-form')).toBeVisible();
      await page.getByTestId('standard-form').getByLabel('标准名称').fill('县级及以上代表履职补贴');
      await shot(page, 'subsidies-01b-new-standard');
      await page.getByTestId('standard-form').getByRole('button', { name: '取消' }).click();
      await expect(page.getByTestId('standard-form')).toBeHidden();
      await table.locator('tr', { hasText: '乡镇代表履职补贴' }).getByRole('button', { name: '调整金额' }).click();
      await expect(page.getByTestId('rate-dialog')).toContainText('县财政提标');
      await shot(page, 'subsidies-02-rates');
      await page.locator('.el-dialog:visible .el-dialog__headerbtn').click();
      await expect(page.getByTestId('rate-dialog')).toBeHidden();
    });

    await test.step('batches: review the draft with its adjusting lines, issue it, it is locked', async () => {
      await page.getByRole('menuitem', { name: '补贴发放' }).click();
      await expect(page).toHaveURL(/#\/subsidy-batches$/);
      await page.getByTestId('batches-table').locator('tr', { hasText: '2026年第二季度' }).click();
      const detail = page.getByTestId('batch-detail');
      await expect(detail).toContainText('2026年第二季度');
      await expect(detail).toContainText('草稿，未发放');
      await expect(page.getByTestId('lines-table')).toContainText('补发2026年第一季度');
      await expect(page.getByTestId('lines-table')).toContainText('**** ****');
      await shot(page, 'subsidies-03-batch-draft');

      // 试算 a month that is not paid yet.
      await page.getByTestId('generate-form').getByRole('button', { name: '试算' }).click();
      await expect(page.getByTestId('run-preview')).toBeVisible();
      await shot(page, 'subsidies-04-preview');
      await page.getByTestId('run-preview').getByRole('button', { name: '关闭', exact: true }).click();
      await expect(page.getByTestId('run-preview')).toBeHidden();

      await detail.getByRole('button', { name: '确认发放' }).click();
      await expect(page.locator('.el-message-box')).toContainText('确认后批次锁定');
      await shot(page, 'subsidies-05-issue-confirm');
      await page.locator('.el-message-box').getByRole('button', { name: '确认发放' }).click();
      await expect(detail).toContainText('已发放，已锁定');
      await expect(detail.getByRole('button', { name: '确认发放' })).toHaveCount(0);
      await shot(page, 'subsidies-06-batch-issued');
    });

    await test.step('the 签领表 print view, rendered to PDF and PNG', async () => {
      // Lazy chunks are loaded by hash: a fresh page survives a renderer rebuilt meanwhile by another suite.
      await page.reload();
      await page.getByTestId('batches-table').locator('tr', { hasText: '2026年第二季度' }).click();
      await page.getByTestId('batch-detail').getByRole('button', { name: '打印签领表' }).click();
      await expect(page).toHaveURL(/#\/print\/subsidy-sheet\//);
      const sheet = page.getByTestId('sign-sheet');
      await expect(sheet).toContainText('2026年第二季度人大代表履职补贴签领表');
      await expect(page.getByTestId('sheet-capitals')).toHaveText(/元整$|分$|角$/);
      await shot(page, 'subsidies-07-sheet-screen');

      await page.emulateMedia({ media: 'print' });
      const pdf = path.join(SHOTS, 'subsidies-sheet.pdf');
      await page.pdf({ path: pdf, format: 'A4', preferCSSPageSize: true, printBackground: true });
      await page.emulateMedia({ media: 'screen' });
      execFileSync('pdftoppm', ['-png', '-r', '60', pdf, path.join(SHOTS, 'subsidies-08-sheet-page')]);
      const pages = fs.readdirSync(SHOTS).filter((f) => f.startsWith('subsidies-08-sheet-page'));
      expect(pages.length).toBeGreaterThanOrEqual(2);
      const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
      // Header repeated on every page, page numbers, the capitals total on the last page.
      expect(text.match(/序号\s+姓名/g)?.length).toBe(pages.length);
      expect(text).toMatch(new RegExp(`第\\s*1\\s*页\\s*共\\s*${pages.length}\\s*页`));
      expect(text).toMatch(new RegExp(`第\\s*${pages.length}\\s*页\\s*共\\s*${pages.length}\\s*页`));
      expect(text).toMatch(/合计（大写）：\S+/);
    });

    const batches = await door.call('subsidies.batches', {});
    expect(batches.filter((b: BatchSummary) => b.status === 'draft')).toHaveLength(0);
  } finally {
    await door.stop();
  }
  expect(consoleErrors).toEqual([]);
  fs.rmSync(dir, { recursive: true, force: true });
});
