/**
 * The handoff state machine as SVG, with the current phase highlighted, findings as
 * badges and the observed history as a timeline. Pure: one function from (journal state,
 * history, findings) to SVG text, used by the webview and `handoff-journal show --svg`.
 *
 * Legibility at half a window: the drawing is 640 units wide and every text is 14 units
 * (FONT), and DIAGRAM_STYLE sizes the SVG at 640 × editor-font-size / 14 CSS px, so text
 * renders at exactly the editor's font size, whatever the panel's width (a narrow panel
 * scrolls instead of shrinking the text; at the default 14 px the drawing is 640 px and
 * fits a 700 px panel). The state machine runs top to bottom in two columns so that it
 * fits that width. Colours come from VS Code theme variables with fallbacks, so the same
 * SVG works in the editor and standalone. All text from outside is escaped.
 */
import { PHASES, type Phase, PHASE_INFO, type HistoryEntry, codeInfo, isCode, TRANSITION_TABLE, type Finding } from '../journal';
import { cleanText } from '../util';
import { DIAGRAM_WIDTH as W, fitText, FONT, MARGIN, textWidth } from './layout';
import { timeline } from './timeline';
import { escapeXml, num, textEl } from './svg';

export { escapeXml } from './svg';

export interface DiagramInput {
  /** Current phase; null when there is no journal; undefined when it cannot be decoded. */
  phase: Phase | null | undefined;
  history: HistoryEntry[];
  findings: Finding[];
  /** Shown in the title. */
  title: string;
}

type NodeId = Phase | 'start' | 'end';

const NODE_H = 32;
const ROW = 52;
const PAD_X = 12;
const GAP_X = 140;
const LEFT_LABELS: NodeId[] = ['start', 'Negotiating', 'Draining', 'Sealing', 'AwaitingReady', 'Committed'];
const COL_A_W = Math.ceil(Math.max(...LEFT_LABELS.map((id) => textWidth(nodeLabel(id), true)))) + 2 * PAD_X;
const COL_B_X = MARGIN + COL_A_W + GAP_X;
const COL_B_W = Math.ceil(textWidth('ResumingAfterAbort', true)) + 2 * PAD_X;
/** Where the "seal failed" edge runs down, right of the second column. */
const ROUTE_X = COL_B_X + COL_B_W + 18;

function nodeLabel(id: NodeId): string {
  return id === 'start' || id === 'end' ? 'no journal' : id;
}

/** Top-left corner and width of each node, the machine's top at `top`. */
function layout(top: number): Record<NodeId, { x: number; y: number; w: number }> {
  const a = (row: number): { x: number; y: number; w: number } => ({ x: MARGIN, y: top + row * ROW, w: COL_A_W });
  const b = (row: number): { x: number; y: number; w: number } => ({ x: COL_B_X, y: top + row * ROW, w: COL_B_W });
  return {
    start: a(0),
    Negotiating: a(1),
    Draining: a(2),
    Sealing: a(3),
    AwaitingReady: a(4),
    Committed: a(5),
    ResumingAfterAbort: b(3.5),
    end: b(5),
  };
}

const MACHINE_H = 5 * ROW + NODE_H;

/** The edges: the supervisor's steps from the shared transition table, plus creation and deletion. */
export function diagramEdges(): [NodeId, NodeId, string][] {
  const edges: [NodeId, NodeId, string][] = [['start', 'Negotiating', '']];
  for (const from of PHASES) for (const to of PHASES) if (TRANSITION_TABLE[from][to] === 'step') edges.push([from, to, '']);
  edges.push(['Draining', 'end', 'seal failed'], ['Committed', 'end', 'delete'], ['ResumingAfterAbort', 'end', 'delete']);
  return edges;
}

