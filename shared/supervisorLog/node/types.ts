/**
 * The types every log source shares: what a source returns (`LogSourceResult`), why it
 * failed, and the journald query. Kept apart so the sources and journald's explanations
 * depend on them, never on each other.
 */
import type { RawLine } from '../parse';
import type { RunLimits } from '../../util/node';

export type LogSourceKind = 'journald' | 'file' | 'command';

/**
 * Why a source gave no log for the handoff:
 * - `no-journald`: journalctl is missing, or journald keeps no journal on this host;
 * - `permission`: the user may not read the system journal (see `sudoCommand`);
 * - `rotated`: the source has no lines at all for the pid / in the window;
 * - `no-lines`: the source has lines, but none for this handoff id;
 * - `unreadable`: the file cannot be read (missing, not a regular file, permission, not a journal file);
 * - `command-failed`: the program could not run or exited non-zero;
 * - `timeout`: the program did not finish in time and was stopped.
 */
export type LogFailureReason = 'no-journald' | 'permission' | 'rotated' | 'no-lines' | 'unreadable' | 'command-failed' | 'timeout';

export interface LogSourceOk {
  ok: true;
  source: LogSourceKind;
  /** e.g. `journald: journalctl --no-pager -o json ... _PID=7222`, `file /var/log/kv.log`. */
  sourceDescription: string;
  /** The argv that produced the lines (journald, command). */
  command?: string[];
  lines: RawLine[];
  /** The byte cap was reached: the lines are incomplete (see `notes`). */
  truncated: boolean;
  /** Plain sentences about what was read (truncation, skipped entries). */
  notes: string[];
}

export interface LogSourceFailure {
  ok: false;
  source: LogSourceKind;
  reason: LogFailureReason;
  /** What is wrong and what to do, in one or two sentences. */
  message: string;
  command?: string[];
  /** The same command prefixed with sudo, when permission is what failed ("Retry as Sudo…"). */
  sudoCommand?: string[];
}

export type LogSourceResult = LogSourceOk | LogSourceFailure;

export interface JournaldQuery extends RunLimits {
  /** `_PID=` match: the supervisor's pid. */
  pid?: number;
  /** `_SYSTEMD_UNIT=` match (OR-ed with the pid), e.g. `handoff-kv.service`; found from /proc or the pid's entries when absent. */
  unit?: string;
  /** Unix ms; becomes `--since=@<seconds>`. */
  sinceMs?: number;
  /** A text to search for (`-g`), when neither pid nor unit is known: a handoff id. */
  grep?: string;
  /** Never use `-g` (scan the JSON instead), as when journalctl lacks PCRE2. */
  noPattern?: boolean;
  /** Read this journal file (`--file`) instead of the system journal. */
  file?: string;
  /** Read the journal files in this directory (`--directory`), e.g. one copied from another host. */
  directory?: string;
  /** The journalctl program; default `journalctl` from PATH. */
  journalctl?: string;
}
