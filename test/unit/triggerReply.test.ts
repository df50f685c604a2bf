/**
 * Every reply the current supervisor gave in test/fixtures/supervisor-0.2/ (what each
 * trigger client saw: the reply text, or the connect error) becomes its outcome, class and
 * sentence; the trigger line is checked before sending; the CLI's --json report reads back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseTriggerReport,
  parseTriggerReply,
  refusedForPermission,
  triggerClass,
  triggerLine,
  triggerMessage,
  triggerReport,
  triggerReportText,
  type TriggerOutcome,
  type TriggerOutcomeKind,
} from '../../shared/supervisor';
import { outcomeOf } from '../../shared/supervisor/node';
import { replyFiles, type ReplyFile } from '../support/supervisor02Fixtures';

/** The outcome of every client of the fixture run, by its file name. */
const EXPECTED: Record<string, TriggerOutcomeKind> = {
  '03-handoff-1': 'committed',
  '03-handoff-2': 'committed',
  '03-handoff-3': 'committed',
  '04a-handoff-nonexistent-binary': 'no-such-binary',
  '04b-handoff-existing-not-allowlisted': 'not-allowlisted',
  '04c-handoff-allowlisted-alt-binary': 'committed',
  '04d-handoff-symlink-to-default-binary': 'committed',
  '04e-handoff-relative-path': 'committed',
  '05a-empty-line': 'empty-command',
  '05b-whitespace-only-line': 'empty-command',
  '05c-unknown-command': 'unknown-command',
  '05d-handoff-uppercase': 'unknown-command',
  '05e-long-line-5000-a': 'unknown-command',
  '05f-long-line-handoff-plus-5000-x': 'no-such-binary',
  '05g-long-line-handoff-plus-5000-spaces': 'committed',
  '05h-line-exactly-4096-incl-newline': 'unknown-command',
  '05i-line-4097-incl-newline': 'unknown-command',
  '05j-no-newline-then-EOF': 'unknown-command',
  '05k-invalid-utf8': 'closed',
  '05l-connect-and-shutdown-write-immediately': 'closed',
  '05m-no-newline-held-open': 'closed',
  '06a-idle-client-sends-nothing': 'closed',
  '06b-second-client-queued-behind-idle': 'unknown-command',
  '06c-drip-one-byte-every-6s': 'unknown-command',
  '06d-one-byte-then-11s-pause': 'closed',
  '07a-hjsup2-socket-0600': 'permission-denied',
  '07b-hjsup2-socket-0666-handoff': 'not-permitted',
  '07c-hjsup2-socket-0666-sends-nothing': 'not-permitted',
  '07d-uid1000-allowlisted-socket-0666-unknown-cmd': 'unknown-command',
  '07e-uid1000-allowlisted-socket-0666-handoff': 'committed',
  '07f-hjsup2-control-socket-0600': 'permission-denied',
  '07g-hjsup2-control-socket-chmod-0666': 'closed',
  '07h-root-handoff-after-rejections': 'committed',
  '08-old-empty-line': 'empty-command',
  '08-old-handoff-1': 'committed',
  '08-old-unknown-command': 'unknown-command',
};

/** What the client saw, as our transport reports it (Python's errno names mapped to Node's codes). */
function outcome(r: ReplyFile): TriggerOutcome {
  if (r.connect_error !== undefined) {
    const code = r.connect_error.includes('Errno 13') ? 'EACCES' : r.connect_error.includes('Errno 2') ? 'ENOENT' : 'EIO';
    return outcomeOf({ kind: 'connect-error', code, message: r.connect_error, elapsedMs: 0 });
  }
  return outcomeOf({ kind: 'reply', text: r.reply ?? '', elapsedMs: Math.round((r.elapsed ?? 0) * 1000) });
}

const CTX = {
  config: '/etc/handoff/kv.toml',
  socket: '/run/handoff/kv/trigger.sock',
  asRoot: 'Retry as Sudo…',
  binary: '/usr/local/bin/kv-daemon',
};

