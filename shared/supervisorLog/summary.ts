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
 */
import { withSeverity, isPhase, type Phase } from '../journal';
import { formatSeconds } from '../util';
import { fieldValue, type OutputBlock, type TracingLine } from './parse';
import { abortReason, DURATION_FIELD, eventKind, STEP_KINDS, stepSeconds, type EventKind, type HandoffDurations } from './events';
import type { DiskEffect, HandoffEvent, HandoffOutcome, HandoffSelection, HandoffSummary, LogFinding } from './handoff';

export { abortReason };

const LABELS: Partial<Record<EventKind, string>> = {
  'supervisor-running': 'supervisor running',
  'found-prior-state': 'found prior state',
  'resumed-prior-journal': 'resumed prior journal',
};

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
  let disk: Phase | null | undefined;
  for (const { line, role } of sel.lines) {
    if (line.kind === 'output') {
      const b = sel.blocks.find((x) => x.first === line.index);
      if (b) events.push(blockEvent(b, disk));
      continue;
    }
    const kind = eventKind(line, role === 'event');
    if (!kind) continue;
    const effect = diskAfter(kind, disk, line);
    disk = effect.after;
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
  const cleared = events.find((e) => e.kind === 'found-prior-state' || e.kind === 'resumed-prior-journal');
  if (cleared) {
    const phase = events.find((e) => e.kind === 'found-prior-state')?.disk.after;
    return { kind: 'cleared-on-restart', ...(phase ? { phase } : {}) };
  }
  return { kind: 'unknown' };
}

/** "committed in 18.8 ms", "aborted: <reason>", "cleared on restart: ...", "unknown: the log ends after handoff.seal (journal: Draining)". */
export function outcomeSentence(o: HandoffOutcome, d: HandoffDurations = {}, lastStep?: HandoffEvent): string {
  switch (o.kind) {
    case 'committed':
      return `committed${d.totalSeconds !== undefined ? ` in ${formatSeconds(d.totalSeconds)}` : ''}`;
    case 'aborted':
      return `aborted: ${o.reason}`;
    case 'cleared-on-restart':
      return `cleared on restart: a restarted supervisor found the journal${o.phase ? ` at ${o.phase}` : ''} and deleted it`;
    case 'unknown':
      return `unknown: the log ends mid-handoff${lastStep ? `, after ${lastStep.name} (journal: ${phaseWords(lastStep.disk.after)})` : ''}`;
  }
}

function who(l: TracingLine): string {
  if (l.target === 'handoff::incumbent') return 'the old process (handoff::incumbent)';
  if (l.target === 'handoff::successor') return 'the new process (handoff::successor)';
  return l.origin === 'supervisor' ? `the supervisor (${l.target})` : l.target || 'a process';
}

function phaseWords(p: Phase | null | undefined): string {
  return p === null ? 'no journal' : p === undefined ? 'unknown' : p;
}

function lastStepOf(events: readonly HandoffEvent[]): HandoffEvent | undefined {
  const steps = events.filter(
    (e) => STEP_KINDS[e.name] !== undefined || e.kind === 'found-prior-state' || e.kind === 'resumed-prior-journal',
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
