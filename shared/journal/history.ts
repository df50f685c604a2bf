/**
 * The observed history of one journal: what a file watcher saw change, handoffs that ran
 * and ended between two reads (the real supervisor's quick handoff is on disk for about
 * 5 ms), and what the supervisor's log and trigger replies say happened. Bounded, and
 * bursts of quick handoffs are summarised in one entry instead of flooding it. Pure.
 */
import type { Phase } from './model';
import type { Verdict } from './transitions';

export type FileState = { state: 'ok'; bytes: Uint8Array } | { state: 'missing'; note?: string } | { state: 'error'; message: string };

export interface HistoryEntry {
  /** Unix ms when the change was observed. */
  at: number;
  /** Phase observed, or null when there was no decodable journal (see `label`). */
  phase: Phase | null;
  /** What to show when `phase` is null and the file was there: `undecodable` / `unreadable`. */
  label?: string;
  handoffId?: string;
  /** The transition check's message for this change. */
  message: string;
  verdict: Verdict;
  /** Where it comes from: the file watcher (default), the supervisor's log, or a trigger reply. */
  source?: 'watch' | 'log' | 'reply';
  /** For a summary of quick handoffs (shared/journal/history.ts): how many, and the slowest, in ms. */
  count?: number;
  longestMs?: number;
}

/** Entries kept per journal. */
export const MAX_HISTORY = 200;
/** Quick handoffs this close together share one summary entry. */
export const QUICK_SUMMARY_MS = 60_000;

/** A summary of quick handoffs: the watcher's entry that counts them. */
export function isQuickSummary(h: HistoryEntry | undefined): h is HistoryEntry & { count: number } {
  return h !== undefined && h.count !== undefined && (h.source ?? 'watch') === 'watch';
}
/** A directory watch sees a burst as fewer changes than there were handoffs: its count is a lower bound. */
const quickLabel = (n: number): string => `at least ${n} handoff${n === 1 ? '' : 's'} ran`;
const WHY =
  "a directory watch cannot count handoffs that come faster than it reads; the supervisor's log can (journald, or handoffJournal.supervisor.logFiles)";

/** Appends an entry, dropping the oldest beyond the cap. */
export function pushEntry(history: HistoryEntry[], entry: HistoryEntry): void {
  history.push(entry);
  if (history.length > MAX_HISTORY) history.splice(0, history.length - MAX_HISTORY);
}

/**
 * Records a handoff whose journal was written and deleted between two reads: the
 * directory saw the journal's name change, yet both reads found no journal. Within a
 * minute of the previous one, the last entry becomes a count, which is a lower bound
 * ("at least 12 handoffs ran"): a watch coalesces events, so a burst of 210 handoffs in
 * 1.5 s may be seen as one. The supervisor's log gives the real count (the server then
 * replaces these entries with its records).
 */
export function recordQuickHandoff(history: HistoryEntry[], at: number, withinMs: number): void {
  const last = history[history.length - 1];
  const ms = Math.max(1, Math.round(withinMs));
  if (isQuickSummary(last) && at - last.at <= QUICK_SUMMARY_MS) {
    last.count += 1;
    last.longestMs = Math.max(last.longestMs ?? 0, ms);
    last.label = quickLabel(last.count);
    last.message = `at least ${last.count} handoffs ran and ended within ${Math.round((at - last.at) / 1000)} s of each other, between reads (the longest gap ${last.longestMs} ms): their journals were written and deleted too fast to see a phase; ${WHY}.`;
    return;
  }
  pushEntry(history, {
    at,
    phase: null,
    verdict: 'none',
    count: 1,
    longestMs: ms,
    label: quickLabel(1),
    source: 'watch',
    message: `at least 1 handoff ran and ended within ${ms} ms, between two reads: its journal was written and deleted too fast to see a phase (the reference supervisor's quick handoff takes about 5 ms); ${WHY}.`,
  });
}

function key(h: HistoryEntry): string {
  return `${h.source ?? 'watch'}\u0000${h.at}\u0000${h.handoffId ?? ''}\u0000${h.message}`;
}

/**
 * Merges entries from the supervisor's log or a trigger reply into the history, in time
 * order; an entry already there (same source, time, id and message) is not added twice.
 */
export function mergeEntries(history: HistoryEntry[], entries: readonly HistoryEntry[]): void {
  const known = new Set(history.map(key));
  const fresh = entries.filter((e) => !known.has(key(e)));
  if (fresh.length === 0) return;
  const all = [...history, ...fresh].sort((a, b) => a.at - b.at);
  history.splice(0, history.length, ...all.slice(-MAX_HISTORY));
}
