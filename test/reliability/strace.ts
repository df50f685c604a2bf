/**
 * The syscall order of a reset, traced with `strace -f`: the temp file is written and
 * fsynced before the rename, and the parent directory is opened and fsynced after it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLI } from './hostile';

export const hasStrace = spawnSync('strace', ['-V']).status === 0;

export interface TraceResult {
  ok: boolean;
  steps: string[];
  problem?: string;
}

export function traceReset(): TraceResult {
  const dir = mkdtempSync(join(tmpdir(), 'hj-strace-'));
  const path = join(dir, 'state.bin');
  const log = join(dir, 'trace.log');
  copyFileSync(resolve(__dirname, '../fixtures/rust/postcard/064-typical-sealing.bin'), path);
  try {
    const r = spawnSync(
      'strace',
      [
        '-f',
        '-qq',
        '-e',
        'trace=openat,write,pwrite64,fsync,fdatasync,rename,renameat,renameat2,close',
        '-o',
        log,
        process.execPath,
        CLI,
        'reset',
        path,
        '--phase',
        'AwaitingReady',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (r.status !== 0) return { ok: false, steps: [], problem: `reset under strace exited ${r.status}: ${r.stderr}` };
    return checkOrder(readFileSync(log, 'utf8'), path, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Follows file descriptors through the trace and checks the order of the durable steps. */
export function checkOrder(trace: string, path: string, dir: string): TraceResult {
  const tmp = `${path}.tmp`;
  const fds = new Map<string, string>();
  const steps: string[] = [];
  for (const line of trace.split('\n')) {
    const open = /openat\(AT_FDCWD, "([^"]+)", ([^)]*)\) = (\d+)/.exec(line);
    if (open) {
      fds.set(open[3] as string, open[1] as string);
      if (open[1] === tmp && /O_CREAT/.test(open[2] as string)) steps.push('open tmp');
      if (open[1] === dir && /O_DIRECTORY/.test(open[2] as string)) steps.push('open dir');
      continue;
    }
    const sync = /f(?:data)?sync\((\d+)\)\s+= 0/.exec(line);
    if (sync) {
      const target = fds.get(sync[1] as string);
      if (target === tmp) steps.push('fsync tmp');
      if (target === dir) steps.push('fsync dir');
      continue;
    }
    const write = /(?:p?write64|write)\((\d+),.*\) = \d+/.exec(line);
    if (write && fds.get(write[1] as string) === tmp) {
      if (steps[steps.length - 1] !== 'write tmp') steps.push('write tmp');
      continue;
    }
    if (/rename(?:at2?)?\(.*"([^"]+)".*"([^"]+)"/.test(line) && line.includes(`"${tmp}"`) && line.includes(`"${path}"`) && /= 0/.test(line))
      steps.push('rename');
  }
  const want = ['open tmp', 'write tmp', 'fsync tmp', 'rename', 'open dir', 'fsync dir'];
  const ok = want.every((s, i) => steps.indexOf(s) >= 0 && (i === 0 || steps.indexOf(s) > steps.indexOf(want[i - 1] as string)));
  return ok ? { ok, steps } : { ok, steps, problem: `expected ${want.join(' -> ')}, saw ${steps.join(' -> ')}` };
}
