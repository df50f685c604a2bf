/**
 * Upstream's handoff metrics (`handoff::metrics`: "so dashboards stay consistent across
 * primitives"), which no upstream binary exports, counted from the handoff records of
 * the supervisor's log (shared/supervisorLog/records.ts): four counters and four
 * histograms labelled `service`, plus what the log reading itself met (rotations, a lost
 * position, handoffs not followed). The totals are plain data, kept in the state file
 * between runs, so they only ever grow. Pure.
 */
import { isFailure, type HandoffRecord } from '../supervisorLog';

/** Bucket bounds in seconds: 1 ms (a real handoff takes about 5 ms) to 60 s (the reference supervisor's deadline). */
export const DURATION_BUCKETS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60];

const FAILURE =
  'a handoff that did not commit: aborted (handoff.abort, seal failures included) or with an unknown outcome (the supervisor died, or gave up without logging an outcome, before it ended)';

export const HANDOFF_COUNTERS = [
  {
    name: 'handoff_handoffs_total',
    key: 'handoffs',
    help: "Handoffs the supervisor's log shows ended (upstream's HANDOFFS_TOTAL): each handoff.prepare counted once, when its outcome is logged (commit, abort) or known to be lost (the supervisor restarted or started another handoff).",
  },
  { name: 'handoff_failures_total', key: 'failures', help: `Handoffs that failed (upstream's HANDOFFS_FAILED_TOTAL): ${FAILURE}.` },
  {
    name: 'handoff_rolled_back_total',
    key: 'rolledBack',
    help: "Handoffs rolled back (upstream's HANDOFFS_ROLLED_BACK_TOTAL): after an abort past Begin the supervisor resumed the old process (handoff.resume, journal ResumingAfterAbort).",
  },
  {
    name: 'handoff_seal_failures_total',
    key: 'sealFailures',
    help: "Handoffs aborted because the old process failed to seal (upstream's SEAL_FAILURES_TOTAL): handoff.abort 'seal failed; aborting handoff'; the old process keeps serving.",
  },
] as const;

export const HANDOFF_HISTOGRAMS = [
  {
    name: 'handoff_duration_seconds',
    key: 'totalSeconds',
    help: "Whole handoff, start to Commit (upstream's HANDOFF_DURATION_SECONDS): total_seconds of handoff.commit, so committed handoffs only.",
  },
  {
    name: 'handoff_drain_seconds',
    key: 'drainSeconds',
    help: "PrepareHandoff to Drained, the old process draining (upstream's HANDOFF_DRAIN_SECONDS): drain_seconds of handoff.drained.",
  },
  {
    name: 'handoff_seal_seconds',
    key: 'sealSeconds',
    help: "SealRequest to SealComplete, the old process sealing (upstream's HANDOFF_SEAL_SECONDS): seal_seconds of handoff.seal_complete.",
  },
  {
    name: 'handoff_begin_to_ready_seconds',
    key: 'beginToReadySeconds',
    help: "Begin to Ready, the new process starting (upstream's HANDOFF_BEGIN_TO_READY_SECONDS): begin_to_ready_seconds of handoff.ready.",
  },
] as const;

/** What reading the log met, per service (ours, `handoff_journal_log_*`). */
export const LOG_COUNTERS = [
  {
    name: 'handoff_journal_log_rotations_total',
    key: 'rotations',
    help: 'Log file rotations followed (the file was renamed, replaced or truncated): the rest of the old file was read, then the new one from its start.',
  },
  {
    name: 'handoff_journal_log_cursor_lost_total',
    key: 'cursorLost',
    help: 'Times the saved position in the log was gone (journald vacuumed past the cursor, a log file replaced while nothing read it): reading went on from the nearest position, and handoffs in the gap are not counted (never counted twice). The reason is on stderr.',
  },
  {
    name: 'handoff_journal_log_not_followed_total',
    key: 'evicted',
    help: 'Handoffs not followed to their end because too many were open at once (counted as failures with an unknown outcome).',
  },
] as const;

export type CounterKey = (typeof HANDOFF_COUNTERS)[number]['key'] | (typeof LOG_COUNTERS)[number]['key'];
export type HistogramKey = (typeof HANDOFF_HISTOGRAMS)[number]['key'];

export interface HistogramTotals {
  /** Observations per bucket (not cumulative); the last is above the highest bound (+Inf). */
  counts: number[];
  sum: number;
  count: number;
}

export type ServiceTotals = Record<CounterKey, number> & { histograms: Record<HistogramKey, HistogramTotals> };

/** Per service. */
export type HandoffTotals = Record<string, ServiceTotals>;

function emptyHistogram(): HistogramTotals {
  return { counts: new Array<number>(DURATION_BUCKETS.length + 1).fill(0), sum: 0, count: 0 };
}

