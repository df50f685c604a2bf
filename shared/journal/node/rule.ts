/**
 * Applies the one journal rule (shared/journal/rule.ts) to a path on this host: `..` is
 * resolved, then the real path of its folder and, for a symlink, the real path of what
 * it points to are judged too, so neither a `../` walk nor a link named `state.bin`
 * can lead a change to another file. Also what root may trust: whether a supervisor
 * config is installed on the host (`notInstalledReason`), and the standard journal of a
 * service (`isOwnServiceJournal`).
 */
import { lstat, readlink, realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { JOURNAL_FILE_NAME, notAJournalReason, SAFE_SERVICE_NAME, type JournalRule } from '../rule';

async function realDir(path: string): Promise<string> {
  return join(await realpath(dirname(path)).catch(() => dirname(path)), basename(path));
}

/** The forms a path takes once `..` and symlinks are resolved (the path itself first). */
export async function resolvedForms(path: string): Promise<string[]> {
  const abs = resolve(path);
  const forms = new Set([abs, await realDir(abs)]);
  const st = await lstat(abs).catch(() => undefined);
  if (st?.isSymbolicLink()) {
    const target = await realpath(abs).catch(async () => realDir(resolve(dirname(abs), await readlink(abs).catch(() => basename(abs)))));
    forms.add(target);
  }
  return [...forms];
}

/** The file a change of `path` would really touch (symlinks resolved), when that is another path; else undefined. */
export async function realPathOf(path: string): Promise<string | undefined> {
  const forms = await resolvedForms(path);
  const real = forms[forms.length - 1] as string;
  return real === resolve(path) ? undefined : real;
}

/** The rule with each installed config's journal also in its real-path form (only theirs: see JournalRule). */
async function withRealInstalledJournals(rule: JournalRule): Promise<JournalRule> {
  const all = new Set((rule.installedJournals ?? []).map((p) => resolve(p)));
  for (const p of [...all]) all.add(await realDir(p));
  return { ...rule, configJournals: rule.configJournals.map((p) => resolve(p)), installedJournals: [...all] };
}

/** Undefined when `path` is a journal under the rule; else why it is not. */
export async function checkJournalPath(path: string, rule: JournalRule): Promise<string | undefined> {
  return notAJournalReason(resolve(path), await resolvedForms(path), await withRealInstalledJournals(rule));
}

/** Where the supervisor keeps its journals: `<root>/<service>/state.bin` (journal-semantics.md). */
export const STANDARD_JOURNAL_ROOT = '/var/lib/beyond/handoff';

/**
 * Whether `journal` is its service's own journal: exactly
 * `/var/lib/beyond/handoff/<service>/state.bin` (the service named, as everywhere in the
 * product, by that folder; a plain name), reached through no symlink (its real path is
 * itself).
 */
export async function isOwnServiceJournal(journal: string): Promise<boolean> {
  const service = basename(dirname(journal));
  if (journal !== `${STANDARD_JOURNAL_ROOT}/${service}/${JOURNAL_FILE_NAME}` || !SAFE_SERVICE_NAME.test(service)) return false;
  return (await resolvedForms(journal)).every((f) => f === journal);
}

function modeText(mode: number): string {
  return `0${(mode & 0o7777).toString(8)}`;
}

/**
 * Undefined when the config at `path` is installed on the host: its real path is under
 * /etc, it is a regular file, and it and every folder from it up to / are owned by root
 * and writable by neither group nor others (checked with lstat on the real chain, so no
 * link is followed). Else the reason, as a sentence fragment naming the culprit.
 */
export async function notInstalledReason(path: string): Promise<string | undefined> {
  let real: string;
  try {
    real = await realpath(path);
  } catch (e) {
    return `it cannot be resolved (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
  }
  if (!real.startsWith('/etc/')) return `its real path ${real} is not under /etc`;
  for (let p = real; ; p = dirname(p)) {
    const st = await lstat(p).catch(() => undefined);
    if (!st) return `${p} cannot be read`;
    if (st.isSymbolicLink()) return `${p} became a symbolic link`;
    if (p === real && !st.isFile()) return `${p} is not a regular file`;
    if (st.uid !== 0) return `${p} is owned by uid ${st.uid}, not root`;
    if ((st.mode & 0o022) !== 0) return `${p} is writable by its group or others (mode ${modeText(st.mode)})`;
    if (p === '/') return undefined;
  }
}
