/**
 * The supervisor's log from journald, read with the real `journalctl -o json`: by the
 * supervisor's pid (the journal's `incumbent_pid`) and its systemd unit, or by a
 * handoff id (`-g`, with a plain scan when journalctl has no pattern support). Under
 * systemd the daemons' stderr reaches journald through the supervisor's stream, so
 * their lines carry the supervisor's `_PID` too. journald stores a line with ANSI codes
 * as bytes: `MESSAGE` then arrives as an array of numbers, decoded here (UTF-8, lossy).
 */
import type { RawLine } from '../parse';
import { cutNotes, MAX_LOG_LINES, splitLines } from '../lines';
import { shellLine } from '../../util';
import { readProcText, runBounded, type RunResult } from '../../util/node';
import { explainJournalctl, nothingFound } from './journaldErrors';
import type { JournaldQuery, LogSourceFailure, LogSourceResult } from './types';

const FIELDS = '--output-fields=MESSAGE,_PID,_SYSTEMD_UNIT,SYSLOG_IDENTIFIER,_COMM';

interface Entry {
  MESSAGE?: unknown;
  _PID?: unknown;
  _SYSTEMD_UNIT?: unknown;
  __REALTIME_TIMESTAMP?: unknown;
  SYSLOG_IDENTIFIER?: unknown;
  _COMM?: unknown;
}

/** `MESSAGE` as journalctl prints it: a string, an array of byte values, or null (too large). */
export function decodeJournalMessage(m: unknown): string | undefined {
  if (typeof m === 'string') return m;
  if (Array.isArray(m) && m.every((b) => typeof b === 'number')) return new TextDecoder('utf-8').decode(new Uint8Array(m as number[]));
  return undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export interface JournalJson {
  lines: RawLine[];
  units: Set<string>;
  skipped: number;
  /** Lines left out by the line cap, and lines cut at the length cap (lines.ts). */
  droppedLines: number;
  cutLines: number;
}

/**
 * Reads `journalctl -o json` rows one by one into lines, within the line caps, and says
 * who wrote each: with the supervisor's pid known, a line of that pid, or of the same
 * `SYSLOG_IDENTIFIER` and `_COMM` as its own entries (a restarted supervisor of the same
 * unit), is the supervisor's; any other process's is `other` (daemon output). Without an
 * entry of the pid to compare with, nothing is said.
 */
class JournalJsonReader {
  readonly out: JournalJson = { lines: [], units: new Set(), skipped: 0, droppedLines: 0, cutLines: 0 };
  private readonly keys: string[] = [];
  private readonly own = new Set<string>();

  constructor(private readonly supervisorPid?: number) {}

  get full(): boolean {
    return this.out.lines.length >= MAX_LOG_LINES;
  }

  row(row: string): void {
    if (row.trim() === '') return;
    let e: Entry;
    try {
      e = JSON.parse(row) as Entry;
    } catch {
      this.out.skipped++;
      return;
    }
    const text = decodeJournalMessage(e.MESSAGE);
    if (text === undefined) {
      this.out.skipped++;
      return;
    }
    const unit = str(e._SYSTEMD_UNIT);
    if (unit) this.out.units.add(unit);
    const ts = str(e.__REALTIME_TIMESTAMP);
    const us = ts !== undefined && /^\d{1,20}$/.test(ts) ? Number(BigInt(ts) / 1000n) : undefined;
    const pidText = str(e._PID);
    const pid = pidText !== undefined && /^\d{1,10}$/.test(pidText) ? Number(pidText) : undefined;
    const key = JSON.stringify([str(e.SYSLOG_IDENTIFIER) ?? null, str(e._COMM) ?? null]);
    if (pid !== undefined && pid === this.supervisorPid) this.own.add(key);
    // Every line of the message, an empty one included (as `text.split('\n')` gives them).
    const split = splitLines(`${text}\n`, { maxLines: MAX_LOG_LINES - this.out.lines.length });
    this.out.droppedLines += split.droppedLines;
    this.out.cutLines += split.cutLines;
    for (const l of split.lines) {
      this.out.lines.push({ ...l, ...(us !== undefined ? { realtimeMs: us } : {}), ...(pid !== undefined ? { pid } : {}) });
      this.keys.push(pid === this.supervisorPid ? '' : key);
    }
  }

  finish(): JournalJson {
    if (this.supervisorPid !== undefined && this.own.size > 0)
      this.out.lines.forEach((l, i) => {
        const k = this.keys[i] as string;
        l.writer = k === '' || this.own.has(k) ? 'supervisor' : 'other';
      });
    return this.out;
  }
}

/** The rows of journalctl's output (one JSON object per line); a truncated read's partial last row is left out. */
function* rowsOf(text: string, complete: boolean): Generator<string> {
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
    yield text.slice(start, nl);
    start = nl + 1;
  }
  if (complete && start < text.length) yield text.slice(start);
}

/** Parses `journalctl -o json` output into raw lines (who wrote each, see JournalJsonReader) and the units seen. */
export function parseJournalJson(out: Buffer, complete: boolean, supervisorPid?: number): JournalJson {
  const r = new JournalJsonReader(supervisorPid);
  for (const row of rowsOf(out.toString('utf8'), complete)) {
    if (r.full) r.out.droppedLines++;
    else r.row(row);
  }
  return r.finish();
}

/** Rows parsed per turn of the event loop: a long journal never holds up other requests of the server. */
const CHUNK_ROWS = 2000;

