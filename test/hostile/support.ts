/** What the hostile-input suites share: the built CLI as a process, temp folders, fixture journals, an in-process server. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after } from 'node:test';
import { TestClient, testDeps } from '../server/lspClient';

const CLI = resolve(__dirname, '../../dist/cli.js');
const FIX = resolve(__dirname, '../fixtures/rust');
export const root = mkdtempSync(join(tmpdir(), 'hj-hostile-'));
after(() => rmSync(root, { recursive: true, force: true }));
export const NOW = 1_700_000_010_000;
/** A hang guard for the node:test runner, not a timing assertion. */
export const GUARD = { timeout: 20_000 };

export function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function dir(name: string): string {
  const d = join(root, name);
  mkdirSync(d, { recursive: true });
  return d;
}

export function journalIn(d: string, fixture = 'postcard/064-typical-sealing.bin'): string {
  const p = join(d, 'state.bin');
  copyFileSync(join(FIX, fixture), p);
  return p;
}

export async function server(processTable = testDeps(NOW).processTable): Promise<TestClient> {
  const c = TestClient.inProcess(testDeps(NOW, {}, { processTable }));
  await c.initialize({ trusted: true, storagePath: join(root, 'storage') });
  return c;
}