export function emptyServiceTotals(): ServiceTotals {
  return {
    handoffs: 0,
    failures: 0,
    rolledBack: 0,
    sealFailures: 0,
    rotations: 0,
    cursorLost: 0,
    evicted: 0,
    histograms: {
      totalSeconds: emptyHistogram(),
      drainSeconds: emptyHistogram(),
      sealSeconds: emptyHistogram(),
      beginToReadySeconds: emptyHistogram(),
    },
  };
}

/** The service's totals, created at zero (so a service with no handoff yet exports zeros, not nothing). */
export function serviceTotals(t: HandoffTotals, service: string): ServiceTotals {
  if (!Object.hasOwn(t, service)) t[service] = emptyServiceTotals();
  return t[service] as ServiceTotals;
}

/** The bucket a value falls in: the first bound >= value (Prometheus's `le`), else +Inf. */
export function bucketIndex(seconds: number): number {
  const i = DURATION_BUCKETS.findIndex((b) => seconds <= b);
  return i < 0 ? DURATION_BUCKETS.length : i;
}

function observe(h: HistogramTotals, seconds: number): void {
  (h.counts[bucketIndex(seconds)] as number)++;
  h.sum += seconds;
  h.count++;
}

/** Counts one handoff record into its service's totals. */
export function countRecord(t: HandoffTotals, r: HandoffRecord): void {
  const s = serviceTotals(t, r.service);
  s.handoffs++;
  if (isFailure(r)) s.failures++;
  if (r.rolledBack) s.rolledBack++;
  if (r.sealFailure) s.sealFailures++;
  for (const h of HANDOFF_HISTOGRAMS) {
    const v = r[h.key];
    if (v !== null) observe(s.histograms[h.key], v);
  }
}

/** Whether a value read back from a state file has the shape of the totals (anything else starts again at zero). */
export function isHandoffTotals(v: unknown): v is HandoffTotals {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  return Object.values(v).every((s: unknown) => {
    const t = s as Partial<ServiceTotals> | null;
    if (typeof t !== 'object' || t === null) return false;
    const counters = [...HANDOFF_COUNTERS, ...LOG_COUNTERS].every((c) => Number.isFinite(t[c.key]));
    return (
      counters &&
      HANDOFF_HISTOGRAMS.every((h) => {
        const x = t.histograms?.[h.key];
        return x !== undefined && Array.isArray(x.counts) && x.counts.length === DURATION_BUCKETS.length + 1 && Number.isFinite(x.sum);
      })
    );
  });
}

/** One series of the exposition: a family name with a suffix (`_bucket`, `_sum`, `_count`) or none. */
export interface FamilySample {
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
}

export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  help: string;
  samples: FamilySample[];
}

function histogramSamples(name: string, service: string, h: HistogramTotals): FamilySample[] {
  let cumulative = 0;
  const out: FamilySample[] = DURATION_BUCKETS.map((le, i) => {
    cumulative += h.counts[i] ?? 0;
    return { name: `${name}_bucket`, labels: { service, le: String(le) }, value: cumulative };
  });
  out.push({ name: `${name}_bucket`, labels: { service, le: '+Inf' }, value: h.count });
  out.push({ name: `${name}_sum`, labels: { service }, value: h.sum }, { name: `${name}_count`, labels: { service }, value: h.count });
  return out;
}

export const LOG_READABLE = {
  name: 'handoff_journal_log_readable',
  help: "1 when the service's supervisor log (journald or its log file) was read at the last attempt, 0 when it could not be (the reason is on stderr: permission, no such unit or file); the handoff counters of a 0 service do not move.",
} as const;

/**
 * Every family for the totals, services in name order (a family with no service still
 * has its HELP and TYPE); `readable`: whether each service's log could be read.
 */
export function handoffFamilies(t: HandoffTotals, readable: Readonly<Record<string, boolean>> = {}): Family[] {
  const services = Object.keys(t).sort();
  const of = (s: string): ServiceTotals => t[s] as ServiceTotals;
  return [
    {
      name: LOG_READABLE.name,
      type: 'gauge',
      help: LOG_READABLE.help,
      samples: services
        .filter((service) => Object.hasOwn(readable, service))
        .map((service) => ({ name: LOG_READABLE.name, labels: { service }, value: readable[service] ? 1 : 0 })),
    },
    ...[...HANDOFF_COUNTERS, ...LOG_COUNTERS].map((c): Family => ({
      name: c.name,
      type: 'counter',
      help: c.help,
      samples: services.map((service) => ({ name: c.name, labels: { service }, value: of(service)[c.key] })),
    })),
    ...HANDOFF_HISTOGRAMS.map((h): Family => ({
      name: h.name,
      type: 'histogram',
      help: h.help,
      samples: services.flatMap((service) => histogramSamples(h.name, service, of(service).histograms[h.key])),
    })),
  ];
}

/** The value at quantile q (0..1) of a sorted list, by nearest rank; undefined for an empty list. */
export function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}
