/**
 * Expected file-system failures as values: a kind, the path, the errno code and a
 * sentence that says what to do. Used by the atomic-write module, the CLI and the server.
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { userNameOfSync } from './users';

export type FileErrorKind =
  'permission' | 'read-only-fs' | 'not-found' | 'not-regular' | 'symlink-loop' | 'too-large' | 'busy' | 'no-space' | 'bad-path' | 'io';

export interface FileError {
  kind: FileErrorKind;
  path: string;
  /** The errno code (`EACCES`, ...) when the failure came from the OS. */
  code?: string;
  message: string;
}

export type FileOp = 'reading' | 'writing' | 'deleting' | 'creating the directory for';

/** The user name for a uid through NSS (`getent passwd`, users.ts), or `uid N`. */
export function userName(uid: number): string {
  return userNameOfSync(uid) ?? `uid ${uid}`;
}

/** Who this process runs as, for "you are alice (uid 1000)" (the same NSS look-up as every other name). */
function currentUser(): string {
  const uid = process.getuid?.();
  if (uid === undefined) return 'this user';
  return `${userName(uid)} (uid ${uid})`;
}

/** Who owns the path, or the nearest folder above it this user can look at (the one that shuts it out). */
function ownerOf(path: string): string {
  for (let p = path; ; p = dirname(p)) {
    try {
      const st = statSync(p);
      const what = p === path ? (st.isDirectory() ? 'the directory' : 'the file') : `its folder ${p}`;
      return `${what} is owned by ${userName(st.uid)} with mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}`;
    } catch {
      // Not visible from here: try the folder above.
    }
    if (p === dirname(p)) return 'you do not have access to it';
  }
}

export function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/** Turns an OS error into a `FileError` with an actionable sentence. */
export function toFileError(op: FileOp, path: string, e: unknown): FileError {
  const code = errnoCode(e);
  const base = { path, ...(code ? { code } : {}) };
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return {
        ...base,
        kind: 'permission',
        message: `permission denied ${op} ${path}: ${ownerOf(path)}, and you are ${currentUser()}; do it as root (sudo).`,
      };
    case 'EROFS':
      return {
        ...base,
        kind: 'read-only-fs',
        message: `cannot change ${path}: it is on a read-only file system. Remount it read-write (or repair a copy) and try again.`,
      };
    case 'ENOENT':
      return { ...base, kind: 'not-found', message: `${path} does not exist (it may have been deleted meanwhile).` };
    case 'ENOTDIR':
      return { ...base, kind: 'bad-path', message: `${path}: a part of the path is not a directory.` };
    case 'ENAMETOOLONG':
      return { ...base, kind: 'bad-path', message: `${path}: the path is too long.` };
    case 'EISDIR':
      return { ...base, kind: 'not-regular', message: `${path} is a directory, not a journal file.` };
    case 'ELOOP':
      return {
        ...base,
        kind: 'symlink-loop',
        message: `${path} is a symlink loop (too many levels of symbolic links); fix or remove the link.`,
      };
    case 'EBUSY':
    case 'ETXTBSY':
      return { ...base, kind: 'busy', message: `${path} is busy (${code}); another process holds it. Try again in a moment.` };
    case 'ENOSPC':
    case 'EDQUOT':
      return {
        ...base,
        kind: 'no-space',
        message: `no space left ${op} ${path} (${code}); free space on that file system and try again. The old journal is unchanged.`,
      };
    default:
      return { ...base, kind: 'io', message: `error ${op} ${path}: ${e instanceof Error ? e.message : String(e)}` };
  }
}