/** As parseJournalJson, letting other work run (setImmediate) every CHUNK_ROWS rows. */
async function parseJournalJsonChunked(out: Buffer, complete: boolean, supervisorPid?: number): Promise<JournalJson> {
  const r = new JournalJsonReader(supervisorPid);
  let n = 0;
  for (const row of rowsOf(out.toString('utf8'), complete)) {
    if (r.full) r.out.droppedLines++;
    else r.row(row);
    if (++n % CHUNK_ROWS === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return r.finish();
}

/** The systemd unit a live pid runs in, from `/proc/<pid>/cgroup` (`0::/system.slice/x.service`). */
export async function unitOfPid(pid: number, procRoot = '/proc'): Promise<string | undefined> {
  try {
    const text = readProcText(`${procRoot}/${pid}/cgroup`, 64 * 1024, 'utf8')?.text;
    if (text === undefined) return undefined;
    const path = text.split('\n').find((l) => l.startsWith('0::')) ?? text.split('\n')[0] ?? '';
    // A user unit (under user@UID.service) is logged as _SYSTEMD_USER_UNIT: not matched here.
    if (/\/user@\d+\.service\//.test(path)) return undefined;
    return path
      .split('/')
      .reverse()
      .find((c) => /\.service$/.test(c));
  } catch {
    return undefined;
  }
}

/** The journalctl arguments (without the program) for a query. */
export function journalctlArgs(q: JournaldQuery, usePattern = !q.noPattern): string[] {
  // Not --quiet: it hides the hint that says the user may not see the system's messages.
  const args = ['--no-pager', '-o', 'json', '--all', FIELDS];
  if (q.file !== undefined) args.push(`--file=${q.file}`);
  if (q.directory !== undefined) args.push(`--directory=${q.directory}`);
  if (q.sinceMs !== undefined) args.push(`--since=@${Math.max(0, Math.floor(q.sinceMs / 1000))}`);
  if (q.pid !== undefined) args.push(`_PID=${q.pid}`);
  if (q.pid !== undefined && q.unit !== undefined) args.push('+');
  if (q.unit !== undefined) args.push(`_SYSTEMD_UNIT=${q.unit}`);
  if (q.grep !== undefined && usePattern) args.push(`--grep=${q.grep}`);
  return args;
}

/** Whether journalctl refused `--grep` for want of pattern support (built or installed without PCRE2). */
function noPatternSupport(r: RunResult): boolean {
  return r.code !== 0 && /pcre|pattern matching|--grep/i.test(r.stderr);
}

async function query(q: JournaldQuery, usePattern: boolean): Promise<{ ok: true; r: RunResult; argv: string[] } | LogSourceFailure> {
  const argv = [q.journalctl ?? 'journalctl', ...journalctlArgs(q, usePattern)];
  const r = await runBounded(argv, q);
  if (usePattern && q.grep !== undefined && noPatternSupport(r)) return query(q, false);
  return explainJournalctl(r, q, argv) ?? { ok: true, r, argv };
}

/**
 * Finds the lines holding `q.grep`, then reads the whole neighbourhood: the first
 * hit's pid and unit from a minute before it, so untagged lines (errors, daemon output,
 * the restart) come along. Falls back to the hits alone when that second read fails.
 */
async function readByText(q: JournaldQuery): Promise<LogSourceResult> {
  const hits = await readLines(q);
  if (!hits.ok) return hits;
  const first = hits.lines[0];
  if (first?.pid === undefined) return hits;
  const around = await readJournald({
    ...q,
    grep: undefined,
    pid: first.pid,
    ...(first.realtimeMs !== undefined ? { sinceMs: first.realtimeMs - 60_000 } : {}),
  });
  return around.ok ? around : hits;
}

/**
 * Reads the log lines journald holds for a pid (+ its unit), or for a text (`grep`).
 * Without a unit, the unit is taken from the pid's own entries and the query repeated
 * with it, so a restarted supervisor's lines (another pid, same unit) come along.
 */
export async function readJournald(q: JournaldQuery): Promise<LogSourceResult> {
  if (q.pid === undefined && q.unit === undefined && q.grep === undefined)
    throw new Error('readJournald needs a pid, a unit or a grep text');
  if (q.pid === undefined && q.unit === undefined) return readByText(q);
  return readLines(q);
}

async function readLines(q: JournaldQuery): Promise<LogSourceResult> {
  let ran = await query(q, q.grep !== undefined && !q.noPattern);
  if (!ran.ok) return ran;
  let parsed = await parseJournalJsonChunked(ran.r.stdout, !ran.r.truncated, q.pid);
  if (q.pid !== undefined && q.unit === undefined && parsed.units.size === 1) {
    const again = await query({ ...q, unit: [...parsed.units][0] as string }, false);
    if (again.ok) {
      ran = again;
      parsed = await parseJournalJsonChunked(again.r.stdout, !again.r.truncated, q.pid);
    }
  }
  let lines = parsed.lines;
  // Without pattern support the grep is done here, on the decoded text.
  if (q.grep !== undefined && !ran.argv.some((a) => a.startsWith('--grep=')))
    lines = lines.filter((l) => l.text.includes(q.grep as string));
  if (lines.length === 0) return await nothingFound(q, ran.argv);
  const notes: string[] = [];
  if (ran.r.truncated) notes.push(`cut short: journalctl printed more than ${ran.r.stdout.length} bytes; only the first part was read.`);
  notes.push(...cutNotes(parsed, "journalctl's output"));
  if (parsed.skipped > 0) notes.push(`${parsed.skipped} journal entries had no readable MESSAGE and were skipped.`);
  return {
    ok: true,
    source: 'journald',
    sourceDescription: `journald: ${shellLine(ran.argv)}`,
    command: ran.argv,
    lines,
    truncated: ran.r.truncated || parsed.droppedLines > 0 || parsed.cutLines > 0,
    notes,
  };
}
