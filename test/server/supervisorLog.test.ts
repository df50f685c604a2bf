/**
 * The server against a fake supervisor with the real supervisor's timing (a handoff in a
 * few milliseconds), reply format and log lines: trigger replies, handoffs that come and
 * go between two reads, and the supervisor-log view with its findings joining the
 * journal's history.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { encodeJournal } from '../../shared/journal';
import { deleteJournalFile, writeJournalAtomic } from '../../shared/journal/node';
import type { FakeConfigPaths } from '../support/fakeSupervisor';
import { TestClient, testDeps } from '../support/lspClient';
import { startSupervisedServer, type SupervisedServer } from '../support/supervisedServer';

const root = mkdtempSync(join(tmpdir(), 'hj-suplog-'));
const virtual = (path: string, scheme = 'handoff-journal'): string => pathToFileURL(path).href.replace(/^file:/, `${scheme}:`);

describe('real-timing supervisor: replies, quick handoffs and its log', () => {
  let s: SupervisedServer;
  let kv: FakeConfigPaths;
  let c: TestClient;
  let logFile: string;
  before(async () => {
    s = await startSupervisedServer(root);
    ({ kv, c, logFile } = s);
  });
  after(async () => {
    await s.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('a committed handoff: the reply is parsed and recorded in the history', async () => {
    await c.content(virtual(kv.journal));
    const r = await c.command('handoffJournal.trigger', { config: kv.config });
    assert.equal(r.ok, true, r.message);
    assert.equal(r.outcome, 'committed');
    assert.match(r.message, /^handoff [0-9a-f-]{36} committed$/);
    const text = (await c.content(virtual(kv.journal))).text;
    assert.match(text, new RegExp(`\\[reply\\] the supervisor replied: committed`));
    assert.doesNotMatch(text, /ERROR/);
  });

  it('an aborted handoff: the log view shows its lines and the reason as a diagnostic; reading it changes nothing, joinLog joins it to the history', async () => {
    const r = await c.command('handoffJournal.trigger', { config: kv.config, binary: '/usr/local/bin/kv-seal-fail' });
    assert.equal(r.outcome, 'aborted', r.message);
    assert.match(r.message, /aborted: seal failed: protocol violation: injected seal failure/);
    const uri = `${virtual(kv.journal, 'handoff-journal-log')}?id=${r.handoffId}`;
    const log = (await c.content(uri)).text;
    assert.match(log, /handoff\.abort/);
    assert.match(log, new RegExp(`file ${logFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.doesNotMatch(log, /\u001b/);
    await c.waitFor('log diagnostics', () => (c.diagnostics.get(uri)?.diagnostics ?? []).some((d) => d.code === 'HJ090'));
    const abort = c.diagnostics.get(uri)?.diagnostics.find((d) => d.code === 'HJ090');
    assert.match(String(abort?.message), /seal failed: protocol violation: injected seal failure/);
    const line = log.split('\n')[abort?.range.start.line ?? -1] ?? '';
    assert.match(line, /handoff\.abort/, 'the diagnostic sits on the abort line');
    // Reads change nothing: the decoded view is the same before and after the log was read.
    const before = (await c.content(virtual(kv.journal))).text;
    assert.doesNotMatch(before, /\[log\] handoff/);
    await c.content(uri);
    assert.equal((await c.content(virtual(kv.journal))).text, before);
    const joined = await c.command('handoffJournal.joinLog', { uri });
    assert.equal(joined.ok, true, joined.message);
    const view = (await c.content(virtual(kv.journal))).text;
    assert.match(view, /\[log\] handoff\.abort: /);
  });

  it('the old process dies after Drained: err: perform_handoff; the view says a failed handoff left the journal, not a live one; the log says failed', async () => {
    const r = await c.command('handoffJournal.trigger', { config: kv.config, binary: '/usr/local/bin/kv-old-dies' });
    assert.deepEqual([r.ok, r.outcome, r.triggerClass], [false, 'handoff-failed', 'failed']);
    assert.match(r.message, /the handoff failed inside the supervisor \(err: perform_handoff\)/);
    const virt = virtual(kv.journal);
    const codes = (): string[] => (c.diagnostics.get(virt)?.diagnostics ?? []).map((d) => String(d.code));
    await c.content(virt);
    await c.waitFor('HJ054', () => codes().includes('HJ054'));
    assert.ok(!codes().includes('HJ053'), codes().join(' '));
    assert.match((await c.content(virt)).text, /phase\s+Draining/);
    const uri = virtual(kv.journal, 'handoff-journal-log');
    const log = (await c.content(uri)).text;
    assert.match(log, /^outcome {5}failed \(the supervisor gave up: err: perform_handoff\)$/m);
    assert.match(log, /HJ096/);
    assert.equal((await c.command('handoffJournal.joinLog', { uri })).ok, true);
    await c.waitFor('HJ096 on the journal view', () => codes().includes('HJ096'));
  });

  it('a supervisor killed mid-handoff: an empty reply says so, and the journal stays', async () => {
    const r = await c.command('handoffJournal.trigger', { config: kv.config, binary: '/usr/local/bin/kv-kill' });
    assert.equal(r.outcome, 'closed', r.message);
    assert.match(r.message, /closed the connection without a reply: it died mid-handoff/);
    const view = (await c.content(virtual(kv.journal))).text;
    assert.match(view, /phase\s+Draining/);
  });
});

describe('a handoff that comes and goes between two reads', () => {
  it('is recorded from the directory events, and a burst is summarised', async () => {
    const dir = join(root, 'quick', 'svc');
    const path = join(dir, 'state.bin');
    const c = TestClient.inProcess(testDeps(Date.now(), {}, { now: () => Date.now() }));
    try {
      await c.initialize({ trusted: true, storagePath: join(root, 'storage-q') });
      mkdirSync(dir, { recursive: true });
      assert.match((await c.content(virtual(path))).text, /no journal/);
      const j = {
        handoff_id: new Uint8Array(16).fill(0x42),
        phase: 'Negotiating' as const,
        incumbent_pid: 1,
        successor_pid: 2,
        started_at_unix_ms: 1n,
      };
      for (let i = 0; i < 3; i++) {
        // Written and deleted within a millisecond or two, like the real supervisor's quick handoff.
        await writeJournalAtomic(path, encodeJournal(j, 'postcard'));
        await deleteJournalFile(path);
        await c.waitFor(`quick handoff ${i + 1}`, () => c.refreshes.length > i);
        const text = (await c.content(virtual(path))).text;
        if (new RegExp(`${i + 1} handoffs? ran`).test(text)) continue;
        assert.fail(`after ${i + 1} quick handoffs the history says:\n${text}`);
      }
      const text = (await c.content(virtual(path))).text;
      assert.match(text, /at least 3 handoffs ran and ended within \d+ s of each other/);
      assert.equal(text.split('\n').filter((l) => /handoffs ran/.test(l)).length, 1, 'one summary line');
    } finally {
      await c.close();
    }
  });
});

describe('reads change nothing', () => {
  it('content requests for the decoded view and the log view send no state, refresh or diagnostics of the journal', async () => {
    const dir = join(root, 'reads', 'kv');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'state.bin');
    const logFile = join(root, 'reads-kv.log');
    const id = '42424242-4242-4242-4242-424242424242';
    // The real supervisor's tracing format (test/fixtures/logs), without colour.
    const line = (t: string, level: string, event: string, msg: string, fields: string): string =>
      `2026-12-03T07:00:0${t}.000000Z ${level} ${event}: ${msg} handoff_id=${id} ${fields}\n`;
    writeFileSync(
      logFile,
      line('1', ' INFO', 'handoff.prepare', 'prepare handoff', 'successor_pid=2') +
        line('2', ' WARN', 'handoff.abort', 'seal failed; aborting handoff', 'error=injected'),
    );
    const j = {
      handoff_id: new Uint8Array(16).fill(0x42),
      phase: 'Draining' as const,
      incumbent_pid: 1,
      successor_pid: 2,
      started_at_unix_ms: 1n,
    };
    await writeJournalAtomic(path, encodeJournal(j, 'postcard'));
    const c = TestClient.inProcess(testDeps(Date.now(), {}, { now: () => Date.now() }));
    try {
      await c.initialize({ trusted: true, storagePath: join(root, 'storage-r'), logFiles: { kv: logFile } });
      const first = (await c.content(virtual(path))).text;
      const counts = (): number[] => [c.states.length, c.refreshes.length, c.diagnostics.get(virtual(path))?.diagnostics.length ?? 0];
      const settled = counts();
      const logUri = `${virtual(path, 'handoff-journal-log')}?id=${id}`;
      for (let i = 0; i < 3; i++) {
        assert.match((await c.content(logUri)).text, /handoff\.abort/);
        assert.equal((await c.content(virtual(path))).text, first);
      }
      assert.deepEqual(counts(), settled, 'no journal state, refresh or diagnostics were sent for the reads');
      assert.equal((await c.command('handoffJournal.joinLog', { uri: logUri })).ok, true);
      await c.waitFor('the joined history', () => c.refreshes.length > settled[1]! || c.states.length > settled[0]!);
      assert.match((await c.content(virtual(path))).text, /\[log\] handoff\.abort/);
    } finally {
      await c.close();
    }
  });
});
