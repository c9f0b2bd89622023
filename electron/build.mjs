// Bundles the Node side (desktop main, preload, CLI) with esbuild and copies
// the migrations next to the bundles. Native and Electron modules stay external.
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'dist-electron');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// CommonJS bundles have no import.meta.url; give them one that points at the bundle.
const shim = path.join(out, '.import-meta-url.js');
writeFileSync(shim, "export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;\n");

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  external: ['electron', 'better-sqlite3'],
  define: { 'import.meta.url': 'importMetaUrl' },
  inject: [shim],
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, entryPoints: [path.join(root, 'electron/main.ts')], outfile: path.join(out, 'main.cjs') }),
  // The sandboxed preload may require nothing but 'electron': no shim there.
  build({ ...common, define: {}, inject: [], entryPoints: [path.join(root, 'electron/preload.ts')], outfile: path.join(out, 'preload.cjs') }),
  build({ ...common, entryPoints: [path.join(root, 'electron/cli/main.ts')], outfile: path.join(out, 'cli.cjs') }),
]);
rmSync(shim);
cpSync(path.join(root, 'electron/core/db/migrations'), path.join(out, 'migrations'), { recursive: true });
console.log('built dist-electron/');
