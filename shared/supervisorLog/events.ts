/**
 * What each line of the supervisor's log means, defined once: which protocol step a
 * line is (`eventKind`), the handoff it names, the duration the supervisor measured for
 * the step, the abort reason as the trigger reply words it, and whether the abort was a
 * seal failure. The one-handoff summary (summary.ts) and the handoff records of the
 * metrics and the history (records.ts) both read the log through these. Pure.
 *
 * The events are those of upstream's `perform_handoff` (`handoff::metrics::events`):
 * `handoff.prepare`, `.drained` (drain_seconds), `.seal`, `.seal_complete`
 * (seal_seconds), `.ready` (begin_to_ready_seconds), `.commit` (total_seconds),
 * `.abort` (`seal failed; aborting handoff` with `error=`, or `aborting handoff before
 * commit` with `reason=`) and `.resume` (`sent ResumeAfterAbort to O`); and the
 * supervisor's own `supervisor running` and `resume_from_journal` warnings.
 */
import type { LogField, ParsedLine, TracingLine } from './parse';

/** A tracing line as parsed, with or without its place in a log. */
export type EventLine = Pick<TracingLine, 'level' | 'target' | 'message' | 'fields' | 'origin'>;

/** A field's value (as `fieldValue`, for a line with or without its place in a log). */
export function fieldOf(l: { fields: readonly LogField[] }, key: string): string | undefined {
  return l.fields.find((f) => f.key === key)?.value;
}

export type EventKind =
  | 'prepare'
  | 'drained'
  | 'seal'
  | 'seal_complete'
  | 'ready'
  | 'commit'
  | 'abort'
  | 'resume'
  | 'found-prior-state'
  | 'resumed-prior-journal'
  | 'supervisor-running'
  | 'gave-up'
  | 'notice'
  | 'error'
  | 'warning'
  | 'daemon-output';

/** The supervisor's own measures (seconds, as f64 from `Instant::elapsed`). */
export interface HandoffDurations {
  drainSeconds?: number;
  sealSeconds?: number;
  beginToReadySeconds?: number;
  totalSeconds?: number;
}

export const SUPERVISOR_RUNNING = 'supervisor running';
const FOUND_PRIOR = 'found prior handoff state on disk';
const RESUMED_PRIOR = 'resumed from prior handoff journal';
/** 0.2's warning when `perform_handoff` failed and the supervisor killed the successor it had started. */
export const GUARD_DROP = 'killing leaked successor child on guard drop';
/** upstream's message for the abort of a failed seal (the only abort logged on the seal path). */
const SEAL_FAILED = 'seal failed';

/** The protocol steps, by target. */
export const STEP_KINDS: Readonly<Record<string, EventKind>> = {
  'handoff.prepare': 'prepare',
  'handoff.drained': 'drained',
  'handoff.seal': 'seal',
  'handoff.seal_complete': 'seal_complete',
  'handoff.ready': 'ready',
  'handoff.commit': 'commit',
  'handoff.abort': 'abort',
  'handoff.resume': 'resume',
};

/** The step whose line carries each duration. */
export const DURATION_FIELD: Readonly<Partial<Record<EventKind, keyof HandoffDurations>>> = {
  drained: 'drainSeconds',
  seal_complete: 'sealSeconds',
  ready: 'beginToReadySeconds',
  commit: 'totalSeconds',
};

/** The field each duration is logged as. */
export const DURATION_KEY: Readonly<Record<keyof HandoffDurations, string>> = {
  drainSeconds: 'drain_seconds',
  sealSeconds: 'seal_seconds',
  beginToReadySeconds: 'begin_to_ready_seconds',
  totalSeconds: 'total_seconds',
};

/**
 * Text that every line of interest to the handoff records contains (raw, with or
 * without colour codes): a cheap test before a line is parsed at all.
 */
export const RECORD_NEEDLES: readonly string[] = ['handoff.', SUPERVISOR_RUNNING, FOUND_PRIOR, GUARD_DROP];

/** The handoff id a line carries (`handoff_id=`), lowercase. */
export function handoffIdOf(l: ParsedLine): string | undefined {
  return l.kind === 'tracing' ? fieldOf(l, 'handoff_id')?.toLowerCase() : undefined;
}

/** The supervisor's start line (`supervisor running`): a new run of the supervisor. */
export function isRunStart(l: ParsedLine): boolean {
  return l.kind === 'tracing' && l.origin === 'supervisor' && l.message === SUPERVISOR_RUNNING;
}

/**
 * What a tracing line is. `tagged`: it carries the handoff id being looked at (a step
 * line of another handoff is not a step of this one).
 */
export function eventKind(l: EventLine, tagged: boolean): EventKind | undefined {
  const step = STEP_KINDS[l.target];
  if (step && tagged) return step;
  if (l.origin === 'supervisor' && l.message === SUPERVISOR_RUNNING) return 'supervisor-running';
  if (tagged && l.message.startsWith(FOUND_PRIOR)) return 'found-prior-state';
  if (tagged && l.message.startsWith(RESUMED_PRIOR)) return 'resumed-prior-journal';
  if (l.level === 'ERROR') return 'error';
  if (l.level === 'WARN') return 'warning';
  return undefined;
}

/** The duration a step's line carries (`drain_seconds` on handoff.drained, ...), if any. */
export function stepSeconds(l: EventLine, kind: EventKind): { key: keyof HandoffDurations; seconds: number } | undefined {
  const key = DURATION_FIELD[kind];
  const v = key ? fieldOf(l, DURATION_KEY[key]) : undefined;
  const seconds = v === undefined || v.trim() === '' ? NaN : Number(v);
  return key && Number.isFinite(seconds) && seconds >= 0 ? { key, seconds } : undefined;
}

/** The abort reason as the trigger reply words it (`seal failed: <error>`, or the `reason=` field). */
export function abortReason(l: EventLine): string {
  const reason = fieldOf(l, 'reason');
  if (reason !== undefined) return reason;
  const error = fieldOf(l, 'error');
  const what = l.message.split(';')[0]?.trim() || l.message;
  return error !== undefined ? `${what}: ${error}` : l.message;
}

/**
 * A seal failure: the `handoff.abort` of the seal path (`seal failed; aborting handoff`,
 * with `error=`): the old process answered SealFailed and keeps serving; the journal is
 * deleted and no `handoff.resume` follows.
 */
export function isSealFailure(l: EventLine): boolean {
  return l.target === 'handoff.abort' && l.message.startsWith(SEAL_FAILED);
}

/** A number field (`successor_pid`, `deadline_ms`, ...), or undefined. */
export function numberField(l: EventLine, key: string): number | undefined {
  const v = fieldOf(l, key);
  const n = v === undefined || v.trim() === '' ? NaN : Number(v);
  return Number.isFinite(n) ? n : undefined;
}
