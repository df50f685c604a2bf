/**
 * A service's handoffs from its supervisor's log in the editor: the fake supervisor (real
 * timing, real log format) runs a burst of handoffs faster than a directory watch can
 * count; the server reads its log (incrementally, one read at a time) and the count and
 * each handoff come from the log: the HandoffHistory request lists them newest first, with
 * failures and their reasons, and the decoded view's history shows them in place of the
 * watcher's "at least N handoffs ran". The server's file descriptors stay flat meanwhile.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { HandoffHistoryRequest, type HandoffHistoryResult } from '../../shared/protocol';
import { sendTrigger } from '../../shared/supervisor/node';
import type { FakeConfigPaths } from '../support/fakeSupervisor';
import type { TestClient } from '../support/lspClient';
import { startSupervisedServer, type SupervisedServer } from '../support/supervisedServer';

const root = mkdtempSync(join(tmpdir(), 'hj-history-srv-'));
const virtual = (path: string): string => pathToFileURL(path).href.replace(/^file:/, 'handoff-journal:');
const fds = (): number => readdirSync('/proc/self/fd').length;

/** Re-asks until `ok` holds (the server reads the log a moment after the journal changed). */
async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v).slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('History: a service’s handoffs from its supervisor’s log', () => {
  let s: SupervisedServer;
  let kv: FakeConfigPaths;
  let c: TestClient;
  const history = (limit?: number): Promise<HandoffHistoryResult> =>
    c.conn.sendRequest(HandoffHistoryRequest.method, { config: kv.config, ...(limit !== undefined ? { limit } : {}) });

  before(async () => {
    // The supervisor has run before: its journal's folder is there (a new one is polled for until it appears).
    s = await startSupervisedServer(root, { journalFolder: true });
    ({ kv, c } = s);
  });
  after(async () => {
    await s.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('a burst of 30 handoffs: the log counts them all, the watcher’s lower bound goes, fds stay flat', async () => {
    assert.deepEqual((await history()).handoffs, []);
    const text = (await c.content(virtual(kv.journal))).text;
    await c.open(virtual(kv.journal), text);
    const before = fds();
    const binaries = ['', '', '/usr/local/bin/kv-abort', '', '/usr/local/bin/kv-seal-fail'];
    for (let i = 0; i < 30; i++) {
      const r = await sendTrigger(kv.trigger, `${`handoff ${binaries[i % binaries.length]}`.trim()}\n`, 30_000);
      assert.ok(r.kind === 'reply' && r.text.startsWith('ok: '), JSON.stringify(r));
    }
    const view = await until(
      'thirty handoffs from the log in the decoded view',
      async () => (await c.content(virtual(kv.journal))).text,
      (t) => t.split('\n').filter((l) => / \[log\] handoff (committed|aborted)/.test(l)).length === 30,
    );
    assert.doesNotMatch(view, /at least \d+ handoffs? ran/, view);
    assert.equal(
      view.split('\n').filter((l) => /\[log\] handoff aborted \(seal failure\): seal failed: protocol violation/.test(l)).length,
      6,
    );
    // Let any read still scheduled finish, then count again.
    await until(
      'no more log reads',
      async () => fds(),
      (n) => n <= before + 2,
    );
  });

  it('the request lists them newest first, failures with their reason; a limit is honoured', async () => {
    const r = await history(100);
    assert.equal(r.service, 'kv');
    assert.equal(r.journal, kv.journal);
    assert.match(r.source ?? '', /kv-supervisor\.log/);
    assert.equal(r.handoffs.length, 30);
    assert.ok(
      r.handoffs.every((h, i) => i === 0 || (h.start ?? 0) <= (r.handoffs[i - 1]?.start ?? 0)),
      'newest first',
    );
    assert.equal(r.handoffs.filter((h) => h.outcome === 'committed').length, 18);
    const seal = r.handoffs.filter((h) => h.sealFailure);
    assert.equal(seal.length, 6);
    assert.ok(seal.every((h) => h.outcome === 'aborted' && /seal failed/.test(h.reason ?? '')));
    const rolled = r.handoffs.filter((h) => h.rolledBack);
    assert.equal(rolled.length, 6);
    assert.ok(r.handoffs.filter((h) => h.outcome === 'committed').every((h) => (h.totalSeconds ?? 0) > 0));
    assert.equal((await history(5)).handoffs.length, 5);
  });

  it('only a discovered config is read', async () => {
    const r = (await c.conn.sendRequest(HandoffHistoryRequest.method, { config: '/etc/passwd' })) as HandoffHistoryResult;
    assert.deepEqual(r.handoffs, []);
    assert.match(r.error ?? '', /not a supervisor config found/);
  });
});
