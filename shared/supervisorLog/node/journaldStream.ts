/**
 * journald as a stream: the real `journalctl -o json` run for the supervisors' units,
 * read as it prints (never buffered whole), each entry with its `__CURSOR`, so a reader
 * can continue after the last entry it counted (`--after-cursor`) or follow the journal
 * live (`--follow`). Memory stays flat whatever the journal's size: one entry at a time,
 * each capped. Failures are explained as for `log` (journaldErrors.ts).
 */
import { spawn } from 'node:child_process';
import type { RawLine } from '../parse';
import { errnoCode, type RunResult } from '../../util/node';
import { decodeJournalMessage } from './journald';
import { explainJournalctl, nothingFound } from './journaldErrors';
import type { JournaldQuery, LogSourceFailure } from './types';

/** An entry's text line, with its unit and the cursor of its entry. */
export interface JournalLine extends RawLine {
  unit?: string;
  cursor: string;
}

export interface StreamQuery {
  /** `_SYSTEMD_UNIT=` matches (any of them); none: every entry. */
  units: readonly string[];
  file?: string;
  directory?: string;
  journalctl?: string;
  sinceMs?: number;
  untilMs?: number;
  /**
   * Continue after this entry. Run as `--cursor` with the entry itself dropped here:
   * journalctl's `--after-cursor` skips one entry blindly, so with unit matches that the
   * cursor's entry does not pass it would skip the first entry that does.
   */
  afterCursor?: string;
  /** Keep reading as entries arrive (`--follow`), until `stop()`. */
  follow?: boolean;
  /** A run that is not following is killed after this long (default 120 s). */
  timeoutMs?: number;
}

export type StreamEnd =
  | { ok: true; entries: number; skipped: number; cursor?: string; timedOut: false }
  | (LogSourceFailure & { entries: number; cursor?: string });

export interface JournalStream {
  done: Promise<StreamEnd>;
  /** Stops the run (a follow ends this way); `done` then resolves ok. */
  stop(): void;
}

/** One entry can be large (a MESSAGE of a few hundred KiB); beyond this it is skipped. */
const MAX_ENTRY = 1024 * 1024;
/** Lines of text are cut here: text from a log is bounded. */
export const MAX_LINE = 64 * 1024;
export const STREAM_TIMEOUT_MS = 120_000;
const FIELDS = '--output-fields=MESSAGE,_PID,_SYSTEMD_UNIT';

function sourceArgs(q: Pick<StreamQuery, 'file' | 'directory'>): string[] {
  return [...(q.file !== undefined ? [`--file=${q.file}`] : []), ...(q.directory !== undefined ? [`--directory=${q.directory}`] : [])];
}

/** The journalctl arguments of a stream (without the program). */
export function streamArgs(q: StreamQuery): string[] {
  const args = ['--no-pager', '-o', 'json', '--all', FIELDS, ...sourceArgs(q)];
  if (q.sinceMs !== undefined) args.push(`--since=@${Math.max(0, Math.floor(q.sinceMs / 1000))}`);
  if (q.untilMs !== undefined) args.push(`--until=@${Math.ceil(q.untilMs / 1000)}`);
  if (q.afterCursor !== undefined) args.push(`--cursor=${q.afterCursor}`);
  if (q.follow) args.push('--follow', ...(q.afterCursor === undefined ? ['--lines=0'] : []));
  for (const u of q.units) args.push(`_SYSTEMD_UNIT=${u}`);
  return args;
}

interface Entry {
  MESSAGE?: unknown;
  _PID?: string;
  _SYSTEMD_UNIT?: string;
  __REALTIME_TIMESTAMP?: string;
  __CURSOR?: string;
}

