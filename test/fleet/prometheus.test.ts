/**
 * The fleet path end to end, on the real engine: simulated hosts (test/support/fleetHosts.ts)
 * get their textfile from the bundled CLI (`dist/cli.js`, as the systemd timer runs
 * it, repeated every few seconds), one real node_exporter per host serves it with only
 * the textfile collector, and a real Prometheus scrapes them every second and evaluates
 * contrib/prometheus/handoff-journal.rules.yml. Assertions go through Prometheus's HTTP
 * API. The rules are the shipped file, unchanged: alerts whose `for:` has not elapsed
 * are asserted `pending`. HJ_UPDATE_SCREENSHOTS=1 waits until they fire (~2 min) and
 * saves docs/images/prometheus-alerts.png; otherwise the screenshot goes to .cache/.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildFleet, ODD_SERVICE, type Fleet, type SimHost } from '../support/fleetHosts';
import { screenshotAlerts } from '../support/fleetScreenshot';
import * as P from '../support/prometheus';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'dist/cli.js');
const RULES = join(ROOT, 'contrib/prometheus/handoff-journal.rules.yml');
const FAKETIME = '/usr/bin/faketime';
const UPDATE = process.env.HJ_UPDATE_SCREENSHOTS === '1';

/** Runs the CLI for a host as the systemd unit does; resolves with its exit code and stderr. */
function runCli(h: SimHost): Promise<{ code: number | null; stderr: string }> {
  const args = [CLI, 'metrics', ...h.configs, ...h.journals.flatMap((j) => ['--journal', j]), '--textfile', h.textfile];
  const [cmd, argv] = h.clockBehindSecs
    ? [FAKETIME, ['-f', `-${h.clockBehindSecs}s`, process.execPath, ...args]]
    : [process.execPath, args];
  return new Promise((res) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8192)));
    child.once('close', (code) => res({ code, stderr }));
  });
}

/** The expected alerts, as "alertname instance service". */
function expectedAlerts(withStale: boolean): string[] {
  return [
    'HandoffStuck stuck:9100 kv',
    'HandoffJournalUndecodable broken:9100 web',
    'HandoffJournalUnreadable broken:9100 db',
    'HandoffSupervisorConfigInvalid broken:9100 bad',
    'HandoffJournalOrphaned crashed:9100 kv',
    'HandoffJournalOrphaned crashed:9100 old',
    'HandoffJournalLeftBehind crashed:9100 old',
    ...(withStale ? ['HandoffJournalExporterStale stale:9100 -'] : []),
  ].sort();
}

const key = (a: P.ActiveAlert): string => `${a.labels.alertname} ${a.labels.instance} ${a.labels.service ?? '-'}`;

/** One value per series, keyed by the chosen labels joined with spaces. */
async function values(prom: P.Daemon, expr: string, labels: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const s of await P.query(prom, expr)) out[labels.map((l) => s.metric[l] ?? '-').join(' ')] = Number(s.value[1]);
  return out;
}

