/**
 * The code table (shared/journal/findings.ts) against what documents and uses it: the README's
 * generated table, docs/supervisor-log.md's table, and every code named in the sources.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ALL_CODES, CODES, isCode, type Code } from '../../shared/journal';
import { BEGIN_MARKER, codesSection, codesTable, END_MARKER, withCodesTable } from '../../scripts/codesTable';

const ROOT = join(__dirname, '..', '..');
const read = (rel: string): string => readFileSync(join(ROOT, rel), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

describe('the code table', () => {
  it('is what the README shows between its markers (npm run codes:readme rewrites it)', () => {
    assert.equal(
      codesSection(read('README.md')),
      codesTable(),
      'the README code table differs from shared/journal/findings.ts: run npm run codes:readme',
    );
  });

  it('rewrites only the README section between the markers, and the same way twice', () => {
    const readme = `# T\n\nbefore\n\n${BEGIN_MARKER}\n\n| old |\n\n${END_MARKER}\n\nafter\n`;
    const once = withCodesTable(readme);
    assert.equal(withCodesTable(once), once);
    assert.ok(once.startsWith(`# T\n\nbefore\n\n${BEGIN_MARKER}\n\n| code  | severity`));
    assert.ok(once.endsWith(`|\n\n${END_MARKER}\n\nafter\n`));
    assert.ok(!once.includes('| old |'));
    assert.throws(() => withCodesTable('no markers'), /no "<!-- codes:begin/);
  });

  it('has one row per code, in order, each with a severity, a meaning and a fix sentence', () => {
    const rows = codesTable().split('\n').slice(2);
    assert.deepEqual(
      rows.map((r) => r.slice(2, 7)),
      ALL_CODES,
    );
    assert.deepEqual([...ALL_CODES].sort(), ALL_CODES);
    for (const c of ALL_CODES) {
      assert.match(c, /^HJ\d{3}$/);
      assert.match(CODES[c].title, /^\S.*\.$/, `${c} title`);
      assert.match(CODES[c].fix, /^[A-Z].*\.$/, `${c} fix`);
    }
  });

  it('agrees with the severities in docs/supervisor-log.md', () => {
    const rows = [...read('docs/supervisor-log.md').matchAll(/^\| (HJ\d{3}) \| (\w+) /gm)].map((m) => [m[1], m[2]]);
    assert.deepEqual(
      rows.map(([c]) => c),
      ALL_CODES.filter((c) => c.startsWith('HJ09')),
    );
    for (const [c, severity] of rows) assert.equal(isCode(c as string) && CODES[c as Code].severity, severity, c);
  });

  it('holds every code the sources and the README name', () => {
    const files = [...['shared', 'server/src', 'cli', 'client/src'].flatMap(sources), 'README.md', 'docs/supervisor-log.md'];
    const named = new Set(files.flatMap((f) => [...read(f).matchAll(/\bHJ\d{3}\b/g)].map((m) => m[0])));
    assert.ok(named.size > 20, `codes found: ${named.size}`);
    assert.deepEqual(
      [...named].filter((c) => !isCode(c)),
      [],
    );
  });
});
