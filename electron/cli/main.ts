import { runCli } from './run.js';

// The CLI entry: `npm run -s cli -- <verb>` and the `deputy-desk` bin land here.
runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
