/**
 * One handoff as the supervisor's log tells it, start to end: the record the `history`
 * command lists, the exporter and the textfile metrics count, and the editor's History
 * shows (made by records.ts). Plain data. Pure.
 */
import type { HistoryEntry } from '../journal';

/** How a handoff ended. `unknown`: the log does not say (the supervisor died, gave up silently, or the log ends). */
export type RecordOutcome = 'committed' | 'aborted' | 'unknown';

export interface HandoffRecord {
  service: string;
  /** The handoff id (lowercase UUID). */
  id: string;
  /** Unix ms of its `handoff.prepare` line. */
  start: number | null;
  /** Unix ms of the line that ended it. */
  end: number | null;
  outcome: RecordOutcome;
  /** Why it was aborted (as the trigger reply says it) or why the outcome is unknown; null when committed. */
  reason: string | null;
  /** Aborted because the old process failed to seal (`seal failed; aborting handoff`). */
  sealFailure: boolean;
  /** The supervisor resumed the old process after the abort (`handoff.resume`, journal ResumingAfterAbort). */
  rolledBack: boolean;
  /** The supervisor's own measures; null when the log does not give them. */
  drainSeconds: number | null;
  sealSeconds: number | null;
  beginToReadySeconds: number | null;
  totalSeconds: number | null;
  /** The pid that logged it (journald's `_PID`: the supervisor), when the source says. */
  supervisorPid: number | null;
  /** `successor_pid` of `handoff.prepare`: the new process. */
  successorPid: number | null;
  /** The last protocol step read, e.g. `handoff.seal`. */
  lastStep: string | null;
}

/** A failure: every handoff that did not commit (aborted, or unknown: no outcome was ever logged). */
export function isFailure(r: Pick<HandoffRecord, 'outcome'>): boolean {
  return r.outcome !== 'committed';
}

const seconds = (s: number): string => (s < 1 ? `${(s * 1000).toFixed(1)} ms` : `${s.toFixed(2)} s`);

/** The supervisor's own times of a record, in words: "total 18.8 ms (drain 1.1 ms, seal 0.9 ms, begin-to-ready 1.7 ms)". */
export function recordTimes(r: HandoffRecord): string {
  const parts = [
    r.drainSeconds !== null ? `drain ${seconds(r.drainSeconds)}` : '',
    r.sealSeconds !== null ? `seal ${seconds(r.sealSeconds)}` : '',
    r.beginToReadySeconds !== null ? `begin-to-ready ${seconds(r.beginToReadySeconds)}` : '',
  ].filter((p) => p !== '');
  const total = r.totalSeconds !== null ? `total ${seconds(r.totalSeconds)}` : '';
  return total && parts.length ? `${total} (${parts.join(', ')})` : total || parts.join(', ');
}

/** One sentence: "committed, total 18.8 ms (...)", "aborted (seal failure): seal failed: ...", "unknown: the supervisor ...". */
export function recordSentence(r: HandoffRecord): string {
  const times = recordTimes(r);
  if (r.outcome === 'committed') return `committed${times ? `, ${times}` : ''}`;
  const kind = r.sealFailure ? ' (seal failure)' : r.rolledBack ? ' (rolled back: the old process resumed)' : '';
  return `${r.outcome}${kind}: ${r.reason ?? ''}${times ? `; ${times}` : ''}`;
}

/** A record as an entry of a journal's history (shared/journal/history.ts), at its start. */
export function recordHistoryEntry(r: HandoffRecord, fallbackAt: number): HistoryEntry {
  return {
    at: r.start ?? r.end ?? fallbackAt,
    phase: null,
    label: r.outcome,
    handoffId: r.id,
    verdict: r.outcome === 'committed' ? 'none' : r.outcome === 'aborted' ? 'error' : 'info',
    message: `handoff ${recordSentence(r)}`,
    source: 'log',
  };
}
