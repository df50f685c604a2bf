/**
 * The fleet metrics of `handoff-journal metrics`: one table of metric families (name,
 * labels, help: the help text is also the CLI's documentation of each metric), and the
 * pure step from what was observed on one host to the samples node_exporter's textfile
 * collector serves. Names use the upstream crate's `handoff_` prefix (its `metrics.rs`
 * has `handoff_handoffs_total`, `handoff_duration_seconds`, ...) so that dashboards
 * stay consistent. Pure: observations come in, samples go out; no I/O, no clock.
 */
import { type DecodeResult, type FileState, PHASES, type Phase, type Finding, type ProcessInfo, type Severity } from '../journal';

/** Every family the exporter writes, in output order. All are gauges. */
export const METRIC_FAMILIES = [
  {
    name: 'handoff_journal_present',
    labels: ['service', 'journal'],
    help: '1 when the journal file exists, 0 when it does not (an idle service: no handoff in flight).',
  },
  {
    name: 'handoff_journal_readable',
    labels: ['service', 'journal'],
    help: 'Only when present: 1 when the exporter could read the file, 0 when it could not (permission, not a regular file, too large; the reason is on stderr).',
  },
  {
    name: 'handoff_journal_decodable',
    labels: ['service', 'journal'],
    help: 'Only when present and readable: 1 when the bytes decode as a journal, 0 when they do not (the supervisor cannot read it either).',
  },
  {
    name: 'handoff_journal_phase',
    labels: ['service', 'journal', 'phase'],
    help: `Only when decodable: one series per phase (${PHASES.join(', ')}), 1 for the phase on disk, 0 for the others.`,
  },
  {
    name: 'handoff_journal_started_timestamp_seconds',
    labels: ['service', 'journal'],
    help: 'Only when decodable: started_at_unix_ms / 1000, when the handoff began (the host clock).',
  },
  {
    name: 'handoff_journal_writer_running',
    labels: ['service', 'journal'],
    help: 'Only when decodable and /proc can tell: 1 when incumbent_pid (the pid that wrote the journal, the supervisor itself in the reference supervisor) runs, 0 when it is gone.',
  },
  {
    name: 'handoff_journal_findings',
    labels: ['service', 'journal', 'severity'],
    help: "Findings of the journal's check (as 'handoff-journal show' and the editor report them), counted per severity: error, warning, information.",
  },
  {
    name: 'handoff_supervisor_deadline_seconds',
    labels: ['service'],
    help: 'deadline_secs from the supervisor config (the reference supervisor default, 60, when the config has none or the journal has no config).',
  },
  {
    name: 'handoff_supervisor_drain_grace_seconds',
    labels: ['service'],
    help: 'drain_grace_secs from the supervisor config (the reference supervisor default, 25, when the config has none or the journal has no config).',
  },
  {
    name: 'handoff_supervisor_socket_bound',
    labels: ['service', 'socket'],
    help: "1 when a process listens on the config's control or trigger socket (the socket label), 0 when none does; read from /proc/net/unix, never connected to.",
  },
  {
    name: 'handoff_supervisor_config_valid',
    labels: ['service', 'config'],
    help: 'Per supervisor config file: 1 when it was read and parsed as the supervisor reads it, 0 when it cannot be read or is invalid (the reason is on stderr).',
  },
  {
    name: 'handoff_journal_exporter_last_run_timestamp_seconds',
    labels: [],
    help: 'When handoff-journal metrics last ran (unix seconds, the host clock).',
  },
] as const;

export type MetricName = (typeof METRIC_FAMILIES)[number]['name'];

export interface Sample {
  name: MetricName;
  labels: Readonly<Record<string, string>>;
  value: number;
}

/** What the exporter knows about one journal path. */
export type JournalState =
  | { kind: 'missing' }
  | { kind: 'unreadable' }
  | { kind: 'undecodable' }
  /** `writerRunning` is undefined when there is no /proc to ask. */
  | { kind: 'decoded'; phase: Phase; startedAtUnixMs: bigint; writerRunning?: boolean };

export interface JournalObservation {
  service: string;
  /** The journal's absolute path. */
  journal: string;
  state: JournalState;
  findings: readonly Finding[];
}

