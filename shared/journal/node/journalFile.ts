/**
 * The shared atomic-write module: the journal file I/O of `shared/node/`. Mirrors
 * `StateJournal::write_atomic`, `read` and `delete` in the Rust handoff crate's
 * `src/state.rs`: write `<path>.with_extension("bin.tmp")`, fsync it, rename it over
 * the journal, fsync the parent directory; a missing journal reads as "none"; delete is
 * idempotent. It adds what an interactive tool needs: it never opens a FIFO or device
 * for reading (so it cannot block), it refuses oversized files without reading them,
 * it never clobbers a temp file another live writer holds, and every failure is a value.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, readlink, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Stats } from 'node:fs';
import { MAX_JOURNAL_BYTES } from '../codec/types';
import { errnoCode, toFileError, type FileError } from '../../util/node';

/** Mirrors Rust's `Path::with_extension("bin.tmp")`: the last extension is replaced. */
export function tmpPathFor(path: string): string {
  const name = basename(path);
  if (name === '' || name === '.' || name === '..' || path.endsWith('/')) return path;
  const dot = name.lastIndexOf('.');
  // Rust: a name whose only dot is the first character has no extension (".hidden").
  const stem = dot > 0 ? name.slice(0, dot) : name;
  return `${path.slice(0, path.length - name.length)}${stem}.bin.tmp`;
}

export interface FileInfo {
  size: number;
  mtimeMs: number;
  ino: number;
  dev: number;
  mode: number;
  uid: number;
}

export type ReadResult =
  | { state: 'ok'; bytes: Uint8Array; info: FileInfo }
  | { state: 'missing'; path: string; note?: string }
  | { state: 'error'; error: FileError };

function info(st: Stats): FileInfo {
  return { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, dev: st.dev, mode: st.mode, uid: st.uid };
}

export function fileTypeName(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'a regular file';
}

function notRegular(path: string, st: Stats, via?: string): FileError {
  return {
    kind: 'not-regular',
    path,
    message: `${path}${via ? ` (a symlink to ${via})` : ''} is ${fileTypeName(st)}, not a regular file: a journal is a small regular file. It was not opened, so nothing blocked or changed.`,
  };
}

function tooLarge(path: string, size: number, max: number): FileError {
  return {
    kind: 'too-large',
    path,
    message: `${path} is ${size} bytes; a journal is under 64 bytes (postcard) or a few hundred (JSON), so files over ${max} bytes are not read. This is not a handoff journal.`,
  };
}

/**
 * Reads a journal file without ever blocking: the type is checked with stat before
 * opening, the open is non-blocking, and the opened descriptor is checked again.
 * A missing file (or one deleted mid-read) is `missing`: no handoff in flight.
 */
export async function readJournalFile(path: string, maxBytes = MAX_JOURNAL_BYTES): Promise<ReadResult> {
  let st: Stats;
  let via: string | undefined;
  try {
    st = await lstat(path);
    if (st.isSymbolicLink()) {
      via = await readlink(path).catch(() => '?');
      try {
        st = await stat(path);
      } catch (e) {
        if (errnoCode(e) === 'ENOENT') return { state: 'missing', path, note: `${path} is a dangling symlink to ${via}` };
        throw e;
      }
    }
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return { state: 'missing', path };
    return { state: 'error', error: toFileError('reading', path, e) };
  }
  if (!st.isFile()) return { state: 'error', error: notRegular(path, st, via) };
  if (st.size > maxBytes) return { state: 'error', error: tooLarge(path, st.size, maxBytes) };
  let fh: FileHandle;
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return { state: 'missing', path, note: `${path} was deleted while it was being read` };
    return { state: 'error', error: toFileError('reading', path, e) };
  }
  try {
    // The path may have been replaced between stat and open: check what we opened.
    const fst = await fh.stat();
    if (!fst.isFile()) return { state: 'error', error: notRegular(path, fst) };
    if (fst.size > maxBytes) return { state: 'error', error: tooLarge(path, fst.size, maxBytes) };
    const buf = new Uint8Array(Math.min(maxBytes + 1, Math.max(fst.size + 1, 64)));
    let n = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
      n += bytesRead;
      // Reading the size fstat gave is enough (a short read of a regular file is its end);
      // a file that grew stops at the buffer's end, one byte past the cap check.
      if (bytesRead === 0 || n >= fst.size || n === buf.length) break;
    }
    if (n > maxBytes) return { state: 'error', error: tooLarge(path, n, maxBytes) };
    return { state: 'ok', bytes: buf.slice(0, n), info: info(fst) };
  } catch (e) {
    return { state: 'error', error: toFileError('reading', path, e) };
  } finally {
    await fh.close().catch(() => undefined);
  }
}

export type WriteResult = { ok: true } | { ok: false; error: FileError };

/** Test seam: the steps of an atomic write that a test may make fail. */
export interface WriteHooks {
  rename?: (from: string, to: string) => Promise<void>;
}