/** The diagram's CSS: the size that makes text the editor's font size, and theme variables with standalone fallbacks. */
export const DIAGRAM_STYLE = `
  svg.hj-diagram { width: calc(${W} * var(--vscode-editor-font-size, 14px) / ${FONT}); max-width: none; height: auto; }
  .hj-diagram text { fill: var(--vscode-editor-foreground, #1f1f1f); font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: ${FONT}px; }
  .hj-diagram .bold { font-weight: 600; }
  .hj-diagram .bg { fill: var(--vscode-editor-background, #ffffff); }
  .hj-diagram .node rect { fill: var(--vscode-editorWidget-background, #f3f3f3); stroke: var(--vscode-editorWidget-border, #8a8a8a); stroke-width: 1.2; }
  .hj-diagram .node.current rect { fill: var(--vscode-button-background, #005fb8); stroke: var(--vscode-focusBorder, #005fb8); stroke-width: 3; }
  .hj-diagram .node.current text { fill: var(--vscode-button-foreground, #ffffff); }
  .hj-diagram .node.terminal rect { stroke-dasharray: 4 2; }
  .hj-diagram .edge { stroke: var(--vscode-editor-foreground, #1f1f1f); stroke-opacity: 0.6; fill: none; stroke-width: 1.3; marker-end: url(#hj-arrow); }
  .hj-diagram .arrowhead { fill: var(--vscode-editor-foreground, #1f1f1f); fill-opacity: 0.6; }
  .hj-diagram text.edge-label, .hj-diagram text.muted { fill: var(--vscode-descriptionForeground, #616161); }
  .hj-diagram .illegal { stroke: var(--vscode-errorForeground, #e51400); fill: var(--vscode-errorForeground, #e51400); }
  .hj-diagram .seg { fill: var(--vscode-button-secondaryBackground, #c8c8c8); stroke: var(--vscode-editor-foreground, #1f1f1f); stroke-opacity: 0.35; }
  .hj-diagram .seg.bad { fill: var(--vscode-errorForeground, #e51400); }
  .hj-diagram text.inside { fill: var(--vscode-button-secondaryForeground, var(--vscode-editor-foreground, #1f1f1f)); }
  .hj-diagram text.inside.on-bad { fill: var(--vscode-editor-background, #ffffff); }
  .hj-diagram text.err { fill: var(--vscode-errorForeground, #e51400); }
  .hj-diagram .badge rect { fill: var(--vscode-inputValidation-warningBackground, #fff4ce); stroke: var(--vscode-inputValidation-warningBorder, #b89500); }
  .hj-diagram .badge.error rect { fill: var(--vscode-inputValidation-errorBackground, #f2dede); stroke: var(--vscode-inputValidation-errorBorder, #be1100); }
`;

type Box = { x: number; y: number; w: number };

function node(id: NodeId, at: Box, current: boolean): string {
  const label = nodeLabel(id);
  const cls = `node${current ? ' current' : ''}${id === 'Committed' || id === 'ResumingAfterAbort' ? ' terminal' : ''}`;
  const tip = id === 'start' || id === 'end' ? 'No journal on disk: no handoff in flight.' : PHASE_INFO[id].meaning;
  const aria = escapeXml(`${label}${current ? ' (current)' : ''}: ${tip}`);
  return (
    `<g class="${cls}" tabindex="0" role="listitem" aria-label="${aria}"><title>${escapeXml(tip)}</title>` +
    `<rect x="${num(at.x)}" y="${num(at.y)}" width="${num(at.w)}" height="${NODE_H}" rx="6"/>` +
    `${textEl(at.x + at.w / 2, at.y + NODE_H / 2 + FONT * 0.35, label, { anchor: 'middle', cls: 'bold' })}</g>`
  );
}

/** The path of an edge, and where its label goes (if it has one). */
function edgeGeometry(a: Box, b: Box, from: NodeId, to: NodeId): { d: string; label?: [number, number, 'start' | 'middle'] } {
  const mid = (n: Box): number => n.y + NODE_H / 2;
  if (from === 'Draining' && to === 'end') {
    // Around the second column on the right, into the end node from that side.
    return {
      d: `M${num(a.x + a.w)} ${num(mid(a))} H${ROUTE_X} V${num(mid(b))} H${num(b.x + b.w + 2)}`,
      label: [a.x + a.w + 8, mid(a) - 6, 'start'],
    };
  }
  if (from === 'ResumingAfterAbort') {
    const x = a.x + a.w / 2;
    return { d: `M${num(x)} ${num(a.y + NODE_H)} V${num(b.y - 2)}`, label: [x + 8, (a.y + NODE_H + b.y) / 2 + FONT * 0.35, 'start'] };
  }
  if (a.x === b.x) return { d: `M${num(a.x + a.w / 2)} ${num(a.y + NODE_H)} V${num(b.y - 2)}` };
  // From the first column to the second: into the left side, a little above or below its middle.
  const dy = mid(a) < mid(b) ? -6 : mid(a) > mid(b) ? 6 : 0;
  const x1 = a.x + a.w;
  const x2 = b.x - 2;
  return { d: `M${num(x1)} ${num(mid(a))} L${num(x2)} ${num(mid(b) + dy)}`, label: [(x1 + x2) / 2, mid(a) - 6, 'middle'] };
}

