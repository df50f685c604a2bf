/**
 * One handoff in the supervisor's log: which lines belong to it (`selectHandoff`) and
 * what they say (`summariseHandoff`): its protocol steps in order, the journal phase
 * each step leaves on disk, the durations the supervisor measured, the outcome and
 * findings (HJ090-HJ095). Pure; mirrors `perform_handoff` and `resume_from_journal`
 * of the Rust `handoff` crate and journal-semantics.md ("Which phase is on disk").
 *
 * Window rule (which lines `selectHandoff` keeps), F and L being the first and last
 * line carrying `handoff_id=<id>`:
 * 1. run start: the last `supervisor running` line before F (the run that drove it);
 * 2. core: every line from F to L except those of another handoff (another
 *    `handoff_id`): untagged supervisor lines, daemon tracing lines and daemon output;
 * 3. tail: the lines after L, up to (not including) the first line of another handoff,
 *    a `supervisor running` line once the handoff committed or aborted (a later run is
 *    another story; after a crash the restart belongs to it), a timestamped line more
 *    than TAIL_MS after L, or TAIL_LINES lines; an output block is never cut in two.
 */
import type { Phase, Code, Severity } from '../journal';
import { type OutputBlock, type ParsedLine, type ParsedLog, type TracingLine } from './parse';
import { noticeAttribution, noticeOf, successorPidOf } from './notices';
import { handoffIdOf as idOf, isRunStart, type EventKind, type HandoffDurations } from './events';

/** How long after the last tagged line the tail may run (the reference supervisor's reap grace is deadline_secs, 60 s). */
export const TAIL_MS = 60_000;
export const TAIL_LINES = 50;

export type LineRole = 'event' | 'run-start' | 'context' | 'daemon-output';

export interface SelectedLine {
  line: ParsedLine;
  role: LineRole;
  /** Who wrote it, in words: "this handoff", "daemon output (not the supervisor)", ... */
  attribution: string;
}

export interface HandoffSelection {
  id: string;
  /** In log order. */
  lines: SelectedLine[];
  /** Log indexes of the first and last line tagged with the id. */
  first: number;
  last: number;
  /** The daemon output blocks among the lines. */
  blocks: OutputBlock[];
}

/** Array.prototype.findLastIndex is ES2023; the project targets ES2022. */
function lastIndex<T>(xs: readonly T[], pred: (x: T) => boolean, before = xs.length): number {
  for (let i = Math.min(before, xs.length) - 1; i >= 0; i--) if (pred(xs[i] as T)) return i;
  return -1;
}

/** The handoff ids in the log, in order of first appearance. */
export function handoffIds(log: ParsedLog): string[] {
  return [...new Set(log.lines.map(idOf).filter((x): x is string => x !== undefined))];
}

function attribution(l: ParsedLine, role: LineRole, successorPid?: number): string {
  if (role === 'daemon-output') return 'daemon output (not the supervisor)';
  // A line that says something definite without a handoff_id (notices.ts): whose it is.
  const notice = l.kind === 'tracing' && role !== 'event' ? noticeOf(l) : undefined;
  if (notice) return noticeAttribution(notice, successorPid);
  if (role === 'event')
    return l.kind === 'tracing' && l.origin === 'daemon' ? `this handoff, logged by a daemon (${l.target})` : 'this handoff';
  if (role === 'run-start') return 'the supervisor run';
  if (l.kind === 'tracing' && l.origin === 'daemon') return `a daemon (${l.target}), not the supervisor`;
  return l.kind === 'tracing' && l.origin === 'supervisor'
    ? 'the supervisor (no handoff_id)'
    : `another source (${l.kind === 'tracing' ? l.target : ''})`;
}

function ended(lines: readonly ParsedLine[], first: number, last: number, id: string): boolean {
  return lines
    .slice(first, last + 1)
    .some((l) => l.kind === 'tracing' && idOf(l) === id && (l.target === 'handoff.commit' || l.target === 'handoff.abort'));
}

