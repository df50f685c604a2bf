/**
 * What ends a handoff (shared/supervisorLog/records.ts and recordEndings.ts): each line
 * that ends one other than its own outcome, and on a live log the deadline and the
 * supervisor's process.
 */
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { HandoffReader, isFailure, QUIET_MS, RECORD_GRACE_MS, stripControls, type HandoffRecord } from '../../shared/supervisorLog';
import { restartLines, supervisorRunning } from '../support/simulatorLog';
import { handoffLines, ID, raw, readAll, said } from '../support/handoffRecords';

const LOGS = resolve(__dirname, '../fixtures/logs');

describe('what ends a handoff', () => {
  it("0.2's guard drop of this handoff's successor: a failure, aborted (the supervisor gave up: err: perform_handoff), at once", () => {
    const lines = handoffLines(ID(1), ['prepare', 'drained', 'guard-drop'], 1e12);
    const r = new HandoffReader('kv');
    const recs = r.pushAll(lines);
    assert.equal(recs.length, 1, 'ended by the guard-drop line, not left open');
    assert.deepEqual([recs[0]?.outcome, recs[0]?.sealFailure, recs[0]?.rolledBack, isFailure(recs[0]!)], ['aborted', false, false, true]);
    assert.match(recs[0]?.reason ?? '', /gave up \(err: perform_handoff\)/);
    assert.equal(r.openCount, 0);
    // Another successor's guard drop ends nothing of this handoff.
    const other = new HandoffReader('kv');
    const mine = handoffLines(ID(2), ['prepare'], 1e12);
    const drop = handoffLines(ID(3), ['guard-drop'], 1e12 + 5, 8);
    assert.deepEqual(other.pushAll([...mine, ...drop]), []);
    assert.equal(other.openCount, 1);
  });

  it('an abort after Begin waits for its resume: rolled back, with the abort reason', () => {
    const lines = handoffLines(ID(1), ['prepare', 'drained', 'seal', 'seal_complete', 'abort-before-commit', 'resume'], 1e12);
    const recs = readAll(lines);
    assert.equal(recs.length, 1);
    assert.deepEqual([recs[0]?.outcome, recs[0]?.rolledBack, recs[0]?.sealFailure], ['aborted', true, false]);
    assert.match(recs[0]?.reason ?? '', /ready read failed/);
  });

  it('an abort whose resume never comes: aborted, not rolled back, at the next handoff, at settle() or at the end', () => {
    const abort = handoffLines(ID(1), ['prepare', 'drained', 'seal', 'seal_complete', 'abort-before-commit'], 1e12);
    const r = new HandoffReader('kv');
    assert.deepEqual(r.pushAll(abort), []);
    assert.deepEqual(r.settle(1e12 + 1000), [], 'not yet: the resume may still come');
    const [late] = r.settle(1e12 + 60_000);
    assert.deepEqual([late?.outcome, late?.rolledBack], ['aborted', false]);
    const r2 = new HandoffReader('kv');
    r2.pushAll(abort);
    const next = r2.pushAll(handoffLines(ID(2), ['prepare'], 1e12 + 10));
    assert.deepEqual(
      next.map((x) => [x.id, x.outcome]),
      [[ID(1), 'aborted']],
    );
    const r3 = new HandoffReader('kv');
    r3.pushAll(abort);
    assert.deepEqual(
      r3.flush().map((x) => x.outcome),
      ['aborted'],
    );
  });

  it('on a live log, a handoff with no outcome ends as unknown once past its deadline, or once its supervisor is gone', () => {
    // The real 0.1.0 log of a supervisor killed mid-handoff (its prepare line names deadline_ms).
    const killed = raw(join(LOGS, '04-supervisor-killed-mid-handoff.log'));
    const r = new HandoffReader('kv');
    assert.deepEqual(r.pushAll(killed), []);
    const [start] = said(killed, 'handoff.prepare', 'deadline_ms');
    const prepareAt = Date.parse(
      /\d{4}-\d\d-\d\dT[\d:.]+Z/.exec(stripControls(killed.find((l) => l.text.includes('handoff.prepare'))!.text))![0],
    );
    const deadline = start?.value as number;
    assert.ok(deadline > 1000 && deadline < 600_000);
    assert.deepEqual(r.settle(prepareAt + deadline + RECORD_GRACE_MS - 1), [], 'still within its deadline (and the grace): it may end');
    const [late] = r.settle(prepareAt + deadline + RECORD_GRACE_MS + 1);
    assert.deepEqual([late?.id, late?.outcome], [start?.id, 'unknown']);
    assert.ok(late?.reason?.includes(`no outcome logged within its deadline (${deadline} ms)`), late?.reason ?? '');
    // `history` (flush) and a settled live reader count it alike.
    assert.deepEqual(
      readAll(killed).map((x) => [x.id, x.outcome]),
      [[late?.id, 'unknown']],
    );

    // From journald, the supervisor's pid: gone (and the log quiet) ends it before the deadline.
    const withPid = handoffLines(ID(1), ['prepare', 'drained', 'seal'], 1e12).map((l) => ({ ...l, pid: 4242 }));
    const running = (alive: boolean) => (pid: number) => (pid === 4242 && alive ? { running: true, command: 'sup' } : { running: false });
    const live = new HandoffReader('kv');
    live.pushAll(withPid);
    assert.deepEqual(live.settle(1e12 + QUIET_MS + 1, running(true)), [], 'its supervisor still runs');
    assert.deepEqual(live.settle(1e12 + 1000, running(false)), [], 'gone, but lines may still be on their way');
    assert.deepEqual(live.settle(1e12 + QUIET_MS + 1), [], 'no process table: only the deadline ends it');
    const [gone] = live.settle(1e12 + QUIET_MS + 1, running(false));
    assert.deepEqual([gone?.outcome, live.openCount], ['unknown', 0]);
    assert.match(gone?.reason ?? '', /the supervisor \(pid 4242\) is gone/);
  });

  it('another handoff started by the same supervisor: the open one gave up without an outcome (unknown)', () => {
    const lines = [
      ...handoffLines(ID(1), ['prepare', 'drained'], 1e12),
      ...handoffLines(ID(2), ['prepare', 'drained', 'seal', 'seal_complete', 'ready', 'commit'], 1e12 + 5),
    ];
    const recs = readAll(lines);
    assert.deepEqual(
      recs.map((r) => [r.id, r.outcome]),
      [
        [ID(1), 'unknown'],
        [ID(2), 'committed'],
      ],
    );
    assert.match(recs[0]?.reason ?? '', /without logging an outcome/);
  });

  it('a new `supervisor running` ends every open handoff (unknown)', () => {
    const lines = [...handoffLines(ID(1), ['prepare', 'drained', 'seal'], 1e12), { text: supervisorRunning('/bin/kv', 9, '/run/kv.sock') }];
    const r = new HandoffReader('kv');
    const recs = r.pushAll(lines);
    assert.deepEqual(
      recs.map((x) => x.outcome),
      ['unknown'],
    );
    assert.match(recs[0]?.reason ?? '', /started again/);
  });

  it('a restart that names the handoff ends only that one', () => {
    const lines = [...handoffLines(ID(1), ['prepare'], 1e12), ...restartLines(ID(1), 'Negotiating').map((text) => ({ text }))];
    assert.match(readAll(lines)[0]?.reason ?? '', /found the journal at Negotiating/);
  });

  it('steps of a handoff whose start was not read are skipped and counted', () => {
    const r = new HandoffReader('kv');
    assert.deepEqual(r.pushAll(handoffLines(ID(1), ['drained', 'seal', 'commit'], 1e12)), []);
    assert.equal(r.stats.skipped, 3);
  });

  it('more open handoffs than the cap (several supervisors mixed): the oldest is dropped, said and counted', () => {
    const r = new HandoffReader('kv', undefined, 2);
    const out: HandoffRecord[] = [];
    for (let i = 1; i <= 3; i++) out.push(...r.pushAll(handoffLines(ID(i), ['prepare'], 1e12 + i).map((l) => ({ ...l, pid: 100 + i }))));
    assert.equal(r.stats.evicted, 1);
    assert.deepEqual(
      out.map((x) => [x.id, x.outcome]),
      [[ID(1), 'unknown']],
    );
    assert.match(out[0]?.reason ?? '', /more than 2 handoffs were open/);
    assert.equal(r.openCount, 2);
  });
});
