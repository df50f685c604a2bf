/**
 * Glob patterns for journal search paths, config globs and file-name patterns: `*` and
 * `?` within one path segment, `**` for any number of directories. Patterns come from
 * settings, which a workspace can set, so matching never backtracks: a segment is
 * matched by the two-pointer wildcard algorithm (it only ever returns to the last `*`),
 * which takes at most name × pattern steps, never exponential time. Pure; the directory
 * walk is in shared/util/node/globWalk.ts.
 */

export type Segment = { kind: 'literal'; text: string } | { kind: 'pattern'; pattern: string } | { kind: 'globstar' };

/** Whether `name` matches a wildcard `pattern` (`*` any run, `?` one character; no `/` either side). */
export function wildcardMatch(name: string, pattern: string): boolean {
  const n = [...name];
  const p = [...pattern];
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (i < n.length) {
    if (j < p.length && (p[j] === '?' || (p[j] !== '*' && p[j] === n[i]))) {
      i++;
      j++;
    } else if (j < p.length && p[j] === '*') {
      star = j++;
      mark = i;
    } else if (star >= 0) {
      j = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (j < p.length && p[j] === '*') j++;
  return j === p.length;
}

/**
 * Splits an absolute glob into segments after the root. Runs of `**` collapse into one
 * (`**` over `**` matches nothing more and would multiply the walk).
 */
export function parseGlob(pattern: string): Segment[] {
  const out: Segment[] = [];
  for (const s of pattern.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '**') {
      if (out[out.length - 1]?.kind !== 'globstar') out.push({ kind: 'globstar' });
    } else if (/[*?]/.test(s)) out.push({ kind: 'pattern', pattern: s.replace(/\*{2,}/g, '*') });
    else out.push({ kind: 'literal', text: s });
  }
  return out;
}

export function matchesSegment(name: string, seg: Segment): boolean {
  if (seg.kind === 'literal') return name === seg.text;
  if (seg.kind === 'pattern') return wildcardMatch(name, seg.pattern);
  return true;
}

/** Whether a file name matches a name pattern such as `state.bin` or `*.journal`. */
export function matchesName(name: string, pattern: string): boolean {
  return wildcardMatch(name, pattern);
}
