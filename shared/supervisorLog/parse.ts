/**
 * Parser of the reference supervisor's log: `tracing`'s default text format
 * (`TIMESTAMP LEVEL target: message key=value ...`, with ANSI colour codes as it
 * reaches a file or journald), interleaved with the daemons' own stderr (they
 * inherit the supervisor's), e.g. `Error: wait_for_begin` + a `Caused by:` block.
 * Real lines are in `test/fixtures/logs/`. Pure: lines come in as strings.
 *
 * Log text is data: it is stripped of escape sequences for parsing, and shown through
 * the one sanitiser (shared/util/text.ts `cleanText`) by `visibleText`, never interpreted.
 */
import { unescapeRustDebug } from '../util';
import { nextFieldStart, scanHead } from './header';

export { unescapeRustDebug };

export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** One line as a log source delivers it (may carry ANSI codes; no newline). */
export interface RawLine {
  text: string;
  /** When the source knows it (journald's `__REALTIME_TIMESTAMP`), unix ms. */
  realtimeMs?: number;
  /** The process journald attributes the line to (`_PID`). */
  pid?: number;
  /**
   * Who wrote it, when the source can tell: journald says `supervisor` for the
   * supervisor's pid (or its identifier and command) and `other` for another process,
   * whose lines are daemon output even when they look like the supervisor's. Absent for
   * a log file or a command, which cannot tell.
   */
  writer?: 'supervisor' | 'other';
  /** Characters cut from the end of an over-long line (lines.ts MAX_LINE_CHARS). */
  cut?: number;
}

export interface LogField {
  key: string;
  /** The value as written; a Debug-quoted string (`"a b"`) is unquoted and unescaped. */
  value: string;
  quoted: boolean;
}

/** Who wrote a line: the supervisor, a handoff-aware daemon (O or N), or someone else. */
export type LineOrigin = 'supervisor' | 'daemon' | 'other';

interface LineBase {
  /** 0-based position in the parsed log (the line number in a log file, minus one). */
  index: number;
  /** The line without escape sequences and control characters (for search and messages). */
  text: string;
  /** The line as delivered (for display through `visibleText`). */
  raw: string;
  realtimeMs?: number;
  pid?: number;
  /** Characters cut from the end of an over-long line. */
  cut?: number;
}

/** A `tracing` event line. */
export interface TracingLine extends LineBase {
  kind: 'tracing';
  /** As written, e.g. `2026-11-28T07:43:42.077840Z`; absent with `without_time()`. */
  timestamp?: string;
  /** From `timestamp`, else from the source's `realtimeMs`. */
  unixMs?: number;
  level: LogLevel;
  /** Span context before the target (`name{k=v}:...`), when present. */
  spans?: string;
  /** e.g. `handoff.prepare`, `handoff_supervisor`, `handoff::incumbent`; '' when not logged. */
  target: string;
  message: string;
  fields: LogField[];
  origin: LineOrigin;
}

/** A line that is not a tracing event: a daemon's own stderr output. */
export interface OutputLine extends LineBase {
  kind: 'output';
  /** Index into `ParsedLog.blocks`. */
  block: number;
}

export type ParsedLine = TracingLine | OutputLine;

/** Consecutive non-tracing lines: one `Error:` with its `Caused by:` block, or other output. */
export interface OutputBlock {
  first: number;
  last: number;
  /** Starts with `Error:` (anyhow's report) or a Rust panic. */
  error: boolean;
  /** One line: `Error: wait_for_begin; caused by: handoff aborted by peer: ...`. */
  summary: string;
}

export interface ParsedLog {
  lines: ParsedLine[];
  blocks: OutputBlock[];
}

