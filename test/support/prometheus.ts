/**
 * Real Prometheus and node_exporter processes for the fleet tests: Debian's binaries
 * (`apt-get install prometheus prometheus-node-exporter`, done by npm test's scripts/setup.sh), started on
 * free loopback ports with their files in temp dirs, polled until ready (never a fixed
 * sleep), and stopped by the caller (and, as a last resort, when the test process exits).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const PROMETHEUS = '/usr/bin/prometheus';
export const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';
export const PROMTOOL = '/usr/bin/promtool';

/** A clear failure when a Debian binary is missing, naming the package and the script that installs it. */
export function requireBinary(path: string, pkg: string): void {
  if (!existsSync(path))
    throw new Error(`${path} is missing: install it with 'apt-get install -y ${pkg}' (npm test does it as root: scripts/setup.sh)`);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until `until` accepts its value; throws naming `what` and the last value after `timeoutMs`. */
export async function poll<T>(fn: () => Promise<T>, what: string, timeoutMs: number, until: (v: T) => boolean = Boolean): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (until(v)) return v;
      last = v;
    } catch (e) {
      last = e instanceof Error ? e.message : e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(last)?.slice(0, 3000)}`);
    await sleep(150);
  }
}

/** A loopback port that was free a moment ago (the daemon start retries if it is taken meanwhile). */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? res(addr.port) : rej(new Error('no port'))));
    });
  });
}

/** GET with a timeout; the body as text, or an error for a non-2xx status. */
export async function getText(url: string): Promise<string> {
  const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
  const body = await r.text();
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}: ${body.slice(0, 300)}`);
  return body;
}

export interface Daemon {
  name: string;
  url: string;
  /** What the process printed (the last 64 KiB), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

function track(child: ChildProcess): { log: () => string } {
  let buf = '';
  const add = (d: Buffer): void => {
    buf = (buf + d.toString()).slice(-65536);
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  // Last resort when the test process dies before its `after` hook runs.
  const kill = (): void => void child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.removeListener('exit', kill));
  return { log: () => buf };
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const hard = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => (clearTimeout(hard), done()));
      child.kill('SIGTERM');
    });
}

/**
 * Starts `bin` with the arguments for a free port and waits until GET `readyPath` answers
 * 200. If the process exits first (the port was taken meanwhile), tries another port.
 */
async function startDaemon(name: string, bin: string, args: (port: number) => string[], readyPath: string): Promise<Daemon> {
  let lastLog = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(bin, args(port), { stdio: ['ignore', 'pipe', 'pipe'] });
    const { log } = track(child);
    const url = `http://127.0.0.1:${port}`;
    const exited = new Promise<'exited'>((r) => child.once('exit', () => r('exited')));
    const ready = poll(() => getText(url + readyPath), `${name} at ${url}${readyPath}`, 30_000).then(() => 'ready' as const);
    const outcome = await Promise.race([ready, exited]).catch((e: unknown) => e as Error);
    if (outcome === 'ready') return { name, url, log, stop: stopper(child) };
    await stopper(child)();
    lastLog = log();
    if (outcome instanceof Error) throw new Error(`${outcome.message}\n${name} printed:\n${lastLog}`);
  }
  throw new Error(`${name} exited at start three times; it printed:\n${lastLog}`);
}

/** A node_exporter with only the textfile collector, on its own directory: one simulated host. */
export function startNodeExporter(textfileDir: string): Promise<Daemon> {
  return startDaemon(
    `node_exporter (${textfileDir})`,
    NODE_EXPORTER,
    (port) => [
      '--collector.disable-defaults',
      '--collector.textfile',
      `--collector.textfile.directory=${textfileDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    '/metrics',
  );
}

export interface ScrapeTarget {
  /** The `instance` label, as a host name would be in a fleet. */
  instance: string;
  url: string;
}

/** A Prometheus scraping the targets and evaluating the rules every second, its data in `dir`. */
export function startPrometheus(dir: string, targets: ScrapeTarget[], rulesFile: string): Promise<Daemon> {
  const config = join(dir, 'prometheus.yml');
  const staticConfigs = targets.map((t) => ({ targets: [new URL(t.url).host], labels: { instance: t.instance } }));
  // JSON is YAML: no hand-written quoting of paths.
  writeFileSync(
    config,
    JSON.stringify({
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
      rule_files: [rulesFile],
      scrape_configs: [{ job_name: 'node', static_configs: staticConfigs }],
    }),
  );
  return startDaemon(
    'prometheus',
    PROMETHEUS,
    (port) => [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1h',
    ],
    '/-/ready',
  );
}

interface ApiResponse<T> {
  status: string;
  data: T;
  error?: string;
}

/** GET a Prometheus API path and unwrap `data`. */
export async function api<T>(prom: Daemon, path: string): Promise<T> {
  const r = JSON.parse(await getText(prom.url + path)) as ApiResponse<T>;
  if (r.status !== 'success') throw new Error(`${path}: ${r.error ?? r.status}`);
  return r.data;
}

export interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** An instant query's result vector. */
export async function query(prom: Daemon, expr: string): Promise<VectorSample[]> {
  const d = await api<{ resultType: string; result: VectorSample[] }>(prom, `/api/v1/query?query=${encodeURIComponent(expr)}`);
  return d.result;
}

export interface ActiveAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  value: string;
}

export async function alerts(prom: Daemon): Promise<ActiveAlert[]> {
  return (await api<{ alerts: ActiveAlert[] }>(prom, '/api/v1/alerts')).alerts;
}
