/**
 * `handoff-journal log` (the bundled dist/cli.js, as a process) against the real
 * supervisor output in test/fixtures/logs/, stored in a real journald file made by
 * Debian's systemd-journal-remote and read back by the real `journalctl --file`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { entriesFromLog, writeJournalFile } from '../support/journalExport';
import { fixtureText, LOGS } from '../support/logFixtures';
import { CLI, CLI_NODE, cliWith, type CliOptions, type CliResult } from '../support/cliProcess';

const LEFT_BEHIND = join(LOGS, '04-left-behind-state.bin');
const SEAL_FAILURE = '4b4eb536-b111-436b-8bd5-cef9bc3ac924';
const KILLED = 'c300947f-3407-4696-a2bb-07869cd924de';
/** The pid in 04-supervisor-killed-mid-handoff.pid; the others' supervisor pids are not in the fixtures, so these are picked. */
const PIDS = { fast: 6960, slow: 7105, seal: 7160, killed: 7222, restarted: 7279 };
const ROOT = process.getuid?.() === 0;

let dir: string;
let all: string;
let killedOnly: string;
let fastOnly: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hj-log-'));
  chmodSync(dir, 0o755);
  all = join(dir, 'all.journal');
  writeJournalFile(all, [
    ...entriesFromLog(fixtureText('01-three-fast-handoffs.log'), PIDS.fast),
    ...entriesFromLog(fixtureText('02-slow-handoff.log'), PIDS.slow),
    ...entriesFromLog(fixtureText('03-seal-failure-abort.log'), PIDS.seal),
    ...entriesFromLog(fixtureText('04-supervisor-killed-mid-handoff.log'), PIDS.killed),
    ...entriesFromLog(fixtureText('05-restart-after-crash.log'), PIDS.restarted),
  ]);
  killedOnly = join(dir, 'killed.journal');
  writeJournalFile(killedOnly, entriesFromLog(fixtureText('04-supervisor-killed-mid-handoff.log'), PIDS.killed));
  fastOnly = join(dir, 'fast.journal');
  writeJournalFile(fastOnly, entriesFromLog(fixtureText('01-three-fast-handoffs.log'), PIDS.fast));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** `handoff-journal log ARGS…`. */
const cli = (args: string[], opts: CliOptions = {}): CliResult => cliWith(opts, 'log', ...args);

interface LogJson {
  id: string;
  source: { kind: string; command: string[] } | null;
  outcome: { kind: string; reason?: string; phase?: string } | null;
  events: { kind: string; docLine: number }[];
  findings: { code: string; line: number; docLine: number }[];
  lines: { role: string; attribution: string; text: string }[];
  error: { reason: string; message: string; sudoCommand: string[] | null } | null;
}

