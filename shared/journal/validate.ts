/**
 * Validation of a decoded journal against what the reference supervisor writes
 * (journal-semantics.md, "Facts worth knowing when validating"). Pure: the clock, the
 * process table and the temp-file check are passed in.
 */
import type { CodecNote, DecodeResult } from './codec/types';
import type { Journal, ProcessInfo } from './model';
import { withSeverity, type Code, type Finding } from './findings';
import { formatAge } from '../util';
import { isTerminal } from './transitions';
import { isNilUuid, uuidVariant, uuidVersion } from './uuid';

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
  /** When the journal was last written (its mtime, unix ms): how long its phase has not changed. */
  changedAtMs?: number;
}

/**
 * How long a journal must stay unchanged before "the supervisor runs, the successor is
 * dead" means a failed handoff left it, rather than the milliseconds in which the
 * supervisor's abort and seal-failure paths have killed N and not yet deleted the journal.
 */
export const SETTLE_MS = 250;

/**
 * A failed handoff left this journal (upstream's crash matrix at o-after-drained-sent: the
 * old process died after Drained, perform_handoff returned `err: perform_handoff`, its
 * guard killed N, the supervisor idles and leaves the journal): the writer (incumbent_pid,
 * the supervisor) runs, the successor is dead and the phase is not terminal and no longer
 * changes. `settling`: all but the last, for less than SETTLE_MS: look again then.
 */
export function leftByFailedHandoff(
  j: Journal,
  ctx: Pick<ValidationContext, 'process' | 'now' | 'changedAtMs'>,
): 'failed' | 'settling' | undefined {
  if (isTerminal(j.phase) || !ctx.process || ctx.changedAtMs === undefined || !j.successor_pid || !j.incumbent_pid) return undefined;
  if (!ctx.process(j.incumbent_pid).running || ctx.process(j.successor_pid).running) return undefined;
  return ctx.now - ctx.changedAtMs >= SETTLE_MS ? 'failed' : 'settling';
}

export const DEFAULT_DEADLINE_MS = 300_000;
export const DEFAULT_SKEW_MS = 60_000;

function noteFinding(n: CodecNote): Finding {
  return withSeverity({
    code: n.code === 'trailing-bytes' ? 'HJ002' : 'HJ003',
    message: n.message,
    ...(n.field ? { field: n.field } : {}),
  });
}

/** All findings for a decode result (decode errors, codec notes and field checks). */
export function validate(result: DecodeResult, ctx: ValidationContext): Finding[] {
  if (!result.ok) {
    return [
      withSeverity({ code: 'HJ001', message: result.message, ...(result.field ? { field: result.field } : {}), fix: 'delete-journal' }),
      ...tmpFinding(ctx),
    ];
  }
  return [...result.notes.map(noteFinding), ...validateJournal(result.journal, ctx), ...tmpFinding(ctx)];
}

/** HJ060 when a leftover temp file lies next to the journal. */
export function tmpFinding(ctx: Pick<ValidationContext, 'tmpExists'>): Finding[] {
  if (!ctx.tmpExists) return [];
  return [
    withSeverity({
      code: 'HJ060',
      field: 'tmp',
      fix: 'delete-tmp',
      message:
        'a leftover temp file lies next to the journal: a writer died between writing it and renaming it. Readers ignore it and the next write replaces it; it is safe to delete.',
    }),
  ];
}

/** Field and liveness checks of a decoded journal. */
export function validateJournal(j: Journal, ctx: ValidationContext): Finding[] {
  const out: Finding[] = [];
  const add = (code: Code, field: Finding['field'], message: string, fix?: Finding['fix']): void => {
    out.push(withSeverity({ code, field, message, ...(fix ? { fix } : {}) }));
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
      withSeverity({
        code: 'HJ052',
        field: 'incumbent_pid',
        message: 'whether the recorded pids are running is unknown: this host has no /proc.',
      }),
    ];
  }
  const inc = ctx.process(j.incumbent_pid);
  if (leftByFailedHandoff(j, ctx) === 'failed') return [failedFinding(j, inc.command, ctx)];
  if (j.incumbent_pid !== 0 && !inc.running) {
    out.push(
      withSeverity({
        code: 'HJ050',
        field: 'incumbent_pid',
        message: `pid ${j.incumbent_pid} is not running on this host. The reference supervisor records its own pid here, so the supervisor that wrote this journal is gone: nothing is driving this handoff, and the next supervisor start deletes the journal.`,
      }),
    );
  } else if (inc.running && !isTerminal(j.phase)) {
    out.push(
      withSeverity({
        code: 'HJ053',
        field: 'incumbent_pid',
        message: `a handoff looks live: phase ${j.phase} and pid ${j.incumbent_pid}${inc.command ? ` (${inc.command})` : ''} is running. Do not change this journal unless that supervisor is stuck.`,
      }),
    );
  }
  if (j.successor_pid !== null && j.successor_pid !== 0) {
    const succ = ctx.process(j.successor_pid);
    if (!succ.running) {
      out.push(
        withSeverity({
          code: 'HJ051',
          field: 'successor_pid',
          message: `successor pid ${j.successor_pid} is not running on this host: ${isTerminal(j.phase) ? 'the new process has exited since.' : 'the new process died or never started; the supervisor aborts this handoff (or already has).'}`,
        }),
      );
    }
  }
  return out;
}

/** HJ054: what is known, and what the supervisor does with the journal next. */
function failedFinding(j: Journal, command: string | undefined, ctx: Pick<ValidationContext, 'now' | 'changedAtMs'>): Finding {
  const still = formatAge(ctx.now - (ctx.changedAtMs as number)).replace(/ ago$/, '');
  return withSeverity({
    code: 'HJ054',
    field: 'incumbent_pid',
    message: `a failed handoff left this journal: the supervisor (pid ${j.incumbent_pid}${command ? `, ${command}` : ''}) is running, but the successor (pid ${j.successor_pid}) is dead and the phase has stayed ${j.phase} for ${still}, so this handoff cannot commit. This is what a handoff the supervisor gave up on leaves (its reply err: perform_handoff, its log "killing leaked successor child on guard drop"): nothing drives it, the next handoff overwrites it and a supervisor restart deletes it. (Should the supervisor still be waiting on a slow drain or seal, it aborts and deletes the journal itself.) It is safe to delete.`,
  });
}

/**
 * A handoff is live when its phase is not terminal and the recorded supervisor pid runs,
 * unless a failed handoff left the journal (leftByFailedHandoff, given its mtime in `ctx`).
 */
export function looksLive(
  j: Journal,
  process?: (pid: number) => ProcessInfo,
  ctx?: Pick<ValidationContext, 'now' | 'changedAtMs'>,
): boolean {
  if (isTerminal(j.phase) || process === undefined || j.incumbent_pid === 0 || !process(j.incumbent_pid).running) return false;
  return !(ctx && leftByFailedHandoff(j, { ...ctx, process }) === 'failed');
}
