/**
 * The reference supervisor's reply on its trigger socket, one line (`handle_trigger` and
 * `read_trigger_command` in handoff-supervisor's main.rs; every form observed is in
 * test/fixtures/supervisor-0.2/*.reply.json):
 * - `ok: handoff_id=<uuid> committed=<true|false> abort_reason=<None|Some("…")>` (Rust
 *   `{:?}` of an `Option<String>`), sent when the handoff is over;
 * - `err: not permitted` (0.2: the peer's uid is not root, the supervisor's, or in
 *   `allowed_uids`; sent before the line is read);
 * - ``err: binary X is not in the configured allowlist (`binary` + `allowed_binaries`)``
 *   and `err: resolve requested binary X` (0.2: the requested binary, canonicalized);
 * - `err: perform_handoff` (anyhow's outermost context: the handoff failed inside the
 *   supervisor: a drain or seal timeout, a journal write failure, the old process gone);
 * - `err: unknown command 'X'`, `err: empty command`;
 * - nothing at all: the supervisor died mid-handoff, or dropped the client (a line that
 *   is not UTF-8, nothing within its 10 s read timeout, EOF before any byte).
 * Parsed without regex backtracking (a reply can be 4 KiB). Pure.
 */
import { unescapeRustDebug, visibleText } from '../util';

export type ParsedTriggerReply =
  | { kind: 'committed'; id: string }
  | { kind: 'aborted'; id: string; reason: string }
  | { kind: 'not-permitted' }
  | { kind: 'not-allowlisted'; binary: string }
  | { kind: 'no-such-binary'; binary: string }
  | { kind: 'handoff-failed' }
  | { kind: 'unknown-command'; command: string }
  | { kind: 'empty-command' }
  | { kind: 'error'; message: string }
  | { kind: 'closed' }
  | { kind: 'unrecognised'; text: string };

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ALLOWLIST_TAIL = ' is not in the configured allowlist (`binary` + `allowed_binaries`)';

function between(s: string, head: string, tail: string): string | undefined {
  return s.length >= head.length + tail.length && s.startsWith(head) && s.endsWith(tail)
    ? s.slice(head.length, s.length - tail.length)
    : undefined;
}

/** `ok: handoff_id=<uuid> committed=<bool> abort_reason=<None|Some("…")>`, or undefined. */
function parseOk(line: string): ParsedTriggerReply | undefined {
  const head = 'ok: handoff_id=';
  if (!line.startsWith(head)) return undefined;
  const id = line.slice(head.length, head.length + 36);
  if (!UUID.test(id)) return undefined;
  const rest = line.slice(head.length + 36);
  const committed = rest.startsWith(' committed=true ') ? true : rest.startsWith(' committed=false ') ? false : undefined;
  if (committed === undefined) return undefined;
  const option = between(rest.slice(committed ? 16 : 17), 'abort_reason=', '');
  if (option === undefined) return undefined;
  const inner = option === 'None' ? undefined : between(option, 'Some("', '")');
  if (option !== 'None' && inner === undefined) return undefined;
  const reason = inner === undefined ? undefined : unescapeRustDebug(inner);
  if (inner !== undefined && reason === undefined) return undefined;
  const lower = id.toLowerCase();
  if (committed) return reason === undefined ? { kind: 'committed', id: lower } : undefined;
  return { kind: 'aborted', id: lower, reason: reason ?? '(the supervisor gave no reason)' };
}

function parseErr(message: string): ParsedTriggerReply {
  if (message === 'not permitted') return { kind: 'not-permitted' };
  if (message === 'perform_handoff') return { kind: 'handoff-failed' };
  if (message === 'empty command') return { kind: 'empty-command' };
  const listed = between(message, 'binary ', ALLOWLIST_TAIL);
  if (listed !== undefined) return { kind: 'not-allowlisted', binary: listed };
  const missing = between(message, 'resolve requested binary ', '');
  if (missing !== undefined && missing !== '') return { kind: 'no-such-binary', binary: missing };
  const command = between(message, "unknown command '", "'");
  if (command !== undefined) return { kind: 'unknown-command', command };
  return { kind: 'error', message };
}

/** Parses the bytes the supervisor sent (its first line); nothing at all is `closed`. */
export function parseTriggerReply(reply: string): ParsedTriggerReply {
  if (reply.trim() === '') return { kind: 'closed' };
  const first = reply.split('\n', 1)[0] ?? '';
  const line = (first.endsWith('\r') ? first.slice(0, -1) : first).trim();
  if (line.startsWith('err:')) return parseErr(line.slice(4).trim());
  return parseOk(line) ?? { kind: 'unrecognised', text: line };
}

/** A few words for a history entry or a log line: "committed", "aborted: <reason>", ... (control characters made visible). */
export function describeTriggerReply(r: ParsedTriggerReply): string {
  switch (r.kind) {
    case 'committed':
      return 'committed';
    case 'aborted':
      return `aborted: ${visibleText(r.reason)}`;
    case 'not-permitted':
      return 'refused: not permitted (the uid is not in allowed_uids)';
    case 'not-allowlisted':
      return `refused: binary ${visibleText(r.binary)} is not in allowed_binaries`;
    case 'no-such-binary':
      return `refused: no such binary ${visibleText(r.binary)}`;
    case 'handoff-failed':
      return 'failed inside the supervisor (err: perform_handoff)';
    case 'unknown-command':
      return `refused: unknown command '${visibleText(r.command)}'`;
    case 'empty-command':
      return 'refused: empty command';
    case 'error':
      return `the supervisor reported an error: ${visibleText(r.message)} (its log says why)`;
    case 'closed':
      return 'the supervisor closed the connection (did it crash?)';
    case 'unrecognised':
      return `unrecognised reply: ${visibleText(r.text)}`;
  }
}
