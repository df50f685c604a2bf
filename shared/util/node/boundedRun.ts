/**
 * Runs a program (argv, no shell) with a time limit and a cap on the bytes read from
 * its stdout, so a log query can never hang the CLI or the language server, nor fill
 * its memory. The program runs in a process group of its own: on timeout, or when the
 * cap is reached, the whole group is killed (SIGKILL), so a background grandchild dies
 * with it; and once the program itself has exited, what it left running in its group is
 * killed too, and the wait for its output ends after a short grace even if a process
 * that left the group still holds stdout.
 */
import { spawn } from 'node:child_process';
import { errnoCode } from './fileErrors';

export interface RunLimits {
  /** Default 15 s. */
  timeoutMs?: number;
  /** Cap on stdout bytes kept; default 32 MiB. */
  maxBytes?: number;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
/** stderr is only read for messages. */
const MAX_STDERR = 64 * 1024;
/** After the program exits, how long its output may still take to drain. */
const DRAIN_MS = 500;

export interface RunResult {
  /** Exit code, null when killed or not started. */
  code: number | null;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
  /** stdout reached `maxBytes` and the child was killed. */
  truncated: boolean;
  /** The errno code when the program could not be started (`ENOENT`, `EACCES`). */
  spawnError?: string;
}

export function runBounded(argv: readonly string[], limits: RunLimits = {}, env?: NodeJS.ProcessEnv): Promise<RunResult> {
  const [file, ...args] = argv;
  const timeoutMs = limits.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let timedOut = false;
    let truncated = false;
    let settled = false;
    // detached: the child leads a new process group (and session), so `kill(-pid)` reaches all it started.
    const child = spawn(file ?? '', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...(env ? { env } : {}) });
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    };
    let drain: NodeJS.Timeout | undefined;
    const finish = (r: Partial<RunResult>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(drain);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve({ code: null, stdout: Buffer.concat(out, size), stderr, timedOut, truncated, ...r });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
      // A process that left the group may hold the pipes: stop waiting for them now.
      finish({});
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      if (truncated) return;
      const room = maxBytes - size;
      out.push(d.length > room ? d.subarray(0, room) : d);
      size += Math.min(d.length, room);
      if (size >= maxBytes) {
        truncated = true;
        killGroup();
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < MAX_STDERR) stderr += d.toString('utf8').slice(0, MAX_STDERR - stderr.length);
    });
    child.on('error', (e) => finish({ spawnError: errnoCode(e) ?? e.message }));
    // The program exited: what it left in its group goes; its output drains, within a grace.
    child.on('exit', (code) => {
      killGroup();
      drain = setTimeout(() => finish({ code }), DRAIN_MS);
    });
    child.on('close', (code) => finish({ code }));
  });
}
