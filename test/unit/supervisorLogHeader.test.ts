/**
 * The hand-written scanner of a tracing line's head and fields (shared/supervisorLog/
 * header.ts) against the regular expressions it replaced, on random short lines built
 * from the characters that matter (braces, colons, spaces, `=`, quotes, dots, digits,
 * level words, timestamps): the same answer for every line, so the linear scanner
 * reads tracing lines exactly as before. The old patterns backtrack, hence short lines.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fc } from '../support/properties';
import { nextFieldStart, scanHead, stripControls, splitLines } from '../../shared/supervisorLog';

// The former patterns (shared/supervisorLog/parse.ts before the second audit).
const HEADER =
  /^ ?(?:(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d))\s+)?(TRACE|DEBUG|INFO|WARN|ERROR)\s+(?:(\S*\{[^}]*\}\S*?):\s+)?(?:([A-Za-z_][\w]*(?:(?:::|\.)[A-Za-z_][\w]*)*):(?:\s|$))?(.*)$/;
const FIELD_START = /(^|\s)([a-z_][a-z0-9_.]*)=/g;

const ATOMS = [
  '{',
  '}',
  ':',
  ' ',
  '  ',
  '\t',
  '=',
  '"',
  '\\',
  '.',
  '::',
  'a',
  'k',
  '_',
  '1',
  'x=',
  ' k=',
  'span',
  'handoff',
  'INFO',
  'WARN ',
  'ERROR',
  '2026-11-28T07:43:48.014038Z',
  '2026-11-28T07:43:48Z',
  '+01:00',
  '-0530',
  '\u00a0',
  '\u3000',
  'é',
  '}:',
  '{a=1 b=2}:',
];
const line = fc.array(fc.constantFrom(...ATOMS), { maxLength: 14 }).map((xs) => xs.join(''));
const levelLine = fc
  .tuple(fc.constantFrom('', ' ', '2026-11-28T07:43:48.014038Z  ', 'x'), fc.constantFrom('INFO ', 'WARN  ', 'DEBUG\t'), line)
  .map((p) => p.join(''));

function oldHead(s: string): object | undefined {
  const h = HEADER.exec(s);
  if (!h) return undefined;
  const [, timestamp, level, spans, target = '', rest = ''] = h;
  return { ...(timestamp ? { timestamp } : {}), level, ...(spans ? { spans } : {}), target, rest };
}

function oldFields(s: string): { index: number; key: string; valueStart: number }[] {
  const out: { index: number; key: string; valueStart: number }[] = [];
  FIELD_START.lastIndex = 0;
  for (let m = FIELD_START.exec(s); m; m = FIELD_START.exec(s)) {
    out.push({ index: m.index, key: m[2] as string, valueStart: m.index + m[0].length });
    FIELD_START.lastIndex = m.index + m[0].length;
  }
  return out;
}

function newFields(s: string): { index: number; key: string; valueStart: number }[] {
  const out: { index: number; key: string; valueStart: number }[] = [];
  for (let m = nextFieldStart(s, 0); m; m = nextFieldStart(s, m.valueStart)) out.push(m);
  return out;
}

describe('the linear scanner reads tracing lines as the old patterns did', () => {
  it('scanHead agrees with the old HEADER on random lines', () => {
    fc.assert(
      fc.property(fc.oneof(line, levelLine), (raw) => {
        const s = stripControls(raw).trimEnd();
        assert.deepEqual(scanHead(s), oldHead(s));
      }),
      { numRuns: 4000 },
    );
  });

  it('nextFieldStart agrees with the old FIELD_START', () => {
    fc.assert(
      fc.property(line, (s) => assert.deepEqual(newFields(s), oldFields(s))),
      { numRuns: 4000 },
    );
  });

  it('spans, targets and timestamps as tracing writes them', () => {
    const h = scanHead('2026-11-28T07:43:48.014038Z  INFO handoff{id=1 k=2}:seal{x=3}: handoff::incumbent: sealed a=1');
    assert.deepEqual(h, {
      timestamp: '2026-11-28T07:43:48.014038Z',
      level: 'INFO',
      spans: 'handoff{id=1 k=2}:seal{x=3}',
      target: 'handoff::incumbent',
      rest: 'sealed a=1',
    });
    assert.equal(scanHead('  INFO x: y'), undefined, 'one leading space at most');
    assert.deepEqual(scanHead('WARN handoff.abort:'), { level: 'WARN', target: 'handoff.abort', rest: '' });
  });
});

describe('lines within bounds', () => {
  it('splits like String.split, a final newline adding no line', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', '\n', '\r\n', 'b c', ''), { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        const want = text.split(/\r?\n/);
        if (want[want.length - 1] === '') want.pop();
        assert.deepEqual(
          splitLines(text).lines.map((l) => l.text),
          text === '' ? [] : want.map((w) => w.replace(/\r$/, '')),
        );
      }),
    );
  });

  it('keeps the first or the last lines, and cuts long ones', () => {
    const text = ['1', '2', '3', 'x'.repeat(10)].join('\n');
    assert.deepEqual(splitLines(text, { maxLines: 2 }), { lines: [{ text: '1' }, { text: '2' }], droppedLines: 2, cutLines: 0 });
    assert.deepEqual(splitLines(text, { maxLines: 2, keep: 'last', maxLineChars: 4 }), {
      lines: [{ text: '3' }, { text: 'xxxx', cut: 6 }],
      droppedLines: 2,
      cutLines: 1,
    });
  });
});
