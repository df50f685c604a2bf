/**
 * The supervisor's log lines that are not protocol steps but say something definite,
 * recognised on the parsed line (target and message as upstream writes them; parse.ts
 * splits the line, this module gives it its meaning), each attributed to this handoff,
 * to the supervisor, or to the daemon:
 *
 * | target               | message (start)                                  | scope      | code  |
 * | -------------------- | ------------------------------------------------ | ---------- | ----- |
 * | handoff::supervisor  | killing leaked successor child on guard drop     | handoff *  | HJ096 |
 * | handoff::supervisor  | failed to clear handoff journal                  | handoff    | HJ097 |
 * | handoff_supervisor   | resume_from_journal failed; continuing           | supervisor | HJ098 |
 * | handoff_supervisor   | refusing trigger from unauthorized uid (0.2)     | supervisor | HJ099 |
 * | handoff_supervisor   | trigger command read failed (0.2)                | supervisor | HJ099 |
 * | handoff_supervisor   | could not read trigger peer credentials (0.2)    | supervisor | HJ099 |
 * | handoff_supervisor   | could not bound trigger client I/O (0.2)         | supervisor | HJ099 |
 * | handoff_supervisor   | trigger accept                                   | supervisor | HJ099 |
 * | handoff::incumbent   | rejecting control connection (0.2)               | daemon     | HJ099 |
 *
 * (*) The guard-drop line carries no handoff_id, only `pid=` (the successor's): it is this
 * handoff's when that pid is the `successor_pid` of its `handoff.prepare`. It is logged when
 * `perform_handoff` returns an error after spawning N (the old process died after Drained,
 * a drain timeout, a journal write failure): the reply is `err: perform_handoff`, N is
 * killed, the journal stays at its last phase. Lines: supervisor-0.2/supervisor-main.full.log
 * and the NN-*.log slices; the rest from upstream's main.rs and supervisor.rs. Pure.
 */
import type { Code } from '../journal';
import { fieldValue, type ParsedLine, type TracingLine } from './parse';
import { GUARD_DROP } from './events';

export type NoticeKind =
  'gave-up' | 'journal-clear-failed' | 'resume-failed' | 'trigger-refused' | 'trigger-read-failed' | 'trigger-dropped' | 'control-rejected';

export interface LogNotice {
  kind: NoticeKind;
  /** Whose the line is: this handoff's, the supervisor's (its trigger socket, its start-up), or the daemon's. */
  scope: 'handoff' | 'supervisor' | 'daemon';
  code: Code;
  /** What it means, in a sentence. */
  sentence: string;
  /** `peer_uid=` or the guard's `pid=`. */
  uid?: number;
  pid?: number;
}

const num = (l: TracingLine, k: string): number | undefined => {
  const v = fieldValue(l, k);
  return v !== undefined && /^\d{1,10}$/.test(v) ? Number(v) : undefined;
};

/** A trigger client whose line was not read: why, in words. */
function readFailure(error: string | undefined, uid: number | undefined): string {
  const who = `a trigger client${uid !== undefined ? ` (uid ${uid})` : ''}`;
  if (error?.includes('os error 11'))
    return `${who} sent no complete line within the supervisor's 10 s read timeout; it was dropped without a reply, and held the supervisor (one client at a time) until then.`;
  if (error?.includes('valid UTF-8')) return `${who} sent a line that is not UTF-8; it was dropped without a reply.`;
  return `reading the line of ${who} failed (${error ?? 'no error given'}); it was dropped without a reply.`;
}

