/**
 * Rust's `{:?}` of a string, read back: how tracing writes a quoted field and the
 * supervisor its `abort_reason`. Pure.
 */

/**
 * Unescapes the inside of a Rust `{:?}` string (`\"`, `\\`, `\n`, `\r`, `\t`, `\0`,
 * `\'`, `\u{..}`); undefined when it is not a valid Debug string.
 */
export function unescapeRustDebug(s: string): string | undefined {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '"') return undefined;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = s[++i];
    const simple: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', r: '\r', t: '\t', '0': '\0', "'": "'" };
    if (e !== undefined && simple[e] !== undefined) out += simple[e];
    else if (e === 'u') {
      // At most `{` + 6 hex digits + `}` is looked at: the scan stays linear whatever follows.
      const m = /^\{([0-9a-fA-F]{1,6})\}/.exec(s.slice(i + 1, i + 9));
      const cp = m ? parseInt(m[1] as string, 16) : NaN;
      if (!m || cp > 0x10ffff) return undefined;
      out += String.fromCodePoint(cp);
      i += m[0].length;
    } else return undefined;
  }
  return out;
}