/** CSI (`ESC [ ... final`), OSC (`ESC ] ... BEL|ST`) and two-byte escapes. */
const ESCAPE_SEQUENCE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])/g;
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;
/** Bidirectional overrides and isolates (they reorder what a reader sees), and the line and paragraph separators. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/**
 * For parsing: escape sequences removed, tabs as spaces, other control characters,
 * bidi controls and line separators removed. Each pattern here is linear: a class run
 * or, in ESCAPE_SEQUENCE, alternatives that start with a fixed character after ESC and
 * whose repeated classes stop at the next ESC, so no position is tried twice per ESC.
 */
export function stripControls(s: string): string {
  return s.replace(ESCAPE_SEQUENCE, '').replace(/\t/g, ' ').replace(CONTROL, '').replace(BIDI, '');
}

function fieldOf(key: string, written: string): LogField {
  const v = written.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
    const u = unescapeRustDebug(v.slice(1, -1));
    if (u !== undefined) return { key, value: u, quoted: true };
  }
  return { key, value: v, quoted: false };
}

/** Length of a Debug-quoted string at `from` in `s` (with its quotes), or -1. */
function quotedLength(s: string, from: number): number {
  if (s[from] !== '"') return -1;
  for (let i = from + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i + 1 - from;
  }
  return -1;
}

/**
 * Fields of plain text (no ANSI markers): each starts at ` key=` (header.ts
 * `nextFieldStart`); an unquoted value runs to the next ` key=` (so the last one may
 * hold spaces), a quoted one to its closing quote. Linear: each search starts after the
 * last, and a quoted value that is never closed is the last quoted one.
 */
function plainFields(rest: string): { message: string; fields: LogField[] } {
  const fields: LogField[] = [];
  let m = nextFieldStart(rest, 0);
  const message = (m ? rest.slice(0, m.index) : rest).trim();
  while (m) {
    const q = quotedLength(rest, m.valueStart);
    const next = nextFieldStart(rest, q >= 0 ? m.valueStart + q : m.valueStart);
    fields.push(fieldOf(m.key, rest.slice(m.valueStart, q >= 0 ? m.valueStart + q : next ? next.index : rest.length)));
    m = next;
  }
  return { message, fields };
}

