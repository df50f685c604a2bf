/**
 * One handoff as the supervisor's log tells it, start to end: the record the `history`
 * command lists, the exporter and the textfile metrics count, and the editor's History
 * shows (made by records.ts). Plain data. Pure.
 */

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
