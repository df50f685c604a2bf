/**
 * `handoff-journal history` and the textfile counters on a real journald file (written by
 * systemd-journal-remote, read by the real journalctl) holding 1,000 handoffs in the
 * supervisor's real log format, with failures mixed in: every count exact, every record
 * as the truth says, the p99 within one bucket; and the textfile mode, started before the
 * handoffs, counts the same and never twice. And a log that ends with a supervisor killed
 * mid-handoff, never started again: history, the textfile timer and the exporter all count
 * that handoff (unknown) once. The bundled CLI as a process.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bucketIndex, DURATION_BUCKETS, quantile } from '../../shared/fleet';
import { CLI, tmp } from '../support/cliProcess';
import { scrapeValue, startExporter } from '../support/exporterProcess';
import { poll } from '../support/prometheus';
import { writeFakeConfig } from '../support/fakeSupervisor';
import { generateHandoffs, journalEntries, type Plan, type Truth } from '../support/handoffLogs';
import { entriesFromLog, JOURNAL_REMOTE, writeJournalFile } from '../support/journalExport';

const PLANS: Plan[] = ['commit', 'commit', 'commit', 'commit', 'commit', 'commit', 'commit', 'abort', 'seal-failure', 'killed'];
const START = Date.parse('2026-11-01T00:00:00Z');

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Prometheus's histogram_quantile on cumulative buckets (linear within the bucket). */
export function histogramQuantile(q: number, cumulative: readonly number[], count: number): number {
  const rank = q * count;
  const i = cumulative.findIndex((c) => c >= rank);
  if (i < 0 || i >= DURATION_BUCKETS.length) return DURATION_BUCKETS[DURATION_BUCKETS.length - 1] as number;
  const lower = i === 0 ? 0 : (DURATION_BUCKETS[i - 1] as number);
  const below = i === 0 ? 0 : (cumulative[i - 1] as number);
  return lower + ((DURATION_BUCKETS[i] as number) - lower) * ((rank - below) / ((cumulative[i] as number) - below));
}

/** `name{labels} value` lines of an exposition, by their text before the value. */
function samples(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of text.split('\n'))
    if (l && !l.startsWith('#')) m.set(l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1)));
  return m;
}

interface HistoryJson {
  handoffs: {
    id: string;
    outcome: string;
    sealFailure: boolean;
    rolledBack: boolean;
    start: string;
    totalSeconds: number | null;
    drainSeconds: number | null;
    sealSeconds: number | null;
    beginToReadySeconds: number | null;
  }[];
  summary: Record<string, number | null>;
}