/** tracing's ANSI writer puts every field name in italics: `ESC[3m key ESC[0m ESC[2m = ESC[0m`. */
const ANSI_FIELD = /\x1b\[3m([A-Za-z_][\w.]*)\x1b\[0m\x1b\[2m=\x1b\[0m/g;

function ansiFields(raw: string): { head: string; fields: LogField[] } | undefined {
  if (!raw.includes('\x1b[')) return undefined;
  const marks = [...raw.matchAll(ANSI_FIELD)];
  // A coloured line without field names has no fields: its message is not scanned for `k=v`.
  if (marks.length === 0) return { head: stripControls(raw), fields: [] };
  const fields = marks.map((m, i) => {
    const end = i + 1 < marks.length ? (marks[i + 1]?.index as number) : raw.length;
    return fieldOf(m[1] as string, stripControls(raw.slice((m.index as number) + m[0].length, end)));
  });
  return { head: stripControls(raw.slice(0, marks[0]?.index)), fields };
}

/** Unix ms of an RFC 3339 timestamp as tracing writes it (microseconds are truncated). */
export function timestampMs(ts: string): number | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|([+-])(\d\d):?(\d\d))$/.exec(ts);
  if (!m) return undefined;
  const n = (i: number): number => Number(m[i] ?? 0);
  const ms = Number(((m[7] ?? '') + '000').slice(0, 3));
  const offset = m[8] === 'Z' ? 0 : (m[9] === '-' ? -1 : 1) * (n(10) * 60 + n(11)) * 60_000;
  return Date.UTC(n(1), n(2) - 1, n(3), n(4), n(5), n(6), ms) - offset;
}

const SUPERVISOR_TARGETS = /^(handoff\.[a-z_]+|handoff_supervisor(::.*)?|handoff::supervisor)$/;
const DAEMON_TARGETS = /^handoff::(incumbent|successor|role|drainable|lock|sock|fd)$/;

export function originOf(target: string): LineOrigin {
  if (SUPERVISOR_TARGETS.test(target)) return 'supervisor';
  if (DAEMON_TARGETS.test(target)) return 'daemon';
  return 'other';
}

/** Parses one line as a tracing event; undefined when it is not one. */
export function parseTracingLine(raw: string): Omit<TracingLine, 'index' | 'realtimeMs' | 'pid'> | undefined {
  const text = stripControls(raw).trimEnd();
  const ansi = ansiFields(raw);
  const h = scanHead(ansi ? ansi.head.trimEnd() : text);
  if (!h) return undefined;
  const { timestamp, level, spans, target, rest } = h;
  const { message, fields } = ansi ? { message: rest.trim(), fields: ansi.fields } : plainFields(rest);
  const unixMs = timestamp ? timestampMs(timestamp) : undefined;
  return {
    kind: 'tracing',
    text,
    raw,
    ...(timestamp ? { timestamp } : {}),
    ...(unixMs !== undefined ? { unixMs } : {}),
    level: level as LogLevel,
    ...(spans ? { spans } : {}),
    target,
    message,
    fields,
    origin: originOf(target),
  };
}

/** Blank, indented and `Caused by:` lines continue the output block before them. */
function continuesBlock(text: string): boolean {
  return text.trim() === '' || /^\s/.test(text) || /^(Caused by|Stack backtrace|note):/.test(text);
}

function blockSummary(lines: readonly OutputLine[]): string {
  const texts = lines.map((l) => l.text.trim()).filter((t) => t !== '');
  const at = texts.findIndex((t) => t === 'Caused by:');
  if (at < 0) return texts.join(' / ');
  const causes = texts.slice(at + 1).map((t) => t.replace(/^\d+:\s*/, ''));
  return `${texts.slice(0, at).join(' / ')}; caused by: ${causes.join('; ')}`;
}

/**
 * Parses lines one at a time (so a caller can yield between chunks of a long log); non-
 * tracing lines are kept and grouped into output blocks. A line its source attributes to
 * another process (`writer: 'other'`) is daemon output, whatever it looks like.
 */
export class LogParser {
  private readonly lines: ParsedLine[] = [];
  private readonly blocks: OutputBlock[] = [];
  private current: OutputLine[] | undefined;

  private close(): void {
    const current = this.current;
    this.current = undefined;
    if (!current || current.length === 0) return;
    const first = current[0] as OutputLine;
    this.blocks.push({
      first: first.index,
      last: (current[current.length - 1] as OutputLine).index,
      error: /^(Error:|thread '.*' panicked)/.test(first.text),
      summary: blockSummary(current),
    });
  }

  push(r: RawLine): void {
    const where = {
      index: this.lines.length,
      ...(r.realtimeMs !== undefined ? { realtimeMs: r.realtimeMs } : {}),
      ...(r.pid !== undefined ? { pid: r.pid } : {}),
      ...(r.cut !== undefined ? { cut: r.cut } : {}),
    };
    const t = r.writer === 'other' ? undefined : parseTracingLine(r.text);
    if (t) {
      this.close();
      this.lines.push({ ...t, ...where, ...(t.unixMs === undefined && r.realtimeMs !== undefined ? { unixMs: r.realtimeMs } : {}) });
      return;
    }
    const text = stripControls(r.text).trimEnd();
    if (this.current && !continuesBlock(text)) this.close();
    this.current ??= [];
    const line: OutputLine = { kind: 'output', ...where, text, raw: r.text, block: this.blocks.length };
    this.current.push(line);
    this.lines.push(line);
  }

  finish(): ParsedLog {
    this.close();
    return { lines: this.lines, blocks: this.blocks };
  }
}

/** Parses every line (see LogParser). */
export function parseLog(input: readonly RawLine[]): ParsedLog {
  const p = new LogParser();
  for (const r of input) p.push(r);
  return p.finish();
}

/** The value of a field, or undefined. */
export function fieldValue(line: TracingLine, key: string): string | undefined {
  return line.fields.find((f) => f.key === key)?.value;
}
