import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './server.js';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}

/** The serve door serves dist/renderer, so e2e must never run against a stale build. */
export default function globalSetup(): void {
  const built = path.join(repoRoot, 'dist/renderer/index.html');
  const builtAt = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
  const sourcesAt = Math.max(newestMtime(path.join(repoRoot, 'renderer')), newestMtime(path.join(repoRoot, 'shared')));
  if (builtAt >= sourcesAt) return;
  console.log('[e2e] renderer sources changed: npm run build:renderer');
  execSync('npm run -s build:renderer', { cwd: repoRoot, stdio: 'inherit' });
}
