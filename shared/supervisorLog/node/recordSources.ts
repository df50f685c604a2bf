/**
 * Where the handoff records' lines come from, read three ways with the same sources:
 * a time window (the `history` command), from a saved position to the log's current end
 * (the textfile timer, the editor), and live (the exporter). A source is journald (the
 * supervisors' units, each unit one service) or a plain log file of one service. Lines
 * go to a sink per service in log order, each batch followed by the position after it,
 * so a consumer that stores both together never counts a line twice or skips one.
 */
import { stat } from 'node:fs/promises';
import type { RawLine } from '../parse';
import { cursorExists, explainEmpty, streamJournald, tailCursor, type JournalLine, type StreamQuery } from './journaldStream';
import { fileEnd, readTail, TAIL_CHUNK, type FilePosition } from './fileTail';
import type { LogSourceFailure } from './types';

export type RecordSource =
  | { kind: 'journald'; units: Readonly<Record<string, string>>; file?: string; directory?: string; journalctl?: string }
  | { kind: 'file'; path: string; service: string };

export type JournaldPosition = { kind: 'journald'; cursor: string | null; sinceMs?: number };
export type SourcePosition = FilePosition | JournaldPosition;
export type { FilePosition };

export interface SourceEvent {
  /** `note`: something worth saying that lost nothing (a cap reached, read next time). */
  kind: 'rotated' | 'cursor-lost' | 'unreadable' | 'note';
  /** The source (`sourceName`). */
  source: string;
  services: string[];
  message: string;
  failure?: LogSourceFailure;
}

export interface SourceSink {
  lines(service: string, lines: readonly RawLine[]): void;
  position(pos: SourcePosition): void;
  event(e: SourceEvent): void;
}

/** A stable name for a source (its key in the state file, and in messages). */
export function sourceName(s: RecordSource): string {
  if (s.kind === 'file') return `file ${s.path}`;
  return s.file !== undefined ? `journald file ${s.file}` : s.directory !== undefined ? `journald files in ${s.directory}` : 'journald';
}

export function sourceServices(s: RecordSource): string[] {
  return s.kind === 'file' ? [s.service] : [...new Set(Object.values(s.units))];
}

function journaldQuery(s: Extract<RecordSource, { kind: 'journald' }>): StreamQuery {
  return {
    units: Object.keys(s.units),
    ...(s.file !== undefined ? { file: s.file } : {}),
    ...(s.directory !== undefined ? { directory: s.directory } : {}),
    ...(s.journalctl !== undefined ? { journalctl: s.journalctl } : {}),
  };
}

function event(s: RecordSource, kind: SourceEvent['kind'], message: string, failure?: LogSourceFailure): SourceEvent {
  return { kind, source: sourceName(s), services: sourceServices(s), message, ...(failure ? { failure } : {}) };
}

/** Hands a batch of journald lines to the sink, grouped by service in order, then the position after it. */
export function deliverJournald(
  s: Extract<RecordSource, { kind: 'journald' }>,
  sink: SourceSink,
  lines: JournalLine[],
  cursor: string,
): void {
  let group: RawLine[] = [];
  let service: string | undefined;
  for (const l of lines) {
    const to = l.unit !== undefined && Object.hasOwn(s.units, l.unit) ? s.units[l.unit] : undefined;
    if (to === undefined) continue;
    if (to !== service && group.length > 0) {
      sink.lines(service as string, group);
      group = [];
    }
    service = to;
    group.push(l);
  }
  if (service !== undefined && group.length > 0) sink.lines(service, group);
  sink.position({ kind: 'journald', cursor });
}

/** Where the log ends now: counting starts there. */
export async function startPosition(s: RecordSource, now = Date.now()): Promise<SourcePosition | SourceEvent> {
  if (s.kind === 'file') {
    const p = await fileEnd(s.path);
    return p.kind === 'file' ? p : event(s, 'unreadable', p.message);
  }
  const c = await tailCursor(journaldQuery(s));
  if (typeof c === 'object') return event(s, 'unreadable', c.message, c);
  // An empty journal has no cursor: start at this second instead.
  return { kind: 'journald', cursor: c ?? null, ...(c === undefined ? { sinceMs: now } : {}) };
}

export interface ReadLimits {
  /** journalctl's run time (default 120 s). */
  timeoutMs?: number;
  /** Bytes of a log file read per run (default 256 MiB). */
  maxBytes?: number;
}

