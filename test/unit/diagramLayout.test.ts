/**
 * The diagram's layout rules, read back from the SVG: text at the editor's font size,
 * timeline bars sized to their share with a minimum width, labels inside a bar only when
 * they fit and beside it otherwise, no two texts overlapping, everything inside the width.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fc } from '../support/properties';
import { DIAGRAM_STYLE, renderDiagram, type DiagramInput } from '../../shared/diagram';
import { barWidths, DIAGRAM_WIDTH, FONT, LABEL_PAD, MARGIN, MIN_BAR, placeLabel, textWidth } from '../../shared/diagram/layout';
import { PHASES, type HistoryEntry } from '../../shared/journal';
import { bars, inside, intersects, nodeBoxes, textBoxes } from '../support/svgGeometry';

const T0 = 1_700_000_000_000;
const TRACK = DIAGRAM_WIDTH - 2 * MARGIN;

/** A history whose changes are `gaps` ms apart, observed until `tail` ms after the last. */
function history(gaps: number[], tail: number): { input: DiagramInput; now: number } {
  let at = T0;
  const h: HistoryEntry[] = gaps.map((g, i) => {
    const e: HistoryEntry = { at, phase: PHASES[i % PHASES.length] ?? null, verdict: i % 5 === 4 ? 'error' : 'ok', message: `change ${i}` };
    at += g;
    return e;
  });
  h.push({ at, phase: null, verdict: 'ok', message: 'deleted after Committed: the handoff is complete' });
  return { input: { phase: null, title: '/var/lib/beyond/handoff/kv/state.bin', findings: [], history: h }, now: at + tail };
}

/** The rules every rendering keeps. */
function checkLayout(svg: string): void {
  const texts = textBoxes(svg);
  for (const t of texts) assert.ok(t.x0 >= 0 && t.x1 <= DIAGRAM_WIDTH, `"${t.text}" [${t.x0}, ${t.x1}] outside the width`);
  for (let i = 0; i < texts.length; i++)
    for (let j = i + 1; j < texts.length; j++) {
      const [a, b] = [texts[i], texts[j]] as [(typeof texts)[0], (typeof texts)[0]];
      assert.ok(!intersects(a, b), `"${a.text}" overlaps "${b.text}"`);
    }
  const segs = bars(svg);
  const labels = texts.filter((t) => /\bseg-label\b/.test(t.cls));
  assert.equal(labels.length, segs.length);
  segs.forEach((bar, i) => {
    const label = labels[i] as (typeof labels)[0];
    assert.ok(bar.x1 - bar.x0 >= MIN_BAR - 0.1, `bar ${i} is ${bar.x1 - bar.x0} wide`);
    if (/\binside\b/.test(label.cls)) assert.ok(inside(label, bar), `"${label.text}" is marked inside but does not fit`);
    else {
      assert.ok(!intersects(label, bar), `"${label.text}" outside its bar overlaps it`);
      // The SVG rounds each coordinate to 0.1: the width read back is within 0.1 of the one laid out.
      assert.ok(textWidth(label.text) + 2 * LABEL_PAD > bar.x1 - bar.x0 - 0.1, `"${label.text}" fits in its bar but is outside`);
    }
    for (const other of segs) if (other !== bar) assert.ok(!intersects(label, other), `"${label.text}" overlaps another bar`);
  });
  const nodes = nodeBoxes(svg);
  for (const n of nodes) assert.ok(inside(n.label, n), `node label "${n.label.text}" does not fit its node`);
  for (const t of texts.filter((x) => /\bedge-label\b/.test(x.cls)))
    for (const n of nodes) assert.ok(!intersects(t, n), `edge label "${t.text}" overlaps the node "${n.label.text}"`);
}

