/**
 * The log lines the reference supervisor (and its daemons, which share its stderr)
 * writes at each step of `perform_handoff` and `resume_from_journal`, with the same
 * targets, messages and fields as test/fixtures/logs/. For the simulator and the
 * fake supervisor.
 */
import { tracingLine } from './tracingFormat';

export type LogEvent =
  | 'prepare'
  | 'drained'
  | 'seal'
  | 'seal_complete'
  | 'ready'
  | 'commit'
  | 'abort-before-commit'
  | 'resume'
  | 'seal-failed'
  | 'supervisor-lost'
  | 'guard-drop';

/** What the supervisor puts in `abort_reason` when N dies before Ready (its read hits EOF). */
export const ABORT_REASON_N_DIED = 'ready read failed: io: failed to fill whole buffer';
/** The seal failure injected in the fixture runs (03-seal-failure-abort). */
export const SEAL_ERROR = 'protocol violation: injected seal failure';

export interface LogContext {
  id: string;
  successorPid: number;
  drainGraceMs: number;
  deadlineMs: number;
  /** Seconds since a mark (the handoff start, PrepareHandoff, SealRequest, Begin). */
  seconds(since: 'start' | 'prepare' | 'seal' | 'begin'): number;
  at: Date;
}

/** anyhow's report of a daemon's error, as it reaches the shared stderr. */
function anyhowReport(context: string, causes: string[]): string[] {
  return [`Error: ${context}`, '', 'Caused by:', ...(causes.length === 1 ? [`    ${causes[0]}`] : causes.map((c, i) => `    ${i}: ${c}`))];
}

export function eventLines(e: LogEvent, c: LogContext): string[] {
  const id = { handoff_id: c.id };
  const line = (
    level: Parameters<typeof tracingLine>[0],
    target: string,
    message: string,
    fields: Parameters<typeof tracingLine>[3],
  ): string => tracingLine(level, target, message, fields, c.at);
  switch (e) {
    case 'prepare':
      return [
        line('INFO', 'handoff.prepare', 'prepare handoff', {
          ...id,
          successor_pid: c.successorPid,
          drain_grace_ms: c.drainGraceMs,
          deadline_ms: Math.max(0, c.deadlineMs - Math.round(c.seconds('start') * 1000)),
        }),
      ];
    case 'drained':
      return [
        line('INFO', 'handoff.drained', 'drain complete', {
          ...id,
          open_conns_remaining: 0,
          accept_closed: true,
          drain_seconds: c.seconds('prepare'),
        }),
      ];
    case 'seal':
      return [line('INFO', 'handoff.seal', 'seal request', id)];
    case 'seal_complete':
      return [line('INFO', 'handoff.seal_complete', 'seal complete; flock released by O', { ...id, seal_seconds: c.seconds('seal') })];
    case 'ready':
      return [
        line('INFO', 'handoff.ready', 'successor ready', {
          ...id,
          healthz_ok: true,
          listeners: '[]',
          advertised_revisions: '[43]',
          begin_to_ready_seconds: c.seconds('begin'),
        }),
      ];
    case 'commit':
      return [line('INFO', 'handoff.commit', 'commit', { ...id, total_seconds: c.seconds('start') })];
    case 'abort-before-commit':
      return [line('WARN', 'handoff.abort', 'aborting handoff before commit', { ...id, reason: { str: ABORT_REASON_N_DIED } })];
    case 'resume':
      return [line('INFO', 'handoff.resume', 'sent ResumeAfterAbort to O', id)];
    case 'seal-failed':
      return [
        line('ERROR', 'handoff::incumbent', 'seal failed; remaining as incumbent', { ...id, error: SEAL_ERROR }),
        line('WARN', 'handoff.abort', 'seal failed; aborting handoff', { ...id, error: SEAL_ERROR }),
        ...anyhowReport('wait_for_begin', [`handoff aborted by peer: seal failed: ${SEAL_ERROR}`]),
      ];
    case 'supervisor-lost':
      return anyhowReport('wait_for_begin', ['io: failed to fill whole buffer', 'failed to fill whole buffer']);
    case 'guard-drop':
      // ChildGuard's Drop in the handoff crate's supervisor.rs: no handoff_id, the successor's pid.
      return [line('WARN', 'handoff::supervisor', 'killing leaked successor child on guard drop', { pid: c.successorPid })];
  }
}

/** `supervisor running`, logged once the supervisor has started its first child and bound its trigger socket. */
export function supervisorRunning(binary: string, childPid: number, trigger: string, at = new Date()): string {
  return tracingLine('INFO', 'handoff_supervisor', 'supervisor running', { binary, child_pid: childPid, trigger }, at);
}

/** A restart over a left-behind journal: the two warnings of `resume_from_journal` and main. */
export function restartLines(id: string, phase: string, at = new Date()): string[] {
  return [
    tracingLine(
      'WARN',
      'handoff::supervisor',
      'found prior handoff state on disk; verifying incumbent then clearing',
      { handoff_id: id, phase },
      at,
    ),
    tracingLine('WARN', 'handoff_supervisor', 'resumed from prior handoff journal', { handoff_id: id, phase }, at),
  ];
}
