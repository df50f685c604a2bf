/**
 * Where the supervisor's log comes from, and the one call that finds a handoff in it.
 * Three sources, each a function returning a `LogSourceResult` (never throwing for an
 * expected failure, never hanging: time limits and byte caps throughout):
 * - journald (`readJournald` in ./journald.ts): the real `journalctl`;
 * - a log file (`readLogFile`): the service's log file, read from its end;
 * - a command (`runLogCommand`): an argv (no shell) that prints the log.
 * `findHandoffLog` tries them in that order and parses, selects and summarises.
 */
import { constants, type Stats } from 'node:fs';
import { lstat, open, stat } from 'node:fs/promises';
import { LogParser, type ParsedLog, type RawLine } from '../parse';
import { cutNotes, splitLines } from '../lines';
import { handoffIds, selectHandoff, type HandoffSelection, type HandoffSummary } from '../handoff';
import { summariseHandoff } from '../summary';
import { shellLine } from '../../util';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS, runBounded, type RunLimits, toFileError } from '../../util/node';
import { readJournald, unitOfPid } from './journald';
import type { JournaldQuery, LogFailureReason, LogSourceFailure, LogSourceKind, LogSourceOk, LogSourceResult } from './types';

import { fileTypeName } from '../../journal/node';

function failure(
  source: LogSourceKind,
  reason: LogFailureReason,
  message: string,
  extra: Partial<LogSourceFailure> = {},
): LogSourceFailure {
  return { ok: false, source, reason, message, ...extra };
}

/** Reads a log file from its end (at most `maxBytes`, whole lines), never opening a FIFO or device. */
export async function readLogFile(path: string, limits: RunLimits = {}): Promise<LogSourceResult> {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  let st: Stats;
  try {
    st = await lstat(path);
    if (st.isSymbolicLink()) st = await stat(path);
  } catch (e) {
    return failure('file', 'unreadable', toFileError('reading', path, e).message);
  }
  if (!st.isFile()) return failure('file', 'unreadable', `${path} is ${fileTypeName(st)}, not a log file; it was not opened.`);
  try {
    const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    try {
      const size = (await fh.stat()).size;
      const start = Math.max(0, size - maxBytes);
      const buf = Buffer.alloc(Math.min(size, maxBytes));
      let n = 0;
      while (n < buf.length) {
        const { bytesRead } = await fh.read(buf, n, buf.length - n, start + n);
        if (bytesRead === 0) break;
        n += bytesRead;
      }
      let text = buf.subarray(0, n).toString('utf8');
      // Started mid-file: the first line is partial.
      if (start > 0) text = text.slice(text.indexOf('\n') + 1);
      const split = splitLines(text, { keep: 'last' });
      if (split.lines.length === 0)
        return failure('file', 'rotated', `${path} is empty: the log may have been rotated (look at ${path}.1 or ${path}.*.gz).`);
      const notes = [
        ...(start > 0 ? [`cut short: ${path} is ${size} bytes; only its last ${maxBytes} bytes were read.`] : []),
        ...cutNotes(split, path, 'last'),
      ];
      const truncated = start > 0 || split.droppedLines > 0 || split.cutLines > 0;
      return { ok: true, source: 'file', sourceDescription: `file ${path}`, lines: split.lines, truncated, notes };
    } finally {
      await fh.close();
    }
  } catch (e) {
    return failure('file', 'unreadable', toFileError('reading', path, e).message);
  }
}

/** Runs an argv (no shell) that prints the log on stdout, e.g. `["docker", "logs", "kv"]`. */
export async function runLogCommand(argv: readonly string[], limits: RunLimits = {}): Promise<LogSourceResult> {
  const command = [...argv];
  if (command.length === 0) return failure('command', 'command-failed', 'the log command is empty.');
  const r = await runBounded(command, limits);
  const shown = shellLine(command);
  if (r.spawnError !== undefined)
    return failure(
      'command',
      'command-failed',
      `cannot run ${command[0]}: ${r.spawnError === 'ENOENT' ? 'no such program' : r.spawnError}.`,
      { command },
    );
  if (r.timedOut)
    return failure(
      'command',
      'timeout',
      `\`${shown}\` did not finish within ${Math.round((limits.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s; it was stopped.`,
      { command },
    );
  if (r.code !== 0 && !r.truncated)
    return failure('command', 'command-failed', `\`${shown}\` failed (exit ${r.code}): ${r.stderr.trim().split('\n')[0] || 'no message'}`, {
      command,
    });
  const split = splitLines(r.stdout.toString('utf8'));
  const lines = split.lines;
  if (r.truncated && split.droppedLines === 0) lines.pop();
  if (lines.length === 0) return failure('command', 'rotated', `\`${shown}\` printed nothing: no log to read.`, { command });
  const notes = [
    ...(r.truncated ? [`cut short: \`${shown}\` printed more than ${r.stdout.length} bytes; only the first part was read.`] : []),
    ...cutNotes(split, `the output of \`${shown}\``),
  ];
  const truncated = r.truncated || split.droppedLines > 0 || split.cutLines > 0;
  return { ok: true, source: 'command', sourceDescription: `command: ${shown}`, command, lines, truncated, notes };
}