function badges(findings: Finding[], y: number): string[] {
  const shown = findings.filter((f) => (isCode(f.code) && codeInfo(f.code).badge) || f.severity === 'error').slice(0, 6);
  if (shown.length === 0) return [];
  const out = [textEl(MARGIN, y + 16, 'Findings', { cls: 'muted' })];
  let x = MARGIN + textWidth('Findings') + 10;
  for (const f of shown) {
    const code = cleanText(f.code);
    const w = textWidth(code) + 16;
    if (x + w > W - MARGIN) break;
    out.push(
      `<g class="badge${f.severity === 'error' ? ' error' : ''}" role="note" aria-label="${escapeXml(`${code}: ${cleanText(f.message)}`)}">` +
        `<title>${escapeXml(cleanText(f.message))}</title><rect x="${num(x)}" y="${y}" width="${num(w)}" height="24" rx="12"/>` +
        `${textEl(x + w / 2, y + 17, code, { anchor: 'middle' })}</g>`,
    );
    x += w + 8;
  }
  return out;
}

/** A plain-text description of the picture, for screen readers and `<desc>`. */
export function describeDiagram(input: DiagramInput): string {
  const cur =
    input.phase === null
      ? 'no journal (no handoff in flight)'
      : input.phase === undefined
        ? 'unknown (the journal cannot be decoded)'
        : input.phase;
  const errors = input.history.filter((h) => h.verdict === 'error').map((h) => cleanText(h.message));
  return (
    `Handoff state machine for ${cleanText(input.title)}. Current phase: ${cur}. ` +
    `Legal steps: ${diagramEdges()
      .map(([a, b]) => `${nodeLabel(a)} to ${nodeLabel(b)}`)
      .join('; ')}. ` +
    `${input.history.length} observed changes${errors.length ? `; illegal: ${errors.join('; ')}` : ''}.` +
    (input.findings.length ? ` Findings: ${input.findings.map((f) => cleanText(f.code)).join(', ')}.` : '')
  );
}

function machine(input: DiagramInput, top: number): string[] {
  const pos = layout(top);
  const current: NodeId | undefined = input.phase === null ? 'start' : input.phase;
  const parts: string[] = [];
  for (const [a, b, label] of diagramEdges()) {
    const g = edgeGeometry(pos[a], pos[b], a, b);
    parts.push(`<path class="edge" d="${g.d}"/>`);
    if (label && g.label) parts.push(textEl(g.label[0], g.label[1], label, { anchor: g.label[2], cls: 'edge-label' }));
  }
  parts.push('<g role="list" aria-label="Phases">');
  for (const id of Object.keys(pos) as NodeId[]) parts.push(node(id, pos[id], id === current));
  parts.push('</g>');
  const illegal = new Set(input.history.filter((h) => h.verdict === 'error' && h.phase).map((h) => h.phase as Phase));
  for (const p of illegal) {
    const { x, y, w } = pos[p];
    parts.push(
      `<rect class="illegal" x="${num(x - 4)}" y="${num(y - 4)}" width="${num(w + 8)}" height="${NODE_H + 8}" rx="8" fill-opacity="0.12" stroke-width="2"/>`,
    );
  }
  return parts;
}

/**
 * The SVG text; `embedStyle: false` leaves the CSS to the page (a webview with a CSP
 * nonce, which must include DIAGRAM_STYLE).
 */
export function renderDiagram(input: DiagramInput, now: number, embedStyle = true): string {
  const title = cleanText(input.title);
  const head = badges(input.findings, 34);
  const machineTop = head.length ? 74 : 44;
  const tl = timeline(input.history, machineTop + MACHINE_H + 40, now);
  const height = Math.ceil(tl.bottom + 12);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="hj-diagram" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" role="img" aria-labelledby="hj-title hj-desc">`,
    `<title id="hj-title">${escapeXml(`Handoff journal: ${title}`)}</title>`,
    `<desc id="hj-desc">${escapeXml(describeDiagram(input))}</desc>`,
    ...(embedStyle ? [`<style>${DIAGRAM_STYLE}</style>`] : []),
    `<defs><marker id="hj-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrowhead" d="M0 0 L10 5 L0 10 z"/></marker></defs>`,
    `<rect class="bg" x="0" y="0" width="${W}" height="${height}"/>`,
    `<g><title>${escapeXml(title)}</title>${textEl(MARGIN, 22, fitText(title, W - 2 * MARGIN, 'end', true), { cls: 'label bold' })}</g>`,
    ...head,
    ...machine(input, machineTop),
    ...tl.parts,
    '</svg>',
  ].join('\n');
}
