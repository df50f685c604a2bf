/**
 * What to say when a journal path names a directory (e.g. /var/lib/beyond/handoff/): it is
 * not a missing journal and not a broken one, so the message says it is a directory and
 * names the journals in it (FOLDER/state.bin and FOLDER/<name>/state.bin, found with the
 * bounded glob walk), each as the command to run on it. `journalsUnder` does the I/O;
 * `directoryMessage` and `directorySuggestions` are pure, for the CLI and the server.
 */
import { stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { shellLine } from '../../util';
import { expandGlobs } from '../../util/node';

export interface JournalsUnder {
  /** The directory as it was given. */
  dir: string;
  /** Regular files named state.bin in the directory or one level below, as `dir` + the rest; sorted, at most `limit`. */
  journals: string[];
  /** True when there were more than `limit` (or the walk was cut short). */
  truncated: boolean;
}

/** Sub-directorys looked into, whatever the directory holds (a fleet host has a few hundred services). */
const MAX_CANDIDATES = 5_000;

/** Journals in a directory given as `dir` (relative or absolute); at most `limit`. */
export async function journalsUnder(dir: string, limit = 20): Promise<JournalsUnder> {
  const abs = resolve(dir);
  // The walk returns DIR/<each sub-directory>/state.bin without looking (idle services have
  // none: the supervisor deletes it after a handoff), so it is capped high and each
  // candidate is checked below. The directory's own name may hold `*` or `?`: keep only
  // paths really in it or one level below.
  const found = await expandGlobs([join(abs, 'state.bin'), join(abs, '*', 'state.bin')], MAX_CANDIDATES, MAX_CANDIDATES);
  const inside = found.paths.filter((p) => {
    const rel = relative(abs, p).split('/');
    return !rel.includes('..') && rel.length <= 2;
  });
  const files: string[] = [];
  for (const p of inside) {
    // The walk does not check the last segment: keep regular files (symlinks to them too).
    if ((await stat(p).catch(() => undefined))?.isFile()) files.push(join(dir, relative(abs, p)));
  }
  const truncated = found.truncated || files.length > limit;
  return { dir, journals: files.slice(0, limit), truncated };
}

/** One sentence: the path is a directory, and which journals it holds (or that it holds none). */
export function directoryMessage(found: JournalsUnder): string {
  const n = found.journals.length;
  const head = `${found.dir} is a directory, not a journal`;
  if (n === 0) {
    const where = `${join(found.dir, 'state.bin')} or ${join(found.dir, '*', 'state.bin')}`;
    return `${head}, and it holds no journal (no ${where}: no handoff in flight in it). Give the path of a state.bin file.`;
  }
  const more = found.truncated ? ' and more' : '';
  const count = found.truncated ? `more than ${n} journals` : n === 1 ? 'one journal' : `${n} journals`;
  return `${head}; it holds ${count}: ${found.journals.join(', ')}${more}.`;
}

/**
 * The command line to run on each journal: `argv` with the directory replaced by the
 * journal (e.g. `['reset', DIR, '--phase', 'Draining']`), quoted for a POSIX shell.
 */
export function directorySuggestions(found: JournalsUnder, argv: readonly string[], program = 'handoff-journal'): string[] {
  const at = argv.indexOf(found.dir);
  return found.journals.map((j) => shellLine([program, ...(at < 0 ? [...argv, j] : argv.map((a, i) => (i === at ? j : a)))]));
}

/** Whether `path` is a directory (following symlinks); false when it cannot be looked at. */
export async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() === true;
}
