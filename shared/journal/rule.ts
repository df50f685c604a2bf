/**
 * What counts as a journal, as one rule for the CLI and the language server: a file
 * named like a journal (`state.bin`, or a name pattern from `handoffJournal.files.patterns`)
 * or the `journal` of a discovered supervisor config. Reset, delete, undo and deleting a
 * temp file touch nothing else, with or without force: force overrides protocol and
 * liveness checks, never which files may be changed. The Node part
 * (shared/journal/node/rule.ts) applies it to a path after resolving `..` and symlinks.
 * Pure.
 */
import { matchesName } from '../util';

/** The supervisor's file name (journal-semantics.md: `/var/lib/beyond/handoff/<service>/state.bin`). */
export const JOURNAL_FILE_NAME = 'state.bin';

export interface JournalRule {
  /** Extra file-name patterns (`state.json`, `*.journal`); `state.bin` always counts. */
  patterns: readonly string[];
  /** Absolute journal paths named by discovered supervisor configs. */
  configJournals: readonly string[];
}

export const DEFAULT_JOURNAL_RULE: JournalRule = { patterns: [], configJournals: [] };

/**
 * Usable name patterns: a single path segment with at least one character that is not a
 * wildcard, so no setting can make every file (`*`, `?*`) a journal.
 */
export function usableNamePatterns(patterns: readonly unknown[]): string[] {
  return patterns.filter((p): p is string => typeof p === 'string' && p !== '' && !p.includes('/') && /[^*?]/.test(p));
}

/** Whether a file name is a journal's name under the rule. */
export function isJournalName(name: string, rule: JournalRule): boolean {
  return name === JOURNAL_FILE_NAME || usableNamePatterns(rule.patterns).some((p) => matchesName(name, p));
}

/** The base name of an absolute POSIX path. */
function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/**
 * Judges resolved paths (the path with `..` resolved, its real path, and the real path of
 * a symlink's target): every one must be a journal by name or a config's journal.
 * Returns undefined when they are, else the sentence that says why not.
 */
export function notAJournalReason(path: string, resolved: readonly string[], rule: JournalRule): string | undefined {
  for (const p of resolved) {
    if (isJournalName(baseName(p), rule) || rule.configJournals.includes(p)) continue;
    const names = [JOURNAL_FILE_NAME, ...usableNamePatterns(rule.patterns)].join(', ');
    const via = p === path ? '' : ` (it resolves to ${p})`;
    return `${path}${via} is not a handoff journal: only files named ${names} or the \`journal\` of a supervisor config are changed, with or without force.`;
  }
  return undefined;
}
