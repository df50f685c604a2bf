/**
 * Hostile inputs of the second audit, item 1: root acts only on what the user was shown.
 * A repository's `handoff.toml` names a file outside it as its `journal` (through a
 * symlinked `data` folder, or an `/etc` path named directly); Delete → Force →
 * permission denied → Retry as Sudo… would run the CLI as root with `--config <repo
 * toml>`. Run for real: the built CLI as root (what sudo runs), and the bundled server
 * as nobody (the user who gets "permission denied").
 */
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { deleteConfirmation, forceConfirmation, resetConfirmation, sudoOfferText } from '../../client/src/pickItems';
import { TestClient } from '../support/lspClient';
import { cli, GUARD } from '../support/hostile';
import { FIX } from '../support/cliProcess';

const ROOT = process.getuid?.() === 0;
const SKIP = { ...GUARD, skip: ROOT ? false : 'needs root (runs the CLI as root and the server as nobody)' };
const IMPORTANT = 'important settings\n';

let base: string;
let repo: string;
let rootDir: string;
let etcFile: string;
let etcDir: string;
let storage: string;

/** A supervisor config as a repository would commit it. */
function config(path: string, journal: string): string {
  writeFileSync(
    path,
    `control_socket = "${repo}/c.sock"\ntrigger_socket = "${repo}/t.sock"\nbinary = "/usr/bin/kv"\njournal = "${journal}"\n`,
  );
  return path;
}

before(() => {
  if (!ROOT) return;
  base = mkdtempSync(join(tmpdir(), 'hj-hostile-sudo-'));
  chmodSync(base, 0o755);
  repo = join(base, 'repo');
  rootDir = join(base, 'root-owned');
  mkdirSync(repo, { mode: 0o755 });
  mkdirSync(rootDir, { mode: 0o755 });
  writeFileSync(join(rootDir, 'important.conf'), IMPORTANT, { mode: 0o644 });
  symlinkSync(rootDir, join(repo, 'data'));
  etcFile = `/etc/hj-hostile-${process.pid}.conf`;
  writeFileSync(etcFile, IMPORTANT, { mode: 0o644 });
  etcDir = `/etc/hj-hostile-${process.pid}.d`;
  mkdirSync(etcDir, { mode: 0o755 });
  storage = join(base, 'storage');
  mkdirSync(storage, { mode: 0o777 });
  chmodSync(storage, 0o777);
});
after(() => {
  if (!ROOT) return;
  rmSync(base, { recursive: true, force: true });
  rmSync(etcFile, { force: true });
  rmSync(etcDir, { recursive: true, force: true });
});

async function asNobody(configGlobs: string[], run: (c: TestClient) => Promise<void>): Promise<void> {
  const c = TestClient.spawn({}, 'nobody');
  try {
    await c.initialize({ trusted: true, configGlobs, storagePath: storage });
    await run(c);
  } finally {
    await c.close();
  }
}