describe(
  'history and the textfile counters on a real journald file of 1,000 handoffs',
  { skip: JOURNAL_REMOTE ? false : 'systemd-journal-remote is not installed' },
  () => {
    const dir = tmp('hj-history-');
    const paths = writeFakeConfig(dir, 'kv');
    const journal = join(dir, 'kv.journal');
    const state = join(dir, 'state');
    const textfile = join(dir, 'textfile');
    const { lines, truths } = generateHandoffs({
      n: 1000,
      seed: 24,
      startMs: START,
      plan: (i) => PLANS[i % PLANS.length] as Plan,
      trigger: paths.trigger,
    });
    const entries = journalEntries(lines, 4242, 'handoff-kv.service');
    const metricsArgs = ['metrics', paths.config, '--journal-file', journal, '--state-dir', state, '--textfile', textfile];

    before(() => {
      mkdirSync(textfile);
      // Another supervisor's lines in the same journal must not count.
      const other = entriesFromLog(
        readFileSync(join(__dirname, '../fixtures/logs/01-three-fast-handoffs.log'), 'utf8'),
        99,
        'handoff-web.service',
      );
      writeJournalFile(journal, [
        entries[0] as (typeof entries)[number],
        ...other.map((e) => ({ ...e, realtimeUs: BigInt(START) * 1000n + 1n + BigInt(other.indexOf(e)) })),
      ]);
      const first = run(...metricsArgs);
      assert.equal(first.code, 0, first.stderr);
      writeJournalFile(journal, entries.slice(1));
    });

    const byId = new Map<string, Truth>(truths.map((t) => [t.id, t]));
    const truthTotals = truths.flatMap((t) => (t.totalSeconds !== null ? [t.totalSeconds] : [])).sort((a, b) => a - b);

    it('history --json: every handoff once, outcomes and times as the truth, the counts exact', () => {
      const r = run('history', paths.config, '--journal-file', journal, '--since', '2026-10-31', '--json');
      assert.equal(r.code, 0, r.stderr);
      const o = JSON.parse(r.stdout) as HistoryJson;
      assert.equal(o.handoffs.length, 1000);
      for (const h of o.handoffs) {
        const t = byId.get(h.id);
        assert.ok(t, h.id);
        const outcome = { commit: 'committed', abort: 'aborted', 'seal-failure': 'aborted', killed: 'unknown' }[t.plan];
        assert.equal(h.outcome, outcome, h.id);
        assert.equal(h.sealFailure, t.plan === 'seal-failure');
        assert.equal(h.rolledBack, t.plan === 'abort');
        assert.deepEqual(
          [h.totalSeconds, h.drainSeconds, h.sealSeconds, h.beginToReadySeconds],
          [t.totalSeconds, t.drainSeconds, t.sealSeconds, t.beginToReadySeconds],
        );
        assert.equal(Date.parse(h.start), t.startMs);
      }
      const s = o.summary;
      assert.deepEqual(
        [s.count, s.committed, s.failures, s.aborted, s.unknown, s.sealFailures, s.rolledBack],
        [1000, 700, 300, 200, 100, 100, 100],
      );
      const p99 = quantile(truthTotals, 0.99) as number;
      assert.equal(s.p99TotalSeconds, p99);
      assert.ok(Math.abs(bucketIndex(s.p99TotalSeconds as number) - bucketIndex(p99)) <= 1);
    });

    it('the textfile mode, started before the handoffs, counts the same; its p99 is within a bucket of the truth', () => {
      const r = run(...metricsArgs);
      assert.equal(r.code, 0, r.stderr);
      const m = samples(readFileSync(join(textfile, 'handoff-journal.prom'), 'utf8'));
      const kv = (name: string): number | undefined => m.get(`${name}{service="kv"}`);
      assert.deepEqual(
        ['handoff_handoffs_total', 'handoff_failures_total', 'handoff_seal_failures_total', 'handoff_rolled_back_total'].map(kv),
        [1000, 300, 100, 100],
      );
      assert.equal(m.get('handoff_journal_log_readable{service="kv"}'), 1);
      const cumulative = DURATION_BUCKETS.map((le) => m.get(`handoff_duration_seconds_bucket{service="kv",le="${le}"}`) as number);
      const count = kv('handoff_duration_seconds_count') as number;
      assert.equal(count, 700);
      const estimate = histogramQuantile(0.99, cumulative, count);
      const truth = quantile(truthTotals, 0.99) as number;
      assert.ok(Math.abs(bucketIndex(estimate) - bucketIndex(truth)) <= 1, `p99 ${estimate} vs ${truth}`);
      // Run again: nothing new in the log, nothing counted twice.
      assert.equal(run(...metricsArgs).code, 0);
      assert.equal(samples(readFileSync(join(textfile, 'handoff-journal.prom'), 'utf8')).get('handoff_handoffs_total{service="kv"}'), 1000);
    });

    it('text: one line per handoff, a summary; --until narrows the window', () => {
      const until = new Date(truths[9]?.startMs as number).toISOString();
      const r = run('history', paths.config, '--journal-file', journal, '--since', '2026-10-31', '--until', until);
      assert.equal(r.code, 0, r.stderr);
      const out = r.stdout.trim().split('\n');
      assert.equal(out.length, 10, r.stdout);
      assert.match(out[7] ?? '', / aborted \(rolled back\): ready read failed/);
      assert.match(out[8] ?? '', / aborted \(seal failure\): seal failed: protocol violation: injected seal failure/);
      assert.match(out[9] ?? '', /^9 handoffs: 7 committed, 2 failed/);
    });

    it('explains what it cannot read, as log does', () => {
      const bad = join(dir, 'bad.journal');
      writeFileSync(bad, 'not a journal');
      const r = run('history', paths.config, '--journal-file', bad);
      assert.equal(r.code, 4);
      assert.match(r.stderr, /not a journald file|cannot read/);
      const lost = writeFakeConfig(dir, 'lost');
      const r2 = run('history', lost.config, '--journal-file', journal);
      assert.equal(r2.code, 4);
      assert.match(r2.stderr, /cannot tell which systemd unit runs the supervisor of .*lost\.toml.*--log-file SERVICE=PATH/);
    });
  },
);

describe('a supervisor killed mid-handoff and not started again: history, the textfile timer and the exporter count it alike', () => {
  // The real 0.1.0 logs: three commits, then a handoff whose supervisor was killed (no restart follows).
  const LOGS = join(__dirname, '../fixtures/logs');
  const dir = tmp('hj-killed-');
  const log = join(dir, 'kv.log');
  const textfile = join(dir, 'textfile');
  const source = ['--log-file', `kv=${log}`];
  const metricsArgs = ['metrics', ...source, '--state-dir', join(dir, 'tf-state'), '--textfile', textfile];
  let stop: (() => Promise<unknown>) | undefined;
  after(() => stop?.());

  it('its deadline long past, the unknown handoff is counted by all three, once', async () => {
    writeFileSync(log, '');
    mkdirSync(textfile);
    assert.equal(run(...metricsArgs).code, 0, 'the timer starts at the log end');
    const exporter = await startExporter([...source, '--state-dir', join(dir, 'exp-state')]);
    stop = () => exporter.stop();
    for (const f of ['01-three-fast-handoffs.log', '04-supervisor-killed-mid-handoff.log'])
      appendFileSync(log, readFileSync(join(LOGS, f)));

    const h = run('history', ...source, '--since', '2026-11-01', '--json');
    assert.equal(h.code, 0, h.stderr);
    const s = (JSON.parse(h.stdout) as HistoryJson).summary;
    assert.deepEqual([s.count, s.committed, s.failures, s.unknown], [4, 3, 1, 1]);

    assert.equal(run(...metricsArgs).code, 0);
    const m = samples(readFileSync(join(textfile, 'handoff-journal.prom'), 'utf8'));
    assert.deepEqual([m.get('handoff_handoffs_total{service="kv"}'), m.get('handoff_failures_total{service="kv"}')], [4, 1]);

    await poll(
      () => scrapeValue(exporter, 'handoff_handoffs_total{service="kv"}'),
      'the exporter counted 4 handoffs',
      20_000,
      (v) => v === 4,
    );
    assert.equal(await scrapeValue(exporter, 'handoff_failures_total{service="kv"}'), 1);
  });
});