/** What to look for, and where. */
export interface HandoffLogRequest {
  /** The handoff id (lowercase hyphenated UUID). */
  id: string;
  /** The supervisor's pid (the journal's `incumbent_pid`). */
  pid?: number;
  /** The journal's `started_at_unix_ms`: journald is read from a minute before it. */
  startedAtMs?: number;
  /** journald options: false to skip it; `file`/`directory` to read given journal files; a known unit. */
  journald?: false | Pick<JournaldQuery, 'file' | 'directory' | 'unit' | 'journalctl' | 'noPattern'>;
  /** A log file to read (tried after journald). */
  logFile?: string;
  /** A command that prints the log (tried last). */
  command?: readonly string[];
  /** Why the configured command is not run (its placeholders' values were refused): reported as its failure. */
  commandRefused?: string;
  limits?: RunLimits;
}

/** `failure` is the most telling of `tried` (every source's failure, in the order tried). */
export type HandoffLogResult =
  | { ok: true; source: LogSourceOk; log: ParsedLog; selection: HandoffSelection; summary: HandoffSummary }
  | { ok: false; failure: LogSourceFailure; tried: LogSourceFailure[] };

/** Lines found but none for the id: say which handoffs the log does hold. */
function noLinesFor(source: LogSourceOk, log: ParsedLog, id: string): LogSourceFailure {
  const ids = handoffIds(log);
  const held =
    ids.length === 0
      ? 'no handoff at all'
      : `handoff${ids.length > 1 ? 's' : ''} ${ids.slice(-5).join(', ')}${ids.length > 5 ? ` (the last 5 of ${ids.length})` : ''}`;
  return failure(
    source.source,
    'no-lines',
    `${source.sourceDescription} has ${log.lines.length} lines but none with handoff_id=${id}; it holds ${held}. Older lines may have been rotated away.${source.notes.map((n) => ` ${n}`).join('')}`,
    source.command ? { command: source.command } : {},
  );
}

async function sources(req: HandoffLogRequest): Promise<(() => Promise<LogSourceResult>)[]> {
  const out: (() => Promise<LogSourceResult>)[] = [];
  const j = req.journald;
  if (j !== false) {
    const unit =
      j?.unit ?? (req.pid !== undefined && j?.file === undefined && j?.directory === undefined ? await unitOfPid(req.pid) : undefined);
    const q: JournaldQuery = {
      ...j,
      ...req.limits,
      ...(req.pid !== undefined ? { pid: req.pid } : { grep: req.id }),
      ...(unit !== undefined ? { unit } : {}),
      ...(req.startedAtMs !== undefined && req.pid !== undefined ? { sinceMs: req.startedAtMs - 60_000 } : {}),
    };
    out.push(() => readJournald(q));
  }
  if (req.logFile !== undefined) out.push(() => readLogFile(req.logFile as string, req.limits));
  if (req.command !== undefined) out.push(() => runLogCommand(req.command as string[], req.limits));
  else if (req.commandRefused !== undefined) out.push(async () => failure('command', 'command-failed', req.commandRefused as string));
  return out;
}

/** Lines parsed per turn of the event loop, and characters: a long log never holds up other requests of the server. */
const CHUNK_LINES = 2000;
const CHUNK_CHARS = 1 << 20;

/** Parses a source's lines in chunks, letting other work run (setImmediate) between them. */
export async function parseLogChunked(lines: readonly RawLine[]): Promise<ParsedLog> {
  const p = new LogParser();
  let chars = 0;
  for (let i = 0; i < lines.length; i++) {
    const r = lines[i] as RawLine;
    p.push(r);
    chars += r.text.length;
    if ((i + 1) % CHUNK_LINES === 0 || chars >= CHUNK_CHARS) {
      chars = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return p.finish();
}

/** Tries journald, then the log file, then the command; the first source with lines for the id wins. */
export async function findHandoffLog(req: HandoffLogRequest): Promise<HandoffLogResult> {
  const tried: LogSourceFailure[] = [];
  for (const read of await sources(req)) {
    const r = await read();
    if (!r.ok) {
      tried.push(r);
      continue;
    }
    const log = await parseLogChunked(r.lines);
    const selection = selectHandoff(log, req.id);
    if (!selection) {
      tried.push(noLinesFor(r, log, req.id));
      continue;
    }
    return { ok: true, source: r, log, selection, summary: summariseHandoff(selection) };
  }
  // The most telling failure: "no journald here" says least when another source was tried too.
  const telling = tried.find((f) => f.reason !== 'no-journald') ?? tried[0];
  return {
    ok: false,
    failure: telling ?? failure('file', 'unreadable', 'no log source was given: no journald, log file or command.'),
    tried,
  };
}
