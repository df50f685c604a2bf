/**
 * Validation of a decoded journal against what the reference supervisor writes
 * (journal-semantics.md, "Facts worth knowing when validating"). Pure: the clock, the
 * process table and the temp-file check are passed in.
 */
import type { CodecNote, DecodeResult } from './codec/types';
import type { FieldName, Journal } from './journal';
import { isTerminal } from './transitions';
import { isNilUuid, uuidVariant, uuidVersion } from './uuid';

export type Severity = 'error' | 'warning' | 'information';

export interface Finding {
  severity: Severity;
  /** Stable code, documented in the README. */
  code: string;
  message: string;
  /** The field the finding is about, for placing it on the right line. */
  field?: FieldName | 'file' | 'tmp' | 'history';
  /** A fix the server/CLI can apply. */
  fix?: 'delete-journal' | 'delete-tmp';
}

/** What the process table says about a pid: running (with its command) or not; undefined = cannot tell. */
export interface ProcessInfo {
  running: boolean;
  command?: string;
}

export interface ValidationContext {
  /** Unix ms now. */
  now: number;
  /** A non-terminal journal older than this is stale (default 300 s, the library's deadline). */
  deadlineMs: number;
  /** Where the deadline comes from, for messages (e.g. "deadline_secs in /etc/handoff/kv.toml"). */
  deadlineSource?: string;
  /** The supervisor's drain grace, when its config is known. */
  drainGraceMs?: number;
  /** How far in the future `started_at` may be before it is suspicious (clock skew). */
  skewMs: number;
  /** Process look-up; undefined when there is no /proc on this host. */
  process?: (pid: number) => ProcessInfo;
  /** Whether `<journal>.tmp` exists next to the journal. */
  tmpExists?: boolean;
}

export const DEFAULT_DEADLINE_MS = 300_000;
export const DEFAULT_SKEW_MS = 60_000;

/** Codes and their one-line meaning, for the README table and the CLI's help. */
export const CODES: Record<string, { severity: Severity; title: string }> = {
  HJ001: { severity: 'error', title: 'The bytes do not decode as a journal (the supervisor cannot read it either).' },
  HJ002: { severity: 'warning', title: 'Trailing bytes after the record (ignored by postcard/rmp-serde).' },
  HJ003: { severity: 'warning', title: 'Accepted but unusual form: over-long varint, uuid string, missing or unknown field.' },
  HJ010: { severity: 'warning', title: 'handoff_id is the nil UUID.' },
  HJ011: { severity: 'warning', title: 'handoff_id is not a random (v4, RFC 4122) UUID.' },
  HJ020: { severity: 'warning', title: 'incumbent_pid is 0.' },
  HJ021: { severity: 'warning', title: 'successor_pid is 0.' },
  HJ022: { severity: 'warning', title: 'successor_pid is None (the reference supervisor always writes Some).' },
  HJ030: { severity: 'warning', title: 'started_at_unix_ms is 0.' },
  HJ031: { severity: 'warning', title: 'started_at_unix_ms is in the future beyond the clock-skew allowance.' },
  HJ040: { severity: 'warning', title: 'Stale: a non-terminal phase older than the deadline.' },
  HJ041: { severity: 'warning', title: 'Committed / ResumingAfterAbort still on disk: the supervisor died before deleting it.' },
  HJ042: { severity: 'warning', title: 'Negotiating for longer than the drain grace (drain_grace_secs from the supervisor config).' },
  HJ050: { severity: 'information', title: 'The recorded supervisor (incumbent_pid) is not running on this host.' },
  HJ051: { severity: 'information', title: 'The recorded successor_pid is not running on this host.' },
  HJ052: { severity: 'information', title: 'Process liveness unknown (no /proc on this host).' },
  HJ053: { severity: 'warning', title: 'A handoff looks live: non-terminal phase and the supervisor pid is running.' },
  HJ060: { severity: 'warning', title: 'A leftover temp file (state.bin.tmp) next to the journal.' },
  HJ070: { severity: 'information', title: 'Forward jump: intermediate phases not observed.' },
  HJ071: { severity: 'error', title: 'Backward phase move within one handoff.' },
  HJ072: { severity: 'error', title: 'incumbent_pid, successor_pid or started_at changed within one handoff.' },
  HJ073: { severity: 'information', title: 'A new handoff first observed after Negotiating: the earlier phases were not observed.' },
  HJ074: { severity: 'error', title: 'A change after Committed / ResumingAfterAbort other than deletion or a new handoff.' },
  HJ080: { severity: 'error', title: 'The file cannot be read (not a regular file, permission, too large).' },
  HJ090: { severity: 'warning', title: "The supervisor's log: the handoff was aborted (the reason is in the message)." },
  HJ091: { severity: 'error', title: "The supervisor's log: an ERROR line in this handoff (the supervisor's or a daemon's)." },
  HJ092: {
    severity: 'warning',
    title: "The supervisor's log ends mid-handoff: no commit, abort or restart (killed, crashed or still running).",
  },
  HJ093: { severity: 'information', title: "The supervisor's log: a restarted supervisor found this handoff's journal and deleted it." },
  HJ094: {
    severity: 'warning',
    title: "The supervisor's log: a WARN line in this handoff (failed Commit send, journal write, Abort send, ...).",
  },
  HJ095: {
    severity: 'information',
    title: "Daemon output (not the supervisor) in this handoff's log window, e.g. an Error:/Caused by: report.",
  },
};

