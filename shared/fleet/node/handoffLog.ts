/**
 * The engine behind both ways of exporting upstream's handoff metrics (the textfile timer
 * and the exporter): the supervisors' log sources, one incremental record reader per
 * service, and the cumulative totals, with the position reached in each source. All of it
 * is one plain-data state, saved atomically in one file (the shared writer), so the
 * position and the counts always agree: a run that dies before saving is re-read from the
 * older position into the older totals, and nothing is counted twice or dropped.
 */
import { readFile } from 'node:fs/promises';
import { HandoffReader, type HandoffRecord, type ReaderState } from '../../supervisorLog';
import {
  followSource,
  readFrom,
  sourceName,
  sourceServices,
  startPosition,
  type Follower,
  type FollowOptions,
  type ReadLimits,
  type RecordSource,
  type SourceEvent,
  type SourcePosition,
  type SourceSink,
} from '../../supervisorLog/node';
import { writeJournalAtomic } from '../../journal/node';
import type { ProcessInfo } from '../../journal';
import { countRecord, isHandoffTotals, serviceTotals, type HandoffTotals } from '../handoffMetrics';

export const STATE_VERSION = 1;
/** A state file larger than this is not ours. */
const MAX_STATE_BYTES = 8 * 1024 * 1024;

export interface LogState {
  version: typeof STATE_VERSION;
  /** By source name. */
  positions: Record<string, SourcePosition>;
  /** By service: handoffs started and not yet ended. */
  readers: Record<string, ReaderState>;
  totals: HandoffTotals;
}

export class HandoffLog {
  readonly totals: HandoffTotals;
  /** Per service: whether the last read of its log worked. */
  readonly readable: Record<string, boolean> = {};
  private readonly readers = new Map<string, HandoffReader>();
  private readonly positions: Record<string, SourcePosition>;
  private notes: SourceEvent[] = [];
  /** Bumped with every change, so a saver knows when there is something to save. */
  generation = 0;

  constructor(
    readonly sources: readonly RecordSource[],
    state?: LogState,
    private readonly onRecord?: (r: HandoffRecord) => void,
  ) {
    this.totals = state ? structuredClone(state.totals) : {};
    this.positions = state ? { ...state.positions } : {};
    for (const s of sources)
      for (const service of sourceServices(s)) {
        serviceTotals(this.totals, service);
        const saved = state?.readers[service];
        this.readers.set(service, new HandoffReader(service, saved?.service === service ? saved : undefined));
      }
  }

  /** What happened since the last call (rotations, lost cursors, failures), for stderr. */
  takeNotes(): SourceEvent[] {
    const n = this.notes;
    this.notes = [];
    return n;
  }

  private count(records: readonly HandoffRecord[]): void {
    for (const r of records) {
      countRecord(this.totals, r);
      this.onRecord?.(r);
    }
    if (records.length > 0) this.generation++;
  }

  private sink(s: RecordSource): SourceSink {
    const name = sourceName(s);
    return {
      lines: (service, lines) => {
        const reader = this.readers.get(service);
        if (!reader) return;
        this.count(reader.pushAll(lines));
        serviceTotals(this.totals, service).evicted = reader.stats.evicted;
      },
      position: (pos) => {
        // A log file is looked at four times a second: only a move is a change to save.
        if (JSON.stringify(this.positions[name]) !== JSON.stringify(pos)) this.generation++;
        this.positions[name] = pos;
        for (const service of sourceServices(s)) this.readable[service] = true;
      },
      event: (e) => {
        this.notes.push(e);
        for (const service of e.services) {
          const t = serviceTotals(this.totals, service);
          if (e.kind === 'rotated') t.rotations++;
          if (e.kind === 'cursor-lost') t.cursorLost++;
          if (e.kind === 'unreadable') this.readable[service] = false;
        }
        this.generation++;
      },
    };
  }

  /** Reads every source from its saved position to the log's current end; a source seen first starts at the end. */
  async catchUp(limits: ReadLimits = {}): Promise<void> {
    for (const s of this.sources) {
      const name = sourceName(s);
      const pos = this.positions[name];
      if (pos === undefined) {
        const start = await startPosition(s);
        if ('source' in start) {
          this.sink(s).event(start);
          continue;
        }
        this.sink(s).position(start);
        continue;
      }
      await readFrom(s, pos, this.sink(s), limits);
    }
  }

  /** The saved state was lost (damaged, deleted): said as a lost position of every source. */
  lostState(message: string): void {
    for (const s of this.sources) this.sink(s).event({ kind: 'cursor-lost', source: sourceName(s), services: sourceServices(s), message });
  }

  /** Follows every source live (after `catchUp`). */
  follow(o: FollowOptions = {}): Follower {
    const followers = this.sources.flatMap((s) => {
      const pos = this.positions[sourceName(s)];
      return pos ? [followSource(s, pos, this.sink(s), o)] : [];
    });
    return { stop: async () => void (await Promise.all(followers.map((f) => f.stop()))) };
  }

  /** Handoffs a live log will not end any more (HandoffReader.settle) end now. */
  settle(nowMs: number, process?: (pid: number) => ProcessInfo): void {
    for (const r of this.readers.values()) this.count(r.settle(nowMs, process));
  }

  snapshot(): LogState {
    const readers: Record<string, ReaderState> = {};
    for (const [service, r] of this.readers) readers[service] = r.snapshot();
    return { version: STATE_VERSION, positions: { ...this.positions }, readers, totals: structuredClone(this.totals) };
  }
}

function isLogState(v: unknown): v is LogState {
  const s = v as Partial<LogState> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    s.version === STATE_VERSION &&
    typeof s.positions === 'object' &&
    s.positions !== null &&
    typeof s.readers === 'object' &&
    s.readers !== null &&
    Object.values(s.readers).every((r) => Array.isArray((r as ReaderState)?.open) && typeof (r as ReaderState)?.stats === 'object') &&
    isHandoffTotals(s.totals)
  );
}

/** The saved state; a missing file is a first run, anything unreadable is said (and counting starts again at the log's end). */
export async function loadLogState(path: string): Promise<{ state?: LogState; problem?: string }> {
  let text: string;
  try {
    const buf = await readFile(path);
    if (buf.length > MAX_STATE_BYTES) return { problem: `${path} is ${buf.length} bytes, more than a state file of ours ever is` };
    text = buf.toString('utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? {} : { problem: `cannot read ${path}: ${(e as Error).message}` };
  }
  try {
    const v: unknown = JSON.parse(text);
    return isLogState(v) ? { state: v } : { problem: `${path} is not a handoff-journal state file of this version` };
  } catch {
    return { problem: `${path} is not valid JSON (damaged)` };
  }
}

/** Saves the state atomically (temp file, fsync, rename, fsync the folder). */
export async function saveLogState(path: string, state: LogState): Promise<{ ok: true } | { ok: false; message: string }> {
  const w = await writeJournalAtomic(path, new TextEncoder().encode(`${JSON.stringify(state)}\n`));
  return w.ok ? { ok: true } : { ok: false, message: w.error.message };
}
