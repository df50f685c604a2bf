/**
 * What the selected lines of one handoff say (`summariseHandoff`): its events in
 * order with the journal phase each leaves on disk, the supervisor's own durations,
 * the outcome and the findings HJ090-HJ095. Pure. The phase table follows
 * journal-semantics.md ("Which phase is on disk while what happens") and the order of
 * log lines and journal writes in `perform_handoff` / `resume_from_journal`:
 *
 * | line                   | journal after it                                                    |
 * | ---------------------- | ------------------------------------------------------------------- |
 * | handoff.prepare        | Negotiating (written just before; stays while O drains)             |
 * | handoff.drained        | Draining (written on Drained; stays while O seals)                  |
 * | handoff.seal           | Draining (unchanged: O seals)                                       |
 * | handoff.seal_complete  | Sealing, then AwaitingReady once Begin is sent (stays while N starts) |
 * | handoff.ready          | AwaitingReady (unchanged)                                           |
 * | handoff.commit         | Committed, deleted at once: no file                                 |
 * | handoff.abort          | after a seal failure (journal at Draining): deleted; else unchanged |
 * | handoff.resume         | ResumingAfterAbort, deleted at once: no file                        |
 * | found prior handoff…   | the `phase=` it found (being verified)                              |
 * | resumed from prior…    | deleted: no file                                                    |
 * | guard drop (its N)     | unchanged: the supervisor gave up, the journal stays (outcome failed) |
 * | failed to clear…       | the last phase written stays (Committed, Draining, ...)             |
 *
 * Other lines that say something definite (0.2's trigger socket, the daemon's control
 * socket, start-up) are recognised in notices.ts and found with their own codes.
 */
import { withSeverity, isPhase, type Phase } from '../journal';
import { fieldValue, type OutputBlock, type TracingLine } from './parse';
import { noticeAttribution, noticeOf, successorPidOf } from './notices';
import { outcomeSentence, phaseWords } from './outcome';
import { abortReason, DURATION_FIELD, eventKind, STEP_KINDS, stepSeconds, type EventKind, type HandoffDurations } from './events';
import type { DiskEffect, HandoffEvent, HandoffOutcome, HandoffSelection, HandoffSummary, LogFinding } from './handoff';

export { abortReason };

const LABELS: Partial<Record<EventKind, string>> = {
  'supervisor-running': 'supervisor running',
  'found-prior-state': 'found prior state',
  'resumed-prior-journal': 'resumed prior journal',
  'gave-up': 'gave up (guard drop)',
};

/** What a line is in this handoff: a step (events.ts), or one of the notices of notices.ts (a guard drop of this handoff's successor is `gave-up`). */
function kindOf(l: TracingLine, tagged: boolean, successorPid: number | undefined): EventKind | undefined {
  const base = eventKind(l, tagged);
  if (base && base !== 'error' && base !== 'warning') return base;
  const notice = tagged ? undefined : noticeOf(l);
  if (notice) return notice.kind === 'gave-up' && notice.pid !== undefined && notice.pid === successorPid ? 'gave-up' : 'notice';
  return base;
}

/** The phase a step leaves on disk, given the one before it (see the table above). */
export function diskAfter(kind: EventKind, before: Phase | null | undefined, line?: TracingLine): DiskEffect {
  const same: DiskEffect = { after: before, passing: [] };
  switch (kind) {
    case 'prepare':
      return { after: 'Negotiating', passing: [] };
    case 'drained':
      return { after: 'Draining', passing: [] };
    case 'seal_complete':
      return { after: 'AwaitingReady', passing: ['Sealing'] };
    case 'commit':
      return { after: null, passing: ['Committed'] };
    case 'abort':
      // A seal failure clears the journal; an abort after Begin resumes O first (handoff.resume).
      return before === 'Draining' || before === 'Negotiating' ? { after: null, passing: [] } : same;
    case 'resume':
      return { after: null, passing: ['ResumingAfterAbort'] };
    case 'found-prior-state': {
      const p = line ? fieldValue(line, 'phase') : undefined;
      return { after: p !== undefined && isPhase(p) ? p : before, passing: [] };
    }
    case 'resumed-prior-journal':
      return { after: null, passing: [] };
    default:
      return same;
  }
}

