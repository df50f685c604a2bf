/**
 * `handoff-journal metrics [CONFIG...] [--journal PATH...] [--textfile DIR]`: this host's
 * supervisors and journals as Prometheus gauges, for node_exporter's textfile collector.
 * It observes the host with the same modules as `status` (configs, `inspect`, sockets
 * from /proc), turns the observation into samples (`shared/fleet/metrics.ts`), the
 * samples into the text exposition format with prom-client (its escaping, not ours),
 * and prints them or replaces `DIR/handoff-journal.prom` through the shared atomic
 * writer, so node_exporter never reads a half-written file.
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Gauge, Registry, type Metric } from 'prom-client';
import {
  fleetSamples,
  journalStateOf,
  METRIC_FAMILIES,
  type ConfigObservation,
  type HostObservation,
  type JournalObservation,
  type Sample,
  type SupervisorObservation,
  type Family,
} from '../shared/fleet';
import { inspect, inspectOptions, type Inspection, writeJournalAtomic } from '../shared/journal/node';
import { DEFAULT_DEADLINE_SECS, DEFAULT_DRAIN_GRACE_SECS, loadSupervisorConfig, serviceStatus } from '../shared/supervisor/node';
import { serviceName } from '../shared/supervisor';
import { EXIT, hostConfigs, type Observation } from './args';
import { logFamilies, noteLines, saveState, setUpLogMetrics } from './logMetrics';
import type { ServiceRef, SourceOptions } from '../shared/fleet/node';
import type { Output } from './output';
import { HOST_CONFIG_GLOBS } from '../shared/protocol';

/** The file node_exporter reads; the atomic writer's temp file (`handoff-journal.bin.tmp`) is not `*.prom`, so it is never read. */
export const TEXTFILE_NAME = 'handoff-journal.prom';

/** An observation plus the problems worth a line on stderr (what cannot be read, and why). */
export interface Observed {
  host: HostObservation;
  problems: string[];
}

function journalObservation(service: string, journal: string, ins: Inspection, env: Observation): JournalObservation {
  return { service, journal: resolve(journal), state: journalStateOf(ins, env.process), findings: ins.findings };
}

function readProblem(ins: Inspection): string[] {
  return ins.file.state === 'error' ? [ins.file.message] : [];
}

/** The supervisors named by configs, and their journals judged against the configs' limits (as `status` does). */
async function observeConfigs(paths: string[], env: Observation): Promise<Observed> {
  const configs: ConfigObservation[] = [];
  const supervisors: SupervisorObservation[] = [];
  const journals: JournalObservation[] = [];
  const problems: string[] = [];
  const loaded = await Promise.all(paths.map((p) => loadSupervisorConfig(p)));
  for (const r of loaded) {
    if (!r.ok) {
      configs.push({ config: resolve(r.path), service: serviceName({ config: r.path }), valid: false });
      problems.push(r.message);
      continue;
    }
    const c = r.config;
    const s = await serviceStatus(c, env);
    configs.push({ config: resolve(c.path), service: s.name, valid: true });
    supervisors.push({
      service: s.name,
      deadlineSecs: c.deadlineSecs,
      drainGraceSecs: c.drainGraceSecs,
      sockets: {
        ...(s.control.bound !== undefined ? { control: s.control.bound } : {}),
        ...(s.trigger.bound !== undefined ? { trigger: s.trigger.bound } : {}),
      },
    });
    if (c.journal && s.journal) {
      journals.push(journalObservation(s.name, c.journal, s.journal, env));
      problems.push(...readProblem(s.journal));
    }
  }
  return { host: { now: env.now, configs, supervisors, journals }, problems };
}

/**
 * Journals named with --journal: the service is the folder's name (as `serviceName`
 * names a config's), judged against that service's config when one was read, else
 * against the reference supervisor's defaults, which are then exported for it too.
 */
async function addBareJournals(o: Observed, paths: string[], env: Observation): Promise<Observed> {
  const supervisors = [...o.host.supervisors];
  const journals = [...o.host.journals];
  const problems = [...o.problems];
  for (const p of paths) {
    const path = resolve(p);
    if (journals.some((j) => j.journal === path)) continue;
    const service = serviceName({ journal: path });
    let sup = supervisors.find((s) => s.service === service);
    if (!sup) {
      sup = { service, deadlineSecs: DEFAULT_DEADLINE_SECS, drainGraceSecs: DEFAULT_DRAIN_GRACE_SECS, sockets: {} };
      supervisors.push(sup);
    }
    const ins = await inspect(
      path,
      inspectOptions({
        ...env,
        limits: {
          deadlineMs: sup.deadlineSecs * 1000,
          drainGraceMs: sup.drainGraceSecs * 1000,
          deadlineSource: `the deadline of service ${service}`,
        },
      }),
    );
    journals.push(journalObservation(service, path, ins, env));
    problems.push(...readProblem(ins));
  }
  return { host: { ...o.host, supervisors, journals }, problems };
}

