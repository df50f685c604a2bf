/**
 * serde's words for a value of the wrong type, as the reference supervisor prints them
 * (`invalid type: string "hjsup2", expected u32 for key `allowed_uids` at line 9 column
 * 17`), and where in the TOML text a key's value is, found by scanning lines (no regex on
 * the text, no backtracking). Pure.
 */

/** serde's `Unexpected` for a TOML value: `string "x"`, `integer `5``, `floating point `1.5``, `boolean `true``, `sequence`, `map`. */
export function unexpected(v: unknown): string {
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  if (typeof v === 'bigint') return `integer \`${v}\``;
  if (typeof v === 'number') return `floating point \`${Number.isInteger(v) ? v.toFixed(1) : v}\``;
  if (typeof v === 'boolean') return `boolean \`${v}\``;
  if (Array.isArray(v)) return 'sequence';
  return v instanceof Date ? 'a date-time' : 'map';
}

export interface Position {
  line: number;
  column: number;
}

/** 1-based line of `key = ...` at the top level (before any `[table]`), and the column of its value. */
export function keyPosition(text: string, key: string): Position | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    const t = l.trimStart();
    if (t.startsWith('[')) return undefined;
    if (!t.startsWith(key)) continue;
    const after = t.slice(key.length).trimStart();
    if (!after.startsWith('=')) continue;
    const lead = l.length - t.length;
    const valueAt = l.indexOf('=', lead + key.length) + 1;
    const spaces = l.slice(valueAt).length - l.slice(valueAt).trimStart().length;
    return { line: i + 1, column: valueAt + spaces + 1 };
  }
  return undefined;
}

/** How an element is most likely written in TOML, to find its column on the key's line. */
function written(v: unknown): string[] {
  if (typeof v === 'string') return [JSON.stringify(v), `'${v}'`];
  if (typeof v === 'bigint' || typeof v === 'boolean') return [String(v)];
  if (typeof v === 'number') return [String(v), v.toFixed(1)];
  return Array.isArray(v) ? ['['] : ['{'];
}

/** The position of an array element written on the key's line (the first text that writes it), else the value's own. */
export function elementPosition(text: string, key: string, value: unknown): Position | undefined {
  const at = keyPosition(text, key);
  if (!at) return undefined;
  const line = text.split('\n')[at.line - 1] as string;
  for (const w of written(value)) {
    const pos = line.indexOf(w, at.column);
    if (pos >= 0) return { line: at.line, column: pos + 1 };
  }
  return at;
}

export function where(p: Position | undefined): string {
  return p ? ` at line ${p.line} column ${p.column}` : '';
}
