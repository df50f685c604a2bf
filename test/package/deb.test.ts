/**
 * The Debian package, as an operator gets it: built by `npm run deb` (scripts/deb.ts),
 * checked by lintian (no error), installed on this machine with `dpkg -i`, then used:
 * the installed `handoff-journal --version` and `metrics`, the man page through man(1),
 * the bash completion through bash-completion's own loader and the zsh one through
 * compinit, every unit's ExecStart run as written, `systemd-analyze verify` on the
 * installed units, `promtool test rules` on the installed rules. Then `dpkg -r` and
 * `dpkg --purge` must leave none of its files. Needs root (it installs a package);
 * removes the package even when a step fails.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildDeb } from '../../scripts/deb';
import { COMMAND_NAMES } from '../../cli/commandTable';
import { SYNOPSIS } from '../../cli/help';
import { directives, dpkgExcludes, execArgv, packageStatus, run, start, waitListening } from '../support/debPackage';
import { FIX, tmp } from '../support/cliProcess';

const ROOT = resolve(__dirname, '../..');
const PKG = 'handoff-journal';
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const BIN = `/usr/bin/${PKG}`;
const UNIT_DIR = '/lib/systemd/system';
const TEXTFILE = '/var/lib/prometheus/node-exporter/handoff-journal.prom';

describe('the Debian package', { timeout: 300_000 }, () => {
  let deb = '';
  let files: string[] = [];
  /** A textfile of the metrics unit that was there before this test (restored after it). */
  let textfileBefore: Buffer | undefined;
  let installed = false;

  before(async () => {
    assert.equal(process.getuid?.(), 0, 'the packaging test installs a .deb with dpkg -i: run it as root (sudo npm run test:package)');
    const status = packageStatus(PKG);
    assert.equal(
      status,
      'not-installed',
      `${PKG} is already on this machine (${status}); this test installs and removes its own: dpkg --purge ${PKG} first`,
    );
    textfileBefore = existsSync(TEXTFILE) ? readFileSync(TEXTFILE) : undefined;
    deb = await buildDeb();
    const r = run('dpkg', ['-i', deb]);
    installed = true;
    assert.equal(r.status, 0, `dpkg -i: ${r.stdout}${r.stderr}`);
    files = run('dpkg', ['-L', PKG]).stdout.split('\n').filter(Boolean);
  });

  after(() => {
    if (installed && packageStatus(PKG) !== 'not-installed') run('dpkg', ['--purge', PKG]);
    if (textfileBefore) writeFileSync(TEXTFILE, textfileBefore);
  });

  it('lintian reports no error', () => {
    const r = run('lintian', ['--no-tag-display-limit', deb]);
    const tags = r.stdout.split('\n').filter((l) => /^[EWIPX]: /.test(l));
    assert.deepEqual(
      tags.filter((l) => l.startsWith('E: ')),
      [],
      r.stdout + r.stderr,
    );
    assert.notEqual(r.status, null, 'lintian ran');
  });

  it(`installs ${BIN}, which reports the package version`, () => {
    assert.ok(files.includes(BIN) && files.includes(`/usr/lib/${PKG}/cli.js`), files.join('\n'));
    const r = run(BIN, ['--version']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${VERSION}\n`);
  });

  it('the installed metrics exports a config and a journal', () => {
    const d = tmp('hj-deb-');
    mkdirSync(join(d, 'etc'));
    mkdirSync(join(d, 'kv'));
    const journal = join(d, 'kv', 'state.bin');
    copyFileSync(join(FIX, 'postcard/064-typical-sealing.bin'), journal);
    const config = join(d, 'etc', 'kv.toml');
    writeFileSync(
      config,
      `control_socket = "${d}/kv-control.sock"\nbinary = "/usr/bin/kv"\ntrigger_socket = "${d}/kv-trigger.sock"\njournal = "${journal}"\ndeadline_secs = 7\n`,
    );
    const r = run(BIN, ['metrics', config]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^handoff_journal_phase\\{service="kv",journal="${journal}",phase="Sealing"\\} 1$`, 'm'));
    assert.match(r.stdout, /^handoff_supervisor_deadline_seconds\{service="kv"\} 7$/m);
    assert.match(r.stdout, /^handoff_supervisor_config_valid\{service="kv",config=".*kv\.toml"\} 1$/m);
  });

  it('man handoff-journal shows every command, without a warning', () => {
    const page = `/usr/share/man/man1/${PKG}.1.gz`;
    let args = [PKG];
    if (dpkgExcludes(page)) {
      // Slim images tell dpkg not to install man pages: the page is read from the .deb.
      const file = join(tmp('hj-man-'), `${PKG}.1.gz`);
      writeFileSync(file, execFileSync('sh', ['-c', 'dpkg-deb --fsys-tarfile "$1" | tar -xO "$2"', 'sh', deb, `.${page}`]));
      args = ['-l', file];
    } else assert.ok(existsSync(page), `${page} is installed`);
    const r = run('man', ['--warnings', '-E', 'UTF-8', ...args], {
      env: { ...process.env, MANWIDTH: '200', MAN_KEEP_FORMATTING: '', PAGER: 'cat' },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const text = r.stdout.replace(/.\x08/g, '');
    for (const name of COMMAND_NAMES) assert.ok(text.includes(`${PKG} ${(SYNOPSIS[name].split('\n')[0] as string).trim()}`), name);
  });

  it("bash-completion's loader finds the completion and it completes commands", () => {
    const script = [
      'source /usr/share/bash-completion/bash_completion',
      `__load_completion ${PKG} || exit 3`,
      `complete -p ${PKG}`,
      `COMP_WORDS=(${PKG} res); COMP_CWORD=1; _handoff_journal`,
      `printf '%s\\n' "\${COMPREPLY[@]}"`,
    ].join('\n');
    const r = run('bash', ['--norc', '-c', script]);
    assert.equal(r.status, 0, r.stderr);
    const [complete, ...words] = r.stdout.split('\n').filter(Boolean);
    assert.equal(complete, `complete -F _handoff_journal ${PKG}`);
    assert.deepEqual(words, ['reset', 'restore']);
  });

  it("zsh's compinit finds the completion in Debian's vendor-completions", () => {
    const r = run('zsh', ['-f', '-c', `autoload -Uz compinit; compinit -u -D; print -r -- $_comps[${PKG}]`]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), `_${PKG}`);
  });

  it("each unit's ExecStart runs as written", async () => {
    const units = files.filter((f) => f.startsWith(`${UNIT_DIR}/`));
    assert.ok(units.some((u) => u.endsWith('.timer')) && units.some((u) => u.endsWith('.service')), units.join(', '));
    for (const unit of units.filter((u) => u.endsWith('.service'))) {
      const text = readFileSync(unit, 'utf8');
      const lines = directives(text, 'ExecStart');
      assert.equal(lines.length, 1, `${unit}: one ExecStart`);
      const argv = execArgv(lines[0] as string);
      assert.equal(argv[0], BIN, `${unit} runs the package's launcher`);
      if (directives(text, 'Type')[0] === 'oneshot') {
        rmSync(TEXTFILE, { force: true });
        const r = run(argv[0] as string, argv.slice(1));
        assert.equal(r.status, 0, `${unit}: ${r.stderr}`);
        if (argv.includes('--textfile'))
          assert.match(readFileSync(TEXTFILE, 'utf8'), /^handoff_journal_exporter_last_run_timestamp_seconds \d+/m, unit);
      } else {
        // A long-running service (an exporter): it must start and listen, and stop on SIGTERM as systemd stops it.
        const s = start(argv);
        try {
          assert.ok((await waitListening(s, 20_000)).length > 0);
        } finally {
          s.child.kill('SIGTERM');
        }
        assert.ok([0, null].includes(await s.exited), `${unit} stops on SIGTERM: ${s.stderr()}`);
      }
    }
    for (const timer of units.filter((u) => u.endsWith('.timer'))) {
      const target =
        directives(readFileSync(timer, 'utf8'), 'Unit')[0] ??
        timer
          .replace(/\.timer$/, '.service')
          .split('/')
          .pop();
      assert.ok(units.includes(`${UNIT_DIR}/${target}`), `${timer} starts ${target}, which the package installs`);
    }
  });

  it('systemd-analyze verify accepts the installed units', () => {
    // --man=no: the container has no man pages of the units' Documentation= to check.
    const units = files.filter((f) => f.startsWith(`${UNIT_DIR}/`));
    const r = run('systemd-analyze', ['verify', '--man=no', ...units]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      r.stderr.split('\n').filter((l) => l.includes(PKG)),
      [],
    );
  });

  it('promtool tests the installed rules', () => {
    const tests = files.filter((f) => f.startsWith(`/usr/share/${PKG}/`) && f.endsWith('.test.yml'));
    assert.ok(tests.length > 0, 'the rules tests are installed');
    const r = run('promtool', ['test', 'rules', ...tests]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('dpkg -r, then --purge, leaves none of its files', () => {
    const r = run('dpkg', ['-r', PKG]);
    assert.equal(r.status, 0, r.stderr);
    const left = (): string[] =>
      files.filter((f) => {
        if (!lstatSync(f, { throwIfNoEntry: false })) return false;
        // Folders other packages share (/usr/bin, /lib, a symlink to usr/lib on a merged /usr) stay.
        return !statSync(f, { throwIfNoEntry: false })?.isDirectory() || f.includes(`/${PKG}`);
      });
    assert.deepEqual(left(), []);
    const p = run('dpkg', ['--purge', PKG]);
    assert.equal(p.status, 0, p.stderr);
    assert.equal(packageStatus(PKG), 'not-installed');
    assert.deepEqual(left(), []);
    assert.equal(existsSync(TEXTFILE), false, 'purge removes the textfile the timer wrote');
  });
});
