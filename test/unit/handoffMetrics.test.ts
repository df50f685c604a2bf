/**
 * Upstream's handoff metrics from records (shared/fleet/handoffMetrics.ts): what each
 * counter counts, the buckets, the exposition (prom-client's escaping), and the time
 * arguments of `history`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import {
  bucketIndex,
  countRecord,
  DURATION_BUCKETS,
  handoffFamilies,
  HANDOFF_COUNTERS,
  HANDOFF_HISTOGRAMS,
  isHandoffTotals,
  quantile,
  type HandoffTotals,
} from '../../shared/fleet';
import { HandoffReader, splitLogText } from '../../shared/supervisorLog';
import { parseTimeArg } from '../../shared/util';
import { exposition } from '../../cli/metrics';

const LOGS = resolve(__dirname, '../fixtures/logs');

function totalsOf(...files: string[]): HandoffTotals {
  const t: HandoffTotals = {};
  for (const f of files) {
    const r = new HandoffReader('kv');
    for (const rec of [...r.pushAll(splitLogText(readFileSync(join(LOGS, f), 'utf8'))), ...r.flush()]) countRecord(t, rec);
  }
  return t;
}

describe('handoff metrics', () => {
  it('buckets from 1 ms to 60 s; a value on a bound is in that bound (le)', () => {
    assert.equal(DURATION_BUCKETS[0], 0.001);
    assert.equal(DURATION_BUCKETS[DURATION_BUCKETS.length - 1], 60);
    assert.equal(bucketIndex(0.001), 0);
    assert.equal(bucketIndex(0.0011), 1);
    assert.equal(bucketIndex(61), DURATION_BUCKETS.length);
  });

  it('counts the real logs: 01-04 are 6 handoffs, 2 failures (a seal failure, an unknown), no rollback', () => {
    const t = totalsOf(
      '01-three-fast-handoffs.log',
      '02-slow-handoff.log',
      '03-seal-failure-abort.log',
      '04-supervisor-killed-mid-handoff.log',
    );
    const kv = t.kv;
    assert.ok(kv);
    assert.deepEqual([kv.handoffs, kv.failures, kv.sealFailures, kv.rolledBack], [6, 2, 1, 0]);
    // total_seconds only on commit; drain_seconds on every handoff that drained.
    assert.equal(kv.histograms.totalSeconds.count, 4);
    assert.equal(kv.histograms.drainSeconds.count, 6);
    assert.equal(kv.histograms.sealSeconds.count, 4);
    assert.ok(Math.abs(kv.histograms.totalSeconds.sum - (0.018755185 + 0.021218302 + 0.021366832 + 1.420690639)) < 1e-12);
    assert.ok(isHandoffTotals(JSON.parse(JSON.stringify(t))));
    assert.ok(!isHandoffTotals({ kv: { handoffs: 'x' } }));
  });

  it('families: cumulative buckets, +Inf = count, HELP citing upstream, escaped labels', async () => {
    const t = totalsOf('01-three-fast-handoffs.log');
    const odd = 'we"ird\\svc\nx';
    countRecord(t, {
      service: odd,
      id: 'x',
      start: null,
      end: null,
      outcome: 'committed',
      reason: null,
      sealFailure: false,
      rolledBack: false,
      drainSeconds: null,
      sealSeconds: null,
      beginToReadySeconds: null,
      totalSeconds: 90,
      supervisorPid: null,
      successorPid: null,
      lastStep: null,
    });
    const text = await exposition([], handoffFamilies(t, { kv: true }));
    for (const f of [...HANDOFF_COUNTERS, ...HANDOFF_HISTOGRAMS]) {
      assert.match(text, new RegExp(`^# HELP ${f.name} .*upstream's`, 'm'), f.name);
    }
    assert.match(text, /^# TYPE handoff_handoffs_total counter$/m);
    assert.match(text, /^# TYPE handoff_duration_seconds histogram$/m);
    assert.match(text, /^handoff_handoffs_total\{service="kv"\} 3$/m);
    assert.match(text, /^handoff_duration_seconds_bucket\{service="kv",le="0.01"\} 0$/m);
    assert.match(text, /^handoff_duration_seconds_bucket\{service="kv",le="0.025"\} 3$/m);
    assert.match(text, /^handoff_duration_seconds_bucket\{service="kv",le="\+Inf"\} 3$/m);
    assert.match(text, /^handoff_duration_seconds_count\{service="kv"\} 3$/m);
    assert.match(text, /^handoff_journal_log_readable\{service="kv"\} 1$/m);
    assert.ok(text.includes('handoff_duration_seconds_bucket{service="we\\"ird\\\\svc\\nx",le="60"} 0\n'), text);
    assert.ok(text.includes('handoff_duration_seconds_bucket{service="we\\"ird\\\\svc\\nx",le="+Inf"} 1\n'), text);
  });

  it('quantile by nearest rank', () => {
    assert.equal(quantile([], 0.5), undefined);
    assert.equal(quantile([1, 2, 3, 4], 0.5), 2);
    assert.equal(quantile([1, 2, 3, 4], 0.99), 4);
    assert.equal(quantile([5], 0.99), 5);
  });
});

describe('--since / --until', () => {
  const now = Date.parse('2026-12-02T18:48:14Z');
  it('reads the forms the help names', () => {
    assert.equal(parseTimeArg('now', now), now);
    assert.equal(parseTimeArg('@1764701294', now), 1764701294000);
    assert.equal(parseTimeArg('-2h', now), now - 7_200_000);
    assert.equal(parseTimeArg('30m ago', now), now - 1_800_000);
    assert.equal(parseTimeArg('2026-12-02T18:48:14Z', now), now);
    assert.equal(parseTimeArg('2026-12-02T19:48:14+01:00', now), now);
    assert.equal(parseTimeArg('2026-12-02 18:48', now), new Date(2026, 11, 2, 18, 48).getTime());
    assert.equal(parseTimeArg('2026-12-02', now), new Date(2026, 11, 2).getTime());
    const d = new Date(now);
    assert.equal(parseTimeArg('today', now), new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime());
  });
  it('refuses anything else', () => {
    for (const bad of ['', 'soon', '2h', '2026-13-01', '2026-02-30', '1 2 3', '-'.repeat(5000)])
      assert.equal(parseTimeArg(bad, now), undefined, bad);
  });
});
