import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where the office's data lives. The same folder for every door, so the
 * desktop app, `serve` and the CLI open the same database by default.
 * DEPUTY_DESK_DATA_DIR overrides it (tests use it).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DEPUTY_DESK_DATA_DIR) return path.resolve(env.DEPUTY_DESK_DATA_DIR);
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'DeputyDesk');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'DeputyDesk');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'deputy-desk');
}

export const DB_FILE_NAME = 'deputy-desk.sqlite';

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(defaultDataDir(env), DB_FILE_NAME);
}

/** The project (or packaged app) root: the folder with our package.json, from source or from a bundle. */
export function appRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'deputy-desk') return dir;
    dir = path.dirname(dir);
  }
  throw new Error('cannot find the deputy-desk package root');
}

export function rendererDir(): string {
  return path.join(appRoot(), 'dist', 'renderer');
}
