/**
 * Runs a program (argv, no shell) with a time limit and a cap on the bytes read from
 * its stdout, so a log query can never hang the CLI or the language server, nor fill
 * its memory: on timeout or when the cap is reached the child is killed (SIGKILL).
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
    const child = spawn(file ?? '', args, { stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env } : {}) });
    const finish = (r: Partial<RunResult>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ code: null, stdout: Buffer.concat(out, size), stderr, timedOut, truncated, ...r });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      if (truncated) return;
      const room = maxBytes - size;
      out.push(d.length > room ? d.subarray(0, room) : d);
      size += Math.min(d.length, room);
      if (size >= maxBytes) {
        truncated = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < MAX_STDERR) stderr += d.toString('utf8').slice(0, MAX_STDERR - stderr.length);
    });
    child.on('error', (e) => finish({ spawnError: errnoCode(e) ?? e.message }));
    child.on('close', (code) => finish({ code }));
  });
}