function tailEnd(log: ParsedLog, id: string, first: number, last: number): number {
  const lines = log.lines;
  const lastMs = (lines[last] as TracingLine).unixMs;
  const done = ended(lines, first, last, id);
  let end = last;
  for (let i = last + 1; i < lines.length && i - last <= TAIL_LINES; i++) {
    const l = lines[i] as ParsedLine;
    if (idOf(l) !== undefined && idOf(l) !== id) break;
    if (done && isRunStart(l)) break;
    if (l.kind === 'tracing' && l.unixMs !== undefined && lastMs !== undefined && l.unixMs - lastMs > TAIL_MS) break;
    end = i;
  }
  const cut = lines[end];
  return cut?.kind === 'output' ? Math.max(end, (log.blocks[cut.block] as OutputBlock).last) : end;
}

/** The lines of one handoff (see the window rule above); undefined when no line carries the id. */
export function selectHandoff(log: ParsedLog, handoffId: string): HandoffSelection | undefined {
  const id = handoffId.toLowerCase();
  const lines = log.lines;
  const first = lines.findIndex((l) => idOf(l) === id);
  if (first < 0) return undefined;
  const last = lastIndex(lines, (l) => idOf(l) === id);
  const picked: SelectedLine[] = [];
  const successor = successorPidOf(lines, id);
  const add = (l: ParsedLine, role: LineRole): void => void picked.push({ line: l, role, attribution: attribution(l, role, successor) });
  const start = lastIndex(lines, isRunStart, first);
  if (start >= 0) add(lines[start] as ParsedLine, 'run-start');
  const end = tailEnd(log, id, first, last);
  for (let i = first; i <= end; i++) {
    const l = lines[i] as ParsedLine;
    const other = idOf(l);
    if (other !== undefined && other !== id) continue;
    add(l, l.kind === 'output' ? 'daemon-output' : other === id ? 'event' : isRunStart(l) ? 'run-start' : 'context');
  }
  const blockIds = new Set(picked.flatMap((p) => (p.line.kind === 'output' ? [p.line.block] : [])));
  return { id, lines: picked, first, last, blocks: [...blockIds].map((b) => log.blocks[b] as OutputBlock) };
}

/** What the journal holds after a step: `null` is no file, `passing` the phases written and replaced meanwhile. */
export interface DiskEffect {
  after: Phase | null | undefined;
  passing: Phase[];
}

export interface HandoffEvent {
  kind: EventKind;
  /** Log index of the line (for an output block, its first line). */
  index: number;
  unixMs?: number;
  level?: TracingLine['level'];
  /** The target (`handoff.seal`) or a label (`daemon output`). */
  name: string;
  /** One line: the message and its telling fields. */
  message: string;
  disk: DiskEffect;
  /** The step's own duration field (drain_seconds, seal_seconds, begin_to_ready_seconds, total_seconds). */
  seconds?: number;
}

/**
 * How the handoff ended, as the log says: committed; aborted (the supervisor's own abort,
 * reply `committed=false`); failed (the supervisor gave up: perform_handoff returned an
 * error, the reply was `err: perform_handoff`, and its guard killed the successor: the
 * `evidence` line); cleared by a restarted supervisor; or unknown (the log ends mid-handoff).
 * `failed` is a failure, distinct from `aborted` (no abort line, no ResumeAfterAbort).
 */
export type HandoffOutcome =
  | { kind: 'committed' }
  | { kind: 'aborted'; reason: string }
  | { kind: 'failed'; reason: 'err: perform_handoff'; evidence: number; successorPid?: number }
  | { kind: 'cleared-on-restart'; phase?: Phase }
  | { kind: 'unknown' };

/** A finding about the handoff, placed on a log line (its log index). */
export interface LogFinding {
  /** From the code table (shared/journal/findings.ts). */
  severity: Severity;
  code: Code;
  message: string;
  line: number;
}

export interface HandoffSummary {
  id: string;
  events: HandoffEvent[];
  outcome: HandoffOutcome;
  /** One sentence: "committed", "aborted: <reason>", ... */
  sentence: string;
  durations: HandoffDurations;
  /** From handoff.prepare. */
  successorPid?: number;
  drainGraceMs?: number;
  deadlineMs?: number;
  /** The phase the log implies is on disk at its end (`null`: no journal; undefined: cannot tell). */
  diskAtEnd: Phase | null | undefined;
  findings: LogFinding[];
}
