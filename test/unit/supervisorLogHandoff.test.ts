/**
 * One handoff in the real supervisor's log (test/fixtures/logs/, every file):
 * the window rule, the events with the journal phase each leaves, durations, outcome,
 * findings, and the rendered document's line maps.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { decodeJournal, formatUuid, CODES } from '../../shared/journal';
import {
  parseLog,
  splitLogText,
  type ParsedLog,
  handoffIds,
  selectHandoff,
  TAIL_LINES,
  type HandoffSelection,
  renderHandoffLog,
  summariseHandoff,
} from '../../shared/supervisorLog';
import { parseTriggerReply } from '../../shared/supervisor';
import { fixtureLog, fixtureText as text, LOGS } from '../support/logFixtures';
import { visibleText } from '../../shared/util';

function handoff(log: ParsedLog, id: string): HandoffSelection {
  const sel = selectHandoff(log, id);
  assert.ok(sel, `a selection for ${id}`);
  return sel;
}
const kinds = (sel: HandoffSelection): string[] => summariseHandoff(sel).events.map((e) => e.kind);
const STEPS = ['supervisor-running', 'prepare', 'drained', 'seal', 'seal_complete', 'ready', 'commit'];

describe('three fast handoffs (01)', () => {
  const log = fixtureLog('01-three-fast-handoffs.log');
  const ids = handoffIds(log);

  it('finds the three ids of the trigger replies, each committed with its own durations', () => {
    const replied = splitLogText(text('01-three-fast-handoffs.replies')).map((l) => parseTriggerReply(l.text));
    assert.deepEqual(
      ids,
      replied.map((r) => (r.kind === 'committed' ? r.id : '')),
    );
    const totals = ids.map((id) => summariseHandoff(handoff(log, id)).durations.totalSeconds);
    assert.deepEqual(totals, [0.018755185, 0.021218302, 0.021366832]);
    for (const id of ids) {
      const s = summariseHandoff(handoff(log, id));
      assert.deepEqual([s.outcome, s.diskAtEnd, s.findings], [{ kind: 'committed' }, null, []]);
      assert.deepEqual(kinds(handoff(log, id)), STEPS);
    }
    assert.equal(summariseHandoff(handoff(log, ids[0] as string)).sentence, 'committed in 18.8 ms');
  });

  it('keeps each handoff to its own lines: the run start, its steps, and its outgoing process exit', () => {
    const second = handoff(log, ids[1] as string);
    assert.deepEqual(
      second.lines.map((l) => [l.line.index, l.role]),
      [
        [0, 'run-start'],
        [8, 'event'],
        [9, 'event'],
        [10, 'event'],
        [11, 'event'],
        [12, 'event'],
        [13, 'event'],
        [14, 'context'],
      ],
    );
    assert.match(second.lines[7]?.line.text ?? '', /outgoing primitive exited pid=7014/);
  });

  it('gives the phase each step leaves on disk, per journal-semantics.md', () => {
    const events = summariseHandoff(handoff(log, ids[0] as string)).events;
    assert.deepEqual(
      events.map((e) => [e.name, [...e.disk.passing, e.disk.after]]),
      [
        ['supervisor running', [undefined]],
        ['handoff.prepare', ['Negotiating']],
        ['handoff.drained', ['Draining']],
        ['handoff.seal', ['Draining']],
        ['handoff.seal_complete', ['Sealing', 'AwaitingReady']],
        ['handoff.ready', ['AwaitingReady']],
        ['handoff.commit', ['Committed', null]],
      ],
    );
  });
});

describe('slow handoff (02)', () => {
  it('reads the 700 ms drain and seal from the supervisor fields', () => {
    const s = summariseHandoff(handoff(fixtureLog('02-slow-handoff.log'), '566c95e7-eb29-4f06-8404-ab3cb1c9927a'));
    assert.deepEqual(s.durations, {
      drainSeconds: 0.701234466,
      sealSeconds: 0.701475961,
      beginToReadySeconds: 0.001539575,
      totalSeconds: 1.420690639,
    });
    assert.deepEqual([s.successorPid, s.drainGraceMs, s.deadlineMs], [7159, 25000, 59988]);
  });
});

describe('seal failure (03)', () => {
  const log = fixtureLog('03-seal-failure-abort.log');
  const sel = handoff(log, '4B4EB536-B111-436B-8BD5-CEF9BC3AC924');
  const s = summariseHandoff(sel);

  it('is aborted with the reason the trigger reply gives', () => {
    const reply = parseTriggerReply(text('03-seal-failure-abort.replies'));
    assert.equal(reply.kind, 'aborted');
    assert.deepEqual(s.outcome, { kind: 'aborted', reason: reply.kind === 'aborted' ? reply.reason : '' });
    assert.equal(s.sentence, 'aborted: seal failed: protocol violation: injected seal failure');
    assert.equal(s.diskAtEnd, null);
  });

  it('marks the abort, the old process error and the daemon block as findings on their lines', () => {
    assert.deepEqual(
      s.findings.map((f) => [f.code, f.severity, f.line]),
      [
        ['HJ091', 'error', 4],
        ['HJ090', 'warning', 5],
        ['HJ095', 'information', 6],
      ],
    );
    assert.equal(
      s.findings[0]?.message,
      'the old process (handoff::incumbent) logged an error: seal failed; remaining as incumbent: protocol violation: injected seal failure',
    );
    for (const f of s.findings) assert.equal(CODES[f.code].severity, f.severity);
  });

  it('keeps the daemon Error:/Caused by: block, attributed as daemon output', () => {
    const daemon = sel.lines.filter((l) => l.role === 'daemon-output');
    assert.deepEqual(
      daemon.map((l) => [l.line.index, l.attribution]),
      [6, 7, 8, 9].map((i) => [i, 'daemon output (not the supervisor)']),
    );
    assert.equal(sel.lines.find((l) => l.line.index === 4)?.attribution, 'this handoff, logged by a daemon (handoff::incumbent)');
  });

  it('renders one line per log line, with a gutter on errors and aborts and line maps for diagnostics', () => {
    const r = renderHandoffLog(sel, s);
    assert.ok(!r.text.includes('\x1b'));
    assert.equal(r.lineOf.size, 10);
    for (const { line } of sel.lines) assert.equal(r.lines[r.lineOf.get(line.index) as number]?.slice(2), visibleText(line.raw));
    assert.match(r.lines[r.findingLines[0] as number] as string, /^! .*ERROR handoff::incumbent: seal failed/);
    assert.match(r.lines[r.findingLines[1] as number] as string, /^! .*WARN handoff\.abort: seal failed; aborting handoff/);
    assert.equal(r.lines[r.findingLines[2] as number], '| Error: wait_for_begin');
    assert.equal(r.lines[(r.findingLines[2] as number) - 1], '  -- daemon output (not the supervisor) --');
    s.events.forEach((e, i) => assert.equal(r.eventLines[i], r.lineOf.get(e.index)));
    assert.match(r.lines[r.eventLines[1] as number] as string, /handoff\.prepare/);
    const bottom = renderHandoffLog(sel, s, { summary: 'bottom', source: 'file x' });
    assert.match(bottom.lines[0] as string, /supervisor running/);
    assert.ok(bottom.lines.includes('source      file x'));
  });
});

describe('supervisor killed mid-handoff (04), and its restart (05)', () => {
  const journal = decodeJournal(new Uint8Array(readFileSync(resolve(LOGS, '04-left-behind-state.bin'))));
  assert.ok(journal.ok);
  const id = formatUuid(journal.journal.handoff_id);
  const killed = fixtureLog('04-supervisor-killed-mid-handoff.log');

  it('the left-behind journal is this log handoff, written by the dead supervisor', () => {
    assert.equal(id, 'c300947f-3407-4696-a2bb-07869cd924de');
    assert.equal(String(journal.journal.incumbent_pid), /(\d+)\s*$/.exec(text('04-supervisor-killed-mid-handoff.pid'))?.[1]);
    assert.deepEqual(handoffIds(killed), [id]);
  });

  it('has no outcome: the log ends at the seal, with the journal at Draining as on disk', () => {
    const sel = handoff(killed, id);
    const s = summariseHandoff(sel);
    assert.deepEqual(s.outcome, { kind: 'unknown' });
    assert.equal(s.sentence, 'unknown: the log ends mid-handoff, after handoff.seal (journal: Draining)');
    assert.equal(s.diskAtEnd, journal.journal.phase);
    const hj092 = s.findings.find((f) => f.code === 'HJ092');
    assert.equal(hj092?.line, 3);
    assert.equal(hj092?.severity, 'warning');
    // The daemons' reaction to the dead supervisor (N's Error block, O's errors) is in the window.
    assert.deepEqual(
      sel.lines.slice(4).map((l) => l.role),
      ['daemon-output', 'daemon-output', 'daemon-output', 'daemon-output', 'daemon-output', 'context', 'context'],
    );
    assert.deepEqual(
      s.findings.map((f) => f.code),
      ['HJ095', 'HJ091', 'HJ091', 'HJ092'],
    );
  });

  it('the restart alone: cleared on restart at Draining, with the new run and its daemon error', () => {
    const sel = handoff(fixtureLog('05-restart-after-crash.log'), id);
    const s = summariseHandoff(sel);
    assert.deepEqual(s.outcome, { kind: 'cleared-on-restart', phase: 'Draining' });
    assert.deepEqual(kinds(sel), ['found-prior-state', 'resumed-prior-journal', 'supervisor-running', 'daemon-output']);
    assert.deepEqual(
      s.findings.map((f) => [f.code, f.line]),
      [
        ['HJ093', 0],
        ['HJ095', 3],
      ],
    );
    assert.equal(s.diskAtEnd, null);
    assert.equal(sel.lines.length, 7);
  });

  it('both runs in one log (as journald holds them by unit): one handoff from prepare to the clearing', () => {
    const both = parseLog(splitLogText(text('04-supervisor-killed-mid-handoff.log') + text('05-restart-after-crash.log')));
    const s = summariseHandoff(handoff(both, id));
    assert.equal(s.outcome.kind, 'cleared-on-restart');
    assert.deepEqual(
      s.events.filter((e) => !['error', 'daemon-output'].includes(e.kind)).map((e) => e.kind),
      ['supervisor-running', 'prepare', 'drained', 'seal', 'found-prior-state', 'resumed-prior-journal', 'supervisor-running'],
    );
    assert.ok(!s.findings.some((f) => f.code === 'HJ092'));
  });
});

describe('the window rule', () => {
  const line = (t: string, extra = ''): string => `2026-11-28T07:43:${t}Z  INFO ${extra}`;
  const id = 'c4f977e5-d940-4fd5-a043-093dc641fa70';

  it('stops the tail at a minute after the last line, at TAIL_LINES lines, and at a new run after a commit', () => {
    const base = [
      line('00.0', `handoff.prepare: prepare handoff handoff_id=${id}`),
      line('00.1', `handoff.commit: commit handoff_id=${id} total_seconds=0.1`),
    ];
    const late = parseLog(
      splitLogText([...base, line('01.0', 'handoff_supervisor: soon'), '2026-11-28T07:45:00Z  INFO handoff_supervisor: later'].join('\n')),
    );
    assert.deepEqual(
      handoff(late, id).lines.map((l) => l.line.index),
      [0, 1, 2],
    );
    const many = parseLog(
      splitLogText([...base, ...Array.from({ length: TAIL_LINES + 5 }, () => line('02.0', 'handoff_supervisor: chatter'))].join('\n')),
    );
    assert.equal(handoff(many, id).lines.length, 2 + TAIL_LINES);
    const rerun = parseLog(
      splitLogText([...base, line('02.0', 'handoff_supervisor: supervisor running child_pid=1'), 'Error: x'].join('\n')),
    );
    assert.equal(handoff(rerun, id).lines.length, 2);
  });

  it('never cuts a daemon block in two, and leaves out other handoffs inside the window', () => {
    const other = '4c208be1-62b9-4a53-b2b9-e304f47055fd';
    const lines = [
      line('00.0', `handoff.prepare: prepare handoff handoff_id=${id}`),
      line('00.1', `handoff.prepare: prepare handoff handoff_id=${other}`),
      line('00.2', `handoff.seal: seal request handoff_id=${id}`),
      ...Array.from({ length: TAIL_LINES + 3 }, (_, i) => (i === 0 ? 'Error: x' : `    cause ${i}`)),
    ];
    const sel = handoff(parseLog(splitLogText(lines.join('\n'))), id);
    assert.deepEqual(
      sel.lines.slice(0, 2).map((l) => l.line.index),
      [0, 2],
    );
    assert.equal(sel.lines.length, 2 + TAIL_LINES + 3);
    assert.equal(selectHandoff(parseLog(splitLogText(lines.join('\n'))), '00000000-0000-4000-8000-000000000000'), undefined);
  });
});
