/**
 * What each phase means and what the reference supervisor does next, from the
 * `Phase` doc comments in `src/state.rs` and `perform_handoff` (journal-semantics.md).
 */
import type { Phase } from './model';

export interface PhaseInfo {
  /** What has happened when the supervisor writes this phase. */
  meaning: string;
  /** What the supervisor does next in a running handoff. */
  next: string;
}

export const PHASE_INFO: Record<Phase, PhaseInfo> = {
  Negotiating: {
    meaning: 'Hello/HelloAck exchanged with the old (O) and new (N) process; no protocol message sent yet.',
    next: 'send PrepareHandoff to O and wait for Drained.',
  },
  Draining: {
    meaning: 'Drained received from O: it stopped taking new work.',
    next: 'send SealRequest to O and wait for SealComplete (a seal failure aborts N and deletes the journal).',
  },
  Sealing: {
    meaning: 'SealComplete received from O: its data is sealed and it released the data-directory lock.',
    next: 'send Begin to N.',
  },
  AwaitingReady: {
    meaning: 'Begin sent to N; waiting for Ready.',
    next: 'on Ready send Commit to O; on timeout or N dying abort N and send ResumeAfterAbort to O.',
  },
  Committed: {
    meaning: 'Commit sent to O: the swap succeeded.',
    next: 'clean up: delete the journal and disarm the child. A file left here means the supervisor died in that window.',
  },
  ResumingAfterAbort: {
    meaning: 'ResumeAfterAbort sent to O after a post-seal abort: O keeps serving.',
    next: 'delete the journal. A file left here means the supervisor died in that window.',
  },
};

/** What a restarted supervisor does with any journal, whatever its phase. */
export const ON_RESTART =
  "On start-up the supervisor reads the journal, logs it, checks the incumbent's control socket and deletes the journal, whatever its phase.";
