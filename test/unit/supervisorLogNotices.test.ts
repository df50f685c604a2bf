/**
 * The log lines that say something without being a protocol step (supervisorLog/notices.ts),
 * on the current supervisor's real output (test/fixtures/supervisor-0.2: the whole run and
 * each test's slice) and the 0.1 fixtures, and the lines the fixtures do not hold built in
 * the supervisor's own format (tracingFormat.ts rebuilds every fixture line byte for byte):
 * each recognised and attributed to its handoff, the supervisor or the daemon; a handoff
 * whose successor the guard killed is `failed`.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  handoffIds,
  noticeOf,
  parseLog,
  renderHandoffLog,
  selectHandoff,
  splitLogText,
  summariseHandoff,
  type TracingLine,
} from '../../shared/supervisorLog';
import { fixtureLog, LOGS } from '../support/logFixtures';
import { sup02Files, sup02Log } from '../support/supervisor02Fixtures';
import { tracingLine } from '../support/tracingFormat';

const tracing = (lines: readonly { kind: string }[]): TracingLine[] => lines.filter((l): l is TracingLine => l.kind === 'tracing');
const ID = '4b4eb536-b111-436b-8bd5-cef9bc3ac924';
const at = (s: number): string => `2026-12-02T18:50:${String(s).padStart(2, '0')}.000000Z`;

describe("0.2's WARN lines in its real log", () => {
  const full = sup02Log('supervisor-main.full.log');

  it('every WARN line is recognised: the trigger socket and start-up are the supervisor, the control socket the daemon', () => {
    const warns = tracing(full.lines).filter((l) => l.level === 'WARN');
    assert.equal(warns.length, 7);
    assert.deepEqual(
      warns.map((l) => [noticeOf(l)?.kind, noticeOf(l)?.scope, noticeOf(l)?.code]),
      [
        ['trigger-read-failed', 'supervisor', 'HJ099'],
        ['trigger-read-failed', 'supervisor', 'HJ099'],
        ['trigger-read-failed', 'supervisor', 'HJ099'],
        ['trigger-read-failed', 'supervisor', 'HJ099'],
        ['trigger-refused', 'supervisor', 'HJ099'],
        ['trigger-refused', 'supervisor', 'HJ099'],
        ['control-rejected', 'daemon', 'HJ099'],
      ],
    );
    assert.match(noticeOf(warns[0] as TracingLine)?.sentence ?? '', /not UTF-8; it was dropped without a reply/);
    assert.match(noticeOf(warns[1] as TracingLine)?.sentence ?? '', /no complete line within the supervisor's 10 s read timeout/);
    assert.match(noticeOf(warns[4] as TracingLine)?.sentence ?? '', /refused a trigger from uid 1003 \(err: not permitted\)/);
    assert.match(noticeOf(warns[6] as TracingLine)?.sentence ?? '', /control socket peer uid 1003 is not permitted/);
  });

  it('in a handoff window they are attributed to the supervisor or the daemon, never to the handoff, which committed', () => {
    for (const id of handoffIds(full)) {
      const s = summariseHandoff(selectHandoff(full, id) as NonNullable<ReturnType<typeof selectHandoff>>);
      assert.equal(s.outcome.kind, 'committed', id);
      assert.ok(!s.findings.some((f) => f.code === 'HJ094' || f.code === 'HJ092'), id);
    }
    const sel = selectHandoff(full, 'd4dab1f2-07ca-421b-97a2-f5120046e7e7');
    const warned = sel?.lines.filter((l) => l.line.kind === 'tracing' && l.line.level === 'WARN') ?? [];
    assert.equal(warned.length, 6);
    for (const l of warned) assert.equal(l.attribution, "the supervisor's trigger socket, not this handoff");
    const summary = summariseHandoff(sel as NonNullable<typeof sel>);
    assert.equal(summary.findings.filter((f) => f.code === 'HJ099').length, 6);
    assert.ok(summary.findings.every((f) => f.message.startsWith("the supervisor's trigger socket, not this handoff: ")));
    const daemon = selectHandoff(full, '3f3254a6-f7d8-4823-a7cf-9d2dd8234996')?.lines.find(
      (l) => l.line.kind === 'tracing' && l.line.level === 'WARN',
    );
    assert.equal(daemon?.attribution, "the daemon's control socket, not this handoff");
  });

  it("each test's slice says the same about its own line; the handoffs' slices are committed handoffs", () => {
    const kinds: Record<string, string> = {
      '05k-invalid-utf8.log': 'trigger-read-failed',
      '05m-no-newline-held-open.log': 'trigger-read-failed',
      '06b-second-client-queued-behind-idle.log': 'trigger-read-failed',
      '06d-one-byte-then-11s-pause.log': 'trigger-read-failed',
      '07b-hjsup2-socket-0666-handoff.log': 'trigger-refused',
      '07c-hjsup2-socket-0666-sends-nothing.log': 'trigger-refused',
      '07g-hjsup2-control-socket-chmod-0666.log': 'control-rejected',
    };
    let handoffs = 0;
    for (const file of sup02Files('.log').filter((f) => !f.includes('full'))) {
      const log = sup02Log(file);
      const lines = tracing(log.lines);
      if (kinds[file])
        assert.deepEqual(
          lines.map((l) => noticeOf(l)?.kind),
          [kinds[file]],
          file,
        );
      else if (handoffIds(log).length === 1) {
        const s = summariseHandoff(selectHandoff(log, handoffIds(log)[0] as string) as NonNullable<ReturnType<typeof selectHandoff>>);
        assert.equal(s.outcome.kind, 'committed', file);
        handoffs++;
      } else
        assert.ok(
          lines.every((l) => noticeOf(l) === undefined || l.message === 'supervisor running'),
          file,
        );
    }
    assert.equal(handoffs, 10);
  });

  it('the 0.1 logs hold none of these lines (0.1 has no trigger checks)', () => {
    for (const file of readdirSync(LOGS).filter((f) => f.endsWith('.log')))
      assert.deepEqual(
        tracing(fixtureLog(file).lines).filter((l) => noticeOf(l) !== undefined),
        [],
        file,
      );
    assert.deepEqual(
      tracing(sup02Log('old-supervisor.full.log').lines).filter((l) => noticeOf(l) !== undefined),
      [],
    );
  });
});

/** A handoff's prepare and drained lines, then `after`, in the supervisor's format. */
function handoffLog(after: string[], successorPid = 7271): ReturnType<typeof parseLog> {
  const id = { handoff_id: ID };
  return parseLog(
    splitLogText(
      [
        tracingLine(
          'INFO',
          'handoff_supervisor',
          'supervisor running',
          { binary: '/usr/local/bin/kv-daemon', child_pid: 7223, trigger: '/run/handoff/kv/trigger.sock' },
          at(0),
        ),
        tracingLine(
          'INFO',
          'handoff.prepare',
          'prepare handoff',
          { ...id, successor_pid: successorPid, drain_grace_ms: 10000, deadline_ms: 29990 },
          at(1),
        ),
        tracingLine(
          'INFO',
          'handoff.drained',
          'drain complete',
          { ...id, open_conns_remaining: 0, accept_closed: true, drain_seconds: 0.0009 },
          at(1),
        ),
        tracingLine('INFO', 'handoff.seal', 'seal request', id, at(1)),
        ...after,
      ].join('\n'),
    ),
  );
}

