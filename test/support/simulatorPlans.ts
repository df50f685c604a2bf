/**
 * The simulator's scenarios: the steps of each (journal writes, deletions, processes
 * killed), in `perform_handoff`'s order, with the log lines the supervisor writes
 * before and after each step, and the journal states each scenario leaves.
 */
import type { Phase } from '../../shared/journal';
import type { LogEvent } from './simulatorLog';

export const SCENARIOS = ['happy', 'abort', 'seal-failure', 'crash-stale', 'illegal', 'killed', 'old-died'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export function isScenarioName(s: string): s is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(s);
}

/** What each scenario leaves the journal as after each step (`null`: no file). */
export const EXPECTED_STATES: Readonly<Record<ScenarioName, readonly (Phase | null)[]>> = {
  happy: ['Negotiating', 'Draining', 'Sealing', 'AwaitingReady', 'Committed', null],
  abort: ['Negotiating', 'Draining', 'Sealing', 'AwaitingReady', 'AwaitingReady', 'ResumingAfterAbort', null],
  'seal-failure': ['Negotiating', 'Draining', 'Draining', null],
  'crash-stale': ['Negotiating', 'Draining', 'Draining'],
  illegal: ['Negotiating', 'Draining', 'Sealing', 'AwaitingReady', 'Draining'],
  killed: ['Negotiating', 'Draining', 'Draining'],
  'old-died': ['Negotiating', 'Draining', 'Draining'],
};

/** How far in the past the crash-stale scenario's handoff started (past the 300 s deadline). */
export const STALE_AGE_MS = 15 * 60_000;

export type StepAction = 'write' | 'delete' | 'kill-successor' | 'kill-incumbent';

/** Where the durations in the log count from: the handoff start, PrepareHandoff, SealRequest, Begin. */
export type Mark = 'start' | 'prepare' | 'seal' | 'begin';

/** A step, and the log lines the supervisor writes before and after it (as `perform_handoff` orders them). */
export type Plan = { action: StepAction; phase?: Phase; description: string; before?: LogEvent[]; after?: LogEvent[] }[];

/** A handoff starts: Hello/HelloAck, then O drains. */
const DRAINING: Plan = [
  { action: 'write', phase: 'Negotiating', description: 'Hello/HelloAck with O and N done', after: ['prepare'] },
  { action: 'write', phase: 'Draining', description: 'O answered Drained', before: ['drained'], after: ['seal'] },
];
/** ...and, past sealing, hands over to N. */
const AWAITING_READY: Plan = [
  ...DRAINING,
  { action: 'write', phase: 'Sealing', description: 'O answered SealComplete', before: ['seal_complete'] },
  { action: 'write', phase: 'AwaitingReady', description: 'Begin sent to N' },
];

export const PLANS: Record<ScenarioName, Plan> = {
  happy: [
    ...AWAITING_READY,
    { action: 'write', phase: 'Committed', description: 'N answered Ready; Commit sent to O', before: ['ready', 'commit'] },
    { action: 'delete', description: 'handoff complete: journal deleted' },
  ],
  abort: [
    ...AWAITING_READY,
    { action: 'kill-successor', description: 'N died before answering Ready' },
    {
      action: 'write',
      phase: 'ResumingAfterAbort',
      description: 'N aborted; ResumeAfterAbort sent to O',
      before: ['abort-before-commit', 'resume'],
    },
    { action: 'delete', description: 'abort complete: journal deleted' },
  ],
  'seal-failure': [
    ...DRAINING,
    { action: 'kill-successor', description: 'sealing timed out: N aborted', before: ['seal-failed'] },
    { action: 'delete', description: 'seal failed: journal deleted' },
  ],
  'crash-stale': [
    { action: 'write', phase: 'Negotiating', description: 'Hello/HelloAck with O and N done (started long ago)', after: ['prepare'] },
    { action: 'write', phase: 'Draining', description: 'O answered Drained', before: ['drained'], after: ['seal'] },
    { action: 'kill-incumbent', description: 'the supervisor crashed: the journal stays at Draining', after: ['supervisor-lost'] },
  ],
  // The supervisor gets SIGKILL while O seals (fixture 04): the journal stays at Draining.
  killed: [...DRAINING, { action: 'kill-incumbent', description: 'the supervisor was killed while O sealed', after: ['supervisor-lost'] }],
  // Upstream's crash matrix at o-after-drained-sent / o-after-seal-flock-released: O dies
  // after Drained, the seal exchange fails, perform_handoff returns its error (the reply is
  // `err: perform_handoff`) and the successor's guard kills N on drop. The supervisor keeps
  // running; the journal stays at Draining until the next handoff or a restart.
  'old-died': [
    ...DRAINING,
    {
      action: 'kill-successor',
      description: 'the old process died after Drained: the supervisor gave up (err: perform_handoff) and killed N',
      before: ['guard-drop'],
    },
  ],
  illegal: [
    ...AWAITING_READY,
    { action: 'write', phase: 'Draining', description: 'BUG: a buggy writer moved the same handoff back to Draining' },
  ],
};
