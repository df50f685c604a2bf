/**
 * The fake supervisor (a separate process, real trigger socket, real journals, real
 * timing) behaves like the reference one: its replies, its SIGKILL mid-handoff (no
 * reply, the journal left at Draining with its own pid), its restart over that journal,
 * and its log, which `handoff-journal log` reads back into the same story.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decodeJournal } from '../../shared/journal';
import { parseTriggerReply } from '../../shared/supervisor';
import { CLI, CLI_NODE } from '../support/cliProcess';
import { startFakeSupervisor, writeFakeConfig } from '../support/fakeSupervisor';
import { ABORT_REASON_N_DIED, SEAL_ERROR } from '../support/simulatorLog';

const dir = mkdtempSync(join(tmpdir(), 'hj-fakesup-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Sends one trigger line and reads until the supervisor closes the connection. */
function trigger(socket: string, line: string): Promise<string> {
  return new Promise((res, rej) => {
    let reply = '';
    const s = createConnection({ path: socket }, () => s.write(`${line}\n`));
    const timer = setTimeout(() => (s.destroy(), rej(new Error('no reply within 30 s'))), 30_000);
    s.setEncoding('utf8');
    s.on('data', (d: string) => void (reply += d));
    s.on('close', () => (clearTimeout(timer), res(reply)));
    s.on('error', () => undefined);
  });
}

function logJson(...args: string[]): {
  code: number | null;
  o: { outcome: { kind: string; reason?: string }; findings: { code: string }[] };
} {
  const r = spawnSync(CLI_NODE, [CLI, 'log', ...args, '--json'], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 20_000,
  });
  return { code: r.status, o: JSON.parse(r.stdout) as { outcome: { kind: string; reason?: string }; findings: { code: string }[] } };
}

const REPLY =
  /^ok: handoff_id=[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12} committed=(true|false) abort_reason=(None|Some\(".*"\))\n$/;

describe('the fake supervisor, as the real one', () => {
  const paths = writeFakeConfig(dir, 'kv');
  const logFile = join(dir, 'kv-supervisor.log');

  it('replies, logs and is read back: committed, aborted after Begin, seal failure', async () => {
    const sup = await startFakeSupervisor(paths.config, undefined, { logFile });
    try {
      for (const [binary, want] of [
        ['', { kind: 'committed' }],
        ['/usr/local/bin/kv-abort', { kind: 'aborted', reason: ABORT_REASON_N_DIED }],
        ['/usr/local/bin/kv-seal-fail', { kind: 'aborted', reason: `seal failed: ${SEAL_ERROR}` }],
      ] as const) {
        const reply = await trigger(paths.trigger, `handoff ${binary}`.trim());
        assert.match(reply, REPLY);
        const parsed = parseTriggerReply(reply);
        assert.deepEqual({ ...parsed, id: undefined }, { ...want, id: undefined });
        assert.equal(existsSync(paths.journal), false, 'the journal is deleted when the handoff is over');
        const { code, o } = logJson('--id', 'id' in parsed ? parsed.id : '', '--log-file', logFile);
        assert.equal(code, 0);
        assert.deepEqual(o.outcome, want);
      }
      assert.match(
        readFileSync(logFile, 'utf8'),
        /^\x1b\[2m\S+Z\x1b\[0m \x1b\[32m INFO\x1b\[0m \x1b\[2mhandoff_supervisor\x1b\[0m\x1b\[2m:\x1b\[0m supervisor running /,
      );
    } finally {
      await sup.stop();
    }
  });

  it('killed mid-handoff: no reply, the journal stays at Draining with its pid; a restart clears it and says so', async () => {
    const sup = await startFakeSupervisor(paths.config, undefined, { logFile });
    const reply = await trigger(paths.trigger, 'handoff /usr/local/bin/kv-kill');
    assert.deepEqual(parseTriggerReply(reply), { kind: 'closed' });
    await sup.exited;
    const left = decodeJournal(new Uint8Array(readFileSync(paths.journal)));
    assert.ok(left.ok);
    assert.deepEqual([left.journal.phase, left.journal.incumbent_pid], ['Draining', sup.pid]);
    // Its stand-in successor does not outlive it (the real N would; a test must not leak it).
    assert.throws(() => process.kill(left.journal.successor_pid as number, 0), /ESRCH/);
    const before = logJson(paths.journal, '--log-file', logFile);
    assert.equal(before.o.outcome.kind, 'unknown');
    assert.ok(before.o.findings.some((f) => f.code === 'HJ092'));

    const again = await startFakeSupervisor(paths.config, undefined, { logFile });
    try {
      assert.equal(existsSync(paths.journal), false, 'the restart deleted the journal');
      assert.match(
        readFileSync(logFile, 'utf8'),
        /WARN\x1b\[0m \x1b\[2mhandoff::supervisor\x1b\[0m\x1b\[2m:\x1b\[0m found prior handoff state on disk/,
      );
      const idArg =
        /handoff_id\x1b\[0m\x1b\[2m=\x1b\[0m([0-9a-f-]{36}) \x1b\[3mphase\x1b\[0m\x1b\[2m=\x1b\[0mDraining/.exec(
          readFileSync(logFile, 'utf8'),
        )?.[1] ?? '';
      const cleared = logJson('--id', idArg, '--log-file', logFile);
      assert.deepEqual(cleared.o.outcome, { kind: 'cleared-on-restart', phase: 'Draining' });
    } finally {
      await again.stop();
    }
  });
});
