/**
 * Upstream's handoff counters and histograms for `metrics` and `exporter`: the services'
 * log sources, the engine (shared/fleet/node/handoffLog.ts) and its state file in the
 * state directory, one file per mode (`metrics.state.json`, `exporter.state.json`), so
 * the timer and a running exporter never overwrite each other's position. Without a named
 * source, journald is read only on a host that keeps one.
 */
import { join } from 'node:path';
import {
  HandoffLog,
  loadLogState,
  namesSource,
  resolveLogSources,
  saveLogState,
  type ServiceRef,
  type SourceOptions,
} from '../shared/fleet/node';
import { handoffFamilies, type Family } from '../shared/fleet';
import type { SourceEvent } from '../shared/supervisorLog/node';

export interface LogMetricsSetup {
  /** Undefined: no log to read (no journald here and none named). */
  log?: HandoffLog;
  statePath: string;
  /** Sentences for stderr. */
  problems: string[];
  /** No saved state: counting starts at the log's current end. */
  fresh?: boolean;
}

/** Builds the engine for the services' logs, from the saved state when there is one. */
export async function setUpLogMetrics(
  refs: readonly ServiceRef[],
  o: SourceOptions,
  stateDir: string,
  mode: 'metrics' | 'exporter',
): Promise<LogMetricsSetup> {
  const statePath = join(stateDir, `${mode}.state.json`);
  const resolved = await resolveLogSources(refs, o, !namesSource(o));
  const problems = resolved.problems.map((p) => p.message);
  if (resolved.sources.length === 0) return { statePath, problems };
  const loaded = await loadLogState(statePath);
  const log = new HandoffLog(resolved.sources, loaded.state);
  for (const p of resolved.problems) log.readable[p.service] = false;
  if (loaded.problem !== undefined) {
    const message = `${loaded.problem}: its position in the log and its totals are lost, so counting starts again at the log's current end (the counters restart at 0, which Prometheus reads as a counter reset).`;
    log.lostState(message);
  }
  return { log, statePath, problems, fresh: loaded.state === undefined };
}

/** The log's families for the exposition (none without a log). */
export function logFamilies(s: LogMetricsSetup): Family[] {
  return s.log ? handoffFamilies(s.log.totals, s.log.readable) : [];
}

/** What the engine met, as lines for stderr. */
export function noteLines(events: readonly SourceEvent[]): string[] {
  return events.map((e) => `${e.source}: ${e.message}`);
}

/** Saves the engine's state; a sentence when it cannot be saved. */
export async function saveState(s: LogMetricsSetup): Promise<string | undefined> {
  if (!s.log) return undefined;
  const w = await saveLogState(s.statePath, s.log.snapshot());
  return w.ok
    ? undefined
    : `the position in the log and the handoff totals cannot be saved (${w.message}): the next run reads the same lines again from the last saved position. Give a writable --state-dir.`;
}
