/** Entry point of the bundled CLI (`dist/cli.js`). */
import { run } from './main';
import { processOutput } from './output';

run(process.argv.slice(2), processOutput()).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`handoff-journal: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 70;
  },
);
