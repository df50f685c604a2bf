/**
 * Child process of the crash test: resets one journal through the CLI's own entry
 * (`run` from cli/main.ts, the code `dist/cli.js` runs), alternating two phases, until
 * it is killed. Prints "ready" once the first reset landed.
 */
import { run } from '../../cli/main';
import type { Output } from '../../cli/output';

const path = process.argv[2] as string;
const phases = ['AwaitingReady', 'Sealing'] as const;
const quiet: Output = {
  stdout: () => undefined,
  stdoutBytes: () => undefined,
  stderr: (s) => void process.stderr.write(s),
  error: (m) => void process.stderr.write(`${m}\n`),
  color: false,
};

async function main(): Promise<void> {
  for (let i = 0; ; i++) {
    const code = await run(['reset', path, '--phase', phases[i % 2] as string, '--force'], quiet);
    if (code !== 0) process.stderr.write(`reset exited ${code}\n`);
    if (i === 0) process.stdout.write('ready\n');
  }
}

void main();
