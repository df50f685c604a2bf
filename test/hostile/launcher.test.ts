/**
 * Hostile inputs of the second audit, item 3: Install Command in PATH. The launcher is
 * what Retry as Sudo… runs as root, so no other user may write it: not through a shared
 * sticky folder on PATH, not through a symlink planted at the temp file's name, and not
 * through an extension path that the script's quoting lets out (run by the real dash,
 * Debian's /bin/sh). Another user is `nobody` (setpriv), the installing user this test.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  chooseDir,
  createExclusive,
  installLauncherFile,
  LauncherError,
  launcherProblem,
  launcherScript,
  unsafeDirReason,
} from '../../shared/launcher/node';
import { dir, GUARD, root } from '../support/hostile';

const ROOT = process.getuid?.() === 0;
const DASH = ['/bin/dash', '/usr/bin/dash'].find((p) => existsSync(p));

/** Runs `argv` as nobody (another user on the host). */
function asNobody(...argv: string[]): void {
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...argv], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

describe("3. Install Command in PATH cannot hand root another user's file", () => {
  it(
    'a 1777 folder on PATH holding a launcher another user pre-created: never chosen, never written, never recorded',
    {
      ...GUARD,
      skip: ROOT ? false : 'needs root (creates a file as nobody)',
    },
    async () => {
      const shared = dir('launcher-sticky/bin');
      chmodSync(root, 0o755);
      chmodSync(join(shared, '..'), 0o755);
      chmodSync(shared, 0o1777);
      const cli = join(dir('launcher-sticky/ext/dist'), 'cli.js');
      writeFileSync(cli, '');
      const script = launcherScript(process.execPath, cli);
      const planted = join(shared, 'handoff-journal');
      // The exact text the extension would write, so the old install saw "nothing to do" and recorded it.
      writeFileSync(join(shared, '.payload'), script);
      chmodSync(join(shared, '.payload'), 0o644);
      asNobody('cp', join(shared, '.payload'), planted);
      asNobody('chmod', '0755', planted);
      assert.equal(lstatSync(planted).uid, 65534);
      const home = dir('launcher-sticky/home');
      assert.deepEqual(await chooseDir(home, [shared]), { dir: join(home, '.local', 'bin'), onPath: false });
      assert.match(String(await unsafeDirReason(shared)), /is a shared sticky folder \(mode 01777\)/);
      await assert.rejects(installLauncherFile(planted, script), (e: Error) => e instanceof LauncherError && /sticky/.test(e.message));
      assert.match(String(launcherProblem(planted, script)), /owned by uid 65534, not by you/);
      assert.equal(lstatSync(planted).uid, 65534, 'left as it was');
    },
  );

  it('a symlink planted at a temp name (~/.bashrc as its target) is never followed', GUARD, async () => {
    const home = dir('launcher-link/home');
    const bashrc = join(home, '.bashrc');
    writeFileSync(bashrc, '# my shell profile\n');
    const bin = dir('launcher-link/home/.local/bin');
    chmodSync(bin, 0o755);
    const cli = join(dir('launcher-link/ext'), 'cli.js');
    writeFileSync(cli, '');
    const script = launcherScript(process.execPath, cli);
    // The old temp name (handoff-journal.tmp-<pid>) for every pid near ours, and the name createExclusive is given.
    for (let pid = process.pid - 5; pid <= process.pid + 5; pid++) symlinkSync(bashrc, join(bin, `handoff-journal.tmp-${pid}`));
    await assert.rejects(createExclusive(join(bin, `handoff-journal.tmp-${process.pid}`), script), { code: 'EEXIST' });
    await installLauncherFile(join(bin, 'handoff-journal'), script);
    assert.equal(readFileSync(bashrc, 'utf8'), '# my shell profile\n');
    assert.equal(launcherProblem(join(bin, 'handoff-journal'), script), undefined);
    assert.equal(lstatSync(join(bin, 'handoff-journal')).mode & 0o7777, 0o755);
    assert.ok(
      readdirSync(bin).every((f) => !f.endsWith('.handoff-journal.tmp')),
      'no temp file left',
    );
  });

  it(
    'an extension path with a control character is refused with a clear message; other odd paths run literally under dash',
    {
      ...GUARD,
      skip: DASH ? false : 'dash is not installed (apt-get install dash)',
    },
    () => {
      const d = dir('launcher-dash');
      const mark = join(d, 'INJECTED');
      // With $'…' quoting, dash ends the quote at \' and runs what follows.
      const evil = join(d, `ext\x01'; touch ${mark}; '`, 'cli.js');
      assert.throws(
        () => launcherScript(process.execPath, evil),
        (e: Error) =>
          e instanceof LauncherError &&
          /the extension path .*\\x01.* holds a control, line-separator or bidi character; no launcher is written/.test(e.message),
      );
      // Quotes, $, backticks and spaces, no control character: POSIX single quotes carry them.
      const odd = join(d, `it's $(touch ${mark}) \`x\` "q"`, 'cli.js');
      mkdirSync(join(odd, '..'), { recursive: true });
      writeFileSync(odd, 'process.stdout.write(JSON.stringify(process.argv.slice(2)))');
      const launcher = join(d, 'handoff-journal');
      writeFileSync(launcher, launcherScript(process.execPath, odd));
      assert.doesNotMatch(readFileSync(launcher, 'utf8'), /\$'/, "no $'…' in a /bin/sh script");
      const r = spawnSync(DASH as string, [launcher, 'show', '$HOME', "a'b"], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), ['show', '$HOME', "a'b"]);
      assert.equal(existsSync(mark), false, 'nothing embedded ran');
    },
  );
});
