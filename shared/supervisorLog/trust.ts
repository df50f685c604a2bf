/**
 * What the supervisor's log can and cannot prove. The daemons it starts inherit its
 * stderr, so they write into the same stream: a daemon can print a line in the
 * supervisor's own format (a fake `handoff.commit`, a fake abort reason). journald can
 * tell other processes apart (their lines are daemon output, journald.ts); a log file or
 * a command cannot, and neither can anything tell a daemon writing to the supervisor's
 * own stderr. So the view says so, and an outcome that the journal on disk contradicts
 * is marked. Pure.
 */
import type { Phase } from '../journal';
import type { HandoffSummary } from './handoff';

/** The note every log view and `log` output carries about its source. */
export function streamNote(source: 'journald' | 'file' | 'command'): string {
  const shared =
    "the daemons the supervisor starts write to its stderr, so a line there in the supervisor's format may be a daemon's; check the outcome against the journal on disk.";
  return source === 'journald'
    ? `lines journald attributes to other processes are shown as daemon output; ${shared}`
    : `daemon output shares this stream and nothing in it tells who wrote a line: ${shared}`;
}

/** The journal on disk: its handoff id (lowercase hyphenated) and phase. */
export interface DiskJournal {
  id: string;
  phase: Phase;
}

/**
 * A sentence when the journal on disk contradicts what the log says: the log's last
 * step leaves no journal (committed, aborted at a seal, resumed, cleared), yet the
 * journal of this same handoff is on disk in a phase none of its steps passed through.
 */
export function diskContradiction(s: HandoffSummary, disk: DiskJournal | undefined): string | undefined {
  if (!disk || disk.id.toLowerCase() !== s.id.toLowerCase() || s.diskAtEnd !== null) return undefined;
  // A phase the log's steps wrote and replaced on the way (Committed before the delete) is no contradiction.
  if (s.events.some((e) => e.disk.passing.includes(disk.phase))) return undefined;
  return `the journal on disk contradicts this: it still holds handoff ${s.id} at ${disk.phase}, but the log says ${s.sentence} and no journal is left. A line may be a daemon's in the supervisor's format (they share its stream), or the supervisor stopped before deleting it; trust the journal.`;
}
