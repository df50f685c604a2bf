/**
 * `handoff-journal history`: every handoff the supervisors' logs show in a time window,
 * one line each (start, service, id, outcome, the supervisor's own times), then a summary
 * (count, failures, p50/p99 total). The records are those of the exporter and the
 * textfile metrics (shared/supervisorLog/records.ts), so the counts agree. journald is
 * streamed from `--since` (default the last 24 hours) and bounded in time; memory holds
 * the records, not the lines, and at most MAX_RECORDS of them (the newest).
 */
import { HandoffReader, isFailure, type HandoffRecord } from '../shared/supervisorLog';
import { readWindow, sourceName, type RecordSource, type SourceEvent } from '../shared/supervisorLog/node';
import { resolveLogSources, type ServiceRef, type SourceOptions } from '../shared/fleet/node';
import { quantile } from '../shared/fleet';
import { formatSeconds, sudoCliLine, visibleText } from '../shared/util';
import { EXIT } from './args';
import type { Output } from './output';

export const DEFAULT_WINDOW_MS = 24 * 3_600_000;
/** A handoff started before --until is followed this long past it, so its outcome is read. */
const UNTIL_GRACE_MS = 120_000;
const MAX_RECORDS = 100_000;

export interface HistoryOptions {
  refs: ServiceRef[];
  /** Configs that could not be read. */
  problems: string[];
  sources: SourceOptions;
  sinceMs: number;
  untilMs?: number;
  json: boolean;
  /** The command line, for the sudo hint. */
  argv: string[];
}

interface Collected {
  records: HandoffRecord[];
  dropped: number;
  events: SourceEvent[];
  read: string[];
}

async function collect(sources: RecordSource[], o: HistoryOptions): Promise<Collected> {
  const c: Collected = { records: [], dropped: 0, events: [], read: [] };
  const keep = (rs: readonly HandoffRecord[]): void => {
    for (const r of rs) {
      if (r.start !== null && (r.start < o.sinceMs || (o.untilMs !== undefined && r.start >= o.untilMs))) continue;
      c.records.push(r);
    }
    if (c.records.length > 2 * MAX_RECORDS) c.dropped += c.records.splice(0, c.records.length - MAX_RECORDS).length;
  };
  for (const s of sources) {
    const readers = new Map<string, HandoffReader>();
    const reader = (service: string): HandoffReader =>
      readers.get(service) ?? (readers.set(service, new HandoffReader(service)), readers.get(service) as HandoffReader);
    const w = { sinceMs: o.sinceMs, ...(o.untilMs !== undefined ? { untilMs: o.untilMs + UNTIL_GRACE_MS } : {}) };
    const r = await readWindow(s, w, {
      lines: (service, lines) => keep(reader(service).pushAll(lines)),
      position: () => undefined,
      event: (e) => c.events.push(e),
    });
    for (const rd of readers.values()) keep(rd.flush());
    if (r.ok) c.read.push(sourceName(s));
  }
  if (c.records.length > MAX_RECORDS) c.dropped += c.records.splice(0, c.records.length - MAX_RECORDS).length;
  c.records.sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
  return c;
}

export interface HistorySummary {
  count: number;
  committed: number;
  failures: number;
  aborted: number;
  unknown: number;
  sealFailures: number;
  rolledBack: number;
  /** Of committed handoffs' total_seconds (nearest rank); null without any. */
  p50TotalSeconds: number | null;
  p99TotalSeconds: number | null;
}

