/**
 * The `handoff-journal` launcher that "Install 'handoff-journal' Command in PATH" writes:
 * a small sh script that runs the bundled CLI with the VS Code server's own Node, and
 * where it goes (`~/.local/bin`, or the first folder on PATH this user can write).
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { shellQuote } from '../../util';

export const LAUNCHER_NAME = 'handoff-journal';
export const LAUNCHER_MARKER = '# handoff-journal launcher, written by the Handoff Journal extension';

/** The launcher script for this extension and this Node. */
export function launcherScript(node: string, cli: string): string {
  return `#!/bin/sh
${LAUNCHER_MARKER}
# ("Install 'handoff-journal' Command in PATH"; rewritten when the extension starts).
if [ ! -f ${shellQuote(cli)} ]; then
  echo ${shellQuote(`handoff-journal: the extension this launcher points to is gone (${cli}); open VS Code once to update it, or run "Uninstall 'handoff-journal' Command from PATH".`)} >&2
  exit 127
fi
exec ${shellQuote(node)} ${shellQuote(cli)} "$@"
`;
}

export function pathDirs(): string[] {
  return (process.env.PATH ?? '').split(delimiter).filter((d) => d.startsWith('/'));
}

async function writable(dir: string): Promise<boolean> {
  return access(dir, constants.W_OK).then(
    () => true,
    () => false,
  );
}

/** `~/.local/bin` when it is on PATH, else the first folder on PATH this user can write, else `~/.local/bin`. */
export async function chooseDir(home = homedir(), dirs = pathDirs()): Promise<{ dir: string; onPath: boolean }> {
  const local = join(home, '.local', 'bin');
  if (dirs.includes(local)) return { dir: local, onPath: true };
  for (const d of dirs) if (await writable(d)) return { dir: d, onPath: true };
  return { dir: local, onPath: false };
}
