import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'electron', 'cli', 'bin.cjs');

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
  json: <T = unknown>() => T;
}

/** Runs the real `deputy-desk` command in a child process. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return {
    status: r.status ?? -1,
    stdout: r.stdout,
    stderr: r.stderr,
    json: <T>() => JSON.parse(r.stdout) as T,
  };
}

export interface ServeProcess {
  url: string;
  origin: string;
  token: string;
  stop(): Promise<void>;
}

/** Starts `deputy-desk serve` and resolves with the URL it prints on its first line. */
export function startServe(db: string): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    lines.once('line', (first) => {
      clearTimeout(timer);
      const url = new URL(first);
      resolve({
        url: first,
        origin: url.origin,
        token: url.searchParams.get('token') ?? '',
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