function describe(l: TracingLine): string {
  const extra = ['error', 'reason', 'phase'].map((k) => fieldValue(l, k)).filter((v) => v !== undefined);
  return [l.message, ...extra].join(': ');
}

function tracingEvent(l: TracingLine, kind: EventKind, disk: DiskEffect): HandoffEvent {
  const seconds = stepSeconds(l, kind)?.seconds;
  return {
    kind,
    index: l.index,
    ...(l.unixMs !== undefined ? { unixMs: l.unixMs } : {}),
    level: l.level,
    name: LABELS[kind] ?? (l.target || l.level),
    message: describe(l),
    disk,
    ...(seconds !== undefined ? { seconds } : {}),
  };
}

function blockEvent(b: OutputBlock, disk: Phase | null | undefined): HandoffEvent {
  return { kind: 'daemon-output', index: b.first, name: 'daemon output', message: b.summary, disk: { after: disk, passing: [] } };
}

/** The events of a selection in log order, with the journal phase each leaves. */
export function eventsOf(sel: HandoffSelection): HandoffEvent[] {
  const events: HandoffEvent[] = [];
  const successorPid = successorPidOf(
    sel.lines.map((s) => s.line),
    sel.id,
  );
  let disk: Phase | null | undefined;
  // The last phase written (a failed delete leaves it on disk).
  let written: Phase | null | undefined;
  for (const { line, role } of sel.lines) {
    if (line.kind === 'output') {
      const b = sel.blocks.find((x) => x.first === line.index);
      if (b) events.push(blockEvent(b, disk));
      continue;
    }
    const kind = kindOf(line, role === 'event', successorPid);
    if (!kind) continue;
    const cleared = kind === 'notice' && noticeOf(line)?.kind === 'journal-clear-failed';
    const effect = cleared ? { after: written, passing: [] } : diskAfter(kind, disk, line);
    disk = effect.after;
    written = effect.after ?? effect.passing[effect.passing.length - 1] ?? written;
    events.push(tracingEvent(line, kind, effect));
  }
  return events;
}

function outcomeOf(events: readonly HandoffEvent[], sel: HandoffSelection): HandoffOutcome {
  const final = events.find((e) => e.kind === 'commit' || e.kind === 'abort');
  if (final?.kind === 'commit') return { kind: 'committed' };
  if (final?.kind === 'abort') {
    const l = sel.lines.find((s) => s.line.index === final.index)?.line as TracingLine;
    return { kind: 'aborted', reason: abortReason(l) };
  }
  const gaveUp = events.find((e) => e.kind === 'gave-up');
  if (gaveUp) {
    const l = sel.lines.find((x) => x.line.index === gaveUp.index)?.line as TracingLine;
    const pid = noticeOf(l)?.pid;
    return { kind: 'failed', reason: 'err: perform_handoff', evidence: gaveUp.index, ...(pid !== undefined ? { successorPid: pid } : {}) };
  }
  const cleared = events.find((e) => e.kind === 'found-prior-state' || e.kind === 'resumed-prior-journal');
  if (cleared) {
    const phase = events.find((e) => e.kind === 'found-prior-state')?.disk.after;
    return { kind: 'cleared-on-restart', ...(phase ? { phase } : {}) };
  }
  return { kind: 'unknown' };
}

function who(l: TracingLine): string {
  if (l.target === 'handoff::incumbent') return 'the old process (handoff::incumbent)';
  if (l.target === 'handoff::successor') return 'the new process (handoff::successor)';
  return l.origin === 'supervisor' ? `the supervisor (${l.target})` : l.target || 'a process';
}

function lastStepOf(events: readonly HandoffEvent[]): HandoffEvent | undefined {
  const steps = events.filter(
    (e) => STEP_KINDS[e.name] !== undefined || ['found-prior-state', 'resumed-prior-journal', 'gave-up'].includes(e.kind),
  );
  return steps[steps.length - 1];
}

