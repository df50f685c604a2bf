/**
 * Reads the diagram's geometry back from its SVG text: the boxes of its text lines (by
 * the per-character width estimate of shared/diagram/layout.ts), its timeline bars and
 * its phase nodes, for tests that check layout rules without a browser.
 */
import { FONT, textWidth } from '../../shared/diagram/layout';

export interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export interface TextBox extends Box {
  text: string;
  cls: string;
}

export interface Bar extends Box {
  ms: number;
  cls: string;
}

function attrs(s: string): Record<string, string> {
  return Object.fromEntries([...s.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1] as string, m[2] as string]));
}

function unescape(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|#39);/g, (_m, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'" })[e] as string);
}

/** Every `<text>` with its estimated box: the advance width, and from ascent to descent around the baseline. */
export function textBoxes(svg: string): TextBox[] {
  return [...svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)].map((m) => {
    const a = attrs(m[1] as string);
    const text = unescape(m[2] as string);
    const cls = a.class ?? '';
    const w = textWidth(text, /\bbold\b/.test(cls));
    const x = Number(a.x);
    const y = Number(a.y);
    const anchor = a['text-anchor'] ?? 'start';
    const x0 = anchor === 'middle' ? x - w / 2 : anchor === 'end' ? x - w : x;
    return { text, cls, x0, x1: x0 + w, y0: y - FONT * 0.8, y1: y + FONT * 0.25 };
  });
}

function rects(svg: string, cls: RegExp): (Box & { a: Record<string, string> })[] {
  return [...svg.matchAll(/<rect([^>]*)\/>/g)]
    .map((m) => attrs(m[1] as string))
    .filter((a) => cls.test(a.class ?? ''))
    .map((a) => ({ a, x0: Number(a.x), x1: Number(a.x) + Number(a.width), y0: Number(a.y), y1: Number(a.y) + Number(a.height) }));
}

/** The timeline's bars, in order. */
export function bars(svg: string): Bar[] {
  return rects(svg, /^seg\b/).map(({ a, ...b }) => ({ ...b, ms: Number(a['data-ms']), cls: a.class ?? '' }));
}

/** The phase nodes' boxes with their labels. */
export function nodeBoxes(svg: string): (Box & { label: TextBox })[] {
  return [...svg.matchAll(/<g class="node[^"]*"[^>]*>.*?<\/g>/g)].map((m) => {
    const [r] = rects(m[0], /^$/);
    const [label] = textBoxes(m[0]);
    return { ...(r as Box), label: label as TextBox };
  });
}

export function intersects(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

export function inside(inner: Box, outer: Box): boolean {
  return inner.x0 >= outer.x0 && inner.x1 <= outer.x1 && inner.y0 >= outer.y0 && inner.y1 <= outer.y1;
}
