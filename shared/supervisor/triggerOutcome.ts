/**
 * What a trigger came to, for the server (Trigger Handoff…) and the CLI (`trigger`) alike:
 * the parsed reply, or what happened before one could come (no socket, permission, no
 * answer in time), each with a sentence that says what to do, its class (which the CLI's
 * exit code and the editor's buttons follow) and whether running as root would get past
 * it. Also the trigger line itself, checked before anything is sent. Pure.
 */
import { cleanText, formatSeconds } from '../util';
import type { ParsedTriggerReply } from './triggerReply';

/** The supervisor cuts a trigger line at 4,096 bytes (and runs the cut line): never send more. */
export const TRIGGER_MAX_LINE = 4096;
/** 0.2 waits this long for each read of a client's line, one client at a time. */
export const TRIGGER_READ_TIMEOUT_S = 10;

export type TriggerOutcome =
  | ParsedTriggerReply
  | { kind: 'timeout'; waitedMs: number }
  | { kind: 'permission-denied' }
  | { kind: 'no-socket' }
  | { kind: 'not-listening' }
  | { kind: 'unreachable'; message: string };

export type TriggerOutcomeKind = TriggerOutcome['kind'];

/** committed; failed (aborted, or failed inside the supervisor); refused by the supervisor; unreachable; no answer. */
export type TriggerClass = 'committed' | 'failed' | 'refused' | 'unreachable' | 'no-answer';

const CLASS: Record<TriggerOutcomeKind, TriggerClass> = {
  committed: 'committed',
  aborted: 'failed',
  'handoff-failed': 'failed',
  'not-permitted': 'refused',
  'not-allowlisted': 'refused',
  'no-such-binary': 'refused',
  'unknown-command': 'refused',
  'empty-command': 'refused',
  error: 'refused',
  unrecognised: 'refused',
  'permission-denied': 'unreachable',
  'no-socket': 'unreachable',
  'not-listening': 'unreachable',
  unreachable: 'unreachable',
  closed: 'no-answer',
  timeout: 'no-answer',
};

export function triggerClass(o: TriggerOutcome): TriggerClass {
  return CLASS[o.kind];
}

/** Refused for who we are: root gets past both (root is always allowed, and opens a 0600 root socket). */
export function refusedForPermission(o: TriggerOutcome): boolean {
  return o.kind === 'permission-denied' || o.kind === 'not-permitted';
}

/** The handoff the reply names, if any. */
export function outcomeHandoffId(o: TriggerOutcome): string | undefined {
  return o.kind === 'committed' || o.kind === 'aborted' ? o.id : undefined;
}

export interface TriggerContext {
  /** The supervisor config the trigger went to. */
  config: string;
  socket: string;
  /** Our uid, for "your uid N is not in allowed_uids". */
  uid?: number;
  /** The socket's mode and owner when a connect was refused, e.g. "0600, owned by root". */
  socketAccess?: string;
  /** How to run it as root here: "Retry as Sudo…" in the editor, the sudo command line in a shell. */
  asRoot: string;
  /** The config's `binary`, for the allowlist message. */
  binary?: string;
}

/** A command or path from a reply, shortened for a sentence (a cut 4 KiB line says nothing more). */
function short(s: string): string {
  const c = cleanText(s);
  return c.length > 80 ? `${c.slice(0, 60)}… (${s.length} characters)` : c;
}

const ONE_CLIENT = `The supervisor serves one trigger client at a time and waits up to ${TRIGGER_READ_TIMEOUT_S} s for each client's line, so another client may hold it for up to ${TRIGGER_READ_TIMEOUT_S} s.`;

