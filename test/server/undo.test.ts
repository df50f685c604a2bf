/**
 * Undo records through the server: written ahead of every change (a change whose record
 * cannot be saved is refused and touches nothing), and kept for changes made through
 * sudo from what the CLI printed (sudoPrepare / sudoComplete), so Undo restores the
 * exact bytes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { TestClient, testDeps } from '../support/lspClient';
import { parseChangeReport } from '../../shared/journal';

const CLI = resolve(__dirname, '../../dist/cli.js');
const FIX = resolve(__dirname, '../fixtures/rust');
const root = mkdtempSync(join(tmpdir(), 'hj-undo-'));
after(() => rmSync(root, { recursive: true, force: true }));

function journal(name: string): { path: string; uri: string } {
  mkdirSync(join(root, name), { recursive: true });
  const path = join(root, name, 'state.bin');
  copyFileSync(join(FIX, 'postcard/064-typical-sealing.bin'), path);
  return { path, uri: pathToFileURL(path).href };
}

async function server(storagePath: string): Promise<TestClient> {
  const c = TestClient.inProcess(testDeps(1_700_000_010_000));
  await c.initialize({ trusted: true, storagePath });
  return c;
}

describe('undo records', () => {
  it('a change whose undo record cannot be saved first is refused, and the journal is untouched', async () => {
    const j = journal('unsaved');
    const before = readFileSync(j.path);
    const blocker = join(root, 'not-a-folder');
    writeFileSync(blocker, 'a file where the storage folder should be');
    const c = await server(join(blocker, 'storage'));
    try {
      for (const r of [
        await c.command('handoffJournal.reset', { uri: j.uri, phase: 'AwaitingReady' }),
        await c.command('handoffJournal.delete', { uri: j.uri }),
      ]) {
        assert.deepEqual([r.ok, r.reason], [false, 'undo-unsaved'], r.message);
        assert.match(r.message, /nothing was changed: the undo record could not be saved first/);
      }
      assert.deepEqual(readFileSync(j.path), before);
    } finally {
      await c.close();
    }
  });

  it('a change made through sudo: written ahead, completed from the CLI change report (--json), undone exactly', async () => {
    const j = journal('sudo');
    const before = readFileSync(j.path);
    const c = await server(join(root, 'storage'));
    try {
      const prep = await c.command('handoffJournal.sudoPrepare', { uri: j.uri, description: 'reset through sudo' });
      assert.equal(prep.ok, true, prep.message);
      // What Retry as Sudo… runs (here without sudo: the test runs as the file's owner).
      const run = spawnSync(process.execPath, [CLI, 'reset', j.path, '--phase', 'AwaitingReady', '--json'], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      const report = parseChangeReport(run.stdout);
      assert.equal(report?.ok, true, run.stdout);
      assert.equal(report?.before, before.toString('hex'));
      assert.equal(report?.after, readFileSync(j.path).toString('hex'));
      const done = await c.command('handoffJournal.sudoComplete', { uri: j.uri, ok: true, before: report?.before, after: report?.after });
      assert.equal(done.ok, true, done.message);
      const u = await c.command('handoffJournal.undo', { uri: j.uri });
      assert.equal(u.ok, true, u.message);
      assert.deepEqual(readFileSync(j.path), before, 'the exact bytes are back');
    } finally {
      await c.close();
    }
  });

  it('a sudo run that failed takes the written-ahead record back: the earlier undo still works', async () => {
    const j = journal('failed');
    const original = readFileSync(j.path);
    const c = await server(join(root, 'storage-f'));
    try {
      assert.equal((await c.command('handoffJournal.reset', { uri: j.uri, phase: 'AwaitingReady' })).ok, true);
      await c.command('handoffJournal.sudoPrepare', { uri: j.uri, description: 'delete through sudo' });
      await c.command('handoffJournal.sudoComplete', { uri: j.uri, ok: false });
      const u = await c.command('handoffJournal.undo', { uri: j.uri });
      assert.equal(u.ok, true, u.message);
      assert.deepEqual(readFileSync(j.path), original);
    } finally {
      await c.close();
    }
  });

  it(
    'as a user who may not write the journal: reset and undo are refused with the CLI arguments to run as root',
    { skip: process.getuid?.() !== 0 ? 'needs root (runs the server as nobody)' : false },
    async () => {
      chmodSync(root, 0o755);
      const j = journal('root-owned'); // root's folder 0755 and journal 0644, as the Rust writer leaves them
      const storage = mkdtempSync(join(tmpdir(), 'hj-undo-nobody-'));
      chmodSync(storage, 0o777);
      const c = TestClient.spawn({}, 'nobody');
      try {
        await c.initialize({ trusted: true, storagePath: storage });
        const r = await c.command('handoffJournal.reset', { uri: j.uri, phase: 'AwaitingReady', force: true });
        assert.deepEqual([r.ok, r.reason], [false, 'file-error'], r.message);
        assert.match(r.message, /permission denied .* owned by root .*, and you are nobody \(uid \d+\)/);
        assert.deepEqual(r.sudoArgs, ['reset', j.path, '--phase', 'AwaitingReady', '--force']);
        const del = await c.command('handoffJournal.delete', { uri: j.uri });
        assert.deepEqual(del.sudoArgs, ['delete', j.path]);
      } finally {
        await c.close();
        rmSync(storage, { recursive: true, force: true });
      }
    },
  );

  it('undo through sudo runs the CLI restore: the exact bytes back, and never over a later change', async () => {
    const j = journal('restore');
    const original = readFileSync(j.path).toString('hex');
    const c = await server(join(root, 'storage-r'));
    try {
      assert.equal((await c.command('handoffJournal.reset', { uri: j.uri, phase: 'AwaitingReady' })).ok, true);
      const now = readFileSync(j.path).toString('hex');
      // Run the restore the server would hand to sudo, with the record it keeps.
      const args = ['restore', j.path, '--bytes', original, '--expect', now];
      const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(readFileSync(j.path).toString('hex'), original);
      const again = spawnSync(process.execPath, [CLI, ...args, '--json'], { encoding: 'utf8' });
      assert.equal(again.status, 0, 'a second restore finds the bytes already back and writes nothing');
      assert.match(String(parseChangeReport(again.stdout)?.message), /already holds/);
      // A later change (the supervisor's): the restore refuses to overwrite it.
      writeFileSync(j.path, Buffer.from(now, 'hex'));
      const later = readFileSync(j.path).toString('hex');
      const stale = spawnSync(process.execPath, [CLI, 'restore', j.path, '--bytes', original, '--expect', original.replace(/..$/, '00')], {
        encoding: 'utf8',
      });
      assert.equal(stale.status, 5, 'the journal changed since: refused');
      assert.equal(readFileSync(j.path).toString('hex'), later, 'nothing written');
    } finally {
      await c.close();
    }
  });
});