function supervisorNotice(l: TracingLine): LogNotice | undefined {
  const m = l.message;
  const error = fieldValue(l, 'error');
  const uid = num(l, 'peer_uid');
  const at = (kind: NoticeKind, code: Code, sentence: string): LogNotice => ({
    kind,
    scope: 'supervisor',
    code,
    sentence,
    ...(uid !== undefined ? { uid } : {}),
  });
  if (m.startsWith('refusing trigger from unauthorized uid'))
    return at(
      'trigger-refused',
      'HJ099',
      `the supervisor refused a trigger from uid ${uid ?? '?'} (err: not permitted): not root, not its own uid and not in allowed_uids.`,
    );
  if (m.startsWith('trigger command read failed')) return at('trigger-read-failed', 'HJ099', readFailure(error, uid));
  if (
    m.startsWith('could not read trigger peer credentials') ||
    m.startsWith('could not bound trigger client I/O') ||
    m === 'trigger accept'
  )
    return at(
      'trigger-dropped',
      'HJ099',
      `the supervisor dropped a trigger connection: ${m.split(';')[0]} (${error ?? 'no error given'}).`,
    );
  if (m.startsWith('resume_from_journal failed'))
    return at(
      'resume-failed',
      'HJ098',
      `at start-up the supervisor could not read or clear its journal (${error ?? 'no error given'}) and went on: a journal it cannot read (corrupt, another format) stays on disk while it runs, until a handoff overwrites it.`,
    );
  return undefined;
}

/** What a line means beyond its level, or undefined for an ordinary line. */
export function noticeOf(l: TracingLine): LogNotice | undefined {
  if (l.target === 'handoff_supervisor') return supervisorNotice(l);
  if (l.target === 'handoff::incumbent' && l.message.startsWith('rejecting control connection'))
    return {
      kind: 'control-rejected',
      scope: 'daemon',
      code: 'HJ099',
      sentence: `the running daemon refused a connection to its control socket: ${fieldValue(l, 'error') ?? 'no error given'}.`,
    };
  if (l.target !== 'handoff::supervisor') return undefined;
  if (l.message.startsWith(GUARD_DROP)) {
    const pid = num(l, 'pid');
    return {
      kind: 'gave-up',
      scope: 'handoff',
      code: 'HJ096',
      sentence: `the supervisor gave up the handoff (perform_handoff returned an error: the reply was err: perform_handoff) and killed its successor${pid !== undefined ? `, pid ${pid},` : ''} on the way out; the journal stays at its last phase until the next handoff overwrites it or a supervisor restart deletes it.`,
      ...(pid !== undefined ? { pid } : {}),
    };
  }
  if (l.message.startsWith('failed to clear handoff journal'))
    return {
      kind: 'journal-clear-failed',
      scope: 'handoff',
      code: 'HJ097',
      sentence: `the supervisor could not delete the journal${fieldValue(l, 'path') ? ` ${fieldValue(l, 'path')}` : ''} after the handoff (${fieldValue(l, 'error') ?? 'no error given'}): it stays at its last phase, and the next supervisor start will see stale state (it logs it and deletes it then).`,
    };
  return undefined;
}

/** Whose a line is, in words, for the log view's attribution. */
export function noticeAttribution(n: LogNotice, successorPid: number | undefined): string {
  if (n.kind === 'gave-up')
    return n.pid !== undefined && n.pid === successorPid
      ? `this handoff: its successor (pid ${n.pid}), killed when the supervisor gave up`
      : `another handoff's successor (pid ${n.pid ?? '?'}), not this one's`;
  if (n.scope === 'handoff') return 'this handoff (no handoff_id: logged while the supervisor finished it)';
  if (n.scope === 'daemon') return "the daemon's control socket, not this handoff";
  return n.kind === 'resume-failed' ? "the supervisor's start-up, not this handoff" : "the supervisor's trigger socket, not this handoff";
}

/** The successor pid a handoff's `handoff.prepare` line names. */
export function successorPidOf(lines: readonly ParsedLine[], id: string): number | undefined {
  for (const l of lines)
    if (l.kind === 'tracing' && l.target === 'handoff.prepare' && fieldValue(l, 'handoff_id')?.toLowerCase() === id)
      return num(l, 'successor_pid');
  return undefined;
}
