/**
 * The exporter end to end with real parts: the fake supervisor (a separate process with
 * the reference supervisor's timing and log format) runs handoffs through its trigger
 * socket and logs to a file; the exporter (the bundled CLI) follows that file and serves
 * /metrics; a real Prometheus scrapes it every second with the shipped rules. Checked
 * through Prometheus's API: increase() equals the handoffs run, across an exporter stop
 * and restart (no counter reset, nothing counted twice or dropped) and a log rotation;
 * histogram_quantile is within a bucket of the true p99; the recording rules and every
 * panel of the Grafana dashboard return series; and `history` and the textfile mode count
 * the same handoffs from the same log.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bucketIndex, quantile } from '../../shared/fleet';
import { stripControls } from '../../shared/supervisorLog';
import { sendTrigger } from '../../shared/supervisor/node';
import { startFakeSupervisor, writeFakeConfig, type FakeSupervisor } from '../support/fakeSupervisor';
import { startExporter, type Exporter } from '../support/exporterProcess';
import * as P from '../support/prometheus';
import { deadPid, writeConfig, writeJournal, type SimHost } from '../support/fleetHosts';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'dist/cli.js');
const RULES = join(ROOT, 'contrib/prometheus/handoff-journal.rules.yml');
const DASHBOARD = join(ROOT, 'contrib/grafana/handoff-journal.json');
const KV = '{service="kv"}';

/** Binaries the fake supervisor plays: a commit, an abort after Begin (rolled back), a seal failure. */
const RUN = ['', '', '/usr/local/bin/kv-abort', '', '/usr/local/bin/kv-seal-fail', ''];

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Prometheus's value of an expression at a time (default now), by a label. */
async function at(prom: P.Daemon, expr: string, time?: number): Promise<number | undefined> {
  const q = `/api/v1/query?query=${encodeURIComponent(expr)}${time !== undefined ? `&time=${time}` : ''}`;
  const r = await P.api<{ result: P.VectorSample[] }>(prom, q);
  return r.result[0] ? Number(r.result[0].value[1]) : undefined;
}

