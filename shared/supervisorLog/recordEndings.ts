/**
 * What ends an open handoff other than its own outcome line (records.ts): the lines that
 * end it (ENDINGS) and, on a live log, the time and the process table (`overdue`).
 */
import { fieldOf, numberField, GUARD_DROP, type EventLine, type EventKind, type HandoffDurations } from './events';
import { DEFAULT_DEADLINE_MS, type ProcessInfo } from '../journal';

/** How long past its deadline an open handoff waits for its outcome on a live log. */
export const RECORD_GRACE_MS = 30_000;
/** How long a handoff whose supervisor is gone waits for lines still on their way (journald, a file's buffer). */
export const QUIET_MS = 10_000;

export interface OpenHandoff {
  id: string;
  start: number | null;
  last: number | null;
  supervisorPid: number | null;
  successorPid: number | null;
  /** `deadline_ms` of its prepare line (absent in states saved before it was kept). */
  deadlineMs?: number | null;
  lastStep: string | null;
  durations: HandoffDurations;
  /** An abort after Begin, waiting for its resume. */
  abort?: { reason: string; at: number | null };
}

/** A parsed line, as the endings see it. */
export interface Line {
  t: EventLine;
  kind: EventKind | undefined;
  /** Its `handoff_id`. */
  id: string | undefined;
  at: number | null;
  /** The pid the source says logged it. */
  pid: number | null;
}

/** Lines, other than a handoff's own steps, that end open handoffs: which, why, and how (default: outcome unknown). */
type Ending = (l: Line) => { which: (o: OpenHandoff) => boolean; reason: string; outcome?: 'aborted' } | undefined;

/**
 * The endings, in order; the first that matches a line applies. A new kind of ending
 * (e.g. a warning the supervisor logs when it gives up) is one more entry here, with its
 * text among RECORD_NEEDLES (events.ts) so that its lines are parsed.
 */
export const ENDINGS: readonly Ending[] = [
  // 0.2's supervisor gave up (perform_handoff returned an error, the reply was
  // `err: perform_handoff`) and killed this handoff's successor on guard drop: a failure.
  ({ t }) =>
    t.target === 'handoff::supervisor' && t.message.startsWith(GUARD_DROP)
      ? {
          which: (o) => o.successorPid !== null && o.successorPid === numberField(t, 'pid'),
          reason: 'failed: the supervisor gave up (err: perform_handoff) and killed the successor on guard drop',
          outcome: 'aborted',
        }
      : undefined,
  ({ kind }) =>
    kind === 'supervisor-running'
      ? { which: () => true, reason: 'the supervisor started again (supervisor running) before this handoff ended: it died mid-handoff' }
      : undefined,
  ({ t, kind, id }) =>
    kind === 'found-prior-state'
      ? {
          which: (o) => o.id === id,
          reason: `the supervisor died mid-handoff; on its restart it found the journal${fieldOf(t, 'phase') ? ` at ${fieldOf(t, 'phase')}` : ''} and deleted it`,
        }
      : undefined,
];

/** Why an open handoff on a live log has ended without an outcome, or undefined while it may still end. */
export function overdue(o: OpenHandoff, nowMs: number, process: ((pid: number) => ProcessInfo) | undefined): string | undefined {
  const deadline = o.deadlineMs ?? DEFAULT_DEADLINE_MS;
  if (o.start !== null && nowMs - o.start > deadline + RECORD_GRACE_MS)
    return `no outcome logged within its deadline (${deadline} ms) and ${RECORD_GRACE_MS / 1000} s more: the supervisor died or gave up without logging one`;
  if (o.supervisorPid !== null && o.last !== null && nowMs - o.last > QUIET_MS && process && !process(o.supervisorPid).running)
    return `the supervisor (pid ${o.supervisorPid}) is gone and logged no outcome: it died mid-handoff`;
  return undefined;
}