/** One JSON row as lines (a MESSAGE may hold several), or undefined when it has no readable MESSAGE. */
export function entryLines(row: string): JournalLine[] | undefined {
  let e: Entry;
  try {
    e = JSON.parse(row) as Entry;
  } catch {
    return undefined;
  }
  const text = decodeJournalMessage(e.MESSAGE);
  if (text === undefined || typeof e.__CURSOR !== 'string') return undefined;
  const us = typeof e.__REALTIME_TIMESTAMP === 'string' && /^\d{1,19}$/.test(e.__REALTIME_TIMESTAMP) ? e.__REALTIME_TIMESTAMP : undefined;
  const realtimeMs = us !== undefined ? Number(BigInt(us) / 1000n) : undefined;
  const pid = typeof e._PID === 'string' && /^\d{1,10}$/.test(e._PID) ? Number(e._PID) : undefined;
  return text.split('\n').map((t) => ({
    text: t.length > MAX_LINE ? t.slice(0, MAX_LINE) : t,
    cursor: e.__CURSOR as string,
    ...(realtimeMs !== undefined ? { realtimeMs } : {}),
    ...(pid !== undefined ? { pid } : {}),
    ...(typeof e._SYSTEMD_UNIT === 'string' ? { unit: e._SYSTEMD_UNIT } : {}),
  }));
}

/** Splits a byte stream into rows, whole rows only, each capped. */
class RowSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private oversized = false;
  skipped = 0;

  push(chunk: Buffer, row: (text: string) => void): void {
    let from = 0;
    for (let nl = chunk.indexOf(10, from); nl >= 0; nl = chunk.indexOf(10, from)) {
      this.add(chunk.subarray(from, nl));
      if (this.oversized) this.skipped++;
      else row(Buffer.concat(this.parts, this.size).toString('utf8'));
      this.parts = [];
      this.size = 0;
      this.oversized = false;
      from = nl + 1;
    }
    this.add(chunk.subarray(from));
  }

  private add(b: Buffer): void {
    if (this.oversized || b.length === 0) return;
    if (this.size + b.length > MAX_ENTRY) {
      this.oversized = true;
      this.parts = [];
      this.size = 0;
      return;
    }
    this.parts.push(b);
    this.size += b.length;
  }
}

/**
 * Runs journalctl and hands its entries over as they come, one batch per chunk read, with
 * the cursor of the batch's last entry. A batch is handled before the next chunk is read.
 */
export function streamJournald(q: StreamQuery, onBatch: (lines: JournalLine[], cursor: string) => void): JournalStream {
  const argv = [q.journalctl ?? 'journalctl', ...streamArgs(q)];
  const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  const rows = new RowSplitter();
  let entries = 0;
  let cursor: string | undefined;
  let stderr = '';
  let stopped = false;
  let timedOut = false;
  let passedCursor = false;
  const timer = q.follow ? undefined : setTimeout(() => ((timedOut = true), child.kill('SIGKILL')), q.timeoutMs ?? STREAM_TIMEOUT_MS);
  child.stdout.on('data', (chunk: Buffer) => {
    const batch: JournalLine[] = [];
    rows.push(chunk, (row) => {
      const lines = entryLines(row);
      if (!lines) return void rows.skipped++;
      // The entry the stream continues after (see afterCursor) is not read again.
      if (entries === 0 && !passedCursor && q.afterCursor !== undefined && lines[0]?.cursor === q.afterCursor) {
        passedCursor = true;
        return;
      }
      passedCursor = true;
      entries++;
      cursor = (lines[0] as JournalLine).cursor;
      for (const l of lines) batch.push(l);
    });
    if (batch.length > 0) onBatch(batch, cursor as string);
  });
  child.stderr.on('data', (d: Buffer) => void (stderr.length < 65536 && (stderr += d.toString('utf8'))));
  const done = new Promise<StreamEnd>((resolve) => {
    const end = (r: Partial<RunResult>): void => {
      clearTimeout(timer);
      const run: RunResult = { code: null, stdout: Buffer.alloc(entries > 0 ? 1 : 0), stderr, timedOut, truncated: false, ...r };
      const failure = stopped ? undefined : explainJournalctl(run, journaldQuery(q), argv);
      const base = { entries, ...(cursor !== undefined ? { cursor } : {}) };
      resolve(failure ? { ...failure, ...base } : { ok: true, skipped: rows.skipped, timedOut: false, ...base });
    };
    child.once('error', (e) => end({ spawnError: errnoCode(e) ?? e.message }));
    child.once('close', (code) => end({ code }));
  });
  return {
    done,
    stop: () => {
      stopped = true;
      child.kill('SIGTERM');
    },
  };
}

function journaldQuery(q: StreamQuery): JournaldQuery {
  return {
    ...(q.file !== undefined ? { file: q.file } : {}),
    ...(q.directory !== undefined ? { directory: q.directory } : {}),
    ...(q.units.length === 1 ? { unit: q.units[0] as string } : {}),
    ...(q.sinceMs !== undefined ? { sinceMs: q.sinceMs } : {}),
    timeoutMs: q.timeoutMs ?? STREAM_TIMEOUT_MS,
  };
}

