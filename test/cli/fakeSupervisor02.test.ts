/**
 * The fake supervisor's 0.2 behaviour against what the real 0.2 did
 * (test/fixtures/supervisor-0.2/*.reply.json): the same bytes sent by a raw client get the
 * same reply (or none), lines are cut at 4,096 bytes, a client that sends nothing holds it
 * for the 10 s read timeout (and the CLI says why it waits), the sockets are 0600.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseTriggerReport } from '../../shared/supervisor';
import { cliWith } from '../support/cliProcess';
import { startFakeSupervisor, triggerHost, writeFakeConfig, type FakeConfigPaths, type FakeSupervisor } from '../support/fakeSupervisor';
import { replyFiles } from '../support/supervisor02Fixtures';

/** Sends `bytes` (then shuts the write side when `eof`) and reads until the supervisor closes. */
function raw(path: string, bytes: Buffer, eof = false): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s = createConnection({ path }, () => {
      s.write(bytes);
      if (eof) s.end();
    });
    s.on('data', (d: Buffer) => chunks.push(d));
    s.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    s.on('error', () => undefined);
  });
}

/** The bytes each fixture client sent (from the README's table), by file name. */
const SENT: Record<string, { bytes: Buffer; eof?: boolean }> = {
  '05a-empty-line': { bytes: Buffer.from('\n') },
  '05b-whitespace-only-line': { bytes: Buffer.from('   \t \n') },
  '05c-unknown-command': { bytes: Buffer.from('status\n') },
  '05d-handoff-uppercase': { bytes: Buffer.from('HANDOFF\n') },
  '05e-long-line-5000-a': { bytes: Buffer.from(`${'a'.repeat(5000)}\n`) },
  '05h-line-exactly-4096-incl-newline': { bytes: Buffer.from(`${'b'.repeat(4095)}\n`) },
  '05i-line-4097-incl-newline': { bytes: Buffer.from(`${'c'.repeat(4096)}\n`) },
  '05j-no-newline-then-EOF': { bytes: Buffer.from('status'), eof: true },
  '05k-invalid-utf8': { bytes: Buffer.from([0xff, 0xfe, ...Buffer.from(' handoff\n')]) },
  '05l-connect-and-shutdown-write-immediately': { bytes: Buffer.alloc(0), eof: true },
};

describe('the fake supervisor in 0.2 mode answers as the real 0.2 did', () => {
  const host = triggerHost('hj-fake02-');
  let kv: FakeConfigPaths;
  let sup: FakeSupervisor;
  before(async () => {
    kv = writeFakeConfig(host.root, 'kv');
    sup = await startFakeSupervisor(kv.config, undefined, { version: '0.2', logFile: join(host.root, 'log') });
  });
  after(async () => {
    await sup.stop();
    rmSync(host.root, { recursive: true, force: true });
  });

  it('binds its trigger and control sockets 0600, as 02-modes-after-start.json shows', () => {
    for (const p of [kv.trigger, kv.control]) assert.equal(statSync(p).mode & 0o777, 0o600, p);
  });

  for (const [name, sent] of Object.entries(SENT)) {
    it(`${name}: the same reply`, async () => {
      const want = replyFiles().find((f) => f.name === name)?.reply.reply;
      assert.equal(await raw(kv.trigger, sent.bytes, sent.eof), want);
    });
  }

  it('a client that sends nothing holds it for 10 s: the next trigger waits, and the CLI says why', async () => {
    const idle = createConnection({ path: kv.trigger });
    await new Promise((r) => idle.once('connect', r));
    const t = cliWith({ timeoutMs: 60_000 }, 'trigger', kv.config);
    idle.destroy();
    assert.equal(t.code, 0, t.stderr);
    assert.match(
      t.stderr,
      /no answer yet after 2\.00 s\. The supervisor serves one trigger client at a time and waits up to 10 s for each client's line/,
    );
    const took = Number(/^committed: handoff \S+ \(after ([\d.]+) s\)$/m.exec(t.stdout)?.[1]);
    assert.ok(took >= 7 && took < 11, t.stdout);
    assert.match(
      readFileSync(join(host.root, 'log'), 'utf8'),
      /WARN.*trigger command read failed.*Resource temporarily unavailable \(os error 11\)/,
    );
    const j = parseTriggerReport(cliWith({}, 'trigger', kv.config, '--json').stdout);
    assert.equal(j?.outcome, 'committed');
  });
});