export function summarise(records: readonly HandoffRecord[]): HistorySummary {
  const totals = records.flatMap((r) => (r.totalSeconds !== null ? [r.totalSeconds] : [])).sort((a, b) => a - b);
  return {
    count: records.length,
    committed: records.filter((r) => r.outcome === 'committed').length,
    failures: records.filter(isFailure).length,
    aborted: records.filter((r) => r.outcome === 'aborted').length,
    unknown: records.filter((r) => r.outcome === 'unknown').length,
    sealFailures: records.filter((r) => r.sealFailure).length,
    rolledBack: records.filter((r) => r.rolledBack).length,
    p50TotalSeconds: quantile(totals, 0.5) ?? null,
    p99TotalSeconds: quantile(totals, 0.99) ?? null,
  };
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const secs = (v: number | null, label: string): string[] => (v === null ? [] : [`${label} ${formatSeconds(v)}`]);

/** One line per handoff; log text (reasons) made visible, never interpreted. */
export function historyLine(r: HandoffRecord): string {
  const what =
    r.outcome === 'committed'
      ? 'committed'
      : `${r.outcome}${r.sealFailure ? ' (seal failure)' : r.rolledBack ? ' (rolled back)' : ''}: ${visibleText(r.reason ?? '')}`;
  const times = [
    ...secs(r.totalSeconds, 'total'),
    ...secs(r.drainSeconds, 'drain'),
    ...secs(r.sealSeconds, 'seal'),
    ...secs(r.beginToReadySeconds, 'begin-to-ready'),
  ];
  return `${iso(r.start) ?? '(no time)'.padEnd(24)}  ${visibleText(r.service)}  ${r.id}  ${what}${times.length ? `  ${times.join(', ')}` : ''}`;
}

function summaryLine(s: HistorySummary): string {
  const pct =
    s.p50TotalSeconds !== null
      ? `; total p50 ${formatSeconds(s.p50TotalSeconds)}, p99 ${formatSeconds(s.p99TotalSeconds as number)} (of ${s.committed} committed)`
      : '';
  return `${s.count} handoff${s.count === 1 ? '' : 's'}: ${s.committed} committed, ${s.failures} failed (${s.aborted} aborted, of which ${s.sealFailures} seal failure${s.sealFailures === 1 ? '' : 's'} and ${s.rolledBack} rolled back; ${s.unknown} unknown)${pct}`;
}

export function recordJson(r: HandoffRecord): Record<string, unknown> {
  return {
    id: r.id,
    service: r.service,
    start: iso(r.start),
    end: iso(r.end),
    outcome: r.outcome,
    reason: r.reason,
    sealFailure: r.sealFailure,
    rolledBack: r.rolledBack,
    totalSeconds: r.totalSeconds,
    drainSeconds: r.drainSeconds,
    sealSeconds: r.sealSeconds,
    beginToReadySeconds: r.beginToReadySeconds,
    supervisorPid: r.supervisorPid,
    successorPid: r.successorPid,
    lastStep: r.lastStep,
  };
}

function report(c: Collected, o: HistoryOptions, problems: string[], out: Output): void {
  const s = summarise(c.records);
  const window = `from ${new Date(o.sinceMs).toISOString()}${o.untilMs !== undefined ? ` until ${new Date(o.untilMs).toISOString()}` : ''}`;
  if (o.json) {
    const notes = [...c.events.map((e) => e.message), ...problems];
    out.stdout(
      `${JSON.stringify({ handoffs: c.records.map(recordJson), summary: { ...s, dropped: c.dropped }, sources: c.read, since: iso(o.sinceMs), until: iso(o.untilMs ?? null), notes })}\n`,
    );
    return;
  }
  for (const r of c.records) out.stdout(`${historyLine(r)}\n`);
  if (c.records.length === 0) out.stdout(`no handoff in the log ${window}\n`);
  out.stdout(`${summaryLine(s)}\n`);
  if (c.dropped > 0) out.stdout(`(the ${c.dropped} oldest handoffs are not listed: more than ${MAX_RECORDS} in the window)\n`);
}

/** Exit 0 once every source was read (even with no handoff), 4 when none could be. */
export async function historyCommand(o: HistoryOptions, out: Output): Promise<number> {
  const resolved = await resolveLogSources(o.refs, o.sources);
  const problems = [...o.problems, ...resolved.problems.map((p) => p.message)];
  const c = await collect(resolved.sources, o);
  report(c, o, problems, out);
  for (const p of problems) out.error(`history: ${visibleText(p)}`);
  for (const e of c.events) {
    out.error(`history: ${visibleText(e.message)}`);
    if (e.failure?.sudoCommand) out.error(`to read it as root: ${sudoCliLine(o.argv)}`);
  }
  if (resolved.sources.length === 0 && problems.length === 0)
    out.error('history: no supervisor to read: name a CONFIG, a SERVICE or a systemd unit, or give --log-file SERVICE=PATH.');
  return c.read.length > 0 ? EXIT.ok : EXIT.io;
}
