/**
 * What counts as a journal, as one rule for the CLI and the language server: a file
 * named like a journal (`state.bin`, or a name pattern from `handoffJournal.files.patterns`)
 * or the `journal` of a discovered supervisor config. Reset, delete, undo and deleting a
 * temp file touch nothing else, with or without force: force overrides protocol and
 * liveness checks, never which files may be changed. A config's `journal` counts as
 * itself only (no symlink on the way to it), unless the config is installed on the host
 * (root's, under /etc): then its real path counts too. The Node part
 * (shared/journal/node/rule.ts) applies it to a path after resolving `..` and symlinks,
 * and decides which configs are installed. Pure.
 */
import { matchesName } from '../util';

/** The supervisor's file name (journal-semantics.md: `/var/lib/beyond/handoff/<service>/state.bin`). */
export const JOURNAL_FILE_NAME = 'state.bin';

/**
 * A plain service name (the journal's folder): letters, digits, `_`, `.`, `@`, `-`, not
 * starting with `-` or `.`, at most 128 characters. Safe as one argument anywhere, a
 * remote shell included; what `${service}` in a log command and the standard journal
 * path's `<service>` must be.
 */
export const SAFE_SERVICE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,127}$/;

export interface JournalRule {
  /** Extra file-name patterns (`state.json`, `*.journal`); `state.bin` always counts. */
  patterns: readonly string[];
  /**
   * Absolute journal paths named by supervisor configs. Each counts only as itself: a
   * path whose folder or file is reached through a symlink is judged by its real path,
   * which must then be a journal by name (a repository's config cannot name a file
   * elsewhere through a link).
   */
  configJournals: readonly string[];
  /** Journal paths named by configs installed on the host (`isInstalledConfig`): their real paths count too. */
  installedJournals?: readonly string[];
  /** A sentence added to every refusal, e.g. why a config given under sudo does not count. */
  note?: string;
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
    if (isJournalName(baseName(p), rule) || rule.configJournals.includes(p) || rule.installedJournals?.includes(p)) continue;
    const names = [JOURNAL_FILE_NAME, ...usableNamePatterns(rule.patterns)].join(', ');
    const real = resolved[resolved.length - 1] ?? p;
    const via = real === path ? '' : ` (it resolves to ${real})`;
    const note = rule.note ? ` ${rule.note}` : '';
    return `${path}${via} is not a handoff journal: only files named ${names} or the \`journal\` of a supervisor config are changed, with or without force.${note}`;
  }
  return undefined;
}
