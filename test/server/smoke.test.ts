/**
 * The one test of the bundled server as it ships (`dist/server.js`, spawned over stdio
 * with the flags the extension uses): it starts, serves a decoded view, pushes
 * diagnostics, trusts nobody by default, and exits on `exit`. Every other server test
 * runs `startServer` in process (lspClient.ts).
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, it } from 'node:test';
import { version as PACKAGE_VERSION } from '../../package.json';
import { TestClient } from '../support/lspClient';

const root = mkdtempSync(join(tmpdir(), 'hj-smoke-'));
after(() => rmSync(root, { recursive: true, force: true }));

it('the bundled server starts over stdio, decodes, diagnoses, refuses changes until trusted, and exits', async () => {
  const dir = join(root, 'kv');
  mkdirSync(dir);
  const path = join(dir, 'state.bin');
  copyFileSync(resolve(__dirname, '../fixtures/rust/postcard/064-typical-sealing.bin'), path);
  const virt = pathToFileURL(path).href.replace(/^file:/, 'handoff-journal:');
  const c = TestClient.spawn();
  try {
    // No initializationOptions at all: the server must not trust this client.
    const init = (await c.initialize()) as { serverInfo?: { name: string; version: string } };
    assert.deepEqual(init.serverInfo, { name: 'handoff-journal', version: PACKAGE_VERSION }, 'the version the VSIX and the .deb share');
    assert.match((await c.content(virt)).text, /phase\s+Sealing/);
    await c.waitFor('diagnostics', () => c.diagnostics.has(virt));
    const r = await c.command('handoffJournal.delete', { uri: virt, force: true });
    assert.deepEqual([r.ok, r.reason], [false, 'untrusted']);
    assert.ok(existsSync(path));
  } finally {
    await c.close();
  }
  assert.equal(await c.exited, 0, 'the server process ends with 0 after shutdown and exit');
});
