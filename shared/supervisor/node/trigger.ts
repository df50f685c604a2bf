/**
 * The one trigger client (the language server's Trigger Handoff… and the CLI's `trigger`):
 * sends the reference supervisor's trigger line (`handoff [<binary>]`) to its trigger
 * socket in one write, never more than 4,096 bytes (0.2 cuts a longer line and runs the
 * cut part), and reads the one-line reply, sent when the handoff is over. The wait is
 * bounded by the config's deadline plus a margin; what came back (or did not) becomes a
 * typed outcome with a sentence (shared/supervisor/triggerOutcome.ts).
 */
import { lstatSync } from 'node:fs';
import { createConnection } from 'node:net';
import { clampDelay } from '../../util';
import { userNameOfSync } from '../../util/node';
import type { SupervisorConfig } from './config';
import { parseTriggerReply } from '../triggerReply';
import { triggerLine, triggerMessage, TRIGGER_MAX_LINE, type TriggerContext, type TriggerOutcome } from '../triggerOutcome';

/** What the socket gave: the bytes of a reply (empty: closed without one), no answer in time, or no connection. */
export type TriggerTransport =
  | { kind: 'reply'; text: string; elapsedMs: number }
  | { kind: 'timeout'; elapsedMs: number }
  | { kind: 'connect-error'; code: string; message: string; elapsedMs: number };

/** A reply is one line; more than this without a line break is not the supervisor. */
const MAX_REPLY = 64 * 1024;

/** Sends `line` (ending in a newline, at most 4,096 bytes) in one write and reads the reply. */
export function sendTrigger(socketPath: string, line: string, timeoutMs: number): Promise<TriggerTransport> {
  if (Buffer.byteLength(line) > TRIGGER_MAX_LINE) throw new RangeError(`trigger line over ${TRIGGER_MAX_LINE} bytes`);
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let connected = false;
    const sock = createConnection({ path: socketPath });
    const timer = setTimeout(() => finish({ kind: 'timeout', elapsedMs: elapsed() }), clampDelay(timeoutMs));
    const text = (): string => Buffer.concat(chunks, size).toString('utf8');
    const finish = (r: TriggerTransport): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(r); // a second call is ignored by the promise
    };
    sock.on('connect', () => {
      connected = true;
      // One write: the supervisor reads one line; it must not see a part of it first.
      sock.write(line);
    });
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      size += d.length;
      if (d.includes(0x0a) || size > MAX_REPLY) finish({ kind: 'reply', text: text(), elapsedMs: elapsed() });
    });
    sock.on('end', () => finish({ kind: 'reply', text: text(), elapsedMs: elapsed() }));
    sock.on('error', (e: NodeJS.ErrnoException) => {
      // 0.2 closes a connection whose line it did not read (not permitted, a cut line):
      // the peer sees ECONNRESET or EPIPE after the reply, or instead of one.
      if (connected) finish({ kind: 'reply', text: text(), elapsedMs: elapsed() });
      else finish({ kind: 'connect-error', code: e.code ?? 'ERROR', message: e.message, elapsedMs: elapsed() });
    });
  });
}

/** The transport's result as an outcome. */
export function outcomeOf(t: TriggerTransport): TriggerOutcome {
  if (t.kind === 'timeout') return { kind: 'timeout', waitedMs: t.elapsedMs };
  if (t.kind === 'reply') return parseTriggerReply(t.text);
  if (t.code === 'EACCES' || t.code === 'EPERM') return { kind: 'permission-denied' };
  if (t.code === 'ENOENT') return { kind: 'no-socket' };
  if (t.code === 'ECONNREFUSED') return { kind: 'not-listening' };
  return { kind: 'unreachable', message: t.message };
}

/** "0600, owned by root" for a socket a connect was refused on (its real mode, not a guess). */
export function socketAccess(path: string): string | undefined {
  try {
    const st = lstatSync(path);
    return `${(st.mode & 0o777).toString(8).padStart(4, '0')}, owned by ${userNameOfSync(st.uid) ?? `uid ${st.uid}`}`;
  } catch {
    return undefined;
  }
}

export interface TriggerRequest {
  binary?: string;
  /** Default: the config's deadline_secs + 30 s. */
  timeoutMs?: number;
  /** How to run it as root where the message is read ("Retry as Sudo…", a sudo command line). */
  asRoot: string;
}

export interface TriggerResult {
  outcome: TriggerOutcome;
  message: string;
  /** The line sent, without its newline. */
  line: string;
  /** The reply's first line as the supervisor wrote it (absent when none came). */
  reply?: string;
  elapsedMs: number;
}

/** Checks the line, sends it to the config's trigger socket, and says what came of it. */
export async function triggerSupervisor(c: SupervisorConfig, r: TriggerRequest): Promise<TriggerResult | { refused: string }> {
  const built = triggerLine(r.binary);
  if (!built.ok) return { refused: built.message };
  const t = await sendTrigger(c.triggerSocket, built.line, r.timeoutMs ?? (c.deadlineSecs + 30) * 1000);
  const outcome = outcomeOf(t);
  const uid = process.getuid?.();
  const access = outcome.kind === 'permission-denied' ? socketAccess(c.triggerSocket) : undefined;
  const ctx: TriggerContext = {
    config: c.path,
    socket: c.triggerSocket,
    asRoot: r.asRoot,
    binary: c.binary,
    ...(uid !== undefined ? { uid } : {}),
    ...(access ? { socketAccess: access } : {}),
  };
  const first = t.kind === 'reply' ? t.text.split('\n', 1)[0]?.replace(/\r$/, '') : undefined;
  return {
    outcome,
    message: triggerMessage(outcome, ctx),
    line: built.line.slice(0, -1),
    ...(first ? { reply: first } : {}),
    elapsedMs: t.elapsedMs,
  };
}
