/** Undo records: kept per path outside the journal's folder, restored only into the path they came from. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { UndoStore } from '../../server/src/commands/undoStore';

const root = mkdtempSync(join(tmpdir(), 'hj-undo-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('UndoStore', () => {
  const store = new UndoStore(() => join(root, 'storage'));

  it('round-trips a record by path', async () => {
    await store.save({ path: '/var/lib/x/state.bin', before: new Uint8Array([1, 2]), after: null, at: 5, description: 'deleted' });
    const r = await store.load('/var/lib/x/state.bin');
    assert.deepEqual([r?.path, r?.before && [...r.before], r?.after], ['/var/lib/x/state.bin', [1, 2], null]);
    assert.equal(await store.load('/var/lib/y/state.bin'), undefined);
    await store.clear('/var/lib/x/state.bin');
    assert.equal(await store.load('/var/lib/x/state.bin'), undefined);
  });

  it('ignores a record that names another path (tampered or colliding)', async () => {
    await store.save({ path: '/a/state.bin', before: new Uint8Array([9]), after: new Uint8Array([8]), at: 1, description: 'reset' });
    const file = readdirSync(join(root, 'storage')).find((f) => f.startsWith('undo-')) as string;
    const rec = JSON.parse(readFileSync(join(root, 'storage', file), 'utf8')) as { path: string };
    rec.path = '/etc/passwd';
    writeFileSync(join(root, 'storage', file), JSON.stringify(rec));
    assert.equal(await store.load('/a/state.bin'), undefined);
  });
});