async function readFileFrom(
  s: Extract<RecordSource, { kind: 'file' }>,
  pos: FilePosition,
  sink: SourceSink,
  limits: ReadLimits,
): Promise<void> {
  let p = pos;
  let budget = limits.maxBytes ?? 256 * 1024 * 1024;
  for (;;) {
    const r = await readTail(p, Math.min(TAIL_CHUNK, budget));
    for (const e of r.events) sink.event(event(s, e.kind, e.message));
    if (r.lines.length > 0) sink.lines(s.service, r.lines);
    budget -= r.position.ino === p.ino ? Math.max(0, r.position.offset - p.offset) : r.position.offset;
    p = r.position;
    sink.position(p);
    if (!r.more) return;
    if (budget <= 0)
      return sink.event(
        event(
          s,
          'note',
          `${s.path}: more than ${limits.maxBytes ?? 256 * 1024 * 1024} bytes to read in one run; the rest is read next time.`,
        ),
      );
  }
}

async function readJournaldFrom(
  s: Extract<RecordSource, { kind: 'journald' }>,
  pos: JournaldPosition,
  sink: SourceSink,
  limits: ReadLimits,
): Promise<void> {
  const q = journaldQuery(s);
  if (pos.cursor !== null) {
    const here = await cursorExists(q, pos.cursor);
    if (typeof here === 'object') return sink.event(event(s, 'unreadable', here.message, here));
    if (!here)
      sink.event(
        event(
          s,
          'cursor-lost',
          `the saved journald cursor is no longer in ${sourceName(s)} (journald vacuumed past it, or it is another journal): reading from the nearest entry after it; handoffs in the gap are not counted.`,
        ),
      );
  }
  const run = streamJournald(
    { ...q, ...(pos.cursor !== null ? { afterCursor: pos.cursor } : { sinceMs: pos.sinceMs ?? Date.now() }), timeoutMs: limits.timeoutMs },
    (lines, cursor) => deliverJournald(s, sink, lines, cursor),
  );
  const end = await run.done;
  if (!end.ok) sink.event(event(s, 'unreadable', end.message, end));
}

/** Reads a source from a position to the log's current end. */
export async function readFrom(s: RecordSource, pos: SourcePosition, sink: SourceSink, limits: ReadLimits = {}): Promise<void> {
  if (s.kind === 'file') {
    const from = pos.kind === 'file' ? pos : await fileEnd(s.path);
    if (from.kind !== 'file') return sink.event(event(s, 'unreadable', from.message));
    return readFileFrom(s, pos.kind === 'file' ? from : { ...from, offset: 0 }, sink, limits);
  }
  return readJournaldFrom(s, pos.kind === 'journald' ? pos : { kind: 'journald', cursor: null }, sink, limits);
}

/** Reads the lines of a time window (journald), or a whole file up to its last `maxBytes` (a plain file has no index by time). */
export async function readWindow(
  s: RecordSource,
  w: { sinceMs?: number; untilMs?: number },
  sink: SourceSink,
  limits: ReadLimits = {},
): Promise<{ ok: boolean; empty: boolean }> {
  if (s.kind === 'file') {
    const st = await stat(s.path).catch(() => undefined);
    const max = limits.maxBytes ?? 256 * 1024 * 1024;
    let read = 0;
    const counting: SourceSink = { ...sink, lines: (svc, l) => ((read += l.length), sink.lines(svc, l)) };
    const start = st && st.size > max ? st.size - max : 0;
    const pos: FilePosition = {
      kind: 'file',
      path: s.path,
      dev: st?.dev ?? -1,
      ino: st?.ino ?? -1,
      ...(st && st.birthtimeMs > 0 ? { born: st.birthtimeMs } : {}),
      offset: start,
    };
    if (start > 0) sink.event(event(s, 'note', `${s.path} is ${st?.size} bytes: only its last ${max} bytes were read.`));
    let failed = false;
    await readFileFrom(s, pos, { ...counting, event: (e) => ((failed ||= e.kind === 'unreadable'), sink.event(e)) }, limits);
    return { ok: !failed, empty: read === 0 };
  }
  const q = { ...journaldQuery(s), ...w, timeoutMs: limits.timeoutMs };
  const end = await streamJournald(q, (lines, cursor) => deliverJournald(s, sink, lines, cursor)).done;
  if (!end.ok) sink.event(event(s, 'unreadable', end.message, end));
  if (end.ok && end.entries === 0) {
    const why = await explainEmpty(q);
    if (why.reason !== 'rotated') sink.event(event(s, 'unreadable', why.message, why));
  }
  return { ok: end.ok, empty: end.entries === 0 };
}