describe('1. a repository config cannot make root delete a file that is not a journal', () => {
  it('journal = "<repo>/data/important.conf", data -> a root-owned folder: the CLI as root refuses', SKIP, () => {
    const cfg = config(join(repo, 'handoff.toml'), `${repo}/data/important.conf`);
    // What Retry as Sudo… ran: the server's sudoArgs, with --json.
    const r = cli('delete', `${repo}/data/important.conf`, '--force', '--config', cfg, '--json');
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /resolves to .*root-owned\/important\.conf\) is not a handoff journal/);
    assert.match(r.stderr, /as root, a config's `journal` counts only when the config is installed on the host/);
    assert.equal(readFileSync(join(rootDir, 'important.conf'), 'utf8'), IMPORTANT);
  });

  it('the same config in the server (as the user): refused as not a journal, nothing offered for sudo', SKIP, async () => {
    const cfg = config(join(repo, 'handoff.toml'), `${repo}/data/important.conf`);
    await asNobody([cfg], async (c) => {
      const uri = pathToFileURL(`${repo}/data/important.conf`).href;
      for (const force of [false, true]) {
        const r = await c.command('handoffJournal.delete', { uri, force });
        assert.deepEqual([r.ok, r.reason, r.sudoArgs], [false, 'not-a-journal-file', undefined], r.message);
        assert.equal(r.realPath, join(rootDir, 'important.conf'), 'the server names the real file');
      }
    });
    assert.equal(readFileSync(join(rootDir, 'important.conf'), 'utf8'), IMPORTANT);
  });

  it('journal = "/etc/…" named directly: the CLI as root refuses; the server offers no Retry as Sudo…', SKIP, async () => {
    const cfg = config(join(repo, 'etc.toml'), etcFile);
    const r = cli('delete', etcFile, '--force', '--config', cfg, '--json');
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /is not a handoff journal/);
    assert.match(r.stderr, /etc\.toml: its real path .* is not under \/etc/);
    assert.equal(readFileSync(etcFile, 'utf8'), IMPORTANT);
    await asNobody([cfg], async (c) => {
      const res = await c.command('handoffJournal.delete', { uri: pathToFileURL(etcFile).href, force: true });
      assert.deepEqual([res.ok, res.reason], [false, 'file-error'], res.message);
      assert.equal(res.sudoArgs, undefined, 'no Retry as Sudo… for an argv root would refuse');
      assert.equal(res.sudoCommand, undefined);
      assert.match(res.message, /Retry as Sudo… is not offered: the CLI run as root would refuse it too\..*not a handoff journal/);
    });
    assert.equal(readFileSync(etcFile, 'utf8'), IMPORTANT);
  });

  it('a config installed on the host (root-owned, under /etc) still counts as root; the same one in a repository does not', SKIP, () => {
    const custom = join(rootDir, 'kv.journal');
    const installed = config(join(etcDir, 'kv.toml'), custom);
    const inRepo = config(join(repo, 'kv.toml'), custom);
    copyFileSync(join(FIX, 'postcard/064-typical-sealing.bin'), custom);
    assert.equal(cli('delete', custom, '--force', '--config', inRepo).code, 3);
    assert.ok(existsSync(custom));
    const r = cli('delete', custom, '--force', '--config', installed);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(existsSync(custom), false);
  });

  it('a state.bin behind a symlinked folder: Retry as Sudo… is offered, and every prompt names the real file', SKIP, async () => {
    const live = join(base, 'live-root');
    mkdirSync(live, { mode: 0o755 });
    copyFileSync(join(FIX, 'postcard/064-typical-sealing.bin'), join(live, 'state.bin'));
    symlinkSync(live, join(repo, 'live'));
    const shown = join(repo, 'live', 'state.bin');
    const real = join(live, 'state.bin');
    await asNobody([], async (c) => {
      const r = await c.command('handoffJournal.delete', { uri: pathToFileURL(shown).href, force: true });
      assert.deepEqual([r.ok, r.reason, r.sudoArgs], [false, 'file-error', ['delete', shown, '--force']], r.message);
      assert.equal(r.realPath, real);
      const refresh = await c.command('handoffJournal.refreshJournal', { uri: pathToFileURL(shown).href });
      assert.equal(refresh.realPath, real);
      // The client's texts (client/src/pickItems.ts) with what the server said.
      assert.match(deleteConfirmation(shown, 'Sealing', refresh.realPath), new RegExp(`resolves to ${real}`));
      assert.match(
        resetConfirmation({ path: shown, realPath: real, from: 'Sealing', to: 'Draining', newId: false, now: false }),
        /resolves to/,
      );
      assert.match(forceConfirmation('Deleting', 'it is live', r.realPath), new RegExp(`The file it changes is ${real}`));
      assert.match(sudoOfferText(r.message, r.realPath), new RegExp(`As root it changes ${real}`));
    });
    assert.ok(existsSync(real));
  });
});