export interface SupervisorObservation {
  service: string;
  deadlineSecs: number;
  drainGraceSecs: number;
  /** Whether each socket is bound; a socket is left out when /proc cannot tell or no config names it. */
  sockets: { control?: boolean; trigger?: boolean };
}

export interface ConfigObservation {
  config: string;
  service: string;
  valid: boolean;
}

export interface HostObservation {
  /** Unix ms when the exporter ran. */
  now: number;
  configs: readonly ConfigObservation[];
  supervisors: readonly SupervisorObservation[];
  journals: readonly JournalObservation[];
}

/** The exporter's view of one inspected journal (`shared/journal/node/inspect.ts`'s Inspection fits). */
export function journalStateOf(
  ins: { file: FileState; decoded?: DecodeResult },
  process: ((pid: number) => ProcessInfo) | undefined,
): JournalState {
  if (ins.file.state === 'missing') return { kind: 'missing' };
  if (ins.file.state === 'error') return { kind: 'unreadable' };
  if (!ins.decoded?.ok) return { kind: 'undecodable' };
  const j = ins.decoded.journal;
  return {
    kind: 'decoded',
    phase: j.phase,
    startedAtUnixMs: j.started_at_unix_ms,
    ...(process ? { writerRunning: process(j.incumbent_pid).running } : {}),
  };
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information'];

const flag = (b: boolean): number => (b ? 1 : 0);

function journalSamples(o: JournalObservation): Sample[] {
  const base = { service: o.service, journal: o.journal };
  const s = o.state;
  const out: Sample[] = [{ name: 'handoff_journal_present', labels: base, value: flag(s.kind !== 'missing') }];
  if (s.kind !== 'missing') out.push({ name: 'handoff_journal_readable', labels: base, value: flag(s.kind !== 'unreadable') });
  if (s.kind === 'undecodable' || s.kind === 'decoded')
    out.push({ name: 'handoff_journal_decodable', labels: base, value: flag(s.kind === 'decoded') });
  if (s.kind === 'decoded') {
    for (const phase of PHASES) out.push({ name: 'handoff_journal_phase', labels: { ...base, phase }, value: flag(s.phase === phase) });
    out.push({ name: 'handoff_journal_started_timestamp_seconds', labels: base, value: Number(s.startedAtUnixMs) / 1000 });
    if (s.writerRunning !== undefined) out.push({ name: 'handoff_journal_writer_running', labels: base, value: flag(s.writerRunning) });
  }
  for (const severity of SEVERITIES)
    out.push({
      name: 'handoff_journal_findings',
      labels: { ...base, severity },
      value: o.findings.filter((f) => f.severity === severity).length,
    });
  return out;
}

function supervisorSamples(o: SupervisorObservation): Sample[] {
  const base = { service: o.service };
  const out: Sample[] = [
    { name: 'handoff_supervisor_deadline_seconds', labels: base, value: o.deadlineSecs },
    { name: 'handoff_supervisor_drain_grace_seconds', labels: base, value: o.drainGraceSecs },
  ];
  for (const socket of ['control', 'trigger'] as const) {
    const bound = o.sockets[socket];
    if (bound !== undefined) out.push({ name: 'handoff_supervisor_socket_bound', labels: { ...base, socket }, value: flag(bound) });
  }
  return out;
}

/**
 * The samples for one host, grouped by family in table order. A label set seen twice
 * (two configs naming the same service, a journal given twice) keeps its first
 * sample, since an exposition with a repeated series is invalid.
 */
export function fleetSamples(h: HostObservation): Sample[] {
  const all: Sample[] = [
    ...h.journals.flatMap(journalSamples),
    ...h.supervisors.flatMap(supervisorSamples),
    ...h.configs.map((c): Sample => ({
      name: 'handoff_supervisor_config_valid',
      labels: { service: c.service, config: c.config },
      value: flag(c.valid),
    })),
    { name: 'handoff_journal_exporter_last_run_timestamp_seconds', labels: {}, value: h.now / 1000 },
  ];
  const seen = new Set<string>();
  const order = new Map<string, number>(METRIC_FAMILIES.map((f, i) => [f.name, i]));
  return all
    .filter((s) => {
      const key = JSON.stringify([s.name, Object.entries(s.labels).sort()]);
      return seen.has(key) ? false : (seen.add(key), true);
    })
    .sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
}
