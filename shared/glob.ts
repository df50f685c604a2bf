/**
 * Minimal glob matching for journal search paths: `*` and `?` within one path segment,
 * `**` for any number of directories. Pure; the directory walk is in the server.
 */

export type Segment = { kind: 'literal'; text: string } | { kind: 'pattern'; re: RegExp } | { kind: 'globstar' };

function segmentRegExp(seg: string): RegExp {
  let re = '';
  for (const c of seg) {
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Splits an absolute glob into segments after the root. */
export function parseGlob(pattern: string): Segment[] {
  return pattern
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .map((s): Segment => {
      if (s === '**') return { kind: 'globstar' };
      if (/[*?]/.test(s)) return { kind: 'pattern', re: segmentRegExp(s) };
      return { kind: 'literal', text: s };
    });
}

/** Whether a file name matches a name pattern such as `state.bin` or `*.journal`. */
export function matchesName(name: string, pattern: string): boolean {
  return segmentRegExp(pattern).test(name);
}
