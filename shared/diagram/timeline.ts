/**
 * The observed history under the state machine: one row per change, its bar placed on
 * one track in time order and sized to its share of the observed time (from the first
 * change shown to now) with a minimum width, its label ("Sealing · 2.1 s") inside the bar
 * when it fits and beside it when not; under each bar, the time and the transition
 * check's message. Rows never share a line, so labels cannot overlap. Pure.
 */
import { barWidths, DIAGRAM_WIDTH as W, fitText, FONT, MARGIN, placeLabel, textWidth } from './layout';
import { formatDuration, cleanText } from '../util';
import { escapeXml, num, textEl } from './svg';
import { historyLabel, type HistoryEntry } from '../journal';

/** Changes shown (the newest). */
export const TIMELINE_ROWS = 12;
const BAR_H = 20;
/** From one row's bar to the next: the bar, then the line of time and message. */
const ROW_H = 54;

/** `22:13:34.109`: the time of day in UTC. */
function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}

export function timeline(history: HistoryEntry[], top: number, now: number): { parts: string[]; bottom: number } {
  const shown = history.slice(-TIMELINE_ROWS);
  const first = shown[0];
  if (!first) {
    return {
      parts: [
        `<g class="tl" role="list" aria-label="Observed history">${textEl(MARGIN, top, 'Observed history', { cls: 'bold' })}`,
        `${textEl(MARGIN, top + 26, 'No changes observed yet.', { cls: 'muted' })}</g>`,
      ],
      bottom: top + 30,
    };
  }
  const durations = shown.map((h, i) => Math.max(0, (shown[i + 1]?.at ?? now) - h.at));
  const span = Math.max(0, now - first.at);
  const n = history.length;
  const heading = `Observed history (UTC): ${n} change${n === 1 ? '' : 's'}${n > shown.length ? `, the last ${shown.length}` : ''}${span > 0 ? ` over ${formatDuration(span)}` : ''}`;
  const parts = [
    `<g class="tl" role="list" aria-label="Observed history">`,
    textEl(MARGIN, top, fitText(heading, W - 2 * MARGIN, 'start', true), { cls: 'bold' }),
  ];
  const track = W - 2 * MARGIN;
  const widths = barWidths(durations, track);
  let x = MARGIN;
  shown.forEach((h, i) => {
    const y = top + 14 + i * ROW_H;
    const w = widths[i] as number;
    const bad = h.verdict === 'error';
    const label = `${cleanText(historyLabel(h))} · ${formatDuration(durations[i] as number)}`;
    const place = placeLabel(label, { x, width: w }, MARGIN, W - MARGIN);
    const message = cleanText(h.message);
    const time = clock(h.at);
    const msgX = MARGIN + textWidth(time) + 10;
    parts.push(
      `<g role="listitem" aria-label="${escapeXml(`${time} ${label}: ${message}`)}"><title>${escapeXml(`${new Date(h.at).toISOString()}  ${label}\n${message}`)}</title>` +
        `<rect class="seg${bad ? ' bad' : ''}" x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${BAR_H}" rx="3" data-ms="${durations[i]}"/>` +
        textEl(place.x, y + BAR_H / 2 + FONT * 0.35, place.text, {
          anchor: place.anchor,
          cls: `seg-label${place.where === 'inside' ? ` inside${bad ? ' on-bad' : ''}` : ''}`,
        }) +
        textEl(MARGIN, y + BAR_H + 17, time, { cls: 'muted' }) +
        textEl(msgX, y + BAR_H + 17, fitText(message, W - MARGIN - msgX), bad ? { cls: 'err' } : {}) +
        '</g>',
    );
    x += w;
  });
  parts.push('</g>');
  return { parts, bottom: top + 14 + (shown.length - 1) * ROW_H + BAR_H + 22 };
}
