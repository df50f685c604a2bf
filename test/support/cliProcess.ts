/** Runs the bundled CLI (`dist/cli.js`, built by `npm run compile`) as a process, and temp folders removed after the file's tests. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after } from 'node:test';

export const CLI = resolve(__dirname, '../../dist/cli.js');
export const FIX = resolve(__dirname, '../fixtures/rust');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cliIn(cwd: string | undefined, ...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 20_000,
    ...(cwd ? { cwd } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function cli(...args: string[]): CliResult {
  return cliIn(undefined, ...args);
}

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

export function tmp(prefix = 'hj-cli-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
