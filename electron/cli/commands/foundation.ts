import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ensureDailyBackup } from '../../core/backup/index.js';
import { CoreContext } from '../../core/context.js';
import { createDispatcher } from '../../core/dispatcher.js';
import { appRoot, defaultDbPath, rendererDir } from '../../core/paths.js';
import { startServer } from '../../serve/server.js';
import { callMethod, printJson, requireString, unwrap, UsageError, type Command, type ParsedArgs } from '../command.js';

export function dbPathOf(args: ParsedArgs): string {
  const db = args.values.db;
  return typeof db === 'string' && db ? path.resolve(db) : defaultDbPath();
}

const dbOption = { db: { type: 'string' } } as const;

export const init: Command = {
  usage: 'deputy-desk init --db FILE --office-type county|township --office-code CODE --office-name NAME [--json]',
  summary: '新建数据库并设置本单位',
  options: { ...dbOption, 'office-type': { type: 'string' }, 'office-code': { type: 'string' }, 'office-name': { type: 'string' } },
  async run(args) {
    const ctx = new CoreContext(dbPathOf(args));
    const dispatch = createDispatcher(ctx);
    const officeType = requireString(args, 'office-type', '单位类型 county 或 township');
    if (officeType !== 'county' && officeType !== 'township') throw new UsageError('--office-type 应为 county 或 township');
    const office = await callMethod(dispatch, 'office.setup', {
      officeType,
      officeCode: requireString(args, 'office-code', '行政区划代码'),
      officeName: requireString(args, 'office-name', '单位名称'),
    });
    if (args.json) printJson({ db: ctx.dbPath, office });
    else process.stdout.write(`已创建数据库 ${ctx.dbPath}\n本单位：${office.officeName}（${office.officeCode}）\n`);
    return 0;
  },
};

export const serve: Command = {
  usage: 'deputy-desk serve [--db FILE] [--port N] [--open]',
  summary: '在本机浏览器中使用（仅 127.0.0.1，带访问令牌）',
  options: { ...dbOption, port: { type: 'string' }, open: { type: 'boolean' } },
  async run(args) {
    const port = args.values.port === undefined ? 0 : Number(args.values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port 应为 0–65535 的整数');
    const ctx = new CoreContext(dbPathOf(args));
    const server = await startServer({ dispatch: createDispatcher(ctx), rendererDir: rendererDir(), port });
    // The URL is the first line: scripts and tests read it.
    process.stdout.write(`${server.url}\n`);
    process.stdout.write(`数据库：${ctx.dbPath}\n请在浏览器中打开上面的网址；按 Ctrl+C 退出。\n`);
    if (args.values.open) openInBrowser(server.url);
    if (ctx.damage) process.stderr.write(`警告：${ctx.damage.message}\n`);
    // Today's automatic backup; checked hourly too, for a PC that is never switched off.
    ensureDailyBackup(ctx);
    setInterval(() => ensureDailyBackup(ctx), 3600_000).unref();
    await new Promise<void>((resolve) => {
      const stop = () => void server.close().then(() => resolve());
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};

export const start: Command = {
  usage: 'deputy-desk start [--db FILE]',
  summary: '启动桌面程序；无法启动 Electron 时改用浏览器',
  options: { ...dbOption },
  async run(args) {
    const electronBinary = findElectronBinary();
    if (electronBinary) {
      const env = { ...process.env };
      if (typeof args.values.db === 'string') env.DEPUTY_DESK_DB = path.resolve(args.values.db);
      const child = spawn(electronBinary, [appRoot()], { stdio: 'inherit', env });
      return await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
    }
    process.stderr.write('本机没有可用的 Electron 桌面运行环境，改为在浏览器中打开本程序。\n');
    return serve.run({ ...args, values: { ...args.values, open: true } });
  },
};

export const demo: Command = {
  usage: 'deputy-desk demo --db FILE --scale township|county|province [--seed N] [--json]',
  summary: '生成演示数据（虚构人员，仅供演示和测试）',
  options: { ...dbOption, scale: { type: 'string' }, seed: { type: 'string' } },
  async run(args) {
    const scale = requireString(args, 'scale', 'township、county 或 province');
    if (scale !== 'township' && scale !== 'county' && scale !== 'province') {
      throw new UsageError('--scale 应为 township、county 或 province');
    }
    const seed = args.values.seed === undefined ? 1 : Number(args.values.seed);
    if (!Number.isInteger(seed)) throw new UsageError('--seed 应为整数');
    // Loaded only for this verb: the generator's name pools are not needed elsewhere.
    const { generateDemo, ensureDemoOffice } = await import('../../core/demo/index.js');
    const ctx = new CoreContext(dbPathOf(args));
    ensureDemoOffice(ctx, scale);
    const summary = generateDemo(ctx, {
      scale,
      seed,
      onProgress: args.json ? undefined : (done: number, total: number) => process.stderr.write(`\r生成中 ${done}/${total}`),
    });
    if (args.json) printJson({ db: ctx.dbPath, ...summary });
    else process.stdout.write(`\n已生成演示数据：${JSON.stringify(summary)}\n`);
    return 0;
  },
};

export const call: Command = {
  usage: "deputy-desk call <method> ['JSON input'] [--db FILE]",
  summary: '调用任意接口方法（输出 JSON）',
  options: { ...dbOption },
  positionals: { min: 1, max: 2 },
  async run(args) {
    const [method, raw] = args.positionals as [string, string | undefined];
    let input: unknown = {};
    if (raw !== undefined) {
      try {
        input = JSON.parse(raw);
      } catch {
        throw new UsageError('输入不是有效的 JSON');
      }
    }
    const ctx = new CoreContext(dbPathOf(args));
    printJson(unwrap(await createDispatcher(ctx)(method, input)));
    return 0;
  },
};

/** The path of a usable Electron binary, or null where it could not be downloaded. */
function findElectronBinary(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const binary = require('electron') as unknown;
    return typeof binary === 'string' ? binary : null;
  } catch {
    return null;
  }
}

function openInBrowser(url: string): void {
  const [cmd, cmdArgs] =
    process.platform === 'win32'
      ? ['cmd', ['/c', 'start', '""', url]]
      : process.platform === 'darwin'
        ? ['open', [url]]
        : ['xdg-open', [url]];
  try {
    spawn(cmd, cmdArgs as string[], { stdio: 'ignore', detached: true }).on('error', () => {
      process.stderr.write('无法自动打开浏览器，请手动打开上面的网址。\n');
    }).unref();
  } catch {
    process.stderr.write('无法自动打开浏览器，请手动打开上面的网址。\n');
  }
}

