/**
 * Sends the reference supervisor's trigger line (`handoff [<binary>]`) to its trigger
 * socket and reads the one-line reply (`ok: handoff_id=... committed=...` or `err: ...`).
 * The supervisor answers only when the handoff is over, so the wait is bounded by its
 * deadline plus a margin.
 */
import { createConnection } from 'node:net';
import { clampDelay } from '../../shared/time';

/** `closed`: the connection ended without a reply line (the supervisor died mid-handoff). */
export type TriggerReply =
  { ok: true; reply: string } | { ok: false; reason: 'closed' | 'timeout' | 'unreachable' | 'garbage'; message: string };

/** `timeoutMs` may come from a config's `deadline_secs`: it is clamped to what a timer can hold. */
export function sendTrigger(socketPath: string, line: string, timeoutMs: number): Promise<TriggerReply> {
  return new Promise((resolve) => {
    let buf = '';
    let done = false;
    const finish = (r: TriggerReply): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const sock = createConnection({ path: socketPath });
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          reason: 'timeout',
          message: `no reply from ${socketPath} within ${Math.round(clampDelay(timeoutMs) / 1000)} s; the handoff may still be running: watch the journal.`,
        }),
      clampDelay(timeoutMs),
    );
    sock.setEncoding('utf8');
    let connected = false;
    sock.on('connect', () => {
      connected = true;
      sock.write(`${line}\n`);
    });
    sock.on('data', (d: string) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) finish({ ok: true, reply: buf.slice(0, nl).trim() });
      else if (buf.length > 64 * 1024)
        finish({
          ok: false,
          reason: 'garbage',
          message: `${socketPath} sent more than 64 KiB without a line break; not the handoff supervisor.`,
        });
    });
    sock.on('end', () =>
      finish(
        buf.trim()
          ? { ok: true, reply: buf.trim() }
          : { ok: false, reason: 'closed', message: `${socketPath} closed the connection without a reply.` },
      ),
    );
    sock.on('error', (e: NodeJS.ErrnoException) => {
      // A supervisor killed mid-handoff resets the connection it accepted: no reply.
      if (connected && !buf.trim())
        return finish({
          ok: false,
          reason: 'closed',
          message: `${socketPath} closed the connection without a reply (${e.code ?? e.message}).`,
        });
      const why =
        e.code === 'ENOENT'
          ? 'the trigger socket does not exist: is the supervisor running?'
          : e.code === 'ECONNREFUSED'
            ? 'nothing listens on the trigger socket: the supervisor is not running (stale socket file).'
            : e.code === 'EACCES'
              ? 'permission denied: the socket belongs to another user; run VS Code or the CLI as that user.'
              : e.message;
      finish({ ok: false, reason: 'unreachable', message: `cannot reach ${socketPath}: ${why}` });
    });
  });
}
