import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, startServe } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const INIT = ['--office-type', 'township', '--office-code', '430281101', '--office-name', '青山镇'];

describe('CLI door', () => {
  it('init creates the database and prints the office as JSON; a second init is refused in Chinese', () => {
    const db = path.join(tempDir(), 'a.sqlite');
    const first = runCli(['init', '--db', db, ...INIT, '--json']);
    expect(first.status, first.stderr).toBe(0);
    expect(first.json()).toMatchObject({ office: { officeType: 'township', officeCode: '430281101', officeName: '青山镇' } });
    const raw = new Database(db, { readonly: true });
    expect(raw.prepare('SELECT office_name FROM office_identity').pluck().get()).toBe('青山镇');
    raw.close();

    const second = runCli(['init', '--db', db, ...INIT, '--json']);
    expect(second.status).toBe(1);
    expect(second.stderr).toContain('不能重复设置');
    expect(second.json()).toMatchObject({ error: { code: 'CONFLICT' } });
  });

  it('call reaches any contract method, and failures exit non-zero', () => {
    const db = path.join(tempDir(), 'a.sqlite');
    expect(runCli(['init', '--db', db, ...INIT]).status).toBe(0);
    const created = runCli(['call', 'roster.create', JSON.stringify({ person: { name: '周敏' }, seat: { level: 'township', term: '第十九届' } }), '--db', db]);
    expect(created.status, created.stderr).toBe(0);
    const list = runCli(['call', 'roster.list', '{"pageSize": 5}', '--db', db]);
    expect(list.json()).toMatchObject({ total: 1, rows: [{ name: '周敏' }] });
    const bad = runCli(['call', 'roster.create', '{"person": {"name": ""}}', '--db', db]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/姓名/);
  });

  it('explains usage mistakes', () => {
    const unknown = runCli(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('未知命令');
    const missing = runCli(['init', '--db', path.join(tempDir(), 'x.sqlite'), '--office-type', 'township']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--office-code');
    expect(runCli(['--help']).stdout).toContain('deputy-desk init');
  });
});

describe('serve door', () => {
  it('binds 127.0.0.1, prints the tokened URL first, and answers 401 without the token', async () => {
    const db = path.join(tempDir(), 's.sqlite');
    const server = await startServe(db);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
      const post = (token?: string, body = '{}') =>
        fetch(`${server.origin}/api/office.get`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { 'x-deputy-desk-token': token } : {}) },
          body,
        });
      expect((await post()).status).toBe(401);
      expect((await post('wrong')).status).toBe(401);
      const ok = await post(server.token);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ ok: true, data: null });
      const setup = await fetch(`${server.origin}/api/office.setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-deputy-desk-token': server.token },
        body: JSON.stringify({ officeType: 'township', officeCode: '12', officeName: '青山镇' }),
      });
      const body = (await setup.json()) as { ok: boolean; error: { message: string } };
      expect(body.ok).toBe(false);
      expect(body.error.message).toContain('行政区划代码');
    } finally {
      await server.stop();
    }
  });
});
