/**
 * The handoff state machine as SVG, with the current phase highlighted, the observed
 * history as a timeline and findings as badges. Pure: one function from (journal state,
 * history, findings) to SVG text, used by the webview and `handoff-journal show --svg`.
 * Colours come from VS Code theme variables with fallbacks, so the same SVG works in the
 * editor (light, dark, high contrast) and standalone. Every piece of text is escaped.
 */
import { PHASES, type Phase } from './journal';
import { PHASE_INFO } from './phaseInfo';
import { historyLabel, type HistoryEntry } from './render';
import { TRANSITION_TABLE } from './transitions';
import type { Finding } from './validate';

export interface DiagramInput {
  /** Current phase; null when there is no journal; undefined when it cannot be decoded. */
  phase: Phase | null | undefined;
  history: HistoryEntry[];
  findings: Finding[];
  /** Shown in the title. */
  title: string;
}

type NodeId = Phase | 'start' | 'end';

const W = 920;
const NODE_W = 118;
const NODE_H = 40;
const POS: Record<NodeId, [number, number]> = {
  start: [10, 60],
  Negotiating: [135, 60],
  Draining: [260, 60],
  Sealing: [385, 60],
  AwaitingReady: [510, 60],
  Committed: [635, 60],
  ResumingAfterAbort: [447, 160],
  end: [790, 60],
};

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** The edges: the supervisor's steps from the shared transition table, plus creation and deletion. */
export function diagramEdges(): [NodeId, NodeId, string][] {
  const edges: [NodeId, NodeId, string][] = [['start', 'Negotiating', '']];
  for (const from of PHASES) for (const to of PHASES) if (TRANSITION_TABLE[from][to] === 'step') edges.push([from, to, '']);
  edges.push(['Draining', 'end', 'seal failed'], ['Committed', 'end', 'delete'], ['ResumingAfterAbort', 'end', 'delete']);
  return edges;
}

/** The diagram's CSS: theme variables with standalone fallbacks. */
export const DIAGRAM_STYLE = `
  .bg { fill: var(--vscode-editor-background, #ffffff); }
  .node rect { fill: var(--vscode-editorWidget-background, #f3f3f3); stroke: var(--vscode-editorWidget-border, #8a8a8a); stroke-width: 1.2; }
  .node text, .label, .tl text { fill: var(--vscode-editor-foreground, #1f1f1f); font: 12px var(--vscode-font-family, sans-serif); }
  .node.current rect { fill: var(--vscode-button-background, #005fb8); stroke: var(--vscode-focusBorder, #005fb8); stroke-width: 3; }
  .node.current text { fill: var(--vscode-button-foreground, #ffffff); font-weight: bold; }
  .node.terminal rect { stroke-dasharray: 4 2; }
  .edge { stroke: var(--vscode-editor-foreground, #1f1f1f); stroke-opacity: 0.6; fill: none; stroke-width: 1.3; marker-end: url(#arrow); }
  .arrowhead { fill: var(--vscode-editor-foreground, #1f1f1f); fill-opacity: 0.6; }
  .edge-label { fill: var(--vscode-descriptionForeground, #616161); font: 10px var(--vscode-font-family, sans-serif); }
  .illegal { stroke: var(--vscode-errorForeground, #e51400); fill: var(--vscode-errorForeground, #e51400); }
  .tl .seg { fill: var(--vscode-button-secondaryBackground, #c8c8c8); stroke: var(--vscode-editor-background, #fff); }
  .tl .seg.bad { fill: var(--vscode-errorForeground, #e51400); }
  .tl text.err { fill: var(--vscode-errorForeground, #e51400); }
  .badge rect { fill: var(--vscode-inputValidation-warningBackground, #fff4ce); stroke: var(--vscode-inputValidation-warningBorder, #b89500); }
  .badge.error rect { fill: var(--vscode-inputValidation-errorBackground, #f2dede); stroke: var(--vscode-inputValidation-errorBorder, #be1100); }
  .badge text { fill: var(--vscode-editor-foreground, #1f1f1f); font: 11px var(--vscode-font-family, sans-serif); }
`;

