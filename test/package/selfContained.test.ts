/**
 * The repository stands on its own: its files alone (`git archive` of HEAD with the
 * working tree's tracked changes), in a temporary folder with nothing beside it, install
 * with `npm ci` (from npm's cache when it can, with no engine warning) and pass their unit
 * and CLI tests. What a clone needs must be in the clone: no sibling folder, no file left
 * untracked, nothing from this checkout's node_modules, dist or .cache.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = resolve(__dirname, '../..');

/** The environment of a fresh shell: none of the outer npm's, node:test's or our own variables. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|HJ_|NODE_TEST_CONTEXT$|NODE_OPTIONS$)/i.test(k)) env[k] = v;
  return env;
}

function npm(cwd: string, ...args: string[]): { code: number | null; out: string } {
  const r = spawnSync('npm', args, { cwd, env: cleanEnv(), encoding: 'utf8', timeout: 600_000, maxBuffer: 64 << 20 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The last lines of a command's output, for a failure message. */
const tail = (s: string): string => s.split('\n').slice(-40).join('\n');

describe('a copy of the repository alone', { timeout: 900_000 }, () => {
  let parent = '';
  let copy = '';

  before(() => {
    const top = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(top.status, 0, `this test copies the repository with git archive: run it in a git clone (${top.stderr.trim()})`);
    parent = mkdtempSync(join(tmpdir(), 'hj-alone-'));
    // Open to others, as a clone usually is: the CLI tests also run it as the user nobody.
    chmodSync(parent, 0o755);
    copy = join(parent, 'handoff-journal');
    mkdirSync(copy);
    // The working tree's tracked changes too (a commit object only: nothing is stashed).
    const stash = spawnSync('git', ['stash', 'create'], { cwd: ROOT, encoding: 'utf8' });
    const tree = stash.status === 0 && stash.stdout.trim() ? stash.stdout.trim() : 'HEAD';
    const tar = execFileSync('git', ['archive', '--format=tar', tree], { cwd: ROOT, maxBuffer: 256 << 20 });
    execFileSync('tar', ['-x', '-C', copy], { input: tar });
  });
  after(() => parent && rmSync(parent, { recursive: true, force: true }));

  it('has nothing beside it and nothing of this checkout', () => {
    assert.deepEqual(readdirSync(parent), ['handoff-journal']);
    for (const d of ['.git', 'node_modules', 'dist', '.cache']) assert.equal(existsSync(join(copy, d)), false, d);
  });

  it('installs with npm ci, without an engine warning', () => {
    const r = npm(copy, 'ci', '--prefer-offline', '--no-audit', '--no-fund');
    assert.equal(r.code, 0, tail(r.out));
    assert.doesNotMatch(r.out, /EBADENGINE/, tail(r.out));
    assert.ok(existsSync(join(copy, 'dist/cli.js')), 'npm ci built dist/ (prepare)');
  });

  it('passes its unit tests', () => {
    const r = npm(copy, 'run', 'test:unit');
    assert.equal(r.code, 0, tail(r.out));
    assert.match(r.out, /^# fail 0$/m);
  });

  it('passes its CLI tests', () => {
    const r = npm(copy, 'run', 'test:cli');
    assert.equal(r.code, 0, tail(r.out));
    assert.match(r.out, /^# fail 0$/m);
  });
});
