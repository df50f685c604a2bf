/**
 * One handoff's outcome in a sentence, as the log view, `log` and the journal's history
 * say it: "committed in 18.8 ms", "aborted: <reason>", "failed (the supervisor gave up:
 * err: perform_handoff)", "cleared on restart: …", "unknown: the log ends mid-handoff, …".
 * Pure.
 */
import type { Phase } from '../journal';
import { formatSeconds } from '../util';
import type { HandoffEvent, HandoffOutcome } from './handoff';
import type { HandoffDurations } from './events';

/** "committed in 18.8 ms", "aborted: <reason>", "cleared on restart: ...", "unknown: the log ends after handoff.seal (journal: Draining)". */
export function outcomeSentence(o: HandoffOutcome, d: HandoffDurations = {}, lastStep?: HandoffEvent): string {
  switch (o.kind) {
    case 'committed':
      return `committed${d.totalSeconds !== undefined ? ` in ${formatSeconds(d.totalSeconds)}` : ''}`;
    case 'aborted':
      return `aborted: ${o.reason}`;
    case 'failed':
      return `failed (the supervisor gave up: ${o.reason})`;
    case 'cleared-on-restart':
      return `cleared on restart: a restarted supervisor found the journal${o.phase ? ` at ${o.phase}` : ''} and deleted it`;
    case 'unknown':
      return `unknown: the log ends mid-handoff${lastStep ? `, after ${lastStep.name} (journal: ${phaseWords(lastStep.disk.after)})` : ''}`;
  }
}

/** A journal phase on disk in words (`null`: no journal). */
export function phaseWords(p: Phase | null | undefined): string {
  return p === null ? 'no journal' : p === undefined ? 'unknown' : p;
}