/** Observes the host: configs (default: `status`'s globs) and extra journals. Never throws for a bad file. */
export async function observeHost(configPaths: string[], journalPaths: string[], env: Observation): Promise<Observed> {
  const paths = configPaths.length ? configPaths : await hostConfigs();
  const o = await observeConfigs(paths, env);
  if (paths.length === 0 && journalPaths.length === 0)
    o.problems.push(
      `no supervisor configs found under ${HOST_CONFIG_GLOBS.join(', ')}: no journal is watched. Name configs or journals: handoff-journal metrics /path/to/handoff.toml --journal /path/to/state.bin`,
    );
  return addBareJournals(o, journalPaths, env);
}

/**
 * The text exposition format of the samples and of the log's families (counters,
 * histograms), every family with its HELP and TYPE, escaped by prom-client: the log's
 * families are registered as prom-client metrics whose `get()` returns their values.
 */
export async function exposition(samples: readonly Sample[], families: readonly Family[] = []): Promise<string> {
  const registry = new Registry();
  const gauges = new Map<string, Gauge>();
  for (const f of METRIC_FAMILIES)
    gauges.set(f.name, new Gauge({ name: f.name, help: f.help, labelNames: f.labels, registers: [registry] }));
  for (const s of samples) gauges.get(s.name)?.set(s.labels, s.value);
  for (const f of families) {
    const values = f.samples.map((x) => ({ metricName: x.name, labels: { ...x.labels }, value: x.value }));
    const metric = {
      name: f.name,
      help: f.help,
      type: f.type,
      aggregator: 'sum',
      get: () => Promise.resolve({ name: f.name, help: f.help, type: f.type, values, aggregator: 'sum' }),
    };
    registry.registerMetric(metric as unknown as Metric);
  }
  return registry.metrics();
}

export type TextfileResult = { ok: true; path: string } | { ok: false; message: string };

/**
 * Replaces DIR/handoff-journal.prom atomically. DIR must exist: creating a mistyped
 * directory would leave a file that node_exporter never reads, and no alert would say so.
 */
export async function writeTextfile(dir: string, text: string): Promise<TextfileResult> {
  const hint = "Give node_exporter's --collector.textfile.directory (Debian: /var/lib/prometheus/node-exporter).";
  const st = await stat(dir).catch((e: unknown) => e as NodeJS.ErrnoException);
  if (st instanceof Error)
    return {
      ok: false,
      message: `--textfile ${dir} ${st.code === 'ENOENT' ? 'does not exist' : `cannot be used: ${st.message}`}. ${hint}`,
    };
  if (!st.isDirectory()) return { ok: false, message: `--textfile ${dir} is not a directory. ${hint}` };
  const path = join(dir, TEXTFILE_NAME);
  const w = await writeJournalAtomic(path, new TextEncoder().encode(text));
  return w.ok ? { ok: true, path } : { ok: false, message: `the metrics were not written: ${w.error.message}` };
}

export interface MetricsOptions {
  /** Config files (resolved from the operands). */
  configs: string[];
  journals: string[];
  textfile?: string;
  /** The services whose logs give the handoff counters, and where to read them. */
  refs: ServiceRef[];
  sources: SourceOptions;
  stateDir: string;
}

/**
 * The command: exit 0 once the metrics were printed or the textfile written, 4 when the
 * textfile or the log state could not be written. Printing (no --textfile) only reads the
 * saved state, never moves it: the timer owns it.
 */
export async function metrics(o: MetricsOptions, env: Observation, out: Output): Promise<number> {
  const { host, problems } = await observeHost(o.configs, o.journals, env);
  const logs = await setUpLogMetrics(o.refs, o.sources, o.stateDir, 'metrics');
  if (logs.log) {
    await logs.log.catchUp();
    logs.log.settle(env.now, env.process);
  }
  const text = await exposition(fleetSamples(host), logFamilies(logs));
  for (const p of [...problems, ...logs.problems, ...noteLines(logs.log?.takeNotes() ?? [])]) out.error(`metrics: ${p}`);
  if (o.textfile === undefined) {
    if (logs.fresh)
      out.error(
        `metrics: no saved position in ${logs.statePath}: the handoff counters start at the log's current end (printing never moves the state; the metrics timer or --textfile does). For past handoffs: handoff-journal history`,
      );
    out.stdout(text);
    return EXIT.ok;
  }
  const w = await writeTextfile(o.textfile, text);
  if (!w.ok) out.error(`metrics: ${w.message}`);
  const saved = await saveState(logs);
  if (saved !== undefined) out.error(`metrics: ${saved}`);
  return w.ok && saved === undefined ? EXIT.ok : EXIT.io;
}