function findingsOf(sel: HandoffSelection, events: readonly HandoffEvent[], outcome: HandoffOutcome): LogFinding[] {
  const out: LogFinding[] = [];
  const lineAt = (i: number): TracingLine | undefined => {
    const l = sel.lines.find((s) => s.line.index === i)?.line;
    return l?.kind === 'tracing' ? l : undefined;
  };
  for (const e of events) {
    const l = lineAt(e.index);
    if (e.kind === 'abort' && outcome.kind === 'aborted')
      out.push(withSeverity({ code: 'HJ090', line: e.index, message: `the supervisor aborted this handoff: ${outcome.reason}` }));
    else if (e.kind === 'error' && l)
      out.push(withSeverity({ code: 'HJ091', line: e.index, message: `${who(l)} logged an error: ${e.message}` }));
    else if (e.kind === 'warning' && l) out.push(withSeverity({ code: 'HJ094', line: e.index, message: `${who(l)} warned: ${e.message}` }));
    else if ((e.kind === 'gave-up' || e.kind === 'notice') && l) out.push(noticeFinding(l, e));
    else if (e.kind === 'found-prior-state')
      out.push(
        withSeverity({
          code: 'HJ093',
          line: e.index,
          message: `a restarted supervisor found this handoff's journal at ${phaseWords(e.disk.after)} and deleted it; the old process recovers by itself when its session drops.`,
        }),
      );
    else if (e.kind === 'daemon-output')
      out.push(withSeverity({ code: 'HJ095', line: e.index, message: `daemon output (not the supervisor): ${e.message}` }));
  }
  const lastStep = lastStepOf(events);
  if (outcome.kind === 'unknown' && lastStep) {
    out.push(
      withSeverity({
        code: 'HJ092',
        line: lastStep.index,
        message: `the log ends mid-handoff: its last step is ${lastStep.name} (journal: ${phaseWords(lastStep.disk.after)}), with no commit, abort or restart after it. The supervisor was killed or crashed, or the handoff is still running; a journal left behind stays until the next supervisor start.`,
      }),
    );
  }
  return out;
}

/** A recognised line's finding (notices.ts); another handoff's guard drop is only a warning here. */
function noticeFinding(l: TracingLine, e: HandoffEvent): LogFinding {
  const n = noticeOf(l);
  if (!n || (n.kind === 'gave-up' && e.kind !== 'gave-up'))
    return withSeverity({ code: 'HJ094', line: e.index, message: `${who(l)} warned: ${e.message}` });
  // Not this handoff's line: say whose it is first.
  return withSeverity({
    code: n.code,
    line: e.index,
    message: `${n.scope === 'handoff' ? '' : `${noticeAttribution(n, undefined)}: `}${n.sentence}`,
  });
}

/** Summarises a selection: events, durations, outcome, findings. */
export function summariseHandoff(sel: HandoffSelection): HandoffSummary {
  const events = eventsOf(sel);
  const durations: HandoffDurations = {};
  for (const e of events) {
    const key = DURATION_FIELD[e.kind];
    if (key && e.seconds !== undefined) durations[key] = e.seconds;
  }
  const prepare = sel.lines.find((s) => s.role === 'event' && s.line.kind === 'tracing' && s.line.target === 'handoff.prepare')?.line;
  const num = (k: string): number | undefined => {
    const v = prepare?.kind === 'tracing' ? Number(fieldValue(prepare, k)) : NaN;
    return Number.isFinite(v) ? v : undefined;
  };
  const outcome = outcomeOf(events, sel);
  const successorPid = num('successor_pid');
  const drainGraceMs = num('drain_grace_ms');
  const deadlineMs = num('deadline_ms');
  return {
    id: sel.id,
    events,
    outcome,
    sentence: outcomeSentence(outcome, durations, lastStepOf(events)),
    durations,
    ...(successorPid !== undefined ? { successorPid } : {}),
    ...(drainGraceMs !== undefined ? { drainGraceMs } : {}),
    ...(deadlineMs !== undefined ? { deadlineMs } : {}),
    diskAtEnd: events.length > 0 ? (events[events.length - 1] as HandoffEvent).disk.after : undefined,
    findings: findingsOf(sel, events, outcome),
  };
}
