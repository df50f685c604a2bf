/**
 * The incremental reader of handoff records (shared/supervisorLog/records.ts) on the real
 * supervisor's logs, both versions (test/fixtures/logs: 0.1.0; test/fixtures/supervisor-0.2:
 * 0.2.0): every count and time equals what the lines say, checked against the plain-text
 * lines with a separate pattern; fed in pieces, or stopped and restarted from its state,
 * it makes the same records, each once.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { HandoffReader, isFailure, type HandoffRecord } from '../../shared/supervisorLog';
import { raw, readAll, said } from '../support/handoffRecords';

const LOGS = resolve(__dirname, '../fixtures/logs');
const V02 = resolve(__dirname, '../fixtures/supervisor-0.2');

describe('handoff records from the real 0.1.0 logs', () => {
  it('01: three commits, with the supervisor own times', () => {
    const lines = raw(join(LOGS, '01-three-fast-handoffs.log'));
    const recs = readAll(lines);
    assert.equal(recs.length, 3);
    assert.deepEqual(
      recs.map((r) => r.outcome),
      ['committed', 'committed', 'committed'],
    );
    assert.deepEqual(
      recs.map((r) => ({ id: r.id, value: r.totalSeconds })),
      said(lines, 'handoff.commit', 'total_seconds'),
    );
    assert.deepEqual(
      recs.map((r) => ({ id: r.id, value: r.drainSeconds })),
      said(lines, 'handoff.drained', 'drain_seconds'),
    );
    assert.deepEqual(
      recs.map((r) => ({ id: r.id, value: r.sealSeconds })),
      said(lines, 'handoff.seal_complete', 'seal_seconds'),
    );
    assert.deepEqual(
      recs.map((r) => ({ id: r.id, value: r.beginToReadySeconds })),
      said(lines, 'handoff.ready', 'begin_to_ready_seconds'),
    );
    assert.deepEqual(
      recs.map((r) => r.start),
      [Date.parse('2026-11-28T07:43:42.783Z'), Date.parse('2026-11-28T07:43:43.469Z'), Date.parse('2026-11-28T07:43:44.157Z')],
    );
    assert.deepEqual(
      recs.map((r) => r.successorPid),
      [7014, 7059, 7104],
    );
    assert.ok(recs.every((r) => !isFailure(r) && !r.sealFailure && !r.rolledBack && r.reason === null));
  });

  it('02: one slow commit, 0.70 s drain and seal', () => {
    const [r] = readAll(raw(join(LOGS, '02-slow-handoff.log')));
    assert.equal(r?.outcome, 'committed');
    assert.equal(r?.drainSeconds, 0.701234466);
    assert.equal(r?.sealSeconds, 0.701475961);
    assert.equal(r?.totalSeconds, 1.420690639);
  });

  it('03: one seal failure, aborted with the reason the trigger reply gave; no total, no rollback', () => {
    const recs = readAll(raw(join(LOGS, '03-seal-failure-abort.log')));
    assert.equal(recs.length, 1);
    const r = recs[0] as HandoffRecord;
    const reply = readFileSync(join(LOGS, '03-seal-failure-abort.replies'), 'utf8');
    assert.equal(r.outcome, 'aborted');
    assert.equal(r.sealFailure, true);
    assert.equal(r.rolledBack, false);
    assert.ok(reply.includes(`handoff_id=${r.id} committed=false abort_reason=Some("${r.reason}")`), reply);
    assert.equal(r.drainSeconds, 0.001101809);
    assert.deepEqual([r.sealSeconds, r.beginToReadySeconds, r.totalSeconds], [null, null, null]);
    assert.ok(isFailure(r));
  });

  it('04: the supervisor killed mid-handoff: unknown at the end of the log, after handoff.seal', () => {
    const recs = readAll(raw(join(LOGS, '04-supervisor-killed-mid-handoff.log')));
    assert.equal(recs.length, 1);
    assert.equal(recs[0]?.outcome, 'unknown');
    assert.equal(recs[0]?.lastStep, 'handoff.seal');
    assert.match(recs[0]?.reason ?? '', /log read ends mid-handoff/);
    assert.ok(isFailure(recs[0] as HandoffRecord));
  });

  it('04 then 05: the restart ends it (unknown, found at Draining), without waiting for the end of the log', () => {
    const r = new HandoffReader('kv');
    const before = r.pushAll(raw(join(LOGS, '04-supervisor-killed-mid-handoff.log')));
    assert.deepEqual(before, []);
    const ended = r.pushAll(raw(join(LOGS, '05-restart-after-crash.log')));
    assert.equal(ended.length, 1);
    assert.equal(ended[0]?.outcome, 'unknown');
    assert.match(ended[0]?.reason ?? '', /restart it found the journal at Draining/);
    assert.deepEqual(r.flush(), []);
  });

  it('05 alone: a restart over a handoff whose start was not read makes no record', () => {
    assert.deepEqual(readAll(raw(join(LOGS, '05-restart-after-crash.log'))), []);
  });
});

describe('handoff records from the real 0.2.0 logs', () => {
  const files = readdirSync(V02).filter((f) => f.endsWith('.log'));

  it('every log: one committed record per handoff.commit line, times as the lines say', () => {
    let total = 0;
    for (const f of files) {
      const lines = raw(join(V02, f));
      const recs = readAll(lines);
      const commits = said(lines, 'handoff.commit', 'total_seconds');
      assert.deepEqual(
        recs.map((r) => ({ id: r.id, value: r.totalSeconds })),
        commits,
        f,
      );
      assert.deepEqual(
        recs.map((r) => r.drainSeconds),
        said(lines, 'handoff.drained', 'drain_seconds').map((x) => x.value),
        f,
      );
      total += recs.length;
    }
    assert.equal(readAll(raw(join(V02, 'supervisor-main.full.log'))).length, 9);
    assert.ok(total >= 18, `${total} records`);
  });

  it('the full log, fed in pieces of every size, or restarted from a saved state at every line: the same records, each once', () => {
    const lines = raw(join(V02, 'supervisor-main.full.log'));
    const whole = readAll(lines);
    for (const size of [1, 2, 3, 7, 50]) {
      const r = new HandoffReader('kv');
      const out: HandoffRecord[] = [];
      for (let i = 0; i < lines.length; i += size) out.push(...r.pushAll(lines.slice(i, i + size)));
      assert.deepEqual([...out, ...r.flush()], whole, `pieces of ${size}`);
    }
    for (let cut = 0; cut <= lines.length; cut++) {
      const a = new HandoffReader('kv');
      const first = a.pushAll(lines.slice(0, cut));
      const b = new HandoffReader('kv', JSON.parse(JSON.stringify(a.snapshot())));
      assert.deepEqual([...first, ...b.pushAll(lines.slice(cut)), ...b.flush()], whole, `cut at ${cut}`);
    }
  });
});