describe('log --id from a journald file', () => {
  it('prints the aborted handoff, its daemon output and the reason', () => {
    const r = cli(['--id', SEAL_FAILURE, '--journal-file', all]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes('\x1b'), 'the log colour codes are not passed through');
    assert.match(r.stdout, /^! 2026-11-28T07:43:48\.017094Z {2}WARN handoff\.abort: seal failed; aborting handoff handoff_id=4b4eb536/m);
    assert.match(
      r.stdout,
      /-- daemon output \(not the supervisor\) --\n\| Error: wait_for_begin\n\| \n\| Caused by:\n\| {5}handoff aborted by peer/,
    );
    assert.match(r.stdout, /^outcome {5}aborted: seal failed: protocol violation: injected seal failure$/m);
    assert.match(r.stdout, /^source {6}journald: journalctl .*--file=.*all\.journal.* _PID=7160 \+ _SYSTEMD_UNIT=handoff-kv\.service/m);
    // Other handoffs of the same unit are not shown.
    assert.doesNotMatch(r.stdout, /566c95e7|c4f977e5/);
  });

  it('--json has the events, outcome, findings and attributed lines', () => {
    const r = cli(['--id', SEAL_FAILURE, '--journal-file', all, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const o = JSON.parse(r.stdout) as LogJson;
    assert.deepEqual(o.outcome, { kind: 'aborted', reason: 'seal failed: protocol violation: injected seal failure' });
    assert.deepEqual(
      o.events.map((e) => e.kind),
      ['supervisor-running', 'prepare', 'drained', 'seal', 'error', 'abort', 'daemon-output'],
    );
    assert.deepEqual(
      o.findings.map((f) => f.code),
      ['HJ091', 'HJ090', 'HJ095'],
    );
    assert.equal(o.source?.kind, 'journald');
    assert.equal(o.error, null);
    assert.deepEqual(
      o.lines.filter((l) => l.role === 'daemon-output').map((l) => [l.text, l.attribution]),
      [
        'Error: wait_for_begin',
        '',
        'Caused by:',
        '    handoff aborted by peer: seal failed: protocol violation: injected seal failure',
      ].map((t) => [t, 'daemon output (not the supervisor)']),
    );
  });

  it('exits 6 when the journal has no line for the id', () => {
    const r = cli(['--id', '00000000-0000-4000-8000-000000000000', '--journal-file', all]);
    assert.equal(r.code, 6);
    assert.match(r.stderr, /has no line mentioning 00000000-0000-4000-8000-000000000000/);
  });
});

describe('log FILE: the left-behind journal of a killed supervisor', () => {
  it('finds the handoff by the journal pid, and the restart through the unit', () => {
    const r = cli([LEFT_BEHIND, '--journal-file', all, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const o = JSON.parse(r.stdout) as LogJson;
    assert.equal(o.id, KILLED);
    assert.deepEqual(o.outcome, { kind: 'cleared-on-restart', phase: 'Draining' });
    assert.ok(o.source?.command.includes('_PID=7222'));
    assert.ok(o.source?.command.some((a) => /^--since=@\d+$/.test(a)));
    assert.ok(o.lines.some((l) => l.text === 'Error: acquire flock'));
  });

  it('without the restart in the journal: the log ends mid-handoff at Draining, as on disk', () => {
    const r = cli([LEFT_BEHIND, '--journal-file', killedOnly]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^outcome {5}unknown: the log ends mid-handoff, after handoff\.seal \(journal: Draining\)$/m);
    assert.match(r.stdout, /^ {2}warning {5}HJ092 {2}the log ends mid-handoff/m);
    assert.match(r.stdout, /^on disk {5}Draining in .*04-left-behind-state\.bin \(as the log implies\)$/m);
    assert.match(r.stdout, /^! 2026-11-28T07:43:50\.093296Z {2}INFO handoff\.seal: seal request/m);
  });

  it('exits 6 and says so when journald holds nothing from that pid (rotated away)', () => {
    const r = cli([LEFT_BEHIND, '--journal-file', fastOnly]);
    assert.equal(r.code, 6);
    assert.match(r.stderr, /has no lines at all for pid 7222 since .*rotated away.*a minute before the handoff started/);
  });

  it('reads a log file instead, and names the handoffs it holds when the id is not there', () => {
    const ok = cli([LEFT_BEHIND, '--log-file', join(LOGS, '04-supervisor-killed-mid-handoff.log')]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^source {6}file .*04-supervisor-killed-mid-handoff\.log$/m);
    const other = cli([LEFT_BEHIND, '--log-file', join(LOGS, '02-slow-handoff.log')]);
    assert.equal(other.code, 6);
    assert.match(
      other.stderr,
      /has 8 lines but none with handoff_id=c300947f-3407-4696-a2bb-07869cd924de; it holds handoff 566c95e7-eb29-4f06-8404-ab3cb1c9927a/,
    );
  });
});

describe('log: what cannot be read is explained', () => {
  it('no journalctl on PATH: there is no journald on this host (exit 4)', () => {
    const empty = join(dir, 'empty-bin');
    mkdirSync(empty, { recursive: true });
    const r = cli([LEFT_BEHIND], { env: { PATH: empty } });
    assert.equal(r.code, 4);
    assert.match(r.stderr, /there is no journald on this host \(journalctl is not installed\)/);
  });

  it('a file that is not a journald file, a missing one, a directory without journal files (exit 4)', () => {
    const notJournal = cli(['--id', KILLED, '--journal-file', join(LOGS, '03-seal-failure-abort.log')]);
    assert.equal(notJournal.code, 4);
    assert.match(notJournal.stderr, /cannot read the journal file .*Bad message \(it is not a journald file\)/);
    assert.match(cli(['--id', KILLED, '--journal-file', join(dir, 'missing.journal')]).stderr, /No such file or directory/);
    const emptyDir = join(dir, 'no-journals');
    mkdirSync(emptyDir, { recursive: true });
    assert.match(cli(['--id', KILLED, '--journal-dir', emptyDir]).stderr, /holds no journal files/);
    assert.match(cli(['--id', KILLED, '--log-file', dir]).stderr, /is a directory, not a log file/);
  });

  it('as a user outside systemd-journal: the permission problem and the sudo command (exit 4)', (t) => {
    if (!ROOT) return t.skip('needs root to run the CLI as the user nobody (setpriv)');
    const jdir = join(dir, 'var-log-journal');
    mkdirSync(jdir, { recursive: true });
    chmodSync(jdir, 0o755);
    copyFileSync(all, join(jdir, 'system.journal'));
    chmodSync(join(jdir, 'system.journal'), 0o640);
    const r = cli(['--id', SEAL_FAILURE, '--journal-dir', jdir, '--json'], { asNobody: true });
    assert.equal(r.code, 4, r.stderr);
    const o = JSON.parse(r.stdout) as LogJson;
    assert.equal(o.error?.reason, 'permission');
    assert.deepEqual(o.error?.sudoCommand?.slice(0, 2), ['sudo', 'journalctl']);
    assert.match(r.stderr, /only root and members of the groups systemd-journal and adm/);
    assert.match(
      r.stderr,
      /^handoff-journal: to read it as root: sudo handoff-journal log --id 4b4eb536-b111-436b-8bd5-cef9bc3ac924 --journal-dir /m,
    );
    const priv = join(dir, 'private.journal');
    copyFileSync(all, priv);
    chmodSync(priv, 0o600);
    const file = cli([LEFT_BEHIND, '--journal-file', priv], { asNobody: true });
    assert.equal(file.code, 4);
    assert.match(file.stderr, /cannot read the journal file .*private\.journal: permission denied/);
  });

  it('on a terminal it colours its own marks only, never passing the log escapes through', () => {
    const env = { ...process.env };
    delete env.NO_COLOR;
    const run = (extra: NodeJS.ProcessEnv): string =>
      spawnSync(
        'script',
        ['-qec', `${CLI_NODE} ${CLI} log --id ${SEAL_FAILURE} --log-file ${join(LOGS, '03-seal-failure-abort.log')}`, '/dev/null'],
        {
          encoding: 'utf8',
          env: { ...env, TERM: 'xterm', ...extra },
          timeout: 20_000,
        },
      ).stdout;
    const tty = run({});
    assert.match(tty, /\x1b\[31m!\x1b\[0m 2026-11-28T07:43:48\.017094Z {2}WARN handoff\.abort/);
    assert.ok(!/\x1b\[[23]m/.test(tty), 'no dim or italic codes from the log');
    assert.ok(!run({ NO_COLOR: '1' }).includes('\x1b'));
  });

  it('usage errors exit 2', () => {
    assert.equal(cli([]).code, 2);
    assert.equal(cli([LEFT_BEHIND, '--id', KILLED]).code, 2);
    assert.equal(cli(['--id', 'nope']).code, 2);
    assert.equal(cli([LEFT_BEHIND, '--log-file', 'a', '--journal-file', 'b']).code, 2);
  });
});
