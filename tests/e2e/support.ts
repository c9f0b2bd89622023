import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { repoRoot } from './server.js';

/** Every spec leaves pictures of the screens it drove here, for a person to look at. */
export const SHOTS = path.join(repoRoot, 'tests/.artifacts/screenshots');

/** A screenshot once dialog and drawer transitions have settled. */
export async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

/** A demo database made by the real CLI (`deputy-desk demo`), with the data folder kept beside it. */
export function demoDb(dir: string, scale: 'township' | 'county', file = `${scale}.sqlite`): string {
  const db = path.join(dir, file);
  execFileSync(process.execPath, [path.join(repoRoot, 'electron/cli/bin.cjs'), 'demo', '--db', db, '--scale', scale, '--json'], {
    cwd: repoRoot,
    env: { ...process.env, DEPUTY_DESK_DATA_DIR: dir },
    timeout: 240_000,
  });
  return db;
}
