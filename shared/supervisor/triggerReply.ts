/**
 * The reference supervisor's reply on its trigger socket, one line sent when the
 * handoff is over (`handle_trigger` in handoff-supervisor's main.rs):
 * `ok: handoff_id=<uuid> committed=<true|false> abort_reason=<None|Some("…")>` (Rust
 * `{:?}` of an `Option<String>`), `err: <error>`, or nothing at all when the
 * supervisor died mid-handoff. Pure.
 */
import { unescapeRustDebug, visibleText } from '../util';

export type ParsedTriggerReply =
  | { kind: 'committed'; id: string }
  | { kind: 'aborted'; id: string; reason: string }
  | { kind: 'error'; message: string }
  | { kind: 'closed' }
  | { kind: 'unrecognised'; text: string };

const OK = /^ok: handoff_id=([0-9a-fA-F-]{36}) committed=(true|false) abort_reason=(None|Some\("(.*)"\))$/;

export function parseTriggerReply(reply: string): ParsedTriggerReply {
  const line = reply.split('\n')[0]?.replace(/\r$/, '').trim() ?? '';
  if (reply.trim() === '') return { kind: 'closed' };
  if (line.startsWith('err:')) return { kind: 'error', message: line.slice(4).trim() };
  const m = OK.exec(line);
  if (!m) return { kind: 'unrecognised', text: line };
  const id = (m[1] as string).toLowerCase();
  const reason = m[4] === undefined ? undefined : unescapeRustDebug(m[4]);
  if (m[4] !== undefined && reason === undefined) return { kind: 'unrecognised', text: line };
  if (m[2] === 'true') return reason === undefined ? { kind: 'committed', id } : { kind: 'unrecognised', text: line };
  return { kind: 'aborted', id, reason: reason ?? '(the supervisor gave no reason)' };
}

/** One sentence for a person: "committed", "aborted: <reason>", ... (control characters made visible). */
export function describeTriggerReply(r: ParsedTriggerReply): string {
  switch (r.kind) {
    case 'committed':
      return 'committed';
    case 'aborted':
      return `aborted: ${visibleText(r.reason)}`;
    case 'error':
      return `the supervisor reported an error: ${visibleText(r.message)} (its log says why)`;
    case 'closed':
      return 'the supervisor closed the connection (did it crash?)';
    case 'unrecognised':
      return `unrecognised reply: ${visibleText(r.text)}`;
  }
}