/** One sentence (or two) that says what happened and what to do; text from the supervisor is cleaned. */
export function triggerMessage(o: TriggerOutcome, c: TriggerContext): string {
  const you = c.uid === undefined ? 'your uid' : `your uid ${c.uid}`;
  switch (o.kind) {
    case 'committed':
      return `handoff ${o.id} committed`;
    case 'aborted':
      return `handoff ${o.id} aborted: ${cleanText(o.reason)}. The old process keeps serving; fix the reason, then trigger again.`;
    case 'not-permitted':
      return `the supervisor refused the trigger (err: not permitted): ${you} is not in \`allowed_uids\` of ${c.config}: add it there, or run as root (${c.asRoot}).`;
    case 'permission-denied':
      return `permission denied connecting to ${c.socket}: the trigger socket is ${c.socketAccess ?? '0600 root'}: run as root (${c.asRoot}) or ask for ${you} in \`allowed_uids\` of ${c.config}.`;
    case 'not-allowlisted':
      return `the supervisor refused binary ${short(o.binary)}: it is neither \`binary\`${c.binary ? ` (${cleanText(c.binary)})` : ''} nor in \`allowed_binaries\` of ${c.config} (compared after resolving symlinks and relative paths). Add it to \`allowed_binaries\`, or name an allowed one.`;
    case 'no-such-binary':
      return `the supervisor cannot resolve binary ${short(o.binary)}: no such file (a relative path is resolved against the supervisor's working directory). Give the absolute path of an existing binary.`;
    case 'handoff-failed':
      return `the handoff failed inside the supervisor (err: perform_handoff): a drain or seal timeout, or a write failure (the old process dying does this too); the reply says no more and its log has nothing more than its last step. A journal it left stays until the next handoff overwrites it or a restart deletes it.`;
    case 'unknown-command':
      return `the supervisor does not know the command '${short(o.command)}'; it takes \`handoff [BINARY]\`.`;
    case 'empty-command':
      return 'the supervisor got an empty command line (err: empty command).';
    case 'error':
      return `the supervisor replied: err: ${cleanText(o.message)}`;
    case 'unrecognised':
      return `unrecognised reply from ${c.socket}: ${short(o.text)}; is this the handoff supervisor?`;
    case 'closed':
      return `the supervisor closed the connection without a reply: it died mid-handoff, or it dropped this client (a line that is not UTF-8, or none within its ${TRIGGER_READ_TIMEOUT_S} s read timeout). Check that it still runs, and its log.`;
    case 'timeout':
      return `no reply from ${c.socket} within ${formatSeconds(o.waitedMs / 1000)}; the handoff may still be running: watch the journal. ${ONE_CLIENT}`;
    case 'no-socket':
      return `${c.socket} does not exist: is the supervisor of ${c.config} running?`;
    case 'not-listening':
      return `nothing listens on ${c.socket}: the supervisor of ${c.config} is not running (a stale socket file).`;
    case 'unreachable':
      return `cannot reach ${c.socket}: ${cleanText(o.message)}`;
  }
}

/** While a reply is slow (no handoff seen yet): why the wait may be someone else's. */
export function slowReplyNote(waitedMs: number): string {
  return `no answer yet after ${formatSeconds(waitedMs / 1000)}. ${ONE_CLIENT}`;
}

/** The trigger line for `binary` (default: the config's own), or why it cannot be sent. */
export function triggerLine(binary?: string): { ok: true; line: string } | { ok: false; message: string } {
  if (binary === undefined) return { ok: true, line: 'handoff\n' };
  if (binary === '') return { ok: false, message: 'the binary path is empty' };
  // The supervisor splits the line on white space: a path with a space would name another binary.
  for (const ch of binary) {
    const c = ch.codePointAt(0) as number;
    if (/\s/.test(ch) || c < 0x20 || (c >= 0x7f && c <= 0x9f))
      return {
        ok: false,
        message: `the binary path ${JSON.stringify(binary)} contains white space or a control character: the supervisor splits its line on white space, so it cannot be named`,
      };
  }
  const line = `handoff ${binary}\n`;
  const bytes = new TextEncoder().encode(line).length;
  if (bytes > TRIGGER_MAX_LINE)
    return {
      ok: false,
      message: `the trigger line would be ${bytes} bytes; the supervisor cuts lines at ${TRIGGER_MAX_LINE} bytes (and would run the cut line)`,
    };
  return { ok: true, line };
}
