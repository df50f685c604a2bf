/** Supervisor-aware features against a fake supervisor process with a real trigger socket. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { encodeJournal } from '../../shared/journal';
import { writeJournalAtomic, procProcessTable } from '../../shared/journal/node';
import { startFakeSupervisor, writeFakeConfig, type FakeConfigPaths, type FakeSupervisor } from '../support/fakeSupervisor';
import { TestClient, testDeps } from '../support/lspClient';
import { cli } from '../support/cliProcess';

const root = mkdtempSync(join(tmpdir(), 'hj-sup-'));
const NOW = Date.now();

describe('supervisor configs, sockets and the trigger', () => {
  let kv: FakeConfigPaths;
  let sup: FakeSupervisor;
  let c: TestClient;
  before(async () => {
    kv = writeFakeConfig(root, 'kv');
    writeFakeConfig(root, 'quiet'); // never started: its sockets do not exist
    sup = await startFakeSupervisor(kv.config, 30);
    c = TestClient.inProcess(testDeps(NOW, {}, { processTable: procProcessTable }));
    await c.initialize({ trusted: true, storagePath: join(root, 'storage'), configGlobs: [join(root, 'etc/*.toml')] });
  });
  after(async () => {
    await c.close();
    await sup.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists each configured service with its journal path, deadlines and socket state, idle without a journal', async () => {
    const r = (await c.conn.sendRequest('handoffJournal/listJournals', { patterns: [], configGlobs: [join(root, 'etc/*.toml')] })) as {
      services: {
        name: string;
        journal: string;
        deadlineSecs: number;
        drainGraceSecs: number;
        trigger: { bound: boolean; summary: string };
        state?: { state: string };
      }[];
    };
    const byName = Object.fromEntries(r.services.map((s) => [s.name, s]));
    assert.deepEqual(Object.keys(byName).sort(), ['kv', 'quiet']);
    assert.equal(byName.kv?.journal, kv.journal);
    assert.deepEqual([byName.kv?.deadlineSecs, byName.kv?.drainGraceSecs], [30, 10]);
    assert.equal(byName.kv?.trigger.bound, true);
    assert.match(byName.kv?.trigger.summary ?? '', new RegExp(`bound by pid ${sup.pid}`));
    assert.equal(byName.quiet?.trigger.bound, false);
    assert.equal(byName.kv?.state?.state, 'missing');
  });

  it("judges a journal against its supervisor's deadline_secs", async () => {
    const j = {
      handoff_id: new Uint8Array(16).fill(0x44),
      phase: 'Sealing' as const,
      incumbent_pid: 1,
      successor_pid: 2,
      started_at_unix_ms: BigInt(NOW - 45_000),
    };
    await writeJournalAtomic(kv.journal, encodeJournal(j, 'postcard'));
    const virt = pathToFileURL(kv.journal).href.replace(/^file:/, 'handoff-journal:');
    await c.content(virt);
    await c.waitFor('HJ040', () => (c.diagnostics.get(virt)?.diagnostics ?? []).some((d) => d.code === 'HJ040'));
    const d = c.diagnostics.get(virt)?.diagnostics.find((x) => x.code === 'HJ040');
    assert.match(String(d?.message ?? ''), /30 s handoff deadline \(deadline_secs in .*kv\.toml\)/);
    rmSync(kv.journal);
  });

  it('triggers a handoff, follows the journal, and returns the supervisor reply', async () => {
    const virt = pathToFileURL(kv.journal).href.replace(/^file:/, 'handoff-journal:');
    await c.content(virt);
    const refreshes = c.refreshes.length;
    const r = await c.command('handoffJournal.trigger', { config: kv.config });
    assert.equal(r.ok, true, r.message);
    assert.match(r.message, /^handoff [0-9a-f-]{36} committed$/);
    assert.equal(r.outcome, 'committed');
    assert.ok(c.refreshes.length > refreshes, 'the open view followed the journal');
    const text = (await c.content(virt)).text;
    assert.match(text, /AwaitingReady -> Committed/);
  });

  it('refuses a trigger for a config it did not discover, or a binary with spaces', async () => {
    assert.equal((await c.command('handoffJournal.trigger', { config: '/etc/passwd' })).reason, 'bad-arguments');
    assert.equal((await c.command('handoffJournal.trigger', { config: kv.config, binary: '/bin/x; rm -rf /' })).reason, 'bad-arguments');
  });

  it('the CLI status shows every service, idle or not, as text and JSON', () => {
    const run = (...a: string[]): { code: number | null; out: string } => {
      const p = cli('status', ...a);
      return { code: p.code, out: p.stdout + p.stderr };
    };
    const t = run(join(root, 'etc/kv.toml'), join(root, 'etc/quiet.toml'));
    assert.equal(t.code, 0, t.out);
    assert.match(t.out, /^kv {2}\(/m);
    assert.match(t.out, /journal\s+.*kv\/state\.bin: idle/);
    assert.match(t.out, new RegExp(`trigger socket\\s+.*kv-trigger\\.sock: bound by pid ${sup.pid}`));
    assert.match(t.out, /quiet-trigger\.sock: no socket file/);
    const j = JSON.parse(run(join(root, 'etc/kv.toml'), '--json').out) as {
      services: { name: string; deadline_secs: number; trigger_socket: { bound: boolean } }[];
    };
    assert.deepEqual([j.services[0]?.name, j.services[0]?.deadline_secs, j.services[0]?.trigger_socket.bound], ['kv', 30, true]);
    assert.equal(run(join(root, 'nope.toml')).code, 4);
  });
});
