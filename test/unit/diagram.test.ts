/** The state-machine SVG: edges from the transition table, highlighting, escaping, text alternative. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeDiagram, diagramEdges, renderDiagram } from '../../shared/diagram';
import { TRANSITION_TABLE, PHASES, type Code } from '../../shared/journal';

const T0 = 1_700_000_000_000;

describe('diagram', () => {
  it('draws exactly the supervisor steps from the transition table, plus creation and deletion', () => {
    const steps = PHASES.flatMap((a) => PHASES.filter((b) => TRANSITION_TABLE[a][b] === 'step').map((b) => `${a}>${b}`));
    const edges = diagramEdges().map(([a, b]) => `${a}>${b}`);
    assert.deepEqual(
      edges.filter((e) => !e.includes('start') && !e.includes('end')),
      steps,
    );
    assert.ok(edges.includes('start>Negotiating'));
    assert.deepEqual(edges.filter((e) => e.endsWith('>end')).sort(), ['Committed>end', 'Draining>end', 'ResumingAfterAbort>end']);
  });

  it('highlights the current phase, and "no journal" when there is none', () => {
    const svg = renderDiagram({ phase: 'AwaitingReady', history: [], findings: [], title: 't' }, T0);
    assert.match(svg, /<g class="node current"[^>]*aria-label="AwaitingReady \(current\)/);
    assert.equal((svg.match(/class="node current/g) ?? []).length, 1);
    const none = renderDiagram({ phase: null, history: [], findings: [], title: 't' }, T0);
    assert.match(none, /class="node current"[^>]*aria-label="no journal \(current\)/);
  });

  it('draws illegal transitions in the error colour with their text, and findings as badges', () => {
    const svg = renderDiagram(
      {
        phase: 'Draining',
        title: 't',
        findings: [{ severity: 'warning', code: 'HJ040', message: 'stale' }],
        history: [
          { at: T0, phase: 'AwaitingReady', verdict: 'ok', message: 'first' },
          { at: T0 + 1500, phase: 'Draining', verdict: 'error', message: 'AwaitingReady -> Draining moves backward' },
        ],
      },
      T0 + 3000,
    );
    assert.match(svg, /class="seg bad"/);
    assert.match(svg, /<text class="err"[^>]*>AwaitingReady -&gt; Draining moves backward/);
    assert.match(svg, /class="illegal"/);
    assert.match(svg, /<g class="badge"[^>]*aria-label="HJ040: stale"/);
    assert.match(svg, />AwaitingReady · 1\.5 s</);
    assert.match(svg, />Draining · 1\.5 s</);
  });

  it('escapes everything that came from a file', () => {
    const svg = renderDiagram(
      {
        phase: undefined,
        title: '/tmp/<script>alert(1)</script>"&',
        history: [{ at: T0, phase: null, verdict: 'error', message: '<img src=x onerror=alert(1)>', label: '<b>' }],
        // The code is typed, but the diagram escapes it all the same: it is text in markup.
        findings: [{ severity: 'error', code: '<HJ>' as Code, message: '"><svg onload=alert(1)>' }],
      },
      T0,
    );
    assert.doesNotMatch(svg, /<script|<img|<b>|<HJ>|<svg onload/);
    assert.match(svg, /&lt;script&gt;/);
    assert.match(svg, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.equal((svg.match(/<svg/g) ?? []).length, 1);
  });

  it('shows control and bidi characters from outside as visible escapes (valid XML, one line each)', () => {
    const input = {
      phase: 'Draining' as const,
      title: '/srv/a\x1b[31m\u202eb/state.bin',
      history: [{ at: T0, phase: 'Draining' as const, verdict: 'error' as const, message: 'x\ny\u0000z' }],
      findings: [{ severity: 'error' as const, code: 'HJ001' as const, message: 'bell\x07' }],
    };
    const svg = renderDiagram(input, T0 + 5);
    // XML 1.0 allows no C0 control but tab, newline and carriage return; no data may add lines of text.
    assert.doesNotMatch(svg, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e]/);
    assert.match(svg, /a\\x1b\[31m\\u\{202e\}b/);
    assert.match(svg, /x\\ny\\x00z/);
    assert.match(describeDiagram(input), /a\\x1b\[31m/);
  });

  it('keeps the end of a long path in the title, and the start of a long message, with the whole text in a tooltip', () => {
    const title = `/var/lib/${'very-long-folder/'.repeat(8)}kv/state.bin`;
    const message = `Draining -> Sealing: ${'the incumbent drained '.repeat(6)}END`;
    const svg = renderDiagram(
      { phase: 'Sealing', title, history: [{ at: T0, phase: 'Sealing', verdict: 'ok', message }], findings: [] },
      T0 + 5,
    );
    assert.match(svg, /<text class="label bold"[^>]*>…[^<]*kv\/state\.bin<\/text>/);
    assert.match(svg, />Draining -&gt; Sealing: the incumbent[^<]*…<\/text>/);
    assert.ok(svg.includes(`<title>${title}</title>`));
    assert.ok(svg.includes('END</title>'));
  });

  it('has a text alternative and no embedded style when asked', () => {
    const input = { phase: 'Sealing' as const, title: 'kv', history: [], findings: [] };
    assert.match(describeDiagram(input), /Current phase: Sealing/);
    assert.match(renderDiagram(input, T0), /<desc id="hj-desc">/);
    assert.doesNotMatch(renderDiagram(input, T0, false), /<style>/);
  });
});
