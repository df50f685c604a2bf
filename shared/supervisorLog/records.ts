/**
 * Handoff records from the supervisor's log, read incrementally: feed one service's
 * lines in order, chunk by chunk, and each handoff comes out once, as one record, when
 * the log says it ended. The same reader makes the `history` command's list, the
 * exporter's counters and histograms, and the editor's History. Pure; its state is
 * plain data (`snapshot`), so a reader stopped after one read continues in the next
 * (the textfile timer, a restarted exporter) without counting a handoff twice.
 *
 * What ends a handoff (the events are upstream's, see events.ts):
 * - `handoff.commit`: committed (total_seconds is the supervisor's own total);
 * - `handoff.abort`: aborted with its reason. On the seal path (`seal failed; aborting
 *   handoff`) it is a seal failure and ends there; after Begin (`aborting handoff before
 *   commit`) the supervisor then resumes the old process, so the record waits for
 *   `handoff.resume` (rolled back) for up to RESUME_WAIT_MS of log time;
 * - the supervisor starting again (`supervisor running`, or `found prior handoff state`
 *   naming it): unknown, the supervisor died mid-handoff;
 * - the same supervisor starting another handoff: unknown, it gave up on this one
 *   without logging an outcome (`perform_handoff` returned an error to the trigger);
 * - `flush()` at the end of what was read: unknown, the log ends mid-handoff.
 * A handoff counts from its `handoff.prepare`; lines of a handoff whose start was not
 * read (before the window, before the exporter started) are skipped and counted.
 */
import { parseTracingLine, type RawLine } from './parse';
import {
  abortReason,
  fieldOf,
  type EventLine,
  eventKind,
  isSealFailure,
  numberField,
  GUARD_DROP,
  RECORD_NEEDLES,
  STEP_KINDS,
  stepSeconds,
  type EventKind,
  type HandoffDurations,
} from './events';
import type { HandoffRecord, RecordOutcome } from './handoffRecord';

export * from './handoffRecord';

/** How long (log time) an abort waits for its `handoff.resume`; upstream logs it milliseconds later. */
export const RESUME_WAIT_MS = 5_000;
/** Handoffs followed at once per service (the reference supervisor runs one at a time). */
export const MAX_OPEN = 16;

interface OpenHandoff {
  id: string;
  start: number | null;
  last: number | null;
  supervisorPid: number | null;
  successorPid: number | null;
  lastStep: string | null;
  durations: HandoffDurations;
  /** An abort after Begin, waiting for its resume. */
  abort?: { reason: string; at: number | null };
}

/** What a reader keeps between reads: plain data, for the state file. */
export interface ReaderState {
  service: string;
  open: OpenHandoff[];
  /** Lines read, step lines of handoffs whose start was not read, handoffs dropped past MAX_OPEN. */
  stats: { lines: number; skipped: number; evicted: number };
}

const NONE: readonly HandoffRecord[] = Object.freeze([]);