describe('exporter: a real Prometheus scrapes it while the fake supervisor runs handoffs', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'hj-exporter-fleet-'));
  const paths = writeFakeConfig(dir, 'kv');
  const logFile = join(dir, 'kv.log');
  const state = join(dir, 'state');
  const textfile = join(dir, 'textfile');
  const host: SimHost = { instance: 'x', dir, textfile, configs: [], journals: [] };
  let sup: FakeSupervisor;
  let exporter: Exporter;
  let prom: P.Daemon;
  let ran = 0;
  let failed = 0;
  let exporterArgs: string[] = [];

  const runHandoffs = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const binary = RUN[ran % RUN.length] as string;
      const reply = await sendTrigger(paths.trigger, `${`handoff ${binary}`.trim()}\n`, 30_000);
      assert.ok(reply.kind === 'reply' && reply.text.startsWith('ok: '), JSON.stringify(reply));
      ran++;
      if (binary !== '') failed++;
    }
  };
  const scraped = (n: number): Promise<number | undefined> =>
    P.poll(
      () => at(prom, `handoff_handoffs_total${KV}`),
      `Prometheus sees ${n} handoffs`,
      30_000,
      (v) => v === n,
    );

  before(async () => {
    P.requireBinary(P.PROMETHEUS, 'prometheus');
    mkdirSync(textfile);
    // A stuck and orphaned journal for the dashboard's panels: Draining, a minute old, 1 s deadline, its writer dead.
    const stuck = writeConfig(host, 'stuck', 1);
    const gone = await deadPid();
    await writeJournal(stuck.journal, 'Draining', gone, gone, Date.now() - 60_000);
    sup = await startFakeSupervisor(paths.config, undefined, { logFile });
    // The textfile mode starts here too: its first run takes the log's current end.
    const tf = cli('metrics', paths.config, '--log-file', `kv=${logFile}`, '--state-dir', join(dir, 'tf-state'), '--textfile', textfile);
    assert.equal(tf.code, 0, tf.stderr);
    exporterArgs = [paths.config, stuck.config, '--log-file', `kv=${logFile}`, '--state-dir', state];
    exporter = await startExporter(exporterArgs);
    mkdirSync(join(dir, 'prometheus'));
    const rules = join(dir, 'prometheus', 'handoff-journal.rules.yml');
    copyFileSync(RULES, rules);
    prom = await P.startPrometheus(join(dir, 'prometheus'), [{ instance: 'h1:9469', url: exporter.url }], rules);
    await scraped(0);
  });

  after(async () => {
    await exporter?.stop('SIGKILL');
    await prom?.stop();
    await sup?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts the handoffs as they run', async () => {
    await runHandoffs(12);
    await scraped(12);
    assert.equal(await at(prom, `handoff_failures_total${KV}`), failed);
    assert.equal(await at(prom, `handoff_rolled_back_total${KV}`), 2);
    assert.equal(await at(prom, `handoff_seal_failures_total${KV}`), 2);
  });

  it('stopped and restarted while handoffs run: no counter reset, none counted twice or dropped', async () => {
    assert.equal(await exporter.stop('SIGTERM'), 0);
    await runHandoffs(6);
    exporter = await startExporter(exporterArgs, exporter.port);
    await scraped(18);
  });

  it('a log rotation (renamed away, a new file) is survived', async () => {
    renameSync(logFile, `${logFile}.1`);
    await runHandoffs(6);
    await scraped(24);
    assert.equal(await at(prom, `handoff_journal_log_rotations_total${KV}`), 1);
  });

  it('increase() equals the handoffs run; no reset seen; histogram_quantile within a bucket of the true p99', async () => {
    const last = await at(prom, `timestamp(handoff_handoffs_total${KV})`);
    assert.equal(await at(prom, `increase(handoff_handoffs_total${KV}[10m])`, last), ran);
    assert.equal(await at(prom, `increase(handoff_failures_total${KV}[10m])`, last), failed);
    assert.equal(await at(prom, `resets(handoff_handoffs_total${KV}[10m])`, last), 0);
    const text = [`${logFile}.1`, logFile].map((f) => readFileSync(f, 'utf8')).join('');
    const totals = text
      .split('\n')
      .map((l) => / handoff\.commit: commit .*total_seconds=([0-9.e-]+)$/.exec(stripControls(l))?.[1])
      .filter((v): v is string => v !== undefined)
      .map(Number);
    assert.equal(totals.length, ran - failed);
    const truth = quantile(
      [...totals].sort((a, b) => a - b),
      0.99,
    ) as number;
    const estimate = (await at(
      prom,
      `histogram_quantile(0.99, sum by (le) (rate(handoff_duration_seconds_bucket${KV}[10m])))`,
      last,
    )) as number;
    assert.ok(Math.abs(bucketIndex(estimate) - bucketIndex(truth)) <= 1, `p99 ${estimate} vs true ${truth}`);
  });

  it('the recording rules, and every panel of the Grafana dashboard, return series', async () => {
    const ratio = await P.poll(
      () => at(prom, 'service:handoff_success_ratio:ratio_rate1h{service="kv"}'),
      'the success ratio recorded',
      30_000,
      (v) => v !== undefined,
    );
    assert.ok(Math.abs((ratio as number) - (ran - failed) / ran) < 1e-9, `ratio ${ratio}`);
    await P.poll(
      () => at(prom, 'service:handoff_duration_seconds:p99_rate1h{service="kv"}'),
      'the p99 recorded',
      30_000,
      (v) => v !== undefined,
    );
    const d = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: { title: string; type: string; targets?: { expr: string }[] }[] };
    const exprs = d.panels.flatMap((p) =>
      (p.targets ?? []).map((t) => ({ title: p.title, expr: t.expr.replace(/\$(instance|service)/g, '.*').replace(/\$__range/g, '10m') })),
    );
    assert.ok(exprs.length >= 10, `${exprs.length} panel queries`);
    for (const e of exprs) {
      const series = await P.query(prom, e.expr);
      assert.ok(series.length > 0, `panel "${e.title}": ${e.expr} returns no series`);
    }
  });

  it('history and the textfile mode count the same handoffs from the same log', () => {
    const h = cli('history', '--log-file', `kv=${logFile}.1`, '--log-file', `kv=${logFile}`, '--since=-1h', '--json');
    assert.equal(h.code, 0, h.stderr);
    const s = (JSON.parse(h.stdout) as { summary: { count: number; failures: number } }).summary;
    assert.deepEqual([s.count, s.failures], [ran, failed]);
    const tf = cli('metrics', paths.config, '--log-file', `kv=${logFile}`, '--state-dir', join(dir, 'tf-state'), '--textfile', textfile);
    assert.equal(tf.code, 0, tf.stderr);
    const prom_ = readFileSync(join(textfile, 'handoff-journal.prom'), 'utf8');
    assert.match(prom_, new RegExp(`^handoff_handoffs_total\\{service="kv"\\} ${ran}$`, 'm'));
    assert.match(prom_, new RegExp(`^handoff_failures_total\\{service="kv"\\} ${failed}$`, 'm'));
  });
});