export function formatAge(ms: number): string {
  const neg = ms < 0;
  let s = Math.floor(Math.abs(ms) / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  if (parts.length < 2) parts.push(`${s}s`);
  return (neg ? 'in ' : '') + parts.slice(0, 2).join(' ') + (neg ? '' : ' ago');
}

function noteFinding(n: CodecNote): Finding {
  return {
    severity: 'warning',
    code: n.code === 'trailing-bytes' ? 'HJ002' : 'HJ003',
    message: n.message,
    ...(n.field ? { field: n.field } : {}),
  };
}

/** All findings for a decode result (decode errors, codec notes and field checks). */
export function validate(result: DecodeResult, ctx: ValidationContext): Finding[] {
  if (!result.ok) {
    return [
      {
        severity: 'error',
        code: 'HJ001',
        message: result.message,
        ...(result.field ? { field: result.field } : {}),
        fix: 'delete-journal',
      },
      ...tmpFinding(ctx),
    ];
  }
  return [...result.notes.map(noteFinding), ...validateJournal(result.journal, ctx), ...tmpFinding(ctx)];
}

/** HJ060 when a leftover temp file lies next to the journal. */
export function tmpFinding(ctx: Pick<ValidationContext, 'tmpExists'>): Finding[] {
  if (!ctx.tmpExists) return [];
  return [
    {
      severity: 'warning',
      code: 'HJ060',
      field: 'tmp',
      fix: 'delete-tmp',
      message:
        'a leftover temp file lies next to the journal: a writer died between writing it and renaming it. Readers ignore it and the next write replaces it; it is safe to delete.',
    },
  ];
}

/** Field and liveness checks of a decoded journal. */
export function validateJournal(j: Journal, ctx: ValidationContext): Finding[] {
  const out: Finding[] = [];
  const add = (code: string, field: Finding['field'], message: string, fix?: Finding['fix']): void => {
    out.push({ severity: (CODES[code] as { severity: Severity }).severity, code, field, message, ...(fix ? { fix } : {}) });
  };
  if (isNilUuid(j.handoff_id))
    add(
      'HJ010',
      'handoff_id',
      'handoff_id is the nil UUID: the supervisor makes a fresh random (v4) id per handoff, so another writer made this file.',
    );
  else if (uuidVersion(j.handoff_id) !== 4 || uuidVariant(j.handoff_id) !== 'rfc4122') {
    add(
      'HJ011',
      'handoff_id',
      `handoff_id is a version ${uuidVersion(j.handoff_id)}, ${uuidVariant(j.handoff_id)}-variant UUID; the supervisor writes random v4 ids, so another writer made this file.`,
    );
  }
  if (j.incumbent_pid === 0) add('HJ020', 'incumbent_pid', 'incumbent_pid is 0, which is never a process: the writer did not fill it in.');
  if (j.successor_pid === 0) add('HJ021', 'successor_pid', 'successor_pid is 0, which is never a process: the writer did not fill it in.');
  if (j.successor_pid === null)
    add(
      'HJ022',
      'successor_pid',
      'successor_pid is None: the reference supervisor always writes Some(pid of the new process), so another producer or version wrote this file.',
    );
  const started = j.started_at_unix_ms;
  const age = ctx.now - Number(started);
  if (started === 0n) add('HJ030', 'started_at_unix_ms', 'started_at_unix_ms is 0 (1970): the writer did not record the start time.');
  else if (-age > ctx.skewMs)
    add(
      'HJ031',
      'started_at_unix_ms',
      `started_at_unix_ms is ${formatAge(age)} (in the future beyond the ${ctx.skewMs / 1000} s skew allowance): check this host's clock or the writer.`,
    );
  if (isTerminal(j.phase)) {
    add(
      'HJ041',
      'phase',
      `${j.phase} is still on disk: the supervisor deletes the journal right after writing ${j.phase}, so it died (or the delete failed) in that window. The handoff is over; the journal is safe to delete.`,
      'delete-journal',
    );
  } else if (started !== 0n && age > ctx.deadlineMs) {
    add(
      'HJ040',
      'phase',
      `stale: ${j.phase}, a handoff started ${formatAge(age)}, past the ${ctx.deadlineMs / 1000} s handoff deadline${ctx.deadlineSource ? ` (${ctx.deadlineSource})` : ''}. The swap is not progressing; a supervisor restart deletes this journal.`,
    );
  } else if (j.phase === 'Negotiating' && ctx.drainGraceMs !== undefined && started !== 0n && age > ctx.drainGraceMs) {
    add(
      'HJ042',
      'phase',
      `still Negotiating ${formatAge(age)}: the old process has not reported Drained within the ${ctx.drainGraceMs / 1000} s drain grace; the supervisor aborts this handoff when the ${ctx.deadlineMs / 1000} s deadline passes.`,
    );
  }
  out.push(...liveness(j, ctx));
  return out;
}

function liveness(j: Journal, ctx: ValidationContext): Finding[] {
  const out: Finding[] = [];
  if (!ctx.process) {
    return [
      {
        severity: 'information',
        code: 'HJ052',
        field: 'incumbent_pid',
        message: 'whether the recorded pids are running is unknown: this host has no /proc.',
      },
    ];
  }
  const inc = ctx.process(j.incumbent_pid);
  if (j.incumbent_pid !== 0 && !inc.running) {
    out.push({
      severity: 'information',
      code: 'HJ050',
      field: 'incumbent_pid',
      message: `pid ${j.incumbent_pid} is not running on this host. The reference supervisor records its own pid here, so the supervisor that wrote this journal is gone: nothing is driving this handoff, and the next supervisor start deletes the journal.`,
    });
  } else if (inc.running && !isTerminal(j.phase)) {
    out.push({
      severity: 'warning',
      code: 'HJ053',
      field: 'incumbent_pid',
      message: `a handoff looks live: phase ${j.phase} and pid ${j.incumbent_pid}${inc.command ? ` (${inc.command})` : ''} is running. Do not change this journal unless that supervisor is stuck.`,
    });
  }
  if (j.successor_pid !== null && j.successor_pid !== 0) {
    const succ = ctx.process(j.successor_pid);
    if (!succ.running) {
      out.push({
        severity: 'information',
        code: 'HJ051',
        field: 'successor_pid',
        message: `successor pid ${j.successor_pid} is not running on this host: ${isTerminal(j.phase) ? 'the new process has exited since.' : 'the new process died or never started; the supervisor aborts this handoff (or already has).'}`,
      });
    }
  }
  return out;
}

/** A handoff is live when its phase is not terminal and the recorded supervisor pid runs. */
export function looksLive(j: Journal, process?: (pid: number) => ProcessInfo): boolean {
  return !isTerminal(j.phase) && process !== undefined && j.incumbent_pid !== 0 && process(j.incumbent_pid).running;
}