describe('fleet: real node_exporters and Prometheus with the shipped alert rules', { timeout: UPDATE ? 400_000 : 120_000 }, () => {
  // faketime is required (npm test installs it); the parameter keeps the stale host's part visible.
  const withStale = true;
  const root = mkdtempSync(join(tmpdir(), 'hj-fleet-'));
  const stops: (() => Promise<void>)[] = [];
  let fleet: Fleet;
  let exporters: P.Daemon[] = [];
  let prom: P.Daemon;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  before(async () => {
    P.requireBinary(P.PROMETHEUS, 'prometheus');
    P.requireBinary(P.NODE_EXPORTER, 'prometheus-node-exporter');
    P.requireBinary(FAKETIME, 'faketime');
    assert.ok(existsSync(CLI), `${CLI} is missing: run 'npm run compile' first`);
    fleet = await buildFleet(root, withStale);
    stops.push(...fleet.supervisors.map((s) => () => s.stop()));
    for (const h of fleet.hosts) {
      const r = await runCli(h);
      assert.equal(r.code, 0, `metrics for ${h.instance} exited ${r.code}: ${r.stderr}`);
    }
    exporters = await Promise.all(fleet.hosts.map((h) => P.startNodeExporter(h.textfile)));
    stops.push(...exporters.map((e) => () => e.stop()));
    // The systemd timer: live hosts' textfiles are rewritten while everything reads them.
    const live = fleet.hosts.filter((h) => !h.clockBehindSecs);
    const tick = (): void => void Promise.all(live.map(runCli)).then(() => (stopped ? undefined : (timer = setTimeout(tick, 3000))));
    timer = setTimeout(tick, 3000);
    mkdirSync(join(root, 'prometheus'));
    // The shipped file, unchanged; copied so that Prometheus shows a path that is not this checkout's.
    const rules = join(root, 'prometheus', 'handoff-journal.rules.yml');
    copyFileSync(RULES, rules);
    const targets = fleet.hosts.map((h, i) => ({ instance: h.instance, url: (exporters[i] as P.Daemon).url }));
    prom = await P.startPrometheus(join(root, 'prometheus'), targets, rules);
    stops.push(() => prom.stop());
    await P.poll(
      () => values(prom, 'up', ['instance']),
      'every node_exporter scraped and up',
      30_000,
      (v) => fleet.hosts.every((h) => v[h.instance] === 1),
    );
    await P.poll(
      () => values(prom, 'handoff_journal_exporter_last_run_timestamp_seconds', ['instance']),
      'every host in Prometheus',
      30_000,
      (v) => fleet.hosts.every((h) => v[h.instance] !== undefined),
    );
  });

  after(async () => {
    stopped = true;
    clearTimeout(timer);
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  });

  it('node_exporter parses every textfile, and the CLI leaves nothing else in the directory', async () => {
    for (const [i, h] of fleet.hosts.entries()) {
      const text = await P.getText(`${(exporters[i] as P.Daemon).url}/metrics`);
      assert.match(text, /^node_textfile_scrape_error 0$/m, `${h.instance}: node_exporter could not parse the textfile`);
      assert.match(text, /^handoff_journal_exporter_last_run_timestamp_seconds /m);
      assert.deepEqual(readdirSync(h.textfile), ['handoff-journal.prom']);
    }
  });

  it('a stuck host: Draining past its deadline, live writer, bound sockets; a younger swap of a slower service', async () => {
    const on = '{instance="stuck:9100"}';
    assert.deepEqual(await values(prom, `handoff_journal_phase${on} == 1`, ['service', 'phase']), { 'kv Draining': 1, 'web Sealing': 1 });
    assert.deepEqual(await values(prom, `handoff_journal_writer_running${on}`, ['service']), { kv: 1, web: 1 });
    assert.deepEqual(await values(prom, `handoff_supervisor_deadline_seconds${on}`, ['service']), { kv: 5, web: 600 });
    assert.deepEqual(await values(prom, `handoff_supervisor_drain_grace_seconds${on}`, ['service']), { kv: 2, web: 2 });
    assert.deepEqual(await values(prom, `handoff_supervisor_socket_bound${on}`, ['service', 'socket']), {
      'kv control': 1,
      'kv trigger': 1,
      'web control': 0,
      'web trigger': 0,
    });
    const age = await values(
      prom,
      `handoff_journal_exporter_last_run_timestamp_seconds${on} - on(instance) group_right handoff_journal_started_timestamp_seconds`,
      ['service'],
    );
    assert.ok((age.kv ?? 0) >= 60 && (age.kv ?? 0) < 600, `kv's age ${age.kv}`);
    // HJ040 (stale) and HJ054 (its supervisor runs, its successor is dead, its phase does not
    // change: a failed handoff left it, not a live one) are the kv journal's warnings, as `show` reports them.
    assert.deepEqual(await values(prom, `handoff_journal_findings{instance="stuck:9100",service="kv"}`, ['severity']), {
      error: 0,
      warning: 2,
      information: 0,
    });
  });

  it('a broken host: undecodable and unreadable journals, an invalid config', async () => {
    const on = '{instance="broken:9100"}';
    assert.deepEqual(await values(prom, `handoff_journal_present${on}`, ['service']), { web: 1, db: 1 });
    assert.deepEqual(await values(prom, `handoff_journal_readable${on}`, ['service']), { web: 1, db: 0 });
    assert.deepEqual(await values(prom, `handoff_journal_decodable${on}`, ['service']), { web: 0 });
    assert.deepEqual(await values(prom, `handoff_journal_phase${on}`, ['service']), {});
    assert.deepEqual(await values(prom, `handoff_journal_findings${on} > 0`, ['service', 'severity']), { 'web error': 1, 'db error': 1 });
    assert.deepEqual(await values(prom, `handoff_supervisor_config_valid${on}`, ['service']), { web: 1, db: 1, bad: 0 });
  });

  it('an idle host: present 0 and nothing else about its journals; labels that need escaping arrive intact', async () => {
    const on = '{instance="idle:9100"}';
    assert.deepEqual(await values(prom, `handoff_journal_present${on}`, ['service']), { cache: 0, [ODD_SERVICE]: 0 });
    const oddJournal = join(root, 'idle', 'handoff', ODD_SERVICE, 'state.bin');
    assert.deepEqual((await P.query(prom, `handoff_journal_present${on}`)).map((s) => s.metric.journal).sort(), [
      join(root, 'idle', 'handoff', 'cache', 'state.bin'),
      oddJournal,
    ]);
    for (const m of ['readable', 'decodable', 'phase', 'started_timestamp_seconds', 'writer_running'])
      assert.deepEqual(await P.query(prom, `handoff_journal_${m}${on}`), [], m);
    assert.deepEqual(await values(prom, `sum by (service) (handoff_journal_findings${on})`, ['service']), { cache: 0, [ODD_SERVICE]: 0 });
  });

  it('exactly the expected alerts are pending or firing, with the host, service and next step in their annotations', async () => {
    const want = expectedAlerts(withStale);
    const got = await P.poll(
      () => P.alerts(prom),
      `alerts ${want.join(', ')}`,
      30_000,
      (a) => want.every((w) => a.some((x) => key(x) === w)),
    );
    assert.deepEqual(got.map(key).sort(), want);
    for (const a of got) {
      assert.ok(['pending', 'firing'].includes(a.state));
      assert.ok(a.annotations.summary?.includes(a.labels.instance as string), `${key(a)} summary names the host`);
      assert.ok(a.annotations.description?.includes('Next step'), `${key(a)} description gives the next step`);
      assert.ok(a.annotations.description?.includes('Fleet monitoring'), `${key(a)} description points to the README`);
      if (a.labels.service) assert.ok(a.annotations.description?.includes(a.labels.service), `${key(a)} names the service`);
    }
    const stuck = got.find((a) => a.labels.alertname === 'HandoffStuck');
    assert.equal(stuck?.labels.phase, 'Draining');
  });

  it('every rule loaded and evaluates without error', async () => {
    const d = await P.api<{ groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[] }>(
      prom,
      '/api/v1/rules',
    );
    const rules = d.groups.flatMap((g) => g.rules);
    assert.equal(rules.length, 12);
    for (const r of rules) assert.equal(r.health, 'ok', `${r.name}: ${r.lastError ?? ''}`);
  });

  it('screenshot of the alerts page (docs/images with HJ_UPDATE_SCREENSHOTS=1, else .cache/)', async () => {
    if (UPDATE) {
      const firing = ['HandoffStuck', 'HandoffJournalUndecodable', 'HandoffJournalOrphaned', 'HandoffJournalLeftBehind'];
      await P.poll(
        () => P.alerts(prom),
        `${firing.join(', ')} firing`,
        200_000,
        (a) => firing.every((n) => a.some((x) => x.labels.alertname === n && x.state === 'firing')),
      );
    }
    const out = UPDATE ? join(ROOT, 'docs/images/prometheus-alerts.png') : join(ROOT, '.cache/fleet/prometheus-alerts.png');
    const r = await screenshotAlerts(prom.url, out);
    console.log(`# ${r}`);
  });
});
