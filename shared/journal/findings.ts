/**
 * The one table of finding codes: each code's severity, its one-line meaning and what to
 * do about it. Every finding the product emits (validation, file reads, transition
 * checks, the supervisor's log) takes its severity from here, the README's code table is
 * generated from it (`npm run codes:readme`, checked by test/unit/codes.test.ts), and
 * `Code` makes a misspelt code a compile error. Pure.
 */
import type { FieldName } from './model';

export type Severity = 'error' | 'warning' | 'information';

export interface CodeInfo {
  severity: Severity;
  /** What the finding means, in one line. */
  title: string;
  /** What to do about it, in one short sentence. */
  fix: string;
  /** The finding is about the whole file: the decoded view puts it on its `error` line, ahead of any field. */
  wholeFile?: true;
  /** The diagram shows it as a badge (staleness, liveness, transitions; errors always are). */
  badge?: true;
  /** A supervisor-log finding the journal's decoded view shows too (the log's reason for its state). */
  journalView?: true;
}

export const CODES = {
  HJ001: {
    severity: 'error',
    title: 'The bytes do not decode as a journal (the supervisor cannot read it either).',
    fix: 'Delete the journal (no handoff can resume from it) or find the writer that made it.',
    wholeFile: true,
  },
  HJ002: {
    severity: 'warning',
    title: 'Trailing bytes after the record (ignored by postcard/rmp-serde).',
    fix: 'Nothing blocks the supervisor; look for a different writer or struct version.',
  },
  HJ003: {
    severity: 'warning',
    title: 'Accepted but unusual form: over-long varint, uuid string, missing or unknown field.',
    fix: 'Nothing blocks the supervisor; look for the writer that is not the reference supervisor.',
  },
  HJ010: { severity: 'warning', title: 'handoff_id is the nil UUID.', fix: 'Find the writer that is not the reference supervisor.' },
  HJ011: {
    severity: 'warning',
    title: 'handoff_id is not a random (v4, RFC 4122) UUID.',
    fix: 'Find the writer that is not the reference supervisor.',
  },
  HJ020: { severity: 'warning', title: 'incumbent_pid is 0.', fix: 'Find the writer that left the pid unset.' },
  HJ021: { severity: 'warning', title: 'successor_pid is 0.', fix: 'Find the writer that left the pid unset.' },
  HJ022: {
    severity: 'warning',
    title: 'successor_pid is None (the reference supervisor always writes Some).',
    fix: 'Find the other producer or version that wrote the file.',
  },
  HJ030: { severity: 'warning', title: 'started_at_unix_ms is 0.', fix: 'Find the writer that left the start time unset.' },
  HJ031: {
    severity: 'warning',
    title: 'started_at_unix_ms is in the future beyond the clock-skew allowance.',
    fix: "Check this host's clock (and the writer's).",
  },
  HJ040: {
    severity: 'warning',
    title: 'Stale: a non-terminal phase older than the deadline.',
    fix: 'Restart the supervisor (it deletes the journal), or delete the journal if none runs.',
    badge: true,
  },
  HJ041: {
    severity: 'warning',
    title: 'Committed / ResumingAfterAbort still on disk: the supervisor died before deleting it.',
    fix: 'The handoff is over: delete the journal.',
    badge: true,
  },
  HJ042: {
    severity: 'warning',
    title: 'Negotiating for longer than the drain grace (drain_grace_secs from the supervisor config).',
    fix: 'Look at why the old process does not finish draining; the supervisor aborts at the deadline.',
    badge: true,
  },
  HJ050: {
    severity: 'information',
    title: 'The recorded supervisor (incumbent_pid) is not running on this host.',
    fix: 'Nothing drives this handoff: the next supervisor start deletes the journal.',
    badge: true,
  },
  HJ051: {
    severity: 'information',
    title: 'The recorded successor_pid is not running on this host.',
    fix: 'Look at why the new process exited; the supervisor aborts the handoff.',
    badge: true,
  },
  HJ052: {
    severity: 'information',
    title: 'Process liveness unknown (no /proc on this host).',
    fix: 'Check on the host the journal belongs to.',
    badge: true,
  },
  HJ053: {
    severity: 'warning',
    title: 'A handoff looks live: non-terminal phase and the supervisor pid is running.',
    fix: 'Leave the journal alone unless that supervisor is stuck.',
    badge: true,
  },
  HJ054: {
    severity: 'warning',
    title: 'A failed handoff left this journal: the supervisor runs, the successor is dead and the phase no longer changes.',
    fix: 'Nothing drives it: the next handoff overwrites it and a supervisor restart deletes it; it is safe to delete.',
    badge: true,
  },
  HJ060: {
    severity: 'warning',
    title: 'A leftover temp file (state.bin.tmp) next to the journal.',
    fix: 'Delete the temp file: readers ignore it.',
  },
  HJ070: {
    severity: 'information',
    title: 'Forward jump: intermediate phases not observed.',
    fix: 'Nothing: writes milliseconds apart reach a watcher as one change.',
    badge: true,
  },
  HJ071: {
    severity: 'error',
    title: 'Backward phase move within one handoff.',
    fix: 'Find the other writer or manual edit that changed the journal.',
    badge: true,
  },
  HJ072: {
    severity: 'error',
    title: 'incumbent_pid, successor_pid or started_at changed within one handoff.',
    fix: 'Find the other writer or manual edit that changed the journal.',
    badge: true,
  },
  HJ073: {
    severity: 'information',
    title: 'A new handoff first observed after Negotiating: the earlier phases were not observed.',
    fix: 'Nothing: a quick Negotiating lasts a millisecond or two.',
    badge: true,
  },
  HJ074: {
    severity: 'error',
    title: 'A change after Committed / ResumingAfterAbort other than deletion or a new handoff.',
    fix: 'Find the other writer or manual edit that changed the journal.',
    badge: true,
  },
  HJ080: {
    severity: 'error',
    title: 'The file cannot be read (not a regular file, permission, too large).',
    fix: 'Follow the message: read it as root (sudo), or point at the real journal.',
    wholeFile: true,
  },
  HJ090: {
    severity: 'warning',
    title: "The supervisor's log: the handoff was aborted (the reason is in the message).",
    fix: 'Fix the reason given in the message, then trigger the handoff again.',
    journalView: true,
  },
  HJ091: {
    severity: 'error',
    title: "The supervisor's log: an ERROR line in this handoff (the supervisor's or a daemon's).",
    fix: 'Read the error line and the lines around it.',
    journalView: true,
  },
  HJ092: {
    severity: 'warning',
    title: "The supervisor's log ends mid-handoff: no commit, abort or restart (killed, crashed or still running).",
    fix: 'Check whether the supervisor still runs; a journal left behind stays until its next start.',
    journalView: true,
  },
  HJ093: {
    severity: 'information',
    title: "The supervisor's log: a restarted supervisor found this handoff's journal and deleted it.",
    fix: 'Nothing: the old process recovers when its session drops.',
  },
  HJ094: {
    severity: 'warning',
    title: "The supervisor's log: a WARN line in this handoff (failed Commit send, journal write, Abort send, ...).",
    fix: 'Read the warning line and the lines around it.',
  },
  HJ095: {
    severity: 'information',
    title: "Daemon output (not the supervisor) in this handoff's log window, e.g. an Error:/Caused by: report.",
    fix: "Read it: it is the daemon's own account of what went wrong.",
  },
  HJ096: {
    severity: 'warning',
    title: "The supervisor's log: it gave up this handoff (err: perform_handoff) and killed the successor on guard drop.",
    fix: 'Read the lines before it; the journal stays until the next handoff overwrites it or a supervisor restart deletes it.',
    journalView: true,
  },
  HJ097: {
    severity: 'warning',
    title: "The supervisor's log: it could not delete the journal after the handoff, so its next start sees stale state.",
    fix: 'Fix the error it names (permission, read-only file system), then delete the journal.',
    journalView: true,
  },
  HJ098: {
    severity: 'warning',
    title: "The supervisor's log: resume_from_journal failed at start-up; a journal it cannot read stays on disk while it runs.",
    fix: 'Read the error and check the journal (handoff-journal show); delete it if it is corrupt.',
    journalView: true,
  },
  HJ099: {
    severity: 'information',
    title: "The supervisor's log: a trigger or control connection was refused or dropped (its socket, not a handoff).",
    fix: 'Nothing for the handoff; add the uid to allowed_uids if it should trigger, or fix the client that sent no line.',
  },
} as const satisfies Record<`HJ${number}`, CodeInfo>;

/** A finding code the product emits: `HJ001` ... `HJ099`. */
export type Code = keyof typeof CODES;

/** Every code, in table order. */
export const ALL_CODES = Object.keys(CODES) as Code[];

/** Whether a string (from the wire or a file) is a code of the table. */
export function isCode(s: string): s is Code {
  return Object.hasOwn(CODES, s);
}

/** What the table says about a code (widened, so optional properties can be read). */
export function codeInfo(code: Code): CodeInfo {
  return CODES[code];
}

/** A finding-like record with its severity taken from the table. */
export function withSeverity<const T extends { code: Code }>(f: T): { severity: Severity } & T {
  return { severity: CODES[f.code].severity, ...f };
}

/** One finding about a journal: its code (severity from the table), what it says, where it belongs. */
export interface Finding {
  /** From the code table (shared/journal/findings.ts), never written by hand. */
  severity: Severity;
  /** Stable code, documented in the README. */
  code: Code;
  message: string;
  /** The field the finding is about, for placing it on the right line. */
  field?: FieldName | 'file' | 'tmp' | 'history';
  /** A fix the server/CLI can apply. */
  fix?: 'delete-journal' | 'delete-tmp';
}
