/**
 * Child process of the kill test: opens the database as the app does, says
 * “ready”, runs one operation, says “done”. The test SIGKILLs it at a random
 * moment in between. Bundled with esbuild so it starts in a fraction of a
 * second (see crash-safety.test.ts).
 */
import { CoreContext } from '../../../electron/core/context.js';
import { OPERATIONS } from './operations.js';

const [dbPath, name, iterationText, arg] = process.argv.slice(2);
const operation = OPERATIONS.find((o) => o.name === name);
if (!dbPath || !operation) {
  process.stderr.write('usage: worker DB OPERATION ITERATION [ARG]\n');
  process.exit(2);
}

const ctx = new CoreContext(dbPath, { operator: '测试员' });
if (ctx.damage) {
  process.stdout.write(`damaged ${ctx.damage.message}\n`);
  process.exit(3);
}
// Say when the first row is written: the test aims most kills inside the operation's transaction.
const repo = ctx.repo as unknown as Record<'insert' | 'update' | 'tombstone', (...args: unknown[]) => unknown>;
let said = false;
for (const method of ['insert', 'update', 'tombstone'] as const) {
  const original = repo[method]!.bind(repo);
  repo[method] = (...args: unknown[]) => {
    if (!said) {
      said = true;
      process.stdout.write('writing\n');
    }
    return original(...args);
  };
}
process.stdout.write('ready\n');
operation
  .run(ctx, Number(iterationText), arg ?? '')
  .then(() => {
    process.stdout.write('done\n');
    process.exit(0);
  })
  .catch((err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