describe('lines the fixture run did not produce, in the same format', () => {
  it("the guard drop of the handoff's own successor: failed (the supervisor gave up: err: perform_handoff), journal left at Draining", () => {
    const log = handoffLog([
      tracingLine('WARN', 'handoff::supervisor', 'killing leaked successor child on guard drop', { pid: 7271 }, at(1)),
    ]);
    const sel = selectHandoff(log, ID) as NonNullable<ReturnType<typeof selectHandoff>>;
    const s = summariseHandoff(sel);
    assert.deepEqual(s.outcome, { kind: 'failed', reason: 'err: perform_handoff', evidence: 4, successorPid: 7271 });
    assert.equal(s.sentence, 'failed (the supervisor gave up: err: perform_handoff)');
    assert.equal(s.diskAtEnd, 'Draining');
    assert.deepEqual(
      s.findings.map((f) => [f.code, f.line]),
      [['HJ096', 4]],
    );
    assert.match(
      s.findings[0]?.message ?? '',
      /killed its successor, pid 7271,.*stays at its last phase until the next handoff overwrites it or a supervisor restart deletes it/,
    );
    assert.equal(
      sel.lines.find((l) => l.line.index === 4)?.attribution,
      'this handoff: its successor (pid 7271), killed when the supervisor gave up',
    );
    const text = renderHandoffLog(sel, s, { summary: 'bottom' }).text;
    assert.match(text, /outcome {5}failed \(the supervisor gave up: err: perform_handoff\)/);
    assert.match(text, /gave up \(guard drop\) +journal: Draining/);
    assert.match(text, /^! .*killing leaked successor child on guard drop/m);
  });

  it("another successor's guard drop is not this handoff's: the log ends mid-handoff", () => {
    const s = summariseHandoff(
      selectHandoff(
        handoffLog([tracingLine('WARN', 'handoff::supervisor', 'killing leaked successor child on guard drop', { pid: 9999 }, at(1))]),
        ID,
      ) as NonNullable<ReturnType<typeof selectHandoff>>,
    );
    assert.equal(s.outcome.kind, 'unknown');
    assert.deepEqual(s.findings.map((f) => f.code).sort(), ['HJ092', 'HJ094']);
  });

  it('a failed journal delete after the commit leaves Committed on disk (HJ097, shown on the journal view)', () => {
    const id = { handoff_id: ID };
    const log = handoffLog([
      tracingLine('INFO', 'handoff.seal_complete', 'seal complete; flock released by O', { ...id, seal_seconds: 0.001 }, at(1)),
      tracingLine(
        'INFO',
        'handoff.ready',
        'successor ready',
        { ...id, healthz_ok: true, listeners: '[]', advertised_revisions: '[43]', begin_to_ready_seconds: 0.002 },
        at(1),
      ),
      tracingLine('INFO', 'handoff.commit', 'commit', { ...id, total_seconds: 0.01 }, at(1)),
      tracingLine(
        'WARN',
        'handoff::supervisor',
        'failed to clear handoff journal; next supervisor start will see stale state',
        { error: 'io: Permission denied (os error 13)', path: '/var/lib/beyond/handoff/kv/state.bin' },
        at(1),
      ),
    ]);
    const sel = selectHandoff(log, ID) as NonNullable<ReturnType<typeof selectHandoff>>;
    const s = summariseHandoff(sel);
    assert.equal(s.outcome.kind, 'committed');
    assert.equal(s.diskAtEnd, 'Committed');
    assert.deepEqual(
      s.findings.map((f) => f.code),
      ['HJ097'],
    );
    assert.match(
      s.findings[0]?.message ?? '',
      /could not delete the journal \/var\/lib\/beyond\/handoff\/kv\/state\.bin after the handoff \(io: Permission denied \(os error 13\)\).*next supervisor start will see stale state/,
    );
    assert.match(sel.lines.at(-1)?.attribution ?? '', /^this handoff/);
  });

  it("start-up and the trigger socket's other drops are the supervisor's", () => {
    const lines = [
      tracingLine(
        'WARN',
        'handoff_supervisor',
        'resume_from_journal failed; continuing',
        { error: 'postcard: Found an enum discriminant that was > u32::MAX' },
        at(0),
      ),
      tracingLine(
        'WARN',
        'handoff_supervisor',
        'could not read trigger peer credentials; dropping',
        { error: 'Bad file descriptor (os error 9)' },
        at(0),
      ),
      tracingLine(
        'WARN',
        'handoff_supervisor',
        'could not bound trigger client I/O; dropping',
        { error: 'Invalid argument (os error 22)' },
        at(0),
      ),
      tracingLine('WARN', 'handoff_supervisor', 'trigger accept', { error: 'Too many open files (os error 24)' }, at(0)),
    ];
    const n = tracing(parseLog(splitLogText(lines.join('\n'))).lines).map((l) => noticeOf(l));
    assert.deepEqual(
      n.map((x) => [x?.kind, x?.scope, x?.code]),
      [
        ['resume-failed', 'supervisor', 'HJ098'],
        ['trigger-dropped', 'supervisor', 'HJ099'],
        ['trigger-dropped', 'supervisor', 'HJ099'],
        ['trigger-dropped', 'supervisor', 'HJ099'],
      ],
    );
    assert.match(n[0]?.sentence ?? '', /a journal it cannot read \(corrupt, another format\) stays on disk while it runs/);
  });
});
