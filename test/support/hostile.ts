/** What the hostile-input suites share: the built CLI as a process, temp folders, fixture journals, an in-process server. */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after } from 'node:test';
import { TestClient, testDeps } from './lspClient';

const FIX = resolve(__dirname, '../fixtures/rust');
export const root = mkdtempSync(join(tmpdir(), 'hj-hostile-'));
after(() => rmSync(root, { recursive: true, force: true }));
export const NOW = 1_700_000_010_000;
/** A hang guard for the node:test runner, not a timing assertion. */
export const GUARD = { timeout: 20_000 };

export { cli } from './cliProcess';

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
