/**
 * Child process of the concurrency test. `reset` mode loops the CLI's reset like an
 * operator's repair; `supervisor` mode plays the supervisor: a new handoff through
 * every phase, written through the shared atomic-write module, again and again.
 * Runs for the given number of milliseconds, then prints its iteration count.
 */
import { randomBytes } from 'node:crypto';
import { run } from '../../cli/main';
import type { Output } from '../../cli/output';
import { encodeJournal, PHASES, newV4 } from '../../shared/journal';
import { writeJournalAtomic } from '../../shared/journal/node';

const [mode, path, msText] = process.argv.slice(2) as [string, string, string];
const until = Date.now() + Number(msText);
const quiet: Output = {
  stdout: () => undefined,
  stdoutBytes: () => undefined,
  stderr: () => undefined,
  error: () => undefined,
  color: false,
};

async function main(): Promise<void> {
  let n = 0;
  let failed = 0;
  while (Date.now() < until) {
    if (mode === 'reset') {
      const code = await run(['reset', path, '--phase', n % 2 ? 'Sealing' : 'AwaitingReady', '--force'], quiet);
      if (code !== 0) failed++;
    } else {
      const id = newV4((k) => new Uint8Array(randomBytes(k)));
      for (const phase of PHASES.slice(0, 5)) {
        const w = await writeJournalAtomic(
          path,
          encodeJournal(
            { handoff_id: id, phase, incumbent_pid: process.pid, successor_pid: process.pid, started_at_unix_ms: BigInt(Date.now()) },
            'postcard',
          ),
        );
        if (!w.ok) failed++;
      }
    }
    n++;
  }
  process.stdout.write(`${JSON.stringify({ iterations: n, failed })}\n`);
}

void main();