describe('every reply of the 0.2 fixture run', () => {
  const files = replyFiles();

  it('is in the table, and the table names no other file', () => {
    assert.equal(files.length, 36);
    assert.deepEqual(files.map((f) => f.name).sort(), Object.keys(EXPECTED).sort());
  });

  for (const { name, reply } of files) {
    it(`${name}: ${EXPECTED[name]}`, () => {
      const o = outcome(reply);
      assert.equal(o.kind, EXPECTED[name], JSON.stringify(reply).slice(0, 200));
      const message = triggerMessage(o, { ...CTX, ...(reply.uid !== undefined ? { uid: reply.uid } : {}) });
      assert.ok(message.length > 10 && message.length < 700, message);
      // A reply of 4 KiB is named, not pasted.
      assert.ok(!/[abcx]{100}/.test(message), message);
      if (o.kind === 'committed') assert.match(reply.reply ?? '', new RegExp(`handoff_id=${o.id} committed=true`));
    });
  }

  it('says what to do for each refusal', () => {
    const m = (name: string, uid = 1003): string =>
      triggerMessage(outcome(files.find((f) => f.name === name)?.reply ?? {}), { ...CTX, uid });
    assert.match(
      m('07b-hjsup2-socket-0666-handoff'),
      /your uid 1003 is not in `allowed_uids` of \/etc\/handoff\/kv\.toml: add it there, or run as root \(Retry as Sudo…\)/,
    );
    assert.match(
      m('07a-hjsup2-socket-0600'),
      /the trigger socket is 0600 root: run as root \(Retry as Sudo…\) or ask for your uid 1003 in `allowed_uids`/,
    );
    assert.match(
      m('04b-handoff-existing-not-allowlisted'),
      /refused binary \/usr\/bin\/true: .*`allowed_binaries` of \/etc\/handoff\/kv\.toml/,
    );
    assert.match(m('04a-handoff-nonexistent-binary'), /cannot resolve binary \/some\/other\/binary: no such file/);
    assert.match(m('05c-unknown-command'), /does not know the command 'status'/);
    assert.match(m('05e-long-line-5000-a'), /command 'a{60}… \(4096 characters\)'/);
    assert.match(m('05k-invalid-utf8'), /closed the connection without a reply/);
    assert.match(triggerMessage({ kind: 'timeout', waitedMs: 12_000 }, CTX), /within 12\.00 s.*another client may hold it for up to 10 s/);
    assert.match(
      triggerMessage(parseTriggerReply('err: perform_handoff\n'), CTX),
      /failed inside the supervisor \(err: perform_handoff\): a drain or seal timeout, or a write failure/,
    );
  });

  it('classes: committed, failed, refused, unreachable, no answer; root gets past the two permission refusals', () => {
    const byClass = (k: TriggerOutcomeKind): string =>
      triggerClass(files.map((f) => outcome(f.reply)).find((o) => o.kind === k) as TriggerOutcome);
    assert.deepEqual(
      (
        [
          'committed',
          'not-permitted',
          'not-allowlisted',
          'no-such-binary',
          'unknown-command',
          'empty-command',
          'permission-denied',
          'closed',
        ] as TriggerOutcomeKind[]
      ).map(byClass),
      ['committed', 'refused', 'refused', 'refused', 'refused', 'refused', 'unreachable', 'no-answer'],
    );
    assert.equal(
      triggerClass(parseTriggerReply('ok: handoff_id=4b4eb536-b111-436b-8bd5-cef9bc3ac924 committed=false abort_reason=Some("x")')),
      'failed',
    );
    assert.equal(triggerClass(parseTriggerReply('err: perform_handoff')), 'failed');
    assert.deepEqual(
      files
        .map((f) => outcome(f.reply))
        .filter(refusedForPermission)
        .map((o) => o.kind)
        .sort(),
      ['not-permitted', 'not-permitted', 'permission-denied', 'permission-denied'],
    );
  });
});

describe('the trigger line', () => {
  it('is `handoff [BINARY]` and a newline, refused with white space, control characters or over 4,096 bytes', () => {
    assert.deepEqual(triggerLine(), { ok: true, line: 'handoff\n' });
    assert.deepEqual(triggerLine('/usr/local/bin/kv-daemon-next'), { ok: true, line: 'handoff /usr/local/bin/kv-daemon-next\n' });
    for (const bad of ['', '/bin/x y', '/bin/x\ty', '/bin/x\ny', '/bin/x\u0085', '/bin/\x1b[2J', '/bin/x\u00a0y'])
      assert.equal(triggerLine(bad).ok, false, JSON.stringify(bad));
    assert.equal(triggerLine(`/${'a'.repeat(4095 - 9)}`).ok, true);
    assert.equal(triggerLine(`/${'a'.repeat(4096 - 9)}`).ok, false);
    // Bytes, not characters: é is two.
    assert.equal(triggerLine(`/${'é'.repeat(2043)}`).ok, true);
    assert.equal(triggerLine(`/${'é'.repeat(2044)}`).ok, false);
  });
});

describe('the --json trigger report', () => {
  it('reads back what the CLI writes, and nothing malformed', () => {
    const o = parseTriggerReply('ok: handoff_id=4b4eb536-b111-436b-8bd5-cef9bc3ac924 committed=true abort_reason=None\n');
    const r = triggerReport(o, {
      config: '/etc/handoff/kv.toml',
      service: 'kv',
      line: 'handoff',
      message: 'handoff 4b4eb536-b111-436b-8bd5-cef9bc3ac924 committed',
      reply: 'ok: …',
      elapsed_ms: 52,
      journal: '/var/lib/beyond/handoff/kv/state.bin',
      phases: [
        { phase: 'Draining', at_ms: 3, handoff_id: '4b4eb536-b111-436b-8bd5-cef9bc3ac924' },
        { phase: null, at_ms: 9, handoff_id: null },
      ],
    });
    const text = triggerReportText(r);
    assert.ok(text.endsWith('}\n') && !text.slice(0, -1).includes('\n'));
    assert.deepEqual(parseTriggerReport(`noise\n${text}`), r);
    assert.equal(r.class, 'committed');
    assert.equal(r.handoff_id, '4b4eb536-b111-436b-8bd5-cef9bc3ac924');
    for (const bad of [
      '',
      '{',
      '{"outcome":"committed"}',
      text.replace('"Draining"', '"Sideways"'),
      text.replace('"committed","class"', '1,"class"'),
    ])
      assert.equal(parseTriggerReport(bad), undefined, bad.slice(0, 80));
  });
});