describe('diagram text size', () => {
  it('is the editor font size: the SVG is sized in editor-font units and every text is FONT units', () => {
    assert.match(
      DIAGRAM_STYLE,
      new RegExp(`svg\\.hj-diagram \\{ width: calc\\(${DIAGRAM_WIDTH} \\* var\\(--vscode-editor-font-size, 14px\\) / ${FONT}\\)`),
    );
    assert.deepEqual([...new Set([...DIAGRAM_STYLE.matchAll(/font-size:\s*([^;]+);/g)].map((m) => m[1]))], [`${FONT}px`]);
    assert.doesNotMatch(DIAGRAM_STYLE, /\bfont:/);
    const { input, now } = history([3, 2100, 1, 841, 40], 60_000);
    const svg = renderDiagram(input, now);
    assert.doesNotMatch(svg, /font-size=|style="/);
    assert.match(
      svg,
      new RegExp(`^<svg [^>]*class="hj-diagram" width="${DIAGRAM_WIDTH}" height="\\d+" viewBox="0 0 ${DIAGRAM_WIDTH} \\d+"`),
    );
  });
});

describe('timeline bars', () => {
  it('barWidths: at least the minimum, the rest proportional, together the whole track', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 12 }), (d) => {
        const w = barWidths(d, TRACK);
        assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) - TRACK) < 1e-6);
        for (const x of w) assert.ok(x >= MIN_BAR - 1e-9);
        const free = d.map((x, i) => [x, w[i] as number] as const).filter(([, x]) => x > MIN_BAR + 1e-9);
        for (const [da, wa] of free) for (const [db, wb] of free) assert.ok(Math.abs(wa * db - wb * da) <= 1e-6 * Math.max(1, wa * db));
      }),
    );
  });

  it('a 1 ms phase next to a minute still shows, and a longer phase is wider', () => {
    const { input, now } = history([1, 30_000, 2], 60_000);
    const b = bars(renderDiagram(input, now));
    assert.deepEqual(
      b.map((x) => x.ms),
      [1, 30_000, 2, 60_000],
    );
    assert.ok(b[0] && b[0].x1 - b[0].x0 >= MIN_BAR && b[0].x1 - b[0].x0 < 7);
    const w = b.map((x) => x.x1 - x.x0) as [number, number, number, number];
    assert.ok(Math.abs(w[3] / w[1] - 2) < 0.01, `60 s is twice 30 s: ${w[3]} vs ${w[1]}`);
    // One track in time order: each bar starts where the previous ended; all of it fills the width.
    b.slice(1).forEach((x, i) => assert.ok(Math.abs(x.x0 - (b[i] as (typeof b)[0]).x1) < 0.15));
    assert.ok(Math.abs((b[3] as (typeof b)[0]).x1 - (DIAGRAM_WIDTH - MARGIN)) < 0.3);
  });

  it('labels inside when they fit, outside (after, else before) when not, never overlapping', () => {
    const { input, now } = history([1, 30_000, 2], 60_000);
    const svg = renderDiagram(input, now);
    const labels = textBoxes(svg).filter((t) => /\bseg-label\b/.test(t.cls));
    assert.deepEqual(
      labels.map((l) => [l.text, /inside/.test(l.cls)]),
      [
        ['Negotiating · 1 ms', false],
        ['Draining · 30.0 s', true],
        ['Sealing · 2 ms', false],
        ['(no journal) · 1m 00s', true],
      ],
    );
    checkLayout(svg);
    assert.deepEqual(placeLabel('Committed · 40 ms', { x: 600, width: 20 }, MARGIN, DIAGRAM_WIDTH - MARGIN).where, 'before');
    assert.deepEqual(placeLabel('Committed · 40 ms', { x: 100, width: 20 }, MARGIN, DIAGRAM_WIDTH - MARGIN).where, 'after');
  });

  it('keeps the rules for any history (12 rows shown), with findings and long messages', () => {
    // Found by a random seed: a label exactly as wide as its bar, read back from rounded coordinates.
    const { input, now } = history([3_600_000], 8_556_863);
    checkLayout(renderDiagram(input, now));
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 90_000_000 }), { minLength: 0, maxLength: 16 }),
        fc.integer({ min: 0, max: 90_000_000 }),
        fc.string({ maxLength: 200 }),
        (gaps, tail, message) => {
          const { input, now } = history(gaps, tail);
          input.history.forEach((h) => (h.message = `${h.message} ${message}`));
          input.findings = [
            { severity: 'error', code: 'HJ001', message },
            { severity: 'warning', code: 'HJ040', message },
          ];
          checkLayout(renderDiagram(input, now));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('state machine', () => {
  it('fits its node labels (bold) in their nodes, keeps every text apart, in every phase', () => {
    for (const phase of [...PHASES, null, undefined]) {
      const svg = renderDiagram({ phase, title: 't', history: [], findings: [] }, T0);
      assert.equal(nodeBoxes(svg).length, 8);
      checkLayout(svg);
    }
  });
});
