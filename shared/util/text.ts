/**
 * The one sanitiser for text from outside: file names, symlink targets, TOML values,
 * process names, socket replies and log lines pass through `cleanText` before they reach
 * a terminal, the decoded view, a hover, a tree item or a notification. Control
 * characters (C0, DEL, C1), line and paragraph separators and bidirectional overrides are
 * shown as visible escapes (`\x1b`, `\n`, `\u{202e}`), so data can neither drive a
 * terminal nor add, remove or reorder lines of the view. Also: breaking VS Code's
 * notification link syntax, and quoting for a POSIX shell. Pure.
 */

// C0 controls, DEL, C1 controls, the Arabic letter mark, LRM/RLM, line/paragraph
// separators, bidi embeddings/overrides and isolates.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.codePointAt(0) as number;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** Makes outside text safe to show on one line: every control or bidi character becomes a visible escape. */
export function cleanText(s: string): string {
  return s.replace(UNSAFE, escapeChar);
}

// A terminal colour code (SGR): ESC [ digits and semicolons m.
const SGR = /\x1b\[[0-9;]*m/g;

/**
 * For display: the log's own colour codes (SGR) removed, then the one sanitiser
 * (`cleanText`): every other control or bidi character becomes a visible escape
 * (`\x1b`, `\u{202e}`), so log text can never drive a terminal or reorder a view.
 */
export function visibleText(s: string): string {
  return cleanText(s.replace(SGR, ''));
}

// What JSON.stringify leaves raw but a terminal or an editor would act on: DEL, C1
// controls (U+009B is CSI, U+009D OSC), the Arabic letter mark, LRM/RLM, line and
// paragraph separators, bidi embeddings, overrides and isolates. (C0 controls are
// already escaped by JSON.stringify; none of these can occur outside a JSON string.)
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** JSON text with those characters written as `\uXXXX` escapes: the same value when parsed, nothing that drives a terminal. */
export function escapeJsonText(json: string): string {
  return json.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `JSON.stringify` for output the product prints or sends: see `escapeJsonText`. */
export function jsonText(value: unknown, space?: number): string {
  return escapeJsonText(JSON.stringify(value, undefined, space));
}

/**
 * Text for a VS Code notification (`showInformationMessage` and friends). VS Code turns
 * `[label](command:…)`, `(https://…)` and `(file:…)` in a notification into live links;
 * a zero-width space between `]` and `(` keeps such text literal (it reads the same)
 * and offers no link. Control characters are escaped first.
 */
export function notificationText(s: string): string {
  return cleanText(s).replace(/\]\(/g, ']\u200b(');
}

const SHELL_SAFE = /^[\w./=:@%+,-]+$/;
/** The sanitiser's set, tested once (no `g` flag, so no lastIndex state). */
const UNSAFE_ONE = new RegExp(UNSAFE.source, 'u');

/** Whether text holds a character `cleanText` would escape (a control, a line separator, a bidi control). */
export function hasUnsafeText(s: string): boolean {
  return UNSAFE_ONE.test(s);
}

/** Quotes one argument for any POSIX shell, dash included: plain words as they are, anything else in single quotes. */
export function posixQuote(arg: string): string {
  if (arg !== '' && SHELL_SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * Quotes one argument of a command line shown to people (to read, copy, or type into
 * bash or zsh): plain words as they are, anything else single-quoted; text with a
 * character `cleanText` escapes (controls, line separators, bidi overrides) uses
 * `$'…'` with `\xHH`/`\uHHHH` escapes instead, so the line shows nothing raw and typing
 * it cannot send a control sequence. Not for scripts run by `sh` (dash has no `$'…'`):
 * those use `posixQuote`.
 */
export function shellQuote(arg: string): string {
  if (!hasUnsafeText(arg)) return posixQuote(arg);
  let out = "$'";
  for (const c of arg) {
    const code = c.codePointAt(0) as number;
    if (c === "'" || c === '\\') out += `\\${c}`;
    else if (code < 0x80 && (code < 0x20 || code === 0x7f)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (hasUnsafeText(c)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return `${out}'`;
}

/** A command line from its arguments, each quoted for display and for bash or zsh (`shellQuote`): nothing in it shows raw. */
export function shellLine(args: readonly string[]): string {
  return args.map(shellQuote).join(' ');
}

/** `sudo -- <argv>`: the line the sudo terminal echoes and Copy Command copies; nothing in it shows raw (`shellQuote`). */
export function sudoLine(argv: readonly string[]): string {
  return `sudo -- ${shellLine(argv)}`;
}

/** The `handoff-journal` CLI with these arguments as root: the line to type over SSH. */
export function sudoCliLine(args: readonly string[]): string {
  return `sudo ${shellLine(['handoff-journal', ...args])}`;
}
