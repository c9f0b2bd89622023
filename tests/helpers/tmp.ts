import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { CoreContext } from '../../electron/core/context.js';
import { closeAllDatabases } from '../../electron/core/db/connection.js';
import { setupOffice } from '../../electron/core/office/service.js';

const made: string[] = [];

/** A fresh temp folder, removed after the test. */
export function tempDir(prefix = 'deputy-desk-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

afterEach(() => {
  closeAllDatabases();
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A real SQLite file with a township office set up. */
export function townshipContext(options: { operator?: string } = {}): CoreContext {
  const ctx = new CoreContext(path.join(tempDir(), 'test.sqlite'), { operator: options.operator ?? '测试员' });
  setupOffice(ctx, { officeType: 'township', officeCode: '430281101', officeName: '青山镇' });
  return ctx;
}
