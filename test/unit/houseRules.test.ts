/**
 * The house rules that keep the code easy to change ([5/6]): no file over 300 lines and no
 * function over 60 lines, outside the codecs (shared/journal/codec/, whose decoders follow the
 * Rust crates' structure field by field). Functions are found with the TypeScript parser.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import * as ts from 'typescript';
import { cycles, importGraph } from '../../scripts/importCycles';

const ROOT = resolve(__dirname, '../..');
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 60;
const SKIP = new Set(['node_modules', '.git', '.cache', 'dist', 'out', 'fixtures']);

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (SKIP.has(name)) return [];
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

const all = ['shared', 'server', 'client', 'cli', 'scripts', 'bench', 'test'].flatMap((d) => tsFiles(join(ROOT, d)));
const rel = (p: string): string => relative(ROOT, p);
const isCodec = (p: string): boolean => rel(p).startsWith('shared/journal/codec/');
const isProduct = (p: string): boolean => !rel(p).startsWith('test/') && !isCodec(p);

function longFunctions(path: string): string[] {
  const src = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) && 'body' in n && n.body) {
      const from = src.getLineAndCharacterOfPosition(n.getStart()).line;
      const to = src.getLineAndCharacterOfPosition(n.getEnd()).line;
      if (to - from + 1 > MAX_FUNCTION_LINES) out.push(`${rel(path)}:${from + 1} is ${to - from + 1} lines`);
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

describe('house rules', () => {
  it(`no file over ${MAX_FILE_LINES} lines outside the codecs`, () => {
    assert.ok(all.length > 100, `${all.length} files`);
    const long = all
      .filter((p) => !isCodec(p))
      .map((p) => [rel(p), readFileSync(p, 'utf8').split('\n').length - 1] as const)
      .filter(([, n]) => n > MAX_FILE_LINES)
      .map(([p, n]) => `${p}: ${n} lines`);
    assert.deepEqual(long, []);
  });

  it(`no function over ${MAX_FUNCTION_LINES} lines in the product outside the codecs`, () => {
    assert.deepEqual(all.filter(isProduct).flatMap(longFunctions), []);
  });
});

describe('import circles (npm run lint runs scripts/importCycles.ts)', () => {
  it('finds a circle that closes through a type, and each circle once', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
      ['e', ['e']],
    ]);
    assert.deepEqual(cycles(g), [['a', 'b', 'c'], ['e']]);
  });

  it('the project has none', () => {
    assert.deepEqual(
      cycles(importGraph(all)).map((c) => c.map(rel)),
      [],
    );
  });
});

describe('feature folders', () => {
  it('shared/ has no loose files: each feature is a folder with an index.ts', () => {
    const loose = readdirSync(join(ROOT, 'shared')).filter((n) => !statSync(join(ROOT, 'shared', n)).isDirectory());
    assert.deepEqual(loose, []);
    for (const f of readdirSync(join(ROOT, 'shared'))) {
      const dir = join(ROOT, 'shared', f);
      const hasPure = readdirSync(dir).some((n) => n.endsWith('.ts'));
      if (hasPure) assert.ok(statSync(join(dir, 'index.ts')).isFile(), `shared/${f}/index.ts`);
      const node = join(dir, 'node');
      if (readdirSync(dir).includes('node')) assert.ok(statSync(join(node, 'index.ts')).isFile(), `shared/${f}/node/index.ts`);
    }
  });
});
