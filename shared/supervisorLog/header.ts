/**
 * The head of a `tracing` line (`[ts]  LEVEL [spans: ]target: rest`) and its `key=value`
 * fields, read by hand in linear time: log lines are written by daemons too, and a
 * backtracking regex over them (the former `(\S*\{[^}]*\}\S*?):\s+`) let one line of
 * `{{{…` freeze the reader. Each function here looks at every character a bounded
 * number of times (`scanSpans` precomputes two arrays in two backward passes). They
 * accept exactly what the former regular expression accepted:
 * `^ ?(?:(TS)\s+)?(LEVEL)\s+(?:(\S*\{[^}]*\}\S*?):\s+)?(?:(TARGET):(?:\s|$))?(.*)$`,
 * TS = `\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)` and TARGET =
 * `[A-Za-z_]\w*(?:(?:::|\.)[A-Za-z_]\w*)*`, on text without line terminators (the unit
 * tests check them against it). Pure.
 */

export const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

export interface TracingHead {
  timestamp?: string;
  level: (typeof LEVELS)[number];
  spans?: string;
  /** '' when the line names no target. */
  target: string;
  rest: string;
}

/** ECMAScript's `\s`: the characters JavaScript regular expressions call white space or line terminators. */
export function isSpace(c: number): boolean {
  return (
    c === 0x20 ||
    (c >= 0x09 && c <= 0x0d) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isIdentStart = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
const isWord = (c: number): boolean => isIdentStart(c) || isDigit(c);

/** Position after `count` digits at `i`, or -1. */
function digits(s: string, i: number, count: number): number {
  for (let k = 0; k < count; k++) if (!isDigit(s.charCodeAt(i + k))) return -1;
  return i + count;
}

/** Position after `ch` at `i`, or -1. */
function char(s: string, i: number, ch: string): number {
  return i >= 0 && s[i] === ch ? i + 1 : -1;
}

/** End of an RFC 3339 timestamp as tracing writes it, at `i`; -1 when there is none. */
function scanTimestamp(s: string, i: number): number {
  let p = digits(s, i, 4);
  for (const [sep, n] of [
    ['-', 2],
    ['-', 2],
    ['T', 2],
    [':', 2],
    [':', 2],
  ] as const) {
    p = char(s, p, sep);
    if (p < 0) return -1;
    p = digits(s, p, n);
    if (p < 0) return -1;
  }
  if (s[p] === '.' && isDigit(s.charCodeAt(p + 1))) for (p += 1; isDigit(s.charCodeAt(p)); p++);
  if (s[p] === 'Z') return p + 1;
  if (s[p] !== '+' && s[p] !== '-') return -1;
  p = digits(s, p + 1, 2);
  if (p < 0) return -1;
  if (s[p] === ':') p++;
  return digits(s, p, 2);
}

/** Position after the white space at `i` (at least one character), or -1. */
function spaces(s: string, i: number): number {
  if (i < 0 || !isSpace(s.charCodeAt(i))) return -1;
  while (isSpace(s.charCodeAt(i))) i++;
  return i;
}

/**
 * Spans before the target (`\S*\{[^}]*\}\S*?:\s+` at `from`, as the regex's backtracking
 * would choose them): the rightmost `{` of the leading non-space run whose first `}`
 * after it is followed by a non-space run holding `:` + white space. Linear: `close[i]`
 * is the first `}` at or after i, `colon[i]` the first `:` + white space in the
 * non-space run from i (-1: none).
 */
function scanSpans(s: string, from: number): { spans: string; next: number } | undefined {
  let runEnd = from;
  let open = -1;
  for (; runEnd < s.length && !isSpace(s.charCodeAt(runEnd)); runEnd++) if (s[runEnd] === '{') open = runEnd;
  if (open < 0) return undefined;
  const n = s.length;
  const close = new Int32Array(n + 1).fill(-1);
  const colon = new Int32Array(n + 2).fill(-1);
  for (let i = n - 1; i >= 0; i--) {
    close[i] = s[i] === '}' ? i : (close[i + 1] as number);
    const c = s.charCodeAt(i);
    if (isSpace(c)) colon[i] = -1;
    else colon[i] = c === 0x3a && i + 1 < n && isSpace(s.charCodeAt(i + 1)) ? i : (colon[i + 1] as number);
  }
  for (let k = runEnd - 1; k >= from; k--) {
    if (s[k] !== '{') continue;
    const m = close[k + 1] as number;
    const j = m < 0 ? -1 : (colon[m + 1] as number);
    if (j >= 0) return { spans: s.slice(from, j), next: spaces(s, j + 1) };
  }
  return undefined;
}

/** A target (`handoff.seal`, `handoff::incumbent`) at `i` followed by `:` and white space or the end. */
function scanTarget(s: string, i: number): { target: string; next: number } | undefined {
  if (!isIdentStart(s.charCodeAt(i))) return undefined;
  let p = i + 1;
  for (;;) {
    while (isWord(s.charCodeAt(p))) p++;
    const sep = s.startsWith('::', p) ? 2 : s[p] === '.' ? 1 : 0;
    if (sep === 0 || !isIdentStart(s.charCodeAt(p + sep))) break;
    p += sep + 1;
  }
  if (s[p] !== ':') return undefined;
  if (p + 1 === s.length) return { target: s.slice(i, p), next: p + 1 };
  return isSpace(s.charCodeAt(p + 1)) ? { target: s.slice(i, p), next: p + 2 } : undefined;
}

/** The head of a tracing line (text without escape sequences or line terminators); undefined when it is not one. */
export function scanHead(s: string): TracingHead | undefined {
  let p = s[0] === ' ' ? 1 : 0;
  let timestamp: string | undefined;
  const tsEnd = scanTimestamp(s, p);
  const afterTs = tsEnd < 0 ? -1 : spaces(s, tsEnd);
  if (afterTs >= 0) {
    timestamp = s.slice(p, tsEnd);
    p = afterTs;
  }
  const level = LEVELS.find((l) => s.startsWith(l, p));
  if (!level) return undefined;
  p = spaces(s, p + level.length);
  if (p < 0) return undefined;
  const spans = scanSpans(s, p);
  if (spans) p = spans.next;
  const target = scanTarget(s, p);
  if (target) p = target.next;
  return {
    ...(timestamp !== undefined ? { timestamp } : {}),
    level,
    ...(spans ? { spans: spans.spans } : {}),
    target: target?.target ?? '',
    rest: s.slice(p),
  };
}

const isKeyStart = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || c === 0x5f;
const isKeyChar = (c: number): boolean => isKeyStart(c) || isDigit(c) || c === 0x2e;

/** A field start (`key=`) at or after `from`: as `/(^|\s)([a-z_][a-z0-9_.]*)=/g` with lastIndex `from` finds it. */
export function nextFieldStart(s: string, from: number): { index: number; key: string; valueStart: number } | undefined {
  const keyAt = (q: number): number => {
    if (!isKeyStart(s.charCodeAt(q))) return -1;
    let r = q + 1;
    while (isKeyChar(s.charCodeAt(r))) r++;
    return s[r] === '=' ? r : -1;
  };
  for (let p = from; p < s.length; p++) {
    if (p === 0) {
      const r = keyAt(0);
      if (r >= 0) return { index: 0, key: s.slice(0, r), valueStart: r + 1 };
    }
    if (isSpace(s.charCodeAt(p))) {
      const r = keyAt(p + 1);
      if (r >= 0) return { index: p, key: s.slice(p + 1, r), valueStart: r + 1 };
    }
  }
  return undefined;
}
