/**
 * Writing, checking and removing the launcher. Root may run it (Retry as Sudo… runs
 * `sudo -- <launcher>`), so: only into a folder no other user can write
 * (launcher.ts `unsafeDirReason`); never over a file that is not this user's own
 * launcher; the new text goes into a temp file created exclusively without following
 * links (`O_CREAT|O_EXCL|O_NOFOLLOW`, mode 0755 from the start), renamed over the
 * target; and afterwards the target must be this user's own regular file with exactly
 * that text, or the install fails.
 */
import { randomBytes } from 'node:crypto';
import { constants, lstatSync, openSync, readSync, closeSync, type Stats } from 'node:fs';
import { lstat, mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LAUNCHER_MARKER, LauncherError, unsafeDirReason } from './launcher';

/** The biggest launcher read back: ours is a few hundred bytes. */
const MAX_LAUNCHER_BYTES = 64 * 1024;
const myUid = (): number => process.geteuid?.() ?? 0;

/** The text of a regular file at `path`, read without following a link and at most MAX_LAUNCHER_BYTES; undefined when there is none. */
function readOwn(path: string): { text: string; st: Stats } | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = lstatSync(path);
    const buf = Buffer.alloc(MAX_LAUNCHER_BYTES + 1);
    let n = 0;
    for (let r = 1; r > 0 && n < buf.length; n += r) r = readSync(fd, buf, n, buf.length - n, n);
    return { text: buf.subarray(0, n).toString('utf8'), st };
  } finally {
    closeSync(fd);
  }
}

/**
 * Why the file at `path` is not this user's own launcher with exactly `script`, or
 * undefined when it is: a regular file (not a link), owned by this user, mode 0755, with
 * that text. Checked before a sudo run uses it.
 */
export function launcherProblem(path: string, script: string, uid = myUid()): string | undefined {
  const own = readOwn(path);
  if (!own) return `${path} is missing or a symbolic link`;
  if (!own.st.isFile()) return `${path} is not a regular file`;
  if (own.st.uid !== uid) return `${path} is owned by uid ${own.st.uid}, not by you (uid ${uid})`;
  if ((own.st.mode & 0o7777) !== 0o755) return `${path} has mode 0${(own.st.mode & 0o7777).toString(8)}, not 0755`;
  if (own.text !== script) return `${path} does not hold the launcher this extension writes`;
  return undefined;
}

/** Creates `path` exclusively, never through a link, mode 0755 from the start, with `text`; fsynced. */
export async function createExclusive(path: string, text: string): Promise<void> {
  const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o755);
  try {
    await fh.chmod(0o755); // the umask may have taken bits at creation; this is our own new inode
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function refuseUnsafeDir(dir: string): Promise<void> {
  const why = await unsafeDirReason(dir);
  if (why !== undefined) throw new LauncherError(`${dir} is not a safe place for a command root may run: ${why}.`);
}

/**
 * Writes the launcher `script` at `path` (see the module comment); throws LauncherError
 * with the reason when it cannot be done safely.
 */
export async function installLauncherFile(path: string, script: string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  await refuseUnsafeDir(dir);
  const st = await lstat(path).catch(() => undefined);
  if (st) {
    const own = readOwn(path);
    if (st.isSymbolicLink() || !st.isFile()) throw new LauncherError(`${path} exists and is not a regular file; remove it first`);
    if (st.uid !== myUid()) throw new LauncherError(`${path} exists and belongs to uid ${st.uid}, not to you; remove it first`);
    if (!own?.text.includes(LAUNCHER_MARKER))
      throw new LauncherError(`${path} exists and was not written by Handoff Journal; remove it first`);
  }
  if (launcherProblem(path, script) !== undefined) {
    const tmp = join(dir, `.${randomBytes(8).toString('hex')}.handoff-journal.tmp`);
    await createExclusive(tmp, script);
    try {
      await rename(tmp, path);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }
  const problem = launcherProblem(path, script);
  if (problem !== undefined) throw new LauncherError(`the launcher did not land as written: ${problem}`);
}

/** Removes `path` when it is this user's own launcher (a regular file with our marker); false when it is not one. */
export async function removeLauncherFile(path: string): Promise<boolean> {
  const own = readOwn(path);
  if (!own || !own.st.isFile() || own.st.uid !== myUid() || !own.text.includes(LAUNCHER_MARKER)) return false;
  await unlink(path);
  return true;
}
