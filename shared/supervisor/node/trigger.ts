/**
 * Sends the reference supervisor's trigger line (`handoff [<binary>]`) to its trigger
 * socket and reads the one-line reply (`ok: handoff_id=... committed=...` or `err: ...`).
 * The supervisor answers only when the handoff is over, so the wait is bounded by its
 * deadline plus a margin.
 */
import { createConnection } from 'node:net';
import { clampDelay } from '../../util';

/** `closed`: the connection ended without a reply line (the supervisor died mid-handoff). */
export type TriggerReply =
  { ok: true; reply: string } | { ok: false; reason: 'closed' | 'timeout' | 'unreachable' | 'garbage'; message: string };

/** Why a connection to the trigger socket failed, in a sentence. */
function unreachable(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT':
      return 'the trigger socket does not exist: is the supervisor running?';
    case 'ECONNREFUSED':
      return 'nothing listens on the trigger socket: the supervisor is not running (stale socket file).';
    case 'EACCES':
      return 'permission denied: the socket belongs to another user; run VS Code or the CLI as that user.';
    default:
      return e.message;
  }
}

/** `timeoutMs` may come from a config's `deadline_secs`: it is clamped to what a timer can hold. */
export function sendTrigger(socketPath: string, line: string, timeoutMs: number): Promise<TriggerReply> {
  return new Promise((resolve) => {
    let buf = '';
    let connected = false;
    const wait = clampDelay(timeoutMs);
    const sock = createConnection({ path: socketPath });
    const fail = (reason: Exclude<TriggerReply, { ok: true }>['reason'], message: string): void => finish({ ok: false, reason, message });
    const timer = setTimeout(
      () =>
        fail(
          'timeout',
          `no reply from ${socketPath} within ${Math.round(wait / 1000)} s; the handoff may still be running: watch the journal.`,
        ),
      wait,
    );
    const finish = (r: TriggerReply): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(r); // a second call is ignored by the promise
    };
    sock.setEncoding('utf8');
    sock.on('connect', () => {
      connected = true;
      sock.write(`${line}\n`);
    });
    sock.on('data', (d: string) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) finish({ ok: true, reply: buf.slice(0, nl).trim() });
      else if (buf.length > 64 * 1024)
        fail('garbage', `${socketPath} sent more than 64 KiB without a line break; not the handoff supervisor.`);
    });
    sock.on('end', () =>
      buf.trim() ? finish({ ok: true, reply: buf.trim() }) : fail('closed', `${socketPath} closed the connection without a reply.`),
    );
    sock.on('error', (e: NodeJS.ErrnoException) => {
      // A supervisor killed mid-handoff resets the connection it accepted: no reply.
      if (connected && !buf.trim()) fail('closed', `${socketPath} closed the connection without a reply (${e.code ?? e.message}).`);
      else fail('unreachable', `cannot reach ${socketPath}: ${unreachable(e)}`);
    });
  });
}
