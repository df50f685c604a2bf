/**
 * Log text cut into lines within bounds: at most MAX_LOG_LINES lines per read (the first
 * or the last ones), each at most MAX_LINE_CHARS characters (the rest cut, and the line
 * marked with how much), so no log (8 MiB of newlines, one endless line) can fill the
 * memory of the CLI or the language server. Lines are found with `indexOf`, never by
 * splitting the whole text. Pure.
 */
import type { RawLine } from './parse';

/** Longest line kept, in characters (UTF-16 code units); the rest is cut and counted in `RawLine.cut`. */
export const MAX_LINE_CHARS = 65_536;
/** Most lines kept from one read of a source. */
export const MAX_LOG_LINES = 200_000;

export interface LineCaps {
  maxLines?: number;
  maxLineChars?: number;
  /** Which lines to keep when there are more: the first (a command, journald from a time on) or the last (a log file's end). */
  keep?: 'first' | 'last';
}

export interface SplitLines {
  lines: RawLine[];
  /** Lines left out by `maxLines`. */
  droppedLines: number;
  /** Lines cut at `maxLineChars`. */
  cutLines: number;
}

/** One line, cut at `max` characters (a `\r` before its newline dropped). */
export function boundedLine(text: string, max = MAX_LINE_CHARS): RawLine {
  const t = text.endsWith('\r') ? text.slice(0, -1) : text;
  return t.length > max ? { text: t.slice(0, max), cut: t.length - max } : { text: t };
}

function countNewlines(text: string, from: number, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Splits log text at `\n` (`\r\n` too); a final newline adds no line. Keeps at most
 * `maxLines` lines (the first, or with `keep: 'last'` the last), each cut at
 * `maxLineChars`.
 */
export function splitLines(text: string, caps: LineCaps = {}): SplitLines {
  const maxLines = caps.maxLines ?? MAX_LOG_LINES;
  const maxChars = caps.maxLineChars ?? MAX_LINE_CHARS;
  const out: SplitLines = { lines: [], droppedLines: 0, cutLines: 0 };
  if (text === '') return out;
  const end = text.endsWith('\n') ? text.length - 1 : text.length;
  let start = 0;
  if (caps.keep === 'last') {
    const total = countNewlines(text, 0, end) + 1;
    for (let skip = total - maxLines; skip > 0; skip--) start = text.indexOf('\n', start) + 1;
    out.droppedLines = Math.max(0, total - maxLines);
  }
  while (start <= end) {
    if (out.lines.length === maxLines) {
      out.droppedLines = countNewlines(text, start, end) + 1;
      break;
    }
    const nl = text.indexOf('\n', start);
    const stop = nl < 0 || nl > end ? end : nl;
    const line = boundedLine(text.slice(start, stop), maxChars);
    if (line.cut !== undefined) out.cutLines++;
    out.lines.push(line);
    start = stop + 1;
  }
  return out;
}

/** Splits log text into lines (see `splitLines`, the first MAX_LOG_LINES kept). */
export function splitLogText(text: string): RawLine[] {
  return splitLines(text).lines;
}

/** The sentences that say what the caps left out, for a source's notes ("cut short: …"). */
export function cutNotes(s: Pick<SplitLines, 'droppedLines' | 'cutLines'>, what: string, keep: 'first' | 'last' = 'first'): string[] {
  const notes: string[] = [];
  if (s.droppedLines > 0)
    notes.push(
      `cut short: ${what} has ${s.droppedLines} more lines than the ${MAX_LOG_LINES.toLocaleString('en')} read at most; only the ${keep} ${MAX_LOG_LINES.toLocaleString('en')} were read.`,
    );
  if (s.cutLines > 0)
    notes.push(
      `cut short: ${s.cutLines} line${s.cutLines === 1 ? ' was' : 's were'} longer than ${MAX_LINE_CHARS.toLocaleString('en')} characters; the rest of each is left out (marked "characters cut").`,
    );
  return notes;
}
