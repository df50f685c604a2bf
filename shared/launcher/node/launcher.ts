/**
 * The `handoff-journal` launcher that "Install 'handoff-journal' Command in PATH" writes:
 * a small `/bin/sh` script (dash on Debian, so POSIX quoting only, never `$'…'`) that
 * runs the bundled CLI with the VS Code server's own Node, and where it may go. Retry as
 * Sudo… runs it as root (`sudo -- <launcher>`), so it goes only into a folder no other
 * user can write (owned by this user or root, not group- or other-writable, not a
 * sticky shared folder, and so up to /), and paths with control characters are refused.
 * Writing it is install.ts.
 */
import { constants } from 'node:fs';
import { access, lstat, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { cleanText, hasUnsafeText, posixQuote } from '../../util';

export const LAUNCHER_NAME = 'handoff-journal';
export const LAUNCHER_MARKER = '# handoff-journal launcher, written by the Handoff Journal extension';

/** A launcher cannot be written for this Node or extension path: the message says why and what to do. */
export class LauncherError extends Error {}

/** Refuses a path a launcher script must not carry (a control character, a line separator, a bidi control). */
function plainPath(what: string, path: string): string {
  if (hasUnsafeText(path))
    throw new LauncherError(
      `the ${what} path ${cleanText(path)} holds a control, line-separator or bidi character; no launcher is written for it. Install VS Code's server or the extension under a plain path, or run the CLI as \`node dist/cli.js\`.`,
    );
  return path;
}

/** The launcher script for this extension and this Node (throws LauncherError for a path with control characters). */
export function launcherScript(node: string, cli: string): string {
  const q = (what: string, p: string): string => posixQuote(plainPath(what, p));
  return `#!/bin/sh
${LAUNCHER_MARKER}
# ("Install 'handoff-journal' Command in PATH"; rewritten when the extension starts).
if [ ! -f ${q('extension', cli)} ]; then
  echo ${posixQuote(`handoff-journal: the extension this launcher points to is gone (${cli}); open VS Code once to update it, or run "Uninstall 'handoff-journal' Command from PATH".`)} >&2
  exit 127
fi
exec ${q('Node', node)} ${q('extension', cli)} "$@"
`;
}

export function pathDirs(): string[] {
  return (process.env.PATH ?? '').split(delimiter).filter((d) => d.startsWith('/'));
}

function modeText(mode: number): string {
  return `0${(mode & 0o7777).toString(8)}`;
}

const myUid = (): number => process.geteuid?.() ?? 0;

/**
 * Why no other user can be kept from changing what is in `dir`, or undefined when none
 * can: its real path is a folder owned by `uid` or root, writable by neither group nor
 * others and not sticky (a shared folder like /tmp), and every folder above it is owned
 * by `uid` or root and either writable by no one else or sticky (so no one else can
 * rename what is in it).
 */
export async function unsafeDirReason(dir: string, uid = myUid()): Promise<string | undefined> {
  let real: string;
  try {
    real = await realpath(dir);
  } catch (e) {
    return `${dir} cannot be resolved (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
  }
  for (let p = real, first = true; ; p = dirname(p), first = false) {
    const st = await lstat(p).catch(() => undefined);
    if (!st?.isDirectory()) return `${p} is not a folder`;
    if (st.uid !== uid && st.uid !== 0) return `${p} is owned by uid ${st.uid}, not by you (uid ${uid}) or root`;
    const shared = (st.mode & 0o022) !== 0;
    if (first && (st.mode & 0o1000) !== 0) return `${p} is a shared sticky folder (mode ${modeText(st.mode)})`;
    if (shared && (first || (st.mode & 0o1000) === 0)) return `${p} is writable by its group or others (mode ${modeText(st.mode)})`;
    if (p === '/') return undefined;
  }
}

async function writable(dir: string): Promise<boolean> {
  return access(dir, constants.W_OK).then(
    () => true,
    () => false,
  );
}

/**
 * `~/.local/bin` when it is on PATH, else the first folder on PATH this user can write
 * that no other user can (`unsafeDirReason`), else `~/.local/bin` (not on PATH).
 */
export async function chooseDir(home = homedir(), dirs = pathDirs(), uid = myUid()): Promise<{ dir: string; onPath: boolean }> {
  const local = join(home, '.local', 'bin');
  if (dirs.includes(local)) return { dir: local, onPath: true };
  for (const d of dirs) if ((await writable(d)) && (await unsafeDirReason(d, uid)) === undefined) return { dir: d, onPath: true };
  return { dir: local, onPath: false };
}
