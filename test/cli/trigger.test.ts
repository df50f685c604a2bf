/**
 * `handoff-journal trigger` (the built CLI) against the fake supervisor as a separate
 * process, in both behaviours: 0.1 (sockets 0755, any binary) and 0.2 (sockets 0600, the
 * peer's uid from SO_PEERCRED against allowed_uids, the binary allowlist). As root:
 * committed, aborted, the allowlist, a binary refused before sending, the old process
 * dying after Drained (then `show` and `log` on what it left). As nobody: the root-only
 * socket (exit 4, naming sudo and allowed_uids).
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseTriggerReport } from '../../shared/supervisor';
import { cliWith, type CliResult } from '../support/cliProcess';
import { startFakeSupervisor, triggerHost, writeFakeConfig, type FakeConfigPaths, type FakeSupervisor } from '../support/fakeSupervisor';

const run = (o: { asNobody?: boolean }, ...args: string[]): CliResult => cliWith({ ...o, timeoutMs: 60_000 }, ...args);

for (const version of ['0.1', '0.2'] as const) {
  describe(`trigger against a ${version} supervisor`, () => {
    const host = triggerHost(`hj-trig-${version}-`);
    let kv: FakeConfigPaths;
    let sup: FakeSupervisor;
    const logFile = join(host.root, 'supervisor.log');
    before(async () => {
      // 0.1 refuses allowed_uids and allowed_binaries (unknown fields): its config has none.
      const extra = version === '0.2' ? `allowed_binaries = ["${host.bin('kv-abort')}", "${host.bin('kv-old-dies')}"]` : '';
      kv = writeFakeConfig(host.root, 'kv', extra);
      sup = await startFakeSupervisor(kv.config, undefined, { logFile, ...(version === '0.2' ? { version } : {}) });
    });
    after(async () => {
      await sup.stop();
      rmSync(host.root, { recursive: true, force: true });
    });

    it('as root: committed, with the handoff id; --json is one report', () => {
      const t = run({}, 'trigger', kv.config);
      assert.equal(t.code, 0, t.stdout + t.stderr);
      assert.match(t.stdout, /^trigger kv \(.*kv\.toml\): sending 'handoff' to .*kv-trigger\.sock$/m);
      assert.match(t.stdout, /^committed: handoff [0-9a-f-]{36} \(after [\d.]+ ms\)$/m);
      const j = run({}, 'trigger', kv.config, '--json');
      assert.equal(j.code, 0, j.stderr);
      const r = parseTriggerReport(j.stdout);
      assert.ok(r, j.stdout);
      assert.deepEqual([r.outcome, r.class, r.line, r.service, r.journal], ['committed', 'committed', 'handoff', 'kv', kv.journal]);
      assert.match(r.reply ?? '', new RegExp(`^ok: handoff_id=${r.handoff_id} committed=true abort_reason=None$`));
      assert.equal(j.stdout.trim().split('\n').length, 1);
    });

    it('as root: aborted (exit 7) with the reason', () => {
      const t = run({}, 'trigger', kv.config, '--binary', host.bin('kv-abort'));
      assert.equal(t.code, 7, t.stdout + t.stderr);
      assert.match(t.stdout, /^aborted: handoff [0-9a-f-]{36}/m);
      assert.match(t.stderr, /aborted: ready read failed: io: failed to fill whole buffer/);
    });

    it(
      version === '0.2' ? 'as root: a binary outside allowed_binaries is refused (exit 5), naming it' : 'as root: 0.1 has no allowlist',
      () => {
        const t = run({}, 'trigger', kv.config, '--binary', '/usr/bin/true', '--json');
        const r = parseTriggerReport(t.stdout);
        if (version === '0.1') return assert.deepEqual([t.code, r?.outcome], [0, 'committed']);
        assert.equal(t.code, 5, t.stdout + t.stderr);
        assert.equal(r?.outcome, 'not-allowlisted');
        assert.match(r?.message ?? '', /refused binary \/usr\/bin\/true: .*`allowed_binaries` of .*kv\.toml/);
        assert.match(
          r?.reply ?? '',
          /^err: binary \/usr\/bin\/true is not in the configured allowlist \(`binary` \+ `allowed_binaries`\)$/,
        );
        const missing = run({}, 'trigger', kv.config, '--binary', join(host.root, 'bin/none'));
        assert.equal(missing.code, 5);
        assert.match(missing.stderr, /cannot resolve binary .*bin\/none: no such file/);
      },
    );

    it('a binary with white space is refused before anything is sent (exit 2)', () => {
      const before = readFileSync(logFile, 'utf8');
      const t = run({}, 'trigger', kv.config, '--binary', '/usr/bin/x y');
      assert.equal(t.code, 2);
      assert.match(t.stderr, /white space or a control character/);
      assert.equal(readFileSync(logFile, 'utf8'), before);
    });

    it('as nobody: the trigger socket is root-only: exit 4, naming sudo and allowed_uids', () => {
      const t = run({ asNobody: true }, 'trigger', kv.config);
      assert.equal(t.code, 4, t.stdout + t.stderr);
      const mode = version === '0.2' ? '0600' : '0755';
      assert.match(
        t.stderr,
        new RegExp(
          `the trigger socket is ${mode}, owned by root: run as root \\(sudo handoff-journal trigger \\S+kv\\.toml\\) or ask for your uid 65534 in \`allowed_uids\``,
        ),
      );
      const j = parseTriggerReport(run({ asNobody: true }, 'trigger', kv.config, '--json').stdout);
      assert.deepEqual([j?.outcome, j?.class, j?.reply], ['permission-denied', 'unreachable', null]);
    });

    it('the old process dies after Drained: err: perform_handoff (exit 7); show says a failed handoff left the journal, log says failed', async () => {
      const t = run(
        {},
        'trigger',
        kv.config,
        '--binary',
        version === '0.2' ? host.bin('kv-old-dies') : '/usr/local/bin/kv-old-dies',
        '--json',
      );
      assert.equal(t.code, 7, t.stdout + t.stderr);
      const r = parseTriggerReport(t.stdout);
      assert.deepEqual([r?.outcome, r?.reply], ['handoff-failed', 'err: perform_handoff']);
      assert.match(r?.message ?? '', /the handoff failed inside the supervisor \(err: perform_handoff\)/);
      // The journal stays at Draining; the supervisor (its pid) runs, the successor is dead.
      const show = run({}, 'show', kv.journal, '--json');
      const s = JSON.parse(show.stdout) as {
        journal: { phase: string; incumbent_pid: number };
        findings: { code: string; message: string }[];
      };
      assert.deepEqual([s.journal.phase, s.journal.incumbent_pid], ['Draining', sup.pid]);
      const codes = s.findings.map((f) => f.code);
      assert.ok(codes.includes('HJ054') && !codes.includes('HJ053'), codes.join(' '));
      assert.match(s.findings.find((f) => f.code === 'HJ054')?.message ?? '', /a failed handoff left this journal/);
      const log = run({}, 'log', kv.journal, '--log-file', logFile);
      assert.equal(log.code, 0, log.stderr);
      assert.match(log.stdout, /^outcome {5}failed \(the supervisor gave up: err: perform_handoff\)$/m);
      assert.match(log.stdout, /HJ096 .*killed its successor/);
      // A repair does not refuse it as live.
      const del = run({}, 'delete', kv.journal, '--config', kv.config);
      assert.equal(del.code, 0, del.stderr);
    });
  });
}

describe('trigger against 0.2 sockets a deployment opened wider (0666)', () => {
  const host = triggerHost('hj-trig-0666-');
  let shut: FakeConfigPaths;
  let open: FakeConfigPaths;
  const sups: FakeSupervisor[] = [];
  before(async () => {
    shut = writeFakeConfig(host.root, 'shut', 'allowed_uids = [1000]');
    open = writeFakeConfig(host.root, 'open', 'allowed_uids = [65534]');
    for (const c of [shut, open]) sups.push(await startFakeSupervisor(c.config, undefined, { version: '0.2', socketMode: 0o666 }));
  });
  after(async () => {
    await Promise.all(sups.map((s) => s.stop()));
    rmSync(host.root, { recursive: true, force: true });
  });

  it('nobody, not in allowed_uids: err: not permitted (exit 5), naming allowed_uids and root', () => {
    const t = run({ asNobody: true }, 'trigger', shut.config);
    assert.equal(t.code, 5, t.stdout + t.stderr);
    assert.match(
      t.stderr,
      /your uid 65534 is not in `allowed_uids` of \S+shut\.toml: add it there, or run as root \(sudo handoff-journal trigger/,
    );
  });

  it('status names who may trigger (user names through NSS) and that the config needs 0.2, as text and JSON', () => {
    const t = run({}, 'status', open.config, shut.config);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /^ {2}allowed uids {6}65534 \(nobody\)$/m);
    assert.match(t.stdout, /^ {2}allowed binaries {2}none \(only `binary`\)$/m);
    assert.match(t.stdout, /^ {2}version {11}uses allowed_uids: needs beyond-handoff 0\.2 or later; 0\.1 refuses it$/m);
    assert.doesNotMatch(t.stdout + t.stderr, /refuses this config/);
    const j = JSON.parse(run({}, 'status', open.config, '--json').stdout) as {
      services: { allowed_uids: unknown; allowed_binaries: unknown; needs_version: unknown }[];
    };
    assert.deepEqual(j.services[0]?.allowed_uids, [{ uid: 65534, user: 'nobody' }]);
    assert.deepEqual(j.services[0]?.allowed_binaries, []);
    assert.deepEqual(j.services[0]?.needs_version, {
      version: '0.2',
      fields: ['allowed_uids'],
      message: 'needs beyond-handoff 0.2 or later; 0.1 refuses it',
    });
  });

  it('nobody, in allowed_uids: committed', () => {
    const t = run({ asNobody: true }, 'trigger', open.config, '--json');
    assert.equal(t.code, 0, t.stdout + t.stderr);
    assert.equal(parseTriggerReport(t.stdout)?.outcome, 'committed');
  });
});

describe('trigger follows a slow handoff (700 ms per step) and gives up after --timeout', () => {
  const host = triggerHost('hj-trig-slow-');
  let kv: FakeConfigPaths;
  let sup: FakeSupervisor;
  before(async () => {
    kv = writeFakeConfig(host.root, 'slow');
    sup = await startFakeSupervisor(kv.config, 700, { version: '0.2' });
  });
  after(async () => {
    await sup.stop();
    rmSync(host.root, { recursive: true, force: true });
  });

  it('prints every phase as it appears, with the time since sending, then committed', () => {
    const t = run({}, 'trigger', 'slow', '--timeout', '30');
    // A SERVICE resolves through this host's configs only: this one is not under /etc.
    assert.equal(t.code, 4);
    assert.match(t.stderr, /no supervisor config for service slow under \/etc\/handoff/);
    const r = run({}, 'trigger', kv.config);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const seen = [...r.stdout.matchAll(/^ {2}\+([\d.]+) (ms|s) +(\S+)/gm)].map((m) => ({
      ms: Number(m[1]) * (m[2] === 's' ? 1000 : 1),
      phase: m[3],
    }));
    assert.deepEqual(
      seen.map((s) => s.phase),
      ['Negotiating', 'Draining', 'Sealing', 'AwaitingReady', 'Committed', 'no'],
    );
    for (let i = 1; i < seen.length; i++) assert.ok((seen[i]?.ms ?? 0) > (seen[i - 1]?.ms ?? 0), JSON.stringify(seen));
    assert.ok((seen.at(-1)?.ms ?? 0) >= 5 * 600, JSON.stringify(seen));
  });

  it('--timeout: no answer in time is exit 8, saying the handoff may still run', () => {
    const t = run({}, 'trigger', kv.config, '--timeout', '0.5');
    assert.equal(t.code, 8, t.stdout + t.stderr);
    assert.match(
      t.stderr,
      /no reply from \S+slow-trigger\.sock within [\d.]+ ms; the handoff may still be running.*another client may hold it for up to 10 s/,
    );
  });
});
