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
 * - `flush()` at the end of what was read: unknown, the log ends mid-handoff;
 * - on a live log (`settle(now)`), a handoff with no outcome RECORD_GRACE_MS after its own
 *   deadline (`deadline_ms` of its prepare line; the supervisor aborts by then), or whose
 *   supervisor pid has gone with the log quiet for QUIET_MS: unknown, as `flush()` and so
 *   `history` say of it; the exporter and the textfile timer then count it too.
 * A handoff counts from its `handoff.prepare`; lines of a handoff whose start was not
 * read (before the window, before the exporter started) are skipped and counted.
 */
import { parseTracingLine, type RawLine } from './parse';
import { abortReason, eventKind, fieldOf, isSealFailure, numberField, RECORD_NEEDLES, STEP_KINDS, stepSeconds } from './events';
import type { HandoffRecord, RecordOutcome } from './handoffRecord';
import { ENDINGS, overdue, type Line, type OpenHandoff } from './recordEndings';
import type { ProcessInfo } from '../journal';

export * from './handoffRecord';
export { QUIET_MS, RECORD_GRACE_MS } from './recordEndings';

/** How long (log time) an abort waits for its `handoff.resume`; upstream logs it milliseconds later. */
export const RESUME_WAIT_MS = 5_000;
/** Handoffs followed at once per service (the reference supervisor runs one at a time). */
export const MAX_OPEN = 16;

/** What a reader keeps between reads: plain data, for the state file. */
export interface ReaderState {
  service: string;
  open: OpenHandoff[];
  /** Lines read, step lines of handoffs whose start was not read, handoffs dropped past MAX_OPEN. */
  stats: { lines: number; skipped: number; evicted: number };
}

const NONE: readonly HandoffRecord[] = Object.freeze([]);

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

  /**
   * A live log at `nowMs`: aborts whose resume has not come within RESUME_WAIT_MS end as
   * aborted; handoffs past their deadline, or whose supervisor is gone (`process`, the
   * host's process table, when the caller has one), end as unknown.
   */
  settle(nowMs: number, process?: (pid: number) => ProcessInfo): HandoffRecord[] {
    const out = this.releaseAborts(undefined, nowMs);
    this.open = this.open.filter((o) => {
      const reason = o.abort ? undefined : overdue(o, nowMs, process);
      if (reason === undefined) return true;
      out.push(record(this.service, o, 'unknown', `${reason}${after(o)}`, o.last));
      return false;
    });
    return out;
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
      deadlineMs: numberField(t, 'deadline_ms') ?? null,
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