function center(id: NodeId): [number, number] {
  const [x, y] = POS[id];
  return [x + NODE_W / 2, y + NODE_H / 2];
}

function edgePath(from: NodeId, to: NodeId): string {
  const [x1, y1] = center(from);
  const [x2, y2] = center(to);
  const half = (NODE_W - 8) / 2;
  const hh = NODE_H / 2;
  if (y1 === y2) {
    // Same row: a straight arrow between neighbours, a detour below the row otherwise.
    if (Math.abs(x2 - x1) <= 160) return `M${x1 + half} ${y1} L${x2 - half - 2} ${y2}`;
    return `M${x1} ${y1 + hh} C${x1} ${y1 + 190} ${x2} ${y2 + 190} ${x2} ${y2 + hh + 2}`;
  }
  if (y2 > y1) return `M${x1} ${y1 + hh} C${x1} ${y2} ${x2} ${y1 + hh} ${x2} ${y2 - hh - 2}`;
  return `M${x1 + half} ${y1} C${x2} ${y1} ${x2} ${y1} ${x2} ${y2 + hh + 2}`;
}

function node(id: NodeId, current: boolean): string {
  const [x, y] = POS[id];
  const label = id === 'start' ? 'no journal' : id === 'end' ? 'no journal' : id;
  const cls = `node${current ? ' current' : ''}${id === 'Committed' || id === 'ResumingAfterAbort' ? ' terminal' : ''}`;
  const tip = id === 'start' || id === 'end' ? 'No journal on disk: no handoff in flight.' : PHASE_INFO[id].meaning;
  return `<g class="${cls}" tabindex="0" role="listitem" aria-label="${escapeXml(`${label}${current ? ' (current)' : ''}: ${tip}`)}"><title>${escapeXml(tip)}</title><rect x="${x}" y="${y}" width="${NODE_W - 8}" height="${NODE_H}" rx="6"/><text x="${x + (NODE_W - 8) / 2}" y="${y + NODE_H / 2 + 4}" text-anchor="middle">${escapeXml(label)}</text></g>`;
}

function fmtDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s`;
}

function timeline(history: HistoryEntry[], top: number, now: number): string[] {
  const out: string[] = [
    `<g class="tl" role="list" aria-label="Observed history"><text x="10" y="${top}" font-weight="bold">Observed history</text>`,
  ];
  const shown = history.slice(-12);
  if (shown.length === 0) out.push(`<text x="10" y="${top + 22}">No changes observed yet.</text>`);
  shown.forEach((h, i) => {
    const y = top + 20 + i * 22;
    const next = shown[i + 1]?.at ?? now;
    const bad = h.verdict === 'error';
    const stamp = new Date(h.at).toISOString().replace('T', ' ').replace('Z', ' UTC');
    const width = Math.max(4, Math.min(200, ((next - h.at) / 1000) * 4));
    out.push(
      `<g role="listitem"><rect class="seg${bad ? ' bad' : ''}" x="10" y="${y - 11}" width="${width.toFixed(1)}" height="14" rx="2"/>` +
        `<text x="220" y="${y}">${escapeXml(stamp)}  ${escapeXml(historyLabel(h))}  ${escapeXml(fmtDuration(next - h.at))}</text>` +
        `<text x="540" y="${y}" class="${bad ? 'err' : ''}">${escapeXml(h.message.length > 62 ? `${h.message.slice(0, 61)}…` : h.message)}</text></g>`,
    );
  });
  out.push('</g>');
  return out;
}

function badges(findings: Finding[], phase: Phase | null | undefined): string[] {
  const shown = findings.filter((f) => /^HJ0(4|5|7)/.test(f.code) || f.severity === 'error').slice(0, 4);
  const [x0, y0] = phase ? POS[phase] : POS.start;
  return shown.map((f, i) => {
    const x = Math.min(x0 + i * 62, W - 70);
    const y = y0 - 32;
    return `<g class="badge${f.severity === 'error' ? ' error' : ''}" role="note" aria-label="${escapeXml(`${f.code}: ${f.message}`)}"><title>${escapeXml(f.message)}</title><rect x="${x}" y="${y}" width="56" height="20" rx="10"/><text x="${x + 28}" y="${y + 14}" text-anchor="middle">${escapeXml(f.code)}</text></g>`;
  });
}

/** A plain-text description of the picture, for screen readers and `<desc>`. */
export function describeDiagram(input: DiagramInput): string {
  const cur =
    input.phase === null
      ? 'no journal (no handoff in flight)'
      : input.phase === undefined
        ? 'unknown (the journal cannot be decoded)'
        : input.phase;
  const errors = input.history.filter((h) => h.verdict === 'error').map((h) => h.message);
  return (
    `Handoff state machine for ${input.title}. Current phase: ${cur}. ` +
    `Legal steps: ${diagramEdges()
      .map(([a, b]) => `${a === 'start' || a === 'end' ? 'no journal' : a} to ${b === 'start' || b === 'end' ? 'no journal' : b}`)
      .join('; ')}. ` +
    `${input.history.length} observed changes${errors.length ? `; illegal: ${errors.join('; ')}` : ''}.` +
    (input.findings.length ? ` Findings: ${input.findings.map((f) => f.code).join(', ')}.` : '')
  );
}

/** The SVG text; `embedStyle: false` leaves the CSS to the page (a webview with a CSP nonce). */
export function renderDiagram(input: DiagramInput, now: number, embedStyle = true): string {
  const current: NodeId | undefined = input.phase === null ? 'start' : input.phase;
  const historyTop = 275;
  const height = historyTop + 30 + Math.max(1, Math.min(12, input.history.length)) * 22;
  const illegal = new Set(input.history.filter((h) => h.verdict === 'error' && h.phase).map((h) => h.phase as string));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" role="img" aria-labelledby="hj-title hj-desc">`,
    `<title id="hj-title">${escapeXml(`Handoff journal: ${input.title}`)}</title>`,
    `<desc id="hj-desc">${escapeXml(describeDiagram(input))}</desc>`,
    ...(embedStyle ? [`<style>${DIAGRAM_STYLE}</style>`] : []),
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrowhead" d="M0 0 L10 5 L0 10 z"/></marker></defs>`,
    `<rect class="bg" x="0" y="0" width="${W}" height="${height}"/>`,
    `<text class="label" x="10" y="20" font-weight="bold">${escapeXml(input.title)}</text>`,
  ];
  for (const [a, b, label] of diagramEdges()) {
    parts.push(`<path class="edge" d="${edgePath(a, b)}"/>`);
    if (label) {
      const [x1, y1] = center(a);
      const [x2, y2] = center(b);
      const below = y1 === y2 && Math.abs(x2 - x1) > 160;
      const [lx, ly] = below
        ? [(x1 + x2) / 2, y1 + 150]
        : y1 === y2
          ? [(x1 + x2) / 2 - 14, y1 - 8]
          : y2 < y1
            ? [x2 - 70, y1 - 6]
            : [(x1 + x2) / 2 + 8, (y1 + y2) / 2];
      parts.push(`<text class="edge-label" x="${lx}" y="${ly}">${escapeXml(label)}</text>`);
    }
  }
  parts.push('<g role="list" aria-label="Phases">');
  for (const id of Object.keys(POS) as NodeId[]) parts.push(node(id, id === current));
  parts.push('</g>');
  for (const p of illegal) {
    const [x, y] = POS[p as Phase];
    parts.push(
      `<rect class="illegal" x="${x - 3}" y="${y - 3}" width="${NODE_W - 2}" height="${NODE_H + 6}" rx="8" fill-opacity="0.12" stroke-width="2"/>`,
    );
  }
  parts.push(...badges(input.findings, input.phase), ...timeline(input.history, historyTop, now), '</svg>');
  return parts.join('\n');
}
