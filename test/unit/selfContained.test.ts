/**
 * The repository stands on its own: no file refers to the reference material that sits
 * beside some checkouts (the sibling folder with fixtures, docs, seed and hooks), and no
 * relative path climbs out of the repository. What the tests read from that material is
 * copied into test/fixtures/, each folder with a PROVENANCE.md saying where it came from
 * in words. The repository's own `shared/` folder (reached as `../shared/` from `cli/`)
 * is fine: a reference counts only when it leaves the repository or names a folder the
 * repository's `shared/` does not have.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = resolve(__dirname, '../..');
const SKIP = new Set(['node_modules', '.git', '.cache', 'dist', 'out']);
/** Files over this size are data (none of ours is text this long). */
const MAX_TEXT_BYTES = 2_000_000;

/** The tracked and new (not ignored) files; a copy without .git (git archive) is walked instead. */
function repoFiles(): string[] {
  if (existsSync(join(ROOT, '.git'))) {
    const r = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `git ls-files: ${r.stderr}`);
    return r.stdout.split('\0').filter((f) => f !== '' && existsSync(join(ROOT, f)));
  }
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const p = join(dir, name);
      if (SKIP.has(name)) return [];
      return statSync(p).isDirectory() ? walk(p) : [relative(ROOT, p)];
    });
  return walk(ROOT);
}

/** The reference folder's subfolders as a path (shared, then fixtures, docs, seed or hooks), or its absolute home. */
const SIBLING = /(?:^|[^\w.-])shared\/(?:fixtures|docs|seed|hooks)\b|\/work\/shared\b/;
/** A run of `../` before `shared`: how far up a relative path to a `shared` folder goes. */
const CLIMB = /((?:\.\.\/)+)shared\b/g;
/** A path from parts, so that this file's own examples are not findings. */
const path = (...parts: string[]): string => parts.join('/');

interface Finding {
  file: string;
  line: number;
  text: string;
}

/** Whether a `../` run in the text climbs above the repository from the file's folder. */
function climbsOut(file: string, text: string): boolean {
  const depth = dirname(file) === '.' ? 0 : dirname(file).split('/').length;
  return [...text.matchAll(CLIMB)].some((m) => (m[1] as string).length / 3 > depth);
}

function findingsIn(file: string): Finding[] {
  const abs = join(ROOT, file);
  if (statSync(abs).size > MAX_TEXT_BYTES) return [];
  const bytes = readFileSync(abs);
  if (bytes.includes(0)) return [];
  const out: Finding[] = [];
  bytes
    .toString('utf8')
    .split('\n')
    .forEach((text, i) => {
      if (SIBLING.test(text) || climbsOut(file, text)) out.push({ file, line: i + 1, text: text.trim().slice(0, 160) });
    });
  return out;
}

describe('the repository is self-contained', () => {
  const files = repoFiles();

  it('sees the whole repository', () => {
    assert.ok(files.length > 300, `${files.length} files`);
    for (const f of ['package.json', 'test/fixtures/logs/README.md', 'docs/journal-semantics.md']) assert.ok(files.includes(f), f);
  });

  it('no file refers to the reference folder beside the repository, or climbs out of it', () => {
    assert.deepEqual(
      files.flatMap(findingsIn).map((f) => `${f.file}:${f.line}: ${f.text}`),
      [],
      'point at the copies in test/fixtures/ and docs/ instead (copy what is missing, with a PROVENANCE.md)',
    );
  });

  it('the check catches what it is for', () => {
    assert.ok(SIBLING.test(`resolve(__dirname, '${path('..', 'shared', 'fixtures', 'logs')}')`));
    assert.ok(SIBLING.test(`see ${path('', 'work', 'shared', 'docs')}`));
    assert.ok(SIBLING.test(`the ${path('shared', 'seed', 'state.rs.txt')} file`));
    assert.ok(!SIBLING.test(`import { x } from '${path('..', 'shared', 'journal')}';`));
    assert.ok(!SIBLING.test('test/fixtures/logs/README.md'));
    assert.ok(climbsOut('test/support/logFixtures.ts', `resolve(__dirname, '${path('..', '..', '..', 'shared')}')`));
    assert.ok(!climbsOut('server/src/commands/index.ts', `from '${path('..', '..', '..', 'shared', 'protocol')}'`));
    assert.ok(!climbsOut('cli/index.ts', `from '${path('..', 'shared', 'journal')}'`));
  });

  it('every fixture folder says where it came from', () => {
    const dir = join(ROOT, 'test/fixtures');
    const folders = readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory());
    assert.ok(folders.length >= 3, folders.join(', '));
    assert.deepEqual(
      folders.filter((n) => !existsSync(join(dir, n, 'PROVENANCE.md'))),
      [],
    );
  });
});