/** A parsed line, as the endings see it. */
interface Line {
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
const ENDINGS: readonly Ending[] = [
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

function record(service: string, o: OpenHandoff, outcome: RecordOutcome, reason: string | null, end: number | null): HandoffRecord {
  const d = o.durations;
  return {
    service,
    id: o.id,
    start: o.start,
    end,
    outcome,
    reason,
    sealFailure: false,
    rolledBack: false,
    drainSeconds: d.drainSeconds ?? null,
    sealSeconds: d.sealSeconds ?? null,
    beginToReadySeconds: d.beginToReadySeconds ?? null,
    totalSeconds: d.totalSeconds ?? null,
    supervisorPid: o.supervisorPid,
    successorPid: o.successorPid,
    lastStep: o.lastStep,
  };
}

/** One service's incremental reader. */
export class HandoffReader {
  readonly service: string;
  private open: OpenHandoff[];
  readonly stats: ReaderState['stats'];

  constructor(
    service: string,
    state?: ReaderState,
    private readonly maxOpen = MAX_OPEN,
  ) {
    this.service = service;
    this.open = state ? state.open.map((o) => ({ ...o, durations: { ...o.durations } })) : [];
    this.stats = state ? { ...state.stats } : { lines: 0, skipped: 0, evicted: 0 };
  }

  /** The state to continue from later (`new HandoffReader(service, state)`). */
  snapshot(): ReaderState {
    return { service: this.service, open: this.open.map((o) => ({ ...o, durations: { ...o.durations } })), stats: { ...this.stats } };
  }

  /** Handoffs started and not yet ended. */
  get openCount(): number {
    return this.open.length;
  }

  /** Reads lines in order; returns the handoffs they ended. */
  pushAll(lines: readonly RawLine[]): HandoffRecord[] {
    const out: HandoffRecord[] = [];
    for (const l of lines) {
      const r = this.push(l);
      if (r.length > 0) out.push(...r);
    }
    return out;
  }

  /** Reads one line; returns the handoffs it ended (usually none). */
  push(raw: RawLine): readonly HandoffRecord[] {
    this.stats.lines++;
    const text = raw.text;
    // Most lines are not the supervisor's steps: skip them before parsing.
    if (!RECORD_NEEDLES.some((n) => text.includes(n))) return NONE;
    const t = parseTracingLine(text);
    if (!t) return NONE;
    const at = t.unixMs ?? raw.realtimeMs ?? null;
    const id = fieldOf(t, 'handoff_id')?.toLowerCase();
    const kind = eventKind(t, id !== undefined);
    const step = id !== undefined && STEP_KINDS[t.target] !== undefined;
    const out = this.releaseAborts(step || kind === 'supervisor-running' ? (id ?? '') : undefined, at);
    const line: Line = { t, kind, id, at, pid: raw.pid ?? null };
    const ending = ENDINGS.map((e) => e(line)).find((e) => e !== undefined);
    if (ending) out.push(...this.close(ending.which, ending.reason, at, ending.outcome));
    else if (step) this.step(line, out);
    return out.length > 0 ? out : NONE;
  }

  /** End of what was read: every open handoff becomes a record (unknown, or aborted without its resume). */
  flush(reason = 'the log read ends mid-handoff: it may still be running, or the supervisor was killed'): HandoffRecord[] {
    const out = this.open.map((o) =>
      o.abort ? this.aborted(o, false, o.abort.at) : record(this.service, o, 'unknown', `${reason}${after(o)}`, o.last),
    );
    this.open = [];
    return out;
  }

  /** A live log: aborts whose resume has not come within RESUME_WAIT_MS of `nowMs` end as aborted. */
  settle(nowMs: number): HandoffRecord[] {
    return this.releaseAborts(undefined, nowMs);
  }

  /** Held aborts end at a step of another handoff or a restart (`stepOf`: that line's id), or once RESUME_WAIT_MS passed. */
  private releaseAborts(stepOf: string | undefined, at: number | null): HandoffRecord[] {
    const out: HandoffRecord[] = [];
    this.open = this.open.filter((o) => {
      if (!o.abort) return true;
      const late = at !== null && o.abort.at !== null && at - o.abort.at > RESUME_WAIT_MS;
      if (!late && (stepOf === undefined || stepOf === o.id)) return true;
      out.push(this.aborted(o, false, o.abort.at));
      return false;
    });
    return out;
  }

  /** A protocol step of an open handoff (`handoff.prepare` opens one). */
  private step(l: Line, out: HandoffRecord[]): void {
    const { t, kind, id, at } = l;
    if (kind === 'prepare') return void out.push(...this.start(l));
    const o = this.open.find((x) => x.id === id);
    if (!o || kind === undefined) return void this.stats.skipped++;
    o.lastStep = t.target;
    o.last = at ?? o.last;
    const s = stepSeconds(t, kind);
    if (s) o.durations[s.key] = s.seconds;
    if (kind === 'commit') out.push(this.take(o, record(this.service, o, 'committed', null, at)));
    else if (kind === 'abort' && isSealFailure(t))
      out.push(this.take(o, { ...record(this.service, o, 'aborted', abortReason(t), at), sealFailure: true }));
    else if (kind === 'abort') o.abort = { reason: abortReason(t), at };
    else if (kind === 'resume') out.push(this.take(o, this.aborted(o, true, at)));
  }

  /** A new handoff: the same supervisor gave up on any other it had open. */
  private start({ t, id, at, pid }: Line): HandoffRecord[] {
    if (id === undefined || this.open.some((o) => o.id === id)) return [];
    const out = this.close(
      (o) => o.supervisorPid === null || pid === null || o.supervisorPid === pid,
      `the supervisor started handoff ${id} without logging an outcome for this one: perform_handoff returned an error (the trigger got err: …)`,
      at,
    );
    if (this.open.length >= this.maxOpen) {
      const oldest = this.open.shift() as OpenHandoff;
      this.stats.evicted++;
      out.push(
        record(
          this.service,
          oldest,
          'unknown',
          `not followed to its end: more than ${this.maxOpen} handoffs were open at once`,
          oldest.last,
        ),
      );
    }
    this.open.push({
      id,
      start: at,
      last: at,
      supervisorPid: pid,
      successorPid: numberField(t, 'successor_pid') ?? null,
      lastStep: t.target,
      durations: {},
    });
    return out;
  }

  private aborted(o: OpenHandoff, rolledBack: boolean, at: number | null): HandoffRecord {
    const reason = o.abort?.reason ?? 'aborted (the abort line was not read)';
    return { ...record(this.service, o, 'aborted', reason, at ?? o.last), rolledBack };
  }

  private take(o: OpenHandoff, r: HandoffRecord): HandoffRecord {
    this.open = this.open.filter((x) => x !== o);
    return r;
  }

  private close(
    which: (o: OpenHandoff) => boolean,
    reason: string,
    at: number | null,
    outcome: 'aborted' | 'unknown' = 'unknown',
  ): HandoffRecord[] {
    const out: HandoffRecord[] = [];
    this.open = this.open.filter((o) => {
      if (!which(o)) return true;
      out.push(o.abort ? this.aborted(o, false, o.abort.at) : record(this.service, o, outcome, `${reason}${after(o)}`, at ?? o.last));
      return false;
    });
    return out;
  }
}

function after(o: OpenHandoff): string {
  return o.lastStep ? ` (last step logged: ${o.lastStep})` : '';
}
