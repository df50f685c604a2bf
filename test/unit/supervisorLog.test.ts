/**
 * The log-line parser and the trigger-reply parser against the real supervisor's
 * output in test/fixtures/logs/ (every file), plus the forms the fixtures do not
 * show but `tracing` writes (plain text, Debug-quoted values, spans).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import {
  parseLog,
  parseTracingLine,
  splitLogText,
  stripControls,
  unescapeRustDebug,
  type ParsedLog,
  type TracingLine,
} from '../../shared/supervisorLog';
import { describeTriggerReply, parseTriggerReply } from '../../shared/supervisor';
import { fixtureLog, LOGS } from '../support/logFixtures';
import { visibleText } from '../../shared/util';

const LOG_FILES = readdirSync(LOGS).filter((f) => f.endsWith('.log'));
const tracing = (log: ParsedLog): TracingLine[] => log.lines.filter((l): l is TracingLine => l.kind === 'tracing');

describe('parsing every real log file', () => {
  it('finds the five fixture logs', () => assert.equal(LOG_FILES.length, 5));

  for (const file of LOG_FILES) {
    it(`${file}: every line kept, every tracing line has a time, level, target and no escape left`, () => {
      const text = readFileSync(resolve(LOGS, file), 'utf8');
      const log = fixtureLog(file);
      assert.equal(log.lines.length, text.split('\n').length - 1);
      for (const l of tracing(log)) {
        assert.match(l.timestamp ?? '', /^2026-11-28T07:43:\d\d\.\d{6}Z$/);
        assert.equal(l.unixMs, Date.parse(l.timestamp as string));
        assert.match(l.target, /^handoff[._:]/);
        assert.ok(!/[\x00-\x1f]/.test(l.text + l.message + JSON.stringify(l.fields)));
      }
      // Without colour (a plain-text subscriber) every line parses the same.
      for (const l of tracing(log)) {
        const plain = parseTracingLine(stripControls(l.raw));
        assert.deepEqual([plain?.level, plain?.target, plain?.message, plain?.fields], [l.level, l.target, l.message, l.fields]);
      }
    });
  }

  it('splits fields on the real lines, including a last value with spaces', () => {
    const [, prepare] = tracing(fixtureLog('01-three-fast-handoffs.log'));
    assert.deepEqual(
      prepare?.fields.map((f) => [f.key, f.value]),
      [
        ['handoff_id', 'c4f977e5-d940-4fd5-a043-093dc641fa70'],
        ['successor_pid', '7014'],
        ['drain_grace_ms', '25000'],
        ['deadline_ms', '59987'],
      ],
    );
    const abort = tracing(fixtureLog('03-seal-failure-abort.log')).find((l) => l.target === 'handoff.abort');
    assert.equal(abort?.level, 'WARN');
    assert.equal(abort?.message, 'seal failed; aborting handoff');
    assert.deepEqual(abort?.fields[1], { key: 'error', value: 'protocol violation: injected seal failure', quoted: false });
    const ready = tracing(fixtureLog('02-slow-handoff.log')).find((l) => l.target === 'handoff.ready');
    assert.deepEqual(
      ready?.fields.map((f) => f.value),
      ['566c95e7-eb29-4f06-8404-ab3cb1c9927a', 'true', '[]', '[43]', '0.001539575'],
    );
  });

  it('keeps daemon output as one attributed block per Error: report', () => {
    const log = fixtureLog('03-seal-failure-abort.log');
    assert.equal(log.blocks.length, 1);
    const b = log.blocks[0];
    assert.deepEqual([b?.first, b?.last, b?.error], [6, 9, true]);
    assert.equal(
      b?.summary,
      'Error: wait_for_begin; caused by: handoff aborted by peer: seal failed: protocol violation: injected seal failure',
    );
    assert.deepEqual(
      log.lines.slice(6).map((l) => [l.kind, l.text]),
      [
        ['output', 'Error: wait_for_begin'],
        ['output', ''],
        ['output', 'Caused by:'],
        ['output', '    handoff aborted by peer: seal failed: protocol violation: injected seal failure'],
      ],
    );
    const killed = fixtureLog('04-supervisor-killed-mid-handoff.log');
    assert.equal(
      killed.blocks[0]?.summary,
      'Error: wait_for_begin; caused by: io: failed to fill whole buffer; failed to fill whole buffer',
    );
    // The tracing lines after the block are not swallowed by it.
    assert.deepEqual(
      killed.lines.slice(9).map((l) => (l.kind === 'tracing' ? [l.level, l.origin, l.fields[0]?.value] : l.kind)),
      [
        ['ERROR', 'daemon', 'io: Broken pipe (os error 32)'],
        ['ERROR', 'daemon', 'io: failed to fill whole buffer'],
      ],
    );
    assert.equal(
      fixtureLog('05-restart-after-crash.log').blocks[0]?.summary,
      'Error: acquire flock; caused by: data-dir lock held by pid 7225',
    );
  });

  it('attributes targets: handoff.* and handoff_supervisor to the supervisor, handoff::incumbent to the daemon', () => {
    const origins = new Map(LOG_FILES.flatMap((f) => tracing(fixtureLog(f)).map((l) => [l.target, l.origin] as const)));
    assert.deepEqual(Object.fromEntries(origins), {
      handoff_supervisor: 'supervisor',
      'handoff.prepare': 'supervisor',
      'handoff.drained': 'supervisor',
      'handoff.seal': 'supervisor',
      'handoff.seal_complete': 'supervisor',
      'handoff.ready': 'supervisor',
      'handoff.commit': 'supervisor',
      'handoff::incumbent': 'daemon',
      'handoff.abort': 'supervisor',
      'handoff::supervisor': 'supervisor',
    });
  });
});

describe('tracing forms the fixtures do not show', () => {
  it('unquotes Debug-formatted values (a String field) and keeps quotes that do not close', () => {
    const l = parseTracingLine(
      '2026-11-28T07:43:50.000001Z  WARN handoff.abort: aborting handoff before commit handoff_id=c300947f-3407-4696-a2bb-07869cd924de reason="ready phase timed out waiting for Ready: \\"x=1\\""',
    );
    assert.deepEqual(l?.fields[1], { key: 'reason', value: 'ready phase timed out waiting for Ready: "x=1"', quoted: true });
    const odd = parseTracingLine('2026-11-28T07:43:50Z ERROR handoff_supervisor: boom error="unterminated a=b');
    assert.deepEqual(
      odd?.fields.map((f) => [f.key, f.value]),
      [
        ['error', '"unterminated'],
        ['a', 'b'],
      ],
    );
  });

  it('reads lines without time, with spans, or with an offset', () => {
    assert.deepEqual(parseTracingLine(' INFO handoff.seal: seal request handoff_id=x')?.target, 'handoff.seal');
    const s = parseTracingLine('2026-11-28T08:43:50.5+01:00  INFO perform{id=1}: handoff.seal: seal request');
    assert.deepEqual(
      [s?.spans, s?.target, s?.message, s?.unixMs],
      ['perform{id=1}', 'handoff.seal', 'seal request', Date.parse('2026-11-28T07:43:50.500Z')],
    );
    assert.equal(parseTracingLine('Error: wait_for_begin'), undefined);
    assert.equal(parseTracingLine('ERROR: not tracing'), undefined);
  });

  it('uses the source time when the text has none', () => {
    const log = parseLog([{ text: ' INFO handoff.seal: seal request', realtimeMs: 1234, pid: 9 }]);
    assert.deepEqual([log.lines[0]?.kind === 'tracing' && log.lines[0].unixMs, log.lines[0]?.pid], [1234, 9]);
  });
});

describe('log text is data', () => {
  it('visibleText drops colour, shows every other control character and bidi override', () => {
    assert.equal(
      visibleText('\x1b[31mred\x1b[0m \x1b]0;title\x07 a\rb \u202egnp.exe \x9b2J'),
      'red \\x1b]0;title\\x07 a\\rb \\u{202e}gnp.exe \\x9b2J',
    );
    assert.equal(stripControls('\x1b[2mx\x1b[0m\x1b]0;t\x07\ty\u0000'), 'x y');
  });

  it('unescapes Rust Debug strings and rejects bad ones', () => {
    assert.equal(unescapeRustDebug('a \\"q\\" \\\\ \\n \\u{1f600} \\\''), 'a "q" \\ \n 😀 \'');
    assert.equal(unescapeRustDebug('bad \\x'), undefined);
    assert.equal(unescapeRustDebug('bare " quote'), undefined);
  });
});

describe('trigger replies', () => {
  const replies = readdirSync(LOGS).filter((f) => f.endsWith('.replies'));

  it('parses every real reply, and its id is a handoff of the same run', () => {
    assert.equal(replies.length, 3);
    for (const file of replies) {
      const ids = new Set(
        tracing(fixtureLog(file.replace('.replies', '.log'))).map((l) => l.fields.find((f) => f.key === 'handoff_id')?.value),
      );
      for (const line of splitLogText(readFileSync(resolve(LOGS, file), 'utf8'))) {
        const r = parseTriggerReply(line.text);
        assert.ok(r.kind === 'committed' || r.kind === 'aborted', `${file}: ${line.text}`);
        assert.ok(ids.has(r.id), `${file}: ${r.id} is in the log`);
      }
    }
    const abort = parseTriggerReply(readFileSync(resolve(LOGS, '03-seal-failure-abort.replies'), 'utf8'));
    assert.deepEqual(abort, {
      kind: 'aborted',
      id: '4b4eb536-b111-436b-8bd5-cef9bc3ac924',
      reason: 'seal failed: protocol violation: injected seal failure',
    });
    assert.equal(describeTriggerReply(abort), 'aborted: seal failed: protocol violation: injected seal failure');
  });

  it('tells committed, err:, a closed connection and nonsense apart', () => {
    const ok = parseTriggerReply('ok: handoff_id=C4F977E5-D940-4FD5-A043-093DC641FA70 committed=true abort_reason=None\n');
    assert.deepEqual(ok, { kind: 'committed', id: 'c4f977e5-d940-4fd5-a043-093dc641fa70' });
    assert.equal(describeTriggerReply(ok), 'committed');
    // anyhow's outermost context of a failed perform_handoff (upstream main.rs): the handoff failed inside the supervisor.
    assert.deepEqual(parseTriggerReply('err: perform_handoff'), { kind: 'handoff-failed' });
    assert.deepEqual(parseTriggerReply('err: something else'), { kind: 'error', message: 'something else' });
    assert.deepEqual(parseTriggerReply(''), { kind: 'closed' });
    assert.equal(describeTriggerReply(parseTriggerReply('\n')), 'the supervisor closed the connection (did it crash?)');
    const escaped = parseTriggerReply(
      'ok: handoff_id=c4f977e5-d940-4fd5-a043-093dc641fa70 committed=false abort_reason=Some("expected Ready, got \\"Abort\\"\\n")',
    );
    assert.deepEqual(escaped, { kind: 'aborted', id: 'c4f977e5-d940-4fd5-a043-093dc641fa70', reason: 'expected Ready, got "Abort"\n' });
    assert.equal(describeTriggerReply(escaped), 'aborted: expected Ready, got "Abort"\\n');
    assert.equal(parseTriggerReply('ok: handoff_id=x committed=true abort_reason=None').kind, 'unrecognised');
    assert.equal(
      parseTriggerReply('ok: handoff_id=c4f977e5-d940-4fd5-a043-093dc641fa70 committed=true abort_reason=Some("?")').kind,
      'unrecognised',
    );
    assert.equal(describeTriggerReply(parseTriggerReply('\x1b[2Jhello')), 'unrecognised reply: \\x1b[2Jhello');
  });
});
