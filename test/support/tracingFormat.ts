/**
 * Writes log lines the way the reference supervisor does: `tracing_subscriber::fmt()`'s
 * default format with ANSI colours (`ESC[2m` time, coloured level, dim `target:`, italic
 * field names), byte for byte as in test/fixtures/logs/ (a unit test rebuilds every
 * fixture line with it). For the simulator and the fake supervisor.
 */
import { appendFileSync } from 'node:fs';

export type Level = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** A field value: written as is (`%x`, numbers, bools), or `{ str }` for a String field (`{:?}`, quoted). */
export type FieldValue = string | number | boolean | { str: string };

const LEVEL_SGR: Record<Level, string> = { TRACE: '35', DEBUG: '34', INFO: '32', WARN: '33', ERROR: '31' };

/** Rust's `{:?}` of a str: quoted, with `\"`, `\\`, `\n`, `\r`, `\t`, `\0` and `\u{..}` for other controls. */
export function rustDebugString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c === 0) out += '\\0';
    else if (c < 0x20 || c === 0x7f) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return out + '"';
}

let lastMs = 0;
let sub = 0;

/** `2026-11-28T07:43:42.077840Z`: tracing prints microseconds; the digits past the millisecond count up within it. */
export function tracingTimestamp(at: Date): string {
  const ms = at.getTime();
  sub = ms === lastMs ? Math.min(sub + 1, 999) : 0;
  lastMs = ms;
  return `${at.toISOString().slice(0, 23)}${String(sub).padStart(3, '0')}Z`;
}

function value(v: FieldValue): string {
  return typeof v === 'object' ? rustDebugString(v.str) : String(v);
}

/** One line (no newline) as tracing's default formatter writes it. */
export function tracingLine(
  level: Level,
  target: string,
  message: string,
  fields: Record<string, FieldValue> = {},
  at: Date | string = new Date(),
  ansi = true,
): string {
  const ts = typeof at === 'string' ? at : tracingTimestamp(at);
  const dim = (s: string): string => (ansi ? `\x1b[2m${s}\x1b[0m` : s);
  const lvl = level.padStart(5);
  const head = `${dim(ts)} ${ansi ? `\x1b[${LEVEL_SGR[level]}m${lvl}\x1b[0m` : lvl} ${dim(target)}${dim(':')} ${message}`;
  return Object.entries(fields).reduce((line, [k, v]) => `${line} ${ansi ? `\x1b[3m${k}\x1b[0m` : k}${dim('=')}${value(v)}`, head);
}

/** A log sink that appends each line to a file at once (so it is there when the step is reported). */
export function fileLogSink(path: string): (line: string) => void {
  return (line) => appendFileSync(path, `${line}\n`);
}
