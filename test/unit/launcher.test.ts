/** The `handoff-journal` launcher: where it goes, and that it runs the bundled CLI (sh, for real). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { chooseDir, launcherScript } from '../../shared/launcher/node';

const root = mkdtempSync(join(tmpdir(), 'hj-launcher-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('launcher', () => {
  it('goes to ~/.local/bin when it is on PATH, else the first writable folder on PATH, else ~/.local/bin (not on PATH)', async () => {
    const home = join(root, 'home');
    const local = join(home, '.local', 'bin');
    const mine = join(root, 'mine');
    mkdirSync(mine, { recursive: true });
    assert.deepEqual(await chooseDir(home, ['/nonexistent', local]), { dir: local, onPath: true });
    assert.deepEqual(await chooseDir(home, ['/nonexistent', mine]), { dir: mine, onPath: true });
    assert.deepEqual(await chooseDir(home, ['/nonexistent']), { dir: local, onPath: false });
  });

  it('runs the CLI with the given Node, arguments passed through; says so when the extension is gone', () => {
    const cli = join(root, "it's here", 'cli.js');
    mkdirSync(join(root, "it's here"), { recursive: true });
    writeFileSync(cli, 'process.stdout.write(JSON.stringify(process.argv.slice(2)))');
    const launcher = join(root, 'handoff-journal');
    writeFileSync(launcher, launcherScript(process.execPath, cli));
    chmodSync(launcher, 0o755);
    const r = spawnSync(launcher, ['show', 'a b', '$HOME'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), ['show', 'a b', '$HOME']);
    rmSync(cli);
    const gone = spawnSync(launcher, ['--version'], { encoding: 'utf8' });
    assert.equal(gone.status, 127);
    assert.match(gone.stderr, /the extension this launcher points to is gone .*it's here/);
  });
});
