/**
 * A log file read from a saved position to its end, whole lines only, surviving
 * rotation: the position is the file's device and inode and a byte offset, so a file
 * renamed away (logrotate's `path.1`, any name in the same folder) is found by its inode
 * and read to its end before the new file is read from its start; a file truncated in
 * place (copytruncate) is read again from its start. When the old file is gone the gap
 * is reported (`cursor-lost`), never guessed at. Never opens a FIFO or a device; every
 * read is capped in bytes, every line in length.
 */
import { constants, type Stats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { RawLine } from '../parse';
import { toFileError } from '../../util/node';
import { MAX_LINE } from './journaldStream';

export interface FilePosition {
  kind: 'file';
  path: string;
  dev: number;
  ino: number;
  /** Creation time (ms, statx), when the file system keeps one: an inode number is reused after a delete. */
  born?: number;
  /** Bytes already read (always at a line's start). */
  offset: number;
}

/** Whether a file is the one a position was taken in (same inode, and same birth when known). */
function sameFile(st: Stats, pos: FilePosition): boolean {
  const born = st.birthtimeMs > 0 ? st.birthtimeMs : undefined;
  return st.ino === pos.ino && st.dev === pos.dev && (born === undefined || pos.born === undefined || born === pos.born);
}

function positionOf(path: string, st: Stats, offset: number): FilePosition {
  return { kind: 'file', path, dev: st.dev, ino: st.ino, ...(st.birthtimeMs > 0 ? { born: st.birthtimeMs } : {}), offset };
}

export type TailEvent =
  { kind: 'rotated'; message: string } | { kind: 'cursor-lost'; message: string } | { kind: 'unreadable'; message: string };

export interface TailRead {
  lines: RawLine[];
  position: FilePosition;
  events: TailEvent[];
  /** More bytes are waiting beyond the cap: read again. */
  more: boolean;
}

/** Bytes read per call. */
export const TAIL_CHUNK = 4 * 1024 * 1024;
/** Files listed when looking for a rotated file by its inode. */
const MAX_DIR_ENTRIES = 4096;

async function regularFile(path: string): Promise<Stats | TailEvent> {
  let st: Stats;
  try {
    st = await stat(path);
  } catch (e) {
    return { kind: 'unreadable', message: toFileError('reading', path, e).message };
  }
  return st.isFile() ? st : { kind: 'unreadable', message: `${path} is not a regular file (a FIFO, device or folder); it was not opened.` };
}

/** Where a log file ends now: a reader that starts here counts only what is written from now on. */
export async function fileEnd(path: string): Promise<FilePosition | TailEvent> {
  const st = await regularFile(path);
  return 'kind' in st ? st : positionOf(path, st, st.size);
}

/** Reads whole lines of `path` from `offset`, at most `max` bytes; `next` is the offset after the last whole line. */
async function readLines(
  path: string,
  offset: number,
  max: number,
  final: boolean,
): Promise<{ lines: RawLine[]; next: number; more: boolean }> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    const size = (await fh.stat()).size;
    const want = Math.max(0, Math.min(max, size - offset));
    const buf = Buffer.alloc(want);
    let n = 0;
    while (n < want) {
      const { bytesRead } = await fh.read(buf, n, want - n, offset + n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    const lines: RawLine[] = [];
    let from = 0;
    for (let nl = buf.indexOf(10, from); nl >= 0 && nl < n; nl = buf.indexOf(10, from)) {
      lines.push({ text: lineText(buf.subarray(from, nl)) });
      from = nl + 1;
    }
    // A line longer than a whole read is cut there; the last line of a finished (rotated) file may lack its newline.
    if ((from === 0 && n === max) || (final && from < n && offset + n >= size)) {
      lines.push({ text: lineText(buf.subarray(from, n)) });
      from = n;
    }
    return { lines, next: offset + from, more: offset + n < size };
  } finally {
    await fh.close();
  }
}

function lineText(b: Buffer): string {
  const t = b.toString('utf8');
  const cr = t.endsWith('\r') ? t.slice(0, -1) : t;
  return cr.length > MAX_LINE ? cr.slice(0, MAX_LINE) : cr;
}

/** The file that had this inode, renamed within the same folder (`kv.log.1`, `kv.log-20261203`), if any. */
async function renamedTo(pos: FilePosition): Promise<string | undefined> {
  const dir = dirname(pos.path);
  const names = await readdir(dir).catch(() => [] as string[]);
  const base = basename(pos.path);
  for (const name of names.filter((n) => n !== base && n.startsWith(base)).slice(0, MAX_DIR_ENTRIES)) {
    const st = await stat(join(dir, name)).catch(() => undefined);
    if (st?.isFile() && sameFile(st, pos)) return join(dir, name);
  }
  return undefined;
}

/** Reads what was written to `pos.path` since `pos` (or, when rotated, the rest of the old file, then the new one). */
export async function readTail(pos: FilePosition, max = TAIL_CHUNK): Promise<TailRead> {
  const st = await regularFile(pos.path);
  if ('kind' in st) return { lines: [], position: pos, events: [st], more: false };
  try {
    if (sameFile(st, pos)) {
      if (st.size < pos.offset) {
        const r = await readLines(pos.path, 0, max, false);
        const message = `${pos.path} shrank from ${pos.offset} to ${st.size} bytes (truncated in place, as copytruncate rotates): read again from its start.`;
        return { lines: r.lines, position: { ...pos, offset: r.next }, events: [{ kind: 'rotated', message }], more: r.more };
      }
      const r = await readLines(pos.path, pos.offset, max, false);
      return { lines: r.lines, position: { ...pos, offset: r.next }, events: [], more: r.more };
    }
    return await rotated(pos, st, max);
  } catch (e) {
    return {
      lines: [],
      position: pos,
      events: [{ kind: 'unreadable', message: toFileError('reading', pos.path, e).message }],
      more: false,
    };
  }
}

/** The path is another file now: finish the old one where it went, then start the new one. */
async function rotated(pos: FilePosition, st: Stats, max: number): Promise<TailRead> {
  const fresh = positionOf(pos.path, st, 0);
  const old = await renamedTo(pos);
  if (old !== undefined) {
    const r = await readLines(old, pos.offset, max, true);
    if (r.more) return { lines: r.lines, position: { ...pos, offset: r.next }, events: [], more: true };
    const message = `${pos.path} was rotated (the old file is now ${old}): read the rest of it, then the new file from its start.`;
    return { lines: r.lines, position: fresh, events: [{ kind: 'rotated', message }], more: true };
  }
  const message = `${pos.path} was replaced and the old file (inode ${pos.ino}) is gone from ${dirname(pos.path)} (compressed or deleted): lines written to it after byte ${pos.offset} were not read, so handoffs there are not counted. Reading the new file from its start.`;
  return { lines: [], position: fresh, events: [{ kind: 'cursor-lost', message }], more: true };
}
