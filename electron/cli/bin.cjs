#!/usr/bin/env node
// The `deputy-desk` command. In a built or packaged app it runs the bundle;
// in a source checkout (tsx installed) it runs the TypeScript directly, so
// `npm run -s cli` works right after `npm ci` without a build step.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const source = path.join(__dirname, 'main.ts');
const bundle = path.join(__dirname, '..', '..', 'dist-electron', 'cli.cjs');

let hasTsx = false;
try {
  require.resolve('tsx/esm/api');
  hasTsx = true;
} catch {
  hasTsx = false;
}
if (hasTsx && fs.existsSync(source)) {
  import('tsx/esm/api')
    .then((tsx) => {
      tsx.register();
      return import(require('node:url').pathToFileURL(source).href);
    })
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    });
} else {
  require(bundle);
}
