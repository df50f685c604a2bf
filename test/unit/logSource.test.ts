/**
 * The log sources (shared/node/): real journalctl on a real journald file (made by
 * systemd-journal-remote), real files, FIFOs and programs; every failure a value,
 * nothing hanging (time limits and byte caps).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  decodeJournalMessage,
  journalctlArgs,
  readJournald,
  unitOfPid,
  findHandoffLog,
  holdsJournalFiles,
  readLogFile,
  runLogCommand,
} from '../../shared/supervisorLog/node';
import { entriesFromLog, writeJournalFile } from '../support/journalExport';
import { fixtureText, LOGS } from '../support/logFixtures';

const SEAL_FAILURE = '4b4eb536-b111-436b-8bd5-cef9bc3ac924';
const SEAL_LOG = join(LOGS, '03-seal-failure-abort.log');
let dir: string;
let journal: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hj-logsrc-'));
  journal = join(dir, 'seal.journal');
  writeJournalFile(journal, [
    // Another service: its lines must not come along with the unit.
    ...entriesFromLog(fixtureText('02-slow-handoff.log'), 7105, 'handoff-other.service'),
    ...entriesFromLog(fixtureText('03-seal-failure-abort.log'), 7160),
  ]);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('journald', () => {
  it('decodes MESSAGE as journalctl prints it: bytes for coloured lines, a string otherwise', () => {
    assert.equal(decodeJournalMessage([27, 91, 50, 109, 104, 105]), '\x1b[2mhi');
    assert.equal(decodeJournalMessage([0xff, 0x41]), '\ufffdA');
    assert.equal(decodeJournalMessage('plain'), 'plain');
    assert.equal(decodeJournalMessage(null), undefined);
  });

  it('reads the coloured lines back byte for byte, with the realtime and pid', async () => {
    const r = await readJournald({ file: journal, pid: 7160 });
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.deepEqual(
      r.lines.map((l) => l.text),
      fixtureText('03-seal-failure-abort.log').split('\n').slice(0, -1),
    );
    assert.equal(r.lines[0]?.pid, 7160);
    assert.equal(r.lines[0]?.realtimeMs, Date.parse('2026-11-28T07:43:47.313Z'));
    assert.ok(r.command?.includes('_SYSTEMD_UNIT=handoff-kv.service'), 'the unit found in the pid entries is added');
  });

  it('finds an id without pattern support too (a scan of the JSON), then reads its neighbourhood', async () => {
    for (const noPattern of [false, true]) {
      const r = await readJournald({ file: journal, grep: SEAL_FAILURE, noPattern });
      assert.ok(r.ok, r.ok ? '' : r.message);
      assert.ok(
        r.lines.some((l) => l.text === 'Error: wait_for_begin'),
        'untagged daemon output comes along',
      );
      assert.ok(r.command?.includes('_PID=7160'));
    }
    assert.ok(journalctlArgs({ grep: 'x' }).includes('--grep=x'));
    assert.ok(!journalctlArgs({ grep: 'x', noPattern: true }).some((a) => a.startsWith('--grep')));
  });

  it('takes the unit of a live pid from /proc/<pid>/cgroup', async () => {
    const proc = join(dir, 'proc');
    mkdirSync(join(proc, '42'), { recursive: true });
    writeFileSync(join(proc, '42', 'cgroup'), '0::/system.slice/handoff-kv.service\n');
    mkdirSync(join(proc, '43'), { recursive: true });
    writeFileSync(join(proc, '43', 'cgroup'), '0::/user.slice/user-1000.slice/user@1000.service/app.slice/kv.service\n');
    assert.equal(await unitOfPid(42, proc), 'handoff-kv.service');
    assert.equal(await unitOfPid(43, proc), undefined);
    assert.equal(await unitOfPid(44, proc), undefined);
  });
});

describe('log files', () => {
  it('reads a file from its end, whole lines only, and says so', async () => {
    const all = await readLogFile(SEAL_LOG);
    assert.ok(all.ok);
    assert.equal(all.lines.length, 10);
    const tail = await readLogFile(SEAL_LOG, { maxBytes: 200 });
    assert.ok(tail.ok);
    assert.deepEqual(
      tail.lines.map((l) => l.text),
      ['Error: wait_for_begin', '', 'Caused by:', '    handoff aborted by peer: seal failed: protocol violation: injected seal failure'],
    );
    assert.match(tail.notes[0] ?? '', /only its last 200 bytes were read/);
  });

  it('never opens a FIFO (no hang), and explains missing and empty files', async () => {
    const fifo = join(dir, 'log.fifo');
    execFileSync('mkfifo', [fifo]);
    const r = await readLogFile(fifo);
    assert.ok(!r.ok && r.reason === 'unreadable' && /a FIFO \(named pipe\), not a log file/.test(r.message));
    const missing = await readLogFile(join(dir, 'nope.log'));
    assert.ok(!missing.ok && /does not exist/.test(missing.message));
    writeFileSync(join(dir, 'empty.log'), '');
    const empty = await readLogFile(join(dir, 'empty.log'));
    assert.ok(!empty.ok && empty.reason === 'rotated' && /empty\.log\.1/.test(empty.message));
  });
});

describe('log commands', () => {
  it('runs an argv without a shell and reads its output', async () => {
    const r = await runLogCommand(['cat', SEAL_LOG]);
    assert.ok(r.ok);
    assert.equal(r.lines.length, 10);
    assert.equal(r.sourceDescription, `command: cat ${SEAL_LOG}`);
  });

  it('stops a command that runs too long, or prints too much, and reports a failing one', async () => {
    const started = Date.now();
    const slow = await runLogCommand(['sleep', '30'], { timeoutMs: 300 });
    assert.ok(!slow.ok && slow.reason === 'timeout', JSON.stringify(slow));
    assert.ok(Date.now() - started < 10_000, 'the child was killed, not waited for');
    const big = await runLogCommand(['yes', 'a log line'], { maxBytes: 4096 });
    assert.ok(big.ok && big.truncated && big.lines.every((l) => l.text === 'a log line'));
    const failing = await runLogCommand(['cat', join(dir, 'nope.log')]);
    assert.ok(!failing.ok && failing.reason === 'command-failed' && /exit 1.*No such file/.test(failing.message));
    const missing = await runLogCommand(['/nonexistent/prog']);
    assert.ok(!missing.ok && /no such program/.test(missing.message));
  });
});

describe('findHandoffLog', () => {
  it('tries journald, then the file, then the command; the first with the id wins', async () => {
    const r = await findHandoffLog({
      id: SEAL_FAILURE,
      journald: { file: join(dir, 'missing.journal') },
      logFile: join(LOGS, '02-slow-handoff.log'),
      command: ['cat', SEAL_LOG],
    });
    assert.ok(r.ok);
    assert.equal(r.source.source, 'command');
    assert.equal(r.summary.outcome.kind, 'aborted');
  });

  it('reports every source that failed, the most telling first', async () => {
    const r = await findHandoffLog({ id: SEAL_FAILURE, journald: false, logFile: join(LOGS, '02-slow-handoff.log'), command: ['false'] });
    assert.ok(!r.ok);
    assert.deepEqual(
      r.tried.map((f) => [f.source, f.reason]),
      [
        ['file', 'no-lines'],
        ['command', 'command-failed'],
      ],
    );
    assert.equal(r.failure, r.tried[0]);
  });
});

describe('holdsJournalFiles: whether --journal-dir holds journald files', () => {
  it("finds them in the folder or journald's machine-id folder, looks two folders deep at most", async () => {
    const root = join(dir, 'jdirs');
    const at = (rel: string): string => (mkdirSync(join(root, rel), { recursive: true }), join(root, rel));
    writeFileSync(join(at('flat'), 'system.journal'), '');
    writeFileSync(join(at('layout/0123456789abcdef'), 'system@x.journal~'), '');
    writeFileSync(join(at('remote/remote/host'), 'remote-h.journal'), '');
    writeFileSync(join(at('deep/a/b/c'), 'system.journal'), '');
    writeFileSync(join(at('named'), 'notes.txt'), '');
    at('named/dir.journal');
    assert.deepEqual(
      await Promise.all(['flat', 'layout', 'remote', 'deep', 'named', 'missing'].map((d) => holdsJournalFiles(join(root, d)))),
      [true, true, true, false, false, false],
    );
  });
});
