import fs from 'node:fs';
import path from 'node:path';
import type { InputOf, MethodName, OutputOf, HandoffImportReport } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import { idCheckChar } from '../../shared/idcard.js';
import { CoreContext } from '../../electron/core/context.js';
import { createDispatcher } from '../../electron/core/dispatcher.js';
import { exportPackage, type ExportOptions } from '../../electron/core/handoff/exportPackage.js';
import { importPackage, type ImportOptions } from '../../electron/core/handoff/importPackage.js';
import { identityFile, parseIdentity, trustIdentity } from '../../electron/core/handoff/keys.js';
import { officeTypeOf, ruleFor, syncedTables } from '../../electron/core/handoff/ownership.js';
import { setupOffice } from '../../electron/core/office/service.js';
import { tempDir } from './tmp.js';

/** Small scrypt parameters keep the handoff tests fast; the app's defaults stay strong (format.ts). */
export const FAST_KDF = { N: 1024, r: 8, p: 1 };
export const PASS = '青山-醴陵 交换口令 2026';

export const COUNTY = { code: '430281', name: '醴陵市' };
export const TOWNSHIPS = [
  { code: '430281101', name: '青山镇' },
  { code: '430281102', name: '白兔潭镇' },
  { code: '430281103', name: '浦口镇' },
  { code: '430281104', name: '王仙镇' },
  { code: '430281105', name: '东富镇' },
];

/** An office on its own SQLite file in a temp folder. */
export function office(code: string, name: string): CoreContext {
  const ctx = new CoreContext(path.join(tempDir(`dd-${code}-`), 'office.sqlite'), { operator: `${name}文书` });
  setupOffice(ctx, { officeType: officeTypeOf(code), officeCode: code, officeName: name });
  return ctx;
}

/** Both offices import each other's identity file. */
export function pair(a: CoreContext, b: CoreContext): void {
  trustIdentity(a, parseIdentity(JSON.stringify(identityFile(b))), false);
  trustIdentity(b, parseIdentity(JSON.stringify(identityFile(a))), false);
}

/** A county and `n` townships, each paired with the county. */
export function network(n: number): { county: CoreContext; townships: CoreContext[] } {
  const county = office(COUNTY.code, COUNTY.name);
  const townships = TOWNSHIPS.slice(0, n).map((t) => office(t.code, t.name));
  for (const t of townships) pair(county, t);
  return { county, townships };
}

export async function exportFor(
  from: CoreContext,
  to: CoreContext,
  options: Partial<ExportOptions> = {},
): Promise<{ file: string; bytes: Buffer; changes: number }> {
  const dir = options.dir ?? tempDir('dd-usb-');
  const r = await exportPackage(from, { peer: to.requireOffice().officeCode, dir, passphrase: PASS, kdf: FAST_KDF, ...options });
  return { file: r.file, bytes: fs.readFileSync(r.file), changes: r.changes };
}

export function importInto(
  ctx: CoreContext,
  pkg: { file?: string; bytes: Buffer },
  options: ImportOptions & { passphrase?: string } = {},
): Promise<HandoffImportReport> {
  return importPackage(ctx, pkg.bytes, path.basename(pkg.file ?? 'package.ddpkg'), options.passphrase ?? PASS, { backup: false, ...options });
}

/** Export from one office and import into the other. */
export async function send(from: CoreContext, to: CoreContext, options: ImportOptions = {}): Promise<HandoffImportReport> {
  return importInto(to, await exportFor(from, to), options);
}

/** The error a promise rejects with (AppError expected). */
export async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

/** Calls a contract method through the dispatcher, throwing its error. */
export async function call<M extends MethodName>(ctx: CoreContext, method: M, input: InputOf<M>): Promise<OutputOf<M>> {
  const r = await createDispatcher(ctx, () => {})(method, input);
  if (!r.ok) throw new AppError(r.error.code, r.error.message);
  return r.data as OutputOf<M>;
}

/**
 * Every synced table, rows sorted by id, columns sorted, as JSON: two
 * databases that hold the same data give the same string. `view` keeps the
 * data rows an office is meant to have (a township never gets another's own
 * records), without the handoff's own bookkeeping.
 */
export function canonicalDump(ctx: CoreContext, view?: { township: string }): string {
  const out: Record<string, unknown[]> = {};
  for (const table of syncedTables(ctx.db)) {
    const rule = ruleFor(table);
    if (view && table === 'handoff_knowledge') continue;
    if (view && rule.relay === 'none') continue;
    const rows = ctx.db.prepare(`SELECT * FROM "${table}" ORDER BY id`).all() as Record<string, unknown>[];
    out[table] = rows
      .filter((r) => {
        if (!view) return true;
        const origin = String(r.origin_office);
        if (rule.relay === 'home') return origin === view.township;
        // A township's own rows in a 'down' table never leave it: not part of what two offices share.
        if (rule.relay === 'down') return officeTypeOf(origin) === 'county';
        return true;
      })
      .map((r) => Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]])));
  }
  return JSON.stringify(out);
}

export function countRows(ctx: CoreContext, table: string, where = 'deleted_at IS NULL'): number {
  return ctx.db.prepare(`SELECT count(*) FROM "${table}" WHERE ${where}`).pluck().get() as number;
}

/** A valid 18-digit ID number (GB 11643 check digit) for a birth date and sequence. */
export function idNumber(birth: string, seq: string, area = '430281'): string {
  const first17 = `${area}${birth}${seq}`;
  return first17 + idCheckChar(first17);
}

export async function addDeputy(
  ctx: CoreContext,
  person: { name: string; phone?: string; idNumber?: string; bankAccount?: string; address?: string },
  seat: { level?: 'county' | 'township'; term?: string; township?: string } = {},
): Promise<{ personId: string; seatId: string }> {
  return call(ctx, 'roster.create', {
    person,
    seat: { level: seat.level ?? 'township', term: seat.term ?? '第十九届', township: seat.township ?? '青山镇' },
  });
}

/** Changes a person's fields through the repository (a real, logged edit). */
export function editRow(ctx: CoreContext, table: string, id: string, patch: Record<string, unknown>): void {
  ctx.repo.update(table, id, patch);
}

/** The data two offices must agree on: the county seen as `township` should see it, and the township itself. */
export function dataDump(ctx: CoreContext, township: string): string {
  return canonicalDump(ctx, { township });
}
