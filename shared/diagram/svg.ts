/** Small SVG writers for the diagram: XML escaping, numbers, and one `<text>` element. Pure. */

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** A coordinate with at most one decimal. */
export function num(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/**
 * One line of text at (x, y) (y is the baseline). Attributes come in a fixed order
 * (class, x, y, text-anchor) so that tests can read the geometry back. `s` is escaped.
 */
export function textEl(x: number, y: number, s: string, o: { anchor?: 'start' | 'middle' | 'end'; cls?: string } = {}): string {
  const cls = o.cls ? ` class="${o.cls}"` : '';
  const anchor = o.anchor && o.anchor !== 'start' ? ` text-anchor="${o.anchor}"` : '';
  return `<text${cls} x="${num(x)}" y="${num(y)}"${anchor}>${escapeXml(s)}</text>`;
}