/** Why a stream that ended well read no entry: no journal here, an empty directory, no lines for the units. */
export async function explainEmpty(q: StreamQuery): Promise<LogSourceFailure> {
  const argv = [q.journalctl ?? 'journalctl', ...streamArgs(q)];
  return nothingFound({ ...journaldQuery(q), ...(q.units.length !== 1 ? { grep: q.units.join(', ') } : {}) }, argv);
}

function cursorOf(row: string): { cursor: string; unit?: string } | undefined {
  try {
    const e = JSON.parse(row) as Entry;
    if (typeof e.__CURSOR !== 'string') return undefined;
    return { cursor: e.__CURSOR, ...(typeof e._SYSTEMD_UNIT === 'string' ? { unit: e._SYSTEMD_UNIT } : {}) };
  } catch {
    return undefined;
  }
}

/** One short journalctl run: its JSON rows (at most `lines`), or a failure. */
async function oneShot(
  q: Pick<StreamQuery, 'file' | 'directory' | 'journalctl'>,
  extra: string[],
): Promise<JournalLine[] | LogSourceFailure> {
  const rows: JournalLine[] = [];
  const argv = [
    q.journalctl ?? 'journalctl',
    '--no-pager',
    '-o',
    'json',
    '--all',
    '--output-fields=__CURSOR,_SYSTEMD_UNIT',
    ...sourceArgs(q),
    ...extra,
  ];
  const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  const split = new RowSplitter();
  let stderr = '';
  child.stdout.on('data', (c: Buffer) =>
    split.push(c, (row) => {
      const c = cursorOf(row);
      if (c !== undefined) rows.push({ text: '', ...c });
    }),
  );
  child.stderr.on('data', (d: Buffer) => void (stderr.length < 65536 && (stderr += d.toString('utf8'))));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const r = await new Promise<RunResult>((resolve) => {
    child.once('error', (e) =>
      resolve({ code: null, stdout: Buffer.alloc(0), stderr, timedOut: false, truncated: false, spawnError: errnoCode(e) ?? e.message }),
    );
    child.once('close', (code) => resolve({ code, stdout: Buffer.alloc(rows.length), stderr, timedOut: false, truncated: false }));
  });
  clearTimeout(timer);
  return explainJournalctl(r, { ...q, timeoutMs: 30_000 }, argv) ?? rows;
}

/** The cursor of the journal's last entry (any unit): where "from the log's current end" starts. Undefined: an empty journal. */
export async function tailCursor(
  q: Pick<StreamQuery, 'file' | 'directory' | 'journalctl'>,
): Promise<string | undefined | LogSourceFailure> {
  const r = await oneShot(q, ['--lines=1']);
  return Array.isArray(r) ? r[r.length - 1]?.cursor : r;
}

/** Whether the entry a cursor names is still in the journal (journald vacuums old files). */
export async function cursorExists(
  q: Pick<StreamQuery, 'file' | 'directory' | 'journalctl'>,
  cursor: string,
): Promise<boolean | LogSourceFailure> {
  const r = await oneShot(q, [`--cursor=${cursor}`, '--lines=1']);
  return Array.isArray(r) ? r[0]?.cursor === cursor : r;
}

/** PCRE with every character that could mean something escaped: a literal. */
export function literalPattern(text: string): string {
  return text.replace(/[^A-Za-z0-9_/]/g, (c) => `\\${c}`);
}

/**
 * The unit of the latest entry mentioning `text` (a supervisor's trigger socket: its
 * `supervisor running ... trigger=PATH` line), searching back from the end. Undefined:
 * none, or journalctl without pattern support.
 */
export async function latestUnitMentioning(
  q: Pick<StreamQuery, 'file' | 'directory' | 'journalctl'>,
  text: string,
): Promise<string | undefined | LogSourceFailure> {
  const r = await oneShot(q, ['--reverse', '--lines=1', `--grep=${literalPattern(text)}`]);
  return Array.isArray(r) ? r[0]?.unit : /pcre|pattern matching|--grep/i.test(r.message) ? undefined : r;
}