/** True when no process we can see holds `tmp` open and it has not changed for a while. */
async function tmpIsStale(tmp: string, now: number): Promise<boolean> {
  // /proc/<pid>/fd links name the real path, so resolve symlinks in the directory part.
  const target = join(await realpath(dirname(resolve(tmp))).catch(() => dirname(resolve(tmp))), basename(tmp));
  let unseen = false;
  let pids: string[] = [];
  try {
    pids = (await readdir('/proc')).filter((d) => /^\d+$/.test(d));
  } catch {
    unseen = true;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = await readdir(`/proc/${pid}/fd`);
    } catch {
      unseen = true; // another user's process, or it just exited
      continue;
    }
    for (const fd of fds) {
      const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      if (link === target) return false;
    }
  }
  if (!unseen) return true;
  // Some processes were not visible to us: only call it stale once it is quiet.
  const st = await stat(tmp).catch(() => undefined);
  return st === undefined || now - st.mtimeMs > 1000;
}

function busyError(tmp: string): Error {
  const err = new Error(`${tmp} is being written by another process`) as Error & { code: string };
  err.code = 'EBUSY';
  return err;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Creates the temp file exclusively, replacing a stale leftover of a dead writer. */
async function openTmpExclusive(tmp: string): Promise<FileHandle> {
  const deadline = Date.now() + 3000;
  for (let wait = 5; ; wait = Math.min(wait * 2, 200)) {
    try {
      return await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o666);
    } catch (e) {
      if (errnoCode(e) !== 'EEXIST') throw e;
    }
    if (await tmpIsStale(tmp, Date.now())) {
      await unlink(tmp).catch((e: unknown) => {
        if (errnoCode(e) !== 'ENOENT') throw e;
      });
      continue;
    }
    if (Date.now() > deadline) throw busyError(tmp);
    await sleep(wait);
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir === '' ? '.' : dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Atomically replaces `path` with `bytes`, as `StateJournal::write_atomic` does:
 * mkdir -p the parent, write the temp file, fsync it, rename it over the journal, fsync
 * the parent directory. On failure the previous journal is untouched and our temp file
 * is removed.
 */
export async function writeJournalAtomic(path: string, bytes: Uint8Array, hooks: WriteHooks = {}): Promise<WriteResult> {
  const tmp = tmpPathFor(path);
  if (tmp === path) {
    return {
      ok: false,
      error: { kind: 'bad-path', path, message: `${path} does not name a file, so there is nowhere to write a journal.` },
    };
  }
  const dir = dirname(path);
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    return { ok: false, error: toFileError('creating the directory for', path, e) };
  }
  let fh: FileHandle;
  try {
    fh = await openTmpExclusive(tmp);
  } catch (e) {
    const code = errnoCode(e);
    const err = toFileError('writing', code === 'EACCES' || code === 'EPERM' ? dir : code === 'EBUSY' ? tmp : path, e);
    if (err.kind === 'busy')
      err.message = `${tmp} is being written by another process right now (the supervisor or another repair); nothing was changed. Try again in a moment.`;
    return { ok: false, error: err };
  }
  // The supervisor writes the same temp name without O_EXCL, so before renaming (and
  // before cleaning up) make sure the temp file is still the inode we wrote.
  let ours: { ino: number; dev: number } | undefined;
  const stillOurs = async (size?: number): Promise<boolean> => {
    const st = await lstat(tmp).catch(() => undefined);
    return st !== undefined && ours !== undefined && st.ino === ours.ino && st.dev === ours.dev && (size === undefined || st.size === size);
  };
  try {
    try {
      const st = await fh.stat();
      ours = { ino: st.ino, dev: st.dev };
      let off = 0;
      while (off < bytes.length) off += (await fh.write(bytes, off, bytes.length - off)).bytesWritten;
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (!(await stillOurs(bytes.length))) throw busyError(tmp);
    await (hooks.rename ?? rename)(tmp, path);
  } catch (e) {
    if (await stillOurs()) await unlink(tmp).catch(() => undefined);
    const err = toFileError('writing', path, e);
    if (err.kind === 'busy')
      err.message = `another process (probably the supervisor) wrote ${tmp} at the same moment; nothing was changed. Look at the journal again, then retry.`;
    return { ok: false, error: err };
  }
  try {
    await fsyncDir(dir);
  } catch (e) {
    return { ok: false, error: toFileError('writing', dir, e) };
  }
  return { ok: true };
}

export type DeleteResult = { ok: true; existed: boolean } | { ok: false; error: FileError };

/** Removes a file, as `StateJournal::delete`: a missing file is success. Then fsyncs the directory. */
export async function deleteJournalFile(path: string): Promise<DeleteResult> {
  try {
    await unlink(path);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return { ok: true, existed: false };
    return { ok: false, error: toFileError('deleting', path, e) };
  }
  // Not in the Rust `delete`, but it makes the removal survive a power cut like a write.
  await fsyncDir(dirname(path)).catch(() => undefined);
  return { ok: true, existed: true };
}

/** lstat that returns undefined for a missing path. */
export async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return undefined;
    throw e;
  }
}
