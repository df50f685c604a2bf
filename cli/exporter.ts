/**
 * `handoff-journal exporter`: a long-running Prometheus exporter (node:http). `/metrics`
 * serves the journal gauges, observed at each scrape (no timer lag), and upstream's
 * handoff counters and histograms, counted from the supervisors' logs as they are
 * written (journalctl --follow, or log files tailed through rotation). Before it listens
 * it reads from its saved position to the log's current end, so a restart continues the
 * counters (persisted totals) instead of recounting or dropping; the state is saved
 * atomically about once a second and on SIGTERM. `/` is a small landing page.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { fleetSamples } from '../shared/fleet';
import type { ServiceRef, SourceOptions } from '../shared/fleet/node';
import { visibleText } from '../shared/util';
import { EXIT, UsageError, type Observation } from './args';
import { logFamilies, noteLines, saveState, setUpLogMetrics, type LogMetricsSetup } from './logMetrics';
import { exposition, observeHost } from './metrics';
import type { Output } from './output';

/**
 * The default address: loopback only. 9469 is used by no common exporter (the Prometheus
 * wiki's 9100-9999 range is fully allocated, so no number there is unclaimed); change it with --listen.
 */
export const DEFAULT_LISTEN = '127.0.0.1:9469';
const SAVE_EVERY_MS = 1000;
const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface ExporterOptions {
  listen: string;
  configs: string[];
  journals: string[];
  refs: ServiceRef[];
  sources: SourceOptions;
  stateDir: string;
  observation: () => Observation;
}

/** `HOST:PORT`, `[V6]:PORT` or `:PORT` (every address). */
export function parseListen(s: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]{2,64})\]|([^:[\]]{0,253})):(\d{1,5})$/.exec(s);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new UsageError(`--listen ${s}: give HOST:PORT, [IPv6]:PORT or :PORT (default ${DEFAULT_LISTEN})`);
  return { host: m[1] ?? (m[2] === '' ? '::' : (m[2] as string)), port };
}

const escapeHtml = (s: string): string =>
  visibleText(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function services(o: ExporterOptions, logs: LogMetricsSetup): string[] {
  return [...new Set([...o.refs.map((r) => r.service), ...Object.keys(logs.log?.totals ?? {})])].sort();
}

function landing(o: ExporterOptions, logs: LogMetricsSetup): string {
  const items = services(o, logs).map(
    (s) => `<li>${escapeHtml(s)}${logs.log?.readable[s] === false ? ' (its log cannot be read: see the exporter&#39;s log)' : ''}</li>`,
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>handoff-journal exporter</title></head><body>
<h1>handoff-journal exporter</h1>
<p>The handoff supervisor's journals and upstream's handoff metrics, for Prometheus: <a href="/metrics">/metrics</a>.</p>
<p>Services:</p><ul>${items.join('') || '<li>none</li>'}</ul>
<p>State: ${escapeHtml(logs.statePath)}</p>
</body></html>
`;
}

/** One scrape at a time: a scrape that arrives while one runs gets its result. */
function scraper(o: ExporterOptions, logs: LogMetricsSetup, out: Output): () => Promise<string> {
  let running: Promise<string> | undefined;
  let said = new Set<string>();
  return () =>
    (running ??= (async () => {
      const env = o.observation();
      const { host, problems } = await observeHost(o.configs, o.journals, env);
      // A problem is said when it appears, not at every scrape.
      for (const p of problems) if (!said.has(p)) out.error(`exporter: ${p}`);
      said = new Set(problems);
      logs.log?.settle(env.now, env.process);
      return exposition(fleetSamples(host), logFamilies(logs));
    })().finally(() => (running = undefined)));
}

function handler(o: ExporterOptions, logs: LogMetricsSetup, scrape: () => Promise<string>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    if (path === '/')
      return void res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(req.method === 'HEAD' ? undefined : landing(o, logs));
    if (path !== '/metrics')
      return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the metrics are at /metrics\n');
    scrape().then(
      (text) => res.writeHead(200, { 'content-type': CONTENT_TYPE }).end(req.method === 'HEAD' ? undefined : text),
      (e: unknown) =>
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`scrape failed: ${e instanceof Error ? e.message : String(e)}\n`),
    );
  };
}

function listen(server: Server, host: string, port: number): Promise<Error | undefined> {
  return new Promise((resolve) => {
    server.once('error', resolve);
    server.listen(port, host, () => resolve(undefined));
  });
}

/** Saves the state about once a second while it changes; says what the log reading met. */
function keeper(logs: LogMetricsSetup, out: Output): { stop(): Promise<void> } {
  let saved = logs.log?.generation ?? 0;
  let failing = '';
  const tick = async (): Promise<void> => {
    for (const n of noteLines(logs.log?.takeNotes() ?? [])) out.error(`exporter: ${n}`);
    if (!logs.log || logs.log.generation === saved) return;
    const generation = logs.log.generation;
    const problem = await saveState(logs);
    if (problem === undefined) saved = generation;
    else if (problem !== failing) out.error(`exporter: ${problem}`);
    failing = problem ?? '';
  };
  const timer = setInterval(() => void tick(), SAVE_EVERY_MS);
  return {
    stop: async () => {
      clearInterval(timer);
      await tick();
    },
  };
}

/** Runs until SIGTERM or SIGINT; exit 0 then, 4 when it cannot listen or read its state directory. */
export async function exporterCommand(o: ExporterOptions, out: Output): Promise<number> {
  const { host, port } = parseListen(o.listen);
  const logs = await setUpLogMetrics(o.refs, o.sources, o.stateDir, 'exporter');
  for (const p of logs.problems) out.error(`exporter: ${p}`);
  await logs.log?.catchUp();
  const first = await saveState(logs);
  if (first !== undefined) out.error(`exporter: ${first}`);
  const server = createServer(handler(o, logs, scraper(o, logs, out)));
  const failed = await listen(server, host, port);
  if (failed) {
    out.error(`exporter: cannot listen on ${o.listen}: ${failed.message}`);
    return EXIT.io;
  }
  const follower = logs.log?.follow();
  const keep = keeper(logs, out);
  out.error(
    `exporter: listening on http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics (services: ${services(o, logs).map(visibleText).join(', ') || 'none'}; state ${visibleText(logs.statePath)})`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await follower?.stop();
  await keep.stop();
  const closed = new Promise<void>((r) => server.close(() => r()));
  server.closeAllConnections();
  await closed;
  return EXIT.ok;
}
