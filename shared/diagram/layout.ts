/**
 * Geometry of the diagram (shared/diagram/index.ts), pure: the design font and a per-character
 * width estimate for placing text without a browser, fitting text into a width, duration
 * formatting, and the timeline's rules: each bar sized to its share of the observed time
 * with a minimum width, and its label inside the bar when it fits, else beside it.
 */

/** The width of the drawing in user units. At the design font (14) this is 640 px: it fits a 700 px panel. */
export const DIAGRAM_WIDTH = 640;
/** The design font size in user units; the page scales the drawing so that it renders at the editor's font size. */
export const FONT = 14;
/** Left and right margin. */
export const MARGIN = 10;
/** The narrowest timeline bar, so that a 1 ms phase is still seen. */
export const MIN_BAR = 6;
/** Padding between a bar's edge and a label inside it, and the gap to a label beside it. */
export const LABEL_PAD = 5;

/** Average advance per character, in em, for regular and bold text (see textWidth). */
const EM_PER_CHAR = { regular: 0.62, bold: 0.7 } as const;

/**
 * Estimated advance width of `s` at the design font. Measured in Chromium with DejaVu
 * Sans (Debian's system-ui, wider than Segoe UI or SF Pro): the labels we draw take at
 * most 0.98 of this estimate (bold "Committed"; regular text 0.96), so text placed by it does
 * not overflow.
 */
export function textWidth(s: string, bold = false): number {
  return [...s].length * FONT * (bold ? EM_PER_CHAR.bold : EM_PER_CHAR.regular);
}

/** `s` cut to `max` units with an ellipsis: its end kept (`keep: 'end'`, for paths) or its start. */
export function fitText(s: string, max: number, keep: 'start' | 'end' = 'start', bold = false): string {
  if (textWidth(s, bold) <= max) return s;
  const chars = [...s];
  const n = Math.max(0, Math.floor(max / (FONT * (bold ? EM_PER_CHAR.bold : EM_PER_CHAR.regular))) - 1);
  return keep === 'end' ? `…${chars.slice(chars.length - n).join('')}` : `${chars.slice(0, n).join('')}…`;
}

/**
 * Bar widths for durations on a track: each bar at least `min`, the others proportional
 * to their durations, all together exactly `track`. Bars under the minimum are set to it
 * and the rest of the track is shared again among the others, until none is under it.
 */
export function barWidths(durations: readonly number[], track: number, min = MIN_BAR): number[] {
  const n = durations.length;
  if (n === 0) return [];
  if (n * min >= track) return durations.map(() => track / n);
  const d = durations.map((x) => Math.max(0, x));
  const fixed = new Set<number>();
  let widths: number[] = [];
  for (;;) {
    const free = track - fixed.size * min;
    const total = d.reduce((s, x, i) => (fixed.has(i) ? s : s + x), 0);
    const open = n - fixed.size;
    widths = d.map((x, i) => (fixed.has(i) ? min : total > 0 ? (x / total) * free : free / open));
    const under = widths.flatMap((w, i) => (!fixed.has(i) && w < min ? [i] : []));
    if (under.length === 0) return widths;
    for (const i of under) fixed.add(i);
  }
}

export interface LabelPlace {
  /** Where the text is anchored and how. */
  x: number;
  anchor: 'start' | 'end' | 'middle';
  where: 'inside' | 'after' | 'before';
  /** The text, cut when not even the wider side has room. */
  text: string;
}

/**
 * Where a bar's label goes: inside (centred) when it fits with padding, else after the
 * bar when that side has room, else before it, else on the wider side, cut to fit.
 * `left`/`right` bound the track.
 */
export function placeLabel(text: string, bar: { x: number; width: number }, left: number, right: number): LabelPlace {
  const w = textWidth(text);
  if (w + 2 * LABEL_PAD <= bar.width) return { x: bar.x + bar.width / 2, anchor: 'middle', where: 'inside', text };
  const after = right - (bar.x + bar.width) - LABEL_PAD;
  const before = bar.x - left - LABEL_PAD;
  if (w <= after) return { x: bar.x + bar.width + LABEL_PAD, anchor: 'start', where: 'after', text };
  if (w <= before) return { x: bar.x - LABEL_PAD, anchor: 'end', where: 'before', text };
  // It fits nowhere whole: cut it where most of it shows (inside first on a tie, then after).
  const places: LabelPlace[] = [
    { x: bar.x + bar.width / 2, anchor: 'middle', where: 'inside', text: fitText(text, bar.width - 2 * LABEL_PAD) },
    { x: bar.x + bar.width + LABEL_PAD, anchor: 'start', where: 'after', text: fitText(text, after) },
    { x: bar.x - LABEL_PAD, anchor: 'end', where: 'before', text: fitText(text, before) },
  ];
  return places.reduce((best, p) => ([...p.text].length > [...best.text].length ? p : best));
}
