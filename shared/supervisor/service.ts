/**
 * The service a journal or a supervisor config belongs to, named one way everywhere (the
 * Journals view, the diagram's title, `status`, `metrics`, the log look-up's
 * `${service}` and `handoffJournal.supervisor.logFiles` keys). The supervisor's journal
 * lives at `/var/lib/beyond/handoff/<service>/state.bin` (journal-semantics.md), so the
 * journal's folder names the service; a config without a journal is named by its file.
 * Pure: POSIX paths as strings.
 */

/** A journal path, a supervisor config path, or both (a config and the journal it names). */
export type ServiceSource = { journal: string; config?: string } | { journal?: string; config: string };

function segments(path: string): string[] {
  return path.split('/').filter(Boolean);
}

/** The journal's folder name; else the config's file name without `.toml`; else the journal's own name. */
export function serviceName(s: ServiceSource): string {
  const journal = s.journal ? segments(s.journal) : [];
  if (journal.length >= 2) return journal[journal.length - 2] as string;
  if (s.config) return (segments(s.config).pop() ?? s.config).replace(/\.toml$/, '');
  return journal[0] ?? s.journal ?? '';
}
