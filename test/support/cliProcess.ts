/**
 * The one way tests run the bundled CLI (`dist/cli.js`, built by `npm run compile`) as a
 * process: `cli(...)`, or `cliWith(options, ...)` for a working folder, extra environment
 * or another user (`asNobody`, through setpriv); and temp folders removed after the
 * file's tests. The Node that runs it is `HJ_CLI_NODE` when set (`npm test` runs the CLI
 * suite a second time with the cached Node 18, the oldest Node the CLI supports: Debian
 * 12's and Ubuntu 24.04's `nodejs`), else the test runner's own.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after } from 'node:test';

export const CLI = resolve(__dirname, '../../dist/cli.js');
export const FIX = resolve(__dirname, '../fixtures/rust');

/** The Node that runs the CLI in these tests. */
export const CLI_NODE = ((): string => {
  const node = process.env.HJ_CLI_NODE;
  if (!node) return process.execPath;
  if (!existsSync(node)) throw new Error(`HJ_CLI_NODE=${node} does not exist (npm run setup installs Node 18 as .cache/node18/bin/node)`);
  return resolve(node);
})();

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Added to the test's environment (NO_COLOR=1 is always set). */
  env?: NodeJS.ProcessEnv;
  /** Run as nobody (uid/gid 65534, no groups), through setpriv. */
  asNobody?: boolean;
  /** A hang guard, not a timing assertion (default 30 s). */
  timeoutMs?: number;
}

export function cliWith(o: CliOptions, ...args: string[]): CliResult {
  const argv = [CLI_NODE, CLI, ...args];
  const [file, ...rest] = o.asNobody ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...argv] : argv;
  const r = spawnSync(file as string, rest, {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...o.env },
    timeout: o.timeoutMs ?? 30_000,
    ...(o.cwd ? { cwd: o.cwd } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function cliIn(cwd: string | undefined, ...args: string[]): CliResult {
  return cliWith(cwd ? { cwd } : {}, ...args);
}

export function cli(...args: string[]): CliResult {
  return cliWith({}, ...args);
}

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

export function tmp(prefix = 'hj-cli-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
