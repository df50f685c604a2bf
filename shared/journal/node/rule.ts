/**
 * Applies the one journal rule (shared/journal/rule.ts) to a path on this host: `..` is
 * resolved, then the real path of its folder and, for a symlink, the real path of what
 * it points to are judged too, so neither a `../` walk nor a link named `state.bin`
 * can lead a change to another file.
 */
import { lstat, readlink, realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { notAJournalReason, type JournalRule } from '../rule';

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

/** The rule with each config journal also in its real-path form. */
async function withRealConfigJournals(rule: JournalRule): Promise<JournalRule> {
  const all = new Set(rule.configJournals.map((p) => resolve(p)));
  for (const p of [...all]) all.add(await realDir(p));
  return { patterns: rule.patterns, configJournals: [...all] };
}

/** Undefined when `path` is a journal under the rule; else why it is not. */
export async function checkJournalPath(path: string, rule: JournalRule): Promise<string | undefined> {
  return notAJournalReason(resolve(path), await resolvedForms(path), await withRealConfigJournals(rule));
}
