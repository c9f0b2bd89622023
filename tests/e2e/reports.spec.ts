import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { CompositionReport } from '../../shared/contract/index.js';
import { readWithOpenpyxl } from '../helpers/openpyxl.js';
import { ServeDoor } from './server.js';
import { SHOTS, demoDb, shot } from './support.js';


test('代表结构统计 screen, roster Excel export and the printed roster', async ({ page }) => {
  test.setTimeout(420_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deputy-desk-e2e-reports-'));
  const door = new ServeDoor(demoDb(dir, 'county', 'county.sqlite'));
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));

  try {
    await page.goto(await door.start());
    await expect(page.getByTestId('office-name')).toBeVisible();

    await test.step('composition: table per township plus 合计, chart, figures from the core', async () => {
      await page.getByRole('menuitem', { name: '代表结构统计' }).click();
      await expect(page).toHaveURL(/#\/composition$/);
      const expected = await door.call('reports.composition', {});
      await expect(page.getByTestId('composition-title')).toHaveText(expected.title);
      expect(expected.title).toMatch(/^枫林县第.+届人民代表大会代表结构统计表$/);
      const table = page.getByTestId('composition-table');
      // The body rows (fixed columns render a second copy of the table: count the main one).
      await expect(table.locator('.el-table__body-wrapper tbody tr')).toHaveCount(expected.rows.length);
      const total = expected.rows.at(-1)!;
      await expect(table.locator('.el-table__body-wrapper tbody tr').last()).toContainText('合计');
      await expect(page.getByTestId('composition-summary')).toContainText(`${total.total}代表总数`);
      await expect(page.getByTestId('composition-summary')).toContainText(`${total.femalePct.toFixed(1)}%女性`);
      await expect(page.getByTestId('composition-chart').locator('canvas')).toHaveCount(2);
      await shot(page, 'reports-01-composition-county');
    });

    await test.step('composition: 乡镇 level and another as-of date', async () => {
      await page.locator('.el-form-item').filter({ hasText: '层级' }).locator('.el-select').click();
      await page.locator('.el-select-dropdown:visible').getByRole('option', { name: '乡镇', exact: true }).click();
      const expected: CompositionReport = await door.call('reports.composition', { level: 'township' });
      await expect(page.getByTestId('composition-title')).toHaveText(expected.title);
      expect(expected.title).toContain('乡镇人大代表结构统计表');
      await expect(page.getByTestId('composition-summary')).toContainText(`${expected.rows.at(-1)!.total}代表总数`);
      await shot(page, 'reports-02-composition-township');

      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: '导出Excel' }).click();
      const file = path.join(dir, (await download).suggestedFilename());
      await (await download).saveAs(file);
      expect(path.basename(file)).toBe(`${expected.title}.xlsx`);
      const sheet = readWithOpenpyxl(file, { maxRows: 4 });
      expect(sheet.rows[0]![0]).toBe(expected.title);
      expect(sheet.maxRow).toBe(4 + expected.rows.length + expected.notes.length);
      expect(sheet.print.orientation).toBe('landscape');
    });

    let township = '';
    let seats = 0;
    let persons = 0;
    await test.step('roster: 导出Excel uses the screen filters', async () => {
      await page.getByRole('menuitem', { name: '代表名册' }).click();
      await expect(page).toHaveURL(/#\/roster$/);
      const choices = await door.call('roster.choices', {});
      township = choices.townships[0]!;
      await page.locator('.el-form-item').filter({ hasText: '所属乡镇' }).locator('.el-select').click();
      await page.locator('.el-select-dropdown:visible').getByRole('option', { name: township, exact: true }).click();
      const list = await door.call('roster.list', { township, pageSize: 1 });
      seats = list.total;
      await expect(page.getByTestId('roster-total')).toHaveText(`共 ${seats} 人`);
      await shot(page, 'reports-03-roster-buttons');

      const download = page.waitForEvent('download');
      await page.locator('.el-dropdown').getByRole('button', { name: '导出Excel' }).click();
      const file = path.join(dir, 'roster-from-ui.xlsx');
      await (await download).saveAs(file);
      const sheet = readWithOpenpyxl(file, { maxRows: 5 });
      expect(sheet.maxRow).toBe(3 + seats);
      // The demo's township has deputies at two levels (县 and 乡镇): the paper counts people, and says how many rows.
      persons = (await door.call('reports.rosterSheet', { township })).persons;
      expect(persons).toBeLessThan(seats);
      expect(sheet.rows[1]).toContain(`共 ${persons} 人（${seats} 个席位）`);
      expect(String(sheet.rows[3]![14])).toMatch(/^\d{3}\*{4}\d{4}$|^$/); // phones masked
      expect(sheet.printTitleRows).toBe('$3:$3');
    });

    await test.step('roster: 打印名册 opens the print view without the app chrome', async () => {
      await page.getByRole('button', { name: '打印名册' }).click();
      await expect(page).toHaveURL(/#\/print\/roster\?/);
      const sheet = page.getByTestId('roster-print');
      await expect(sheet).toBeVisible();
      await expect(sheet.locator('h1')).toContainText('代表名册');
      await expect(page.getByTestId('print-headcount')).toHaveText(`共 ${persons} 人（${seats} 个席位）`);
      await expect(sheet.locator('tbody tr')).toHaveCount(seats);
      await expect(page.locator('.layout-aside')).toHaveCount(0);
      await expect(page.getByTestId('office-name')).toHaveCount(0);
      await shot(page, 'reports-04-roster-print', false);

      // The 打印 button calls window.print() (the system dialog in Electron and in a browser).
      type Printed = { printed: number; print: () => void };
      await page.evaluate(() => {
        const w = globalThis as unknown as Printed;
        w.printed = 0;
        w.print = () => {
          w.printed += 1;
        };
      });
      await page.getByRole('button', { name: '打印', exact: true }).click();
      expect(await page.evaluate(() => (globalThis as unknown as Printed).printed)).toBe(1);

      // What the printer gets: Chromium's PDF of the view, A4 landscape, header repeated.
      const pdf = path.join(SHOTS, 'reports-roster-print.pdf');
      await page.emulateMedia({ media: 'print' });
      await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
      await page.emulateMedia({ media: 'screen' });
      const info = execFileSync('pdfinfo', [pdf]).toString();
      const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
      expect(info).toMatch(/Page size:\s+84[12]\.\d+ x 59[45]\.\d+ pts \(A4\)/); // landscape
      for (const old of fs.readdirSync(SHOTS).filter((f) => f.startsWith('reports-05-print-page'))) fs.rmSync(path.join(SHOTS, old));
      execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '2', pdf, path.join(SHOTS, 'reports-05-print-page')]);
      const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
      // Page numbers in the bottom margin (pdftotext drops the spaces between CJK glyphs).
      expect(text.replace(/\s+/g, '')).toContain(`第1页共${pages}页`);
      if (pages > 1) {
        // The header row is printed again at the top of page 2.
        const second = text.split('\f')[1]!;
        expect(second).toContain('公民身份号码');
      }
      expect(text).not.toMatch(/1[3-9]\d{9}/); // no full phone numbers on paper
    });

    await test.step('back to the roster', async () => {
      await page.getByRole('button', { name: '返回' }).click();
      await expect(page).toHaveURL(/#\/roster$/);
    });
  } finally {
    await door.stop();
  }
  expect(consoleErrors).toEqual([]);
  fs.rmSync(dir, { recursive: true, force: true });
});
