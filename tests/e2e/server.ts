import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { InputOf, MethodName, OutputOf } from '../../shared/contract/index.js';
import type { Result } from '../../shared/errors.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The serve door as a child process on one SQLite file, so a test can stop it
 * and start it again on the same data (a new launch gets a new token).
 */
export class ServeDoor {
  private child: ChildProcess | null = null;
  url = '';
  token = '';
  origin = '';

  constructor(
    readonly dbPath: string,
    private readonly dataDir = path.dirname(dbPath),
  ) {}

  async start(): Promise<string> {
    if (this.child) throw new Error('serve door already running');
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'electron/cli/bin.cjs'), 'serve', '--db', this.dbPath, '--port', '0'],
      // The data dir keeps anything the app writes by default out of the real profile.
      { cwd: repoRoot, env: { ...process.env, DEPUTY_DESK_DATA_DIR: this.dataDir }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

    const firstLine = await new Promise<string>((resolve, reject) => {
      const lines = readline.createInterface({ input: child.stdout! });
      const timer = setTimeout(() => reject(new Error(`serve did not print its URL in 60 s\n${stderr}`)), 60_000);
      lines.once('line', (line) => {
        clearTimeout(timer);
        resolve(line.trim());
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`serve exited with ${code} before printing its URL\n${stderr}`));
      });
    });
    const url = new URL(firstLine);
    this.url = firstLine;
    this.token = url.searchParams.get('token') ?? '';
    this.origin = url.origin;
    return firstLine;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** Calls a method the way the renderer does, for arranging data a test is not about. */
  async call<M extends MethodName>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
    const response = await fetch(`${this.origin}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-deputy-desk-token': this.token },
      body: JSON.stringify(input),
    });
    const result = (await response.json()) as Result<OutputOf<M>>;
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
    return result.data;
  }
}
