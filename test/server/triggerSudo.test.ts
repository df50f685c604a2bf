/**
 * Trigger Handoff… as an unprivileged user: the bundled server (`dist/server.js`) run as
 * nobody against the fake supervisor in 0.2 mode (run as root, as a supervisor is). The
 * 0600 root socket, and `err: not permitted` through a socket opened wider, are refused
 * for who the user is, and the result carries the CLI arguments that send the same
 * trigger as root (`sudoArgs`, what Retry as Sudo… runs); the services list shows who may
 * trigger, with user names, and that the config needs 0.2.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeSupervisor, triggerHost, writeFakeConfig, type FakeConfigPaths, type FakeSupervisor } from '../support/fakeSupervisor';
import { TestClient } from '../support/lspClient';

describe('a trigger refused for permission carries sudoArgs (the server as nobody)', () => {
  const host = triggerHost('hj-sudo-trig-');
  let shut: FakeConfigPaths;
  let wide: FakeConfigPaths;
  const sups: FakeSupervisor[] = [];
  let c: TestClient;
  before(async () => {
    shut = writeFakeConfig(host.root, 'shut', 'allowed_uids = [0, 4242424]');
    wide = writeFakeConfig(host.root, 'wide', `allowed_binaries = ["${host.bin('kv-next')}"]`);
    sups.push(await startFakeSupervisor(shut.config, undefined, { version: '0.2' }));
    sups.push(await startFakeSupervisor(wide.config, undefined, { version: '0.2', socketMode: 0o666 }));
    c = TestClient.spawn({}, 'nobody');
    await c.initialize({ trusted: true, configGlobs: [join(host.root, 'etc/*.toml')] });
  });
  after(async () => {
    await c.close();
    await Promise.all(sups.map((s) => s.stop()));
    rmSync(host.root, { recursive: true, force: true });
  });

  it('the 0600 root socket: permission-denied, with sudoArgs and the lasting fix (allowed_uids)', async () => {
    const r = await c.command('handoffJournal.trigger', { config: shut.config });
    assert.deepEqual([r.ok, r.outcome, r.triggerClass, r.reason], [false, 'permission-denied', 'unreachable', 'trigger-failed']);
    assert.deepEqual(r.sudoArgs, ['trigger', shut.config]);
    assert.equal(r.sudoCommand, `sudo handoff-journal trigger ${shut.config}`);
    assert.match(
      r.message,
      /the trigger socket is 0600, owned by root: run as root \(Retry as Sudo…\) or ask for your uid 65534 in `allowed_uids`/,
    );
  });

  it('err: not permitted through a wider socket: refused, with sudoArgs (the binary kept)', async () => {
    const r = await c.command('handoffJournal.trigger', { config: wide.config, binary: host.bin('kv-next') });
    assert.deepEqual([r.ok, r.outcome, r.triggerClass], [false, 'not-permitted', 'refused']);
    assert.deepEqual(r.sudoArgs, ['trigger', wide.config, '--binary', host.bin('kv-next')]);
    assert.match(r.message, /your uid 65534 is not in `allowed_uids` of \S+wide\.toml: add it there, or run as root \(Retry as Sudo…\)/);
  });

  it('a refusal for another reason carries none', async () => {
    const r = await c.command('handoffJournal.trigger', { config: wide.config, binary: '/nope/x y' });
    assert.deepEqual([r.ok, r.reason, r.sudoArgs], [false, 'bad-arguments', undefined]);
  });

  it('the services list: allowed_uids with user names, allowed_binaries, and the version the config needs', async () => {
    const r = (await c.conn.sendRequest('handoffJournal/listJournals', { patterns: [], configGlobs: [join(host.root, 'etc/*.toml')] })) as {
      services: { name: string; allowedUids: { uid: number; name?: string }[]; allowedBinaries: string[]; versionNote?: string }[];
    };
    const byName = Object.fromEntries(r.services.map((s) => [s.name, s]));
    assert.deepEqual(byName.shut?.allowedUids, [{ uid: 0, name: 'root' }, { uid: 4242424 }]);
    assert.deepEqual(byName.wide?.allowedBinaries, [host.bin('kv-next')]);
    assert.equal(byName.shut?.versionNote, 'uses allowed_uids: needs beyond-handoff 0.2 or later; 0.1 refuses it');
  });
});
