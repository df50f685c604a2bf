/**
 * `handoff-journal completion bash|zsh`, run in the real shells: bash through its
 * completion function with COMP_WORDS, zsh through an interactive shell on a pseudo
 * terminal (zpty) where TAB is pressed and the edited line read back. Without zsh the zsh
 * tests fail, saying so (npm test's scripts/setup.sh installs it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { COMMAND_NAMES, commandSpec } from '../../cli/commandTable';
import { optionWords } from '../../cli/completion';
import { ENCODINGS, PHASES } from '../../shared/journal';
import { cli, tmp } from '../support/cliProcess';

const BASH = cli('completion', 'bash').stdout;
const ZSH = cli('completion', 'zsh').stdout;

/** A folder to complete in: a folder and files starting with "s", a folder and a file starting with "t". */
function cwd(): string {
  const d = tmp('hj-complete-');
  mkdirSync(join(d, 'svc'));
  mkdirSync(join(d, 'tdir'));
  writeFileSync(join(d, 'state.bin'), '');
  writeFileSync(join(d, 'tfile'), '');
  return d;
}
const DIR = cwd();
/** Where the scripts are written: outside DIR, so that they are not completed. */
const SCRIPTS = tmp('hj-scripts-');

/** What bash's completion function offers for the words (the last one is being completed). */
function bash(...words: string[]): string[] {
  const script = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _handoff_journal; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const file = join(SCRIPTS, 'hj.bash');
  writeFileSync(file, BASH);
  const r = spawnSync('bash', ['--norc', '-c', script, 'bash', file, ...words], { cwd: DIR, encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '');
}

describe('bash completion', () => {
  it('completes commands and the program options', () => {
    assert.deepEqual(bash('handoff-journal', 'res'), ['reset', 'restore']);
    assert.deepEqual(bash('handoff-journal', ''), [...COMMAND_NAMES, '--help', '-h', '--version']);
  });

  it("offers exactly each command's options from the command table, and each of them parses", () => {
    for (const name of COMMAND_NAMES) {
      const offered = bash('handoff-journal', name, '-');
      assert.deepEqual(offered, optionWords(name), name);
      for (const [opt, spec] of Object.entries(commandSpec(name).options)) {
        const value = spec.type === 'string' ? ['x'] : [];
        const r = cli(name, `--${opt}`, ...value, '--help');
        assert.equal(r.code, 0, `${name} --${opt}: ${r.stderr}`);
      }
    }
  });

  it('phases after --phase, encodings after --encoding (per command), also as --option=value', () => {
    assert.deepEqual(bash('handoff-journal', 'reset', 'f', '--phase', ''), [...PHASES]);
    assert.deepEqual(bash('handoff-journal', 'encode', '--phase', 'A'), ['AwaitingReady']);
    assert.deepEqual(bash('handoff-journal', 'reset', 'f', '--phase', '=', 'Se'), ['Sealing']);
    assert.deepEqual(bash('handoff-journal', 'show', 'f', '--encoding', ''), ['auto', 'postcard', 'msgpack', 'json']);
    assert.deepEqual(bash('handoff-journal', 'encode', '--encoding', ''), [...ENCODINGS]);
  });

  it('files for FILE operands and file options, folders only for --textfile and --journal-dir, nothing for ids', () => {
    assert.deepEqual(bash('handoff-journal', 'show', 's').sort(), ['state.bin', 'svc']);
    assert.deepEqual(bash('handoff-journal', 'encode', '-o', 't').sort(), ['tdir', 'tfile']);
    assert.deepEqual(bash('handoff-journal', 'reset', 'f', '--config', 'tf'), ['tfile']);
    assert.deepEqual(bash('handoff-journal', 'metrics', '--textfile', 't'), ['tdir']);
    assert.deepEqual(bash('handoff-journal', 'log', '--journal-dir', 't'), ['tdir']);
    assert.deepEqual(bash('handoff-journal', 'log', '--id', ''), []);
    assert.deepEqual(bash('handoff-journal', 'encode', '--started', ''), []);
  });

  it('shells after completion, commands after help', () => {
    assert.deepEqual(bash('handoff-journal', 'completion', ''), ['bash', 'zsh']);
    assert.deepEqual(bash('handoff-journal', 'help', 'de'), ['delete', 'delete-tmp']);
  });

  it('completion without a known shell is a usage error', () => {
    assert.equal(cli('completion').code, 2);
    assert.equal(cli('completion', 'fish').code, 2);
  });
});

const zsh = spawnSync('zsh', ['--version'], { encoding: 'utf8' });
const noZsh = zsh.error || zsh.status !== 0 ? 'zsh is not installed: apt-get install zsh (npm test does it as root)' : undefined;

/**
 * Types each line into an interactive zsh, presses TAB, and reads the edited line back
 * through a key bound to a widget that prints it. `before` and `after` (compinit) load the completion.
 */
function zshComplete(load: { before?: string; after?: string }, lines: string[]): string[] {
  const driver = `zmodload zsh/zpty
zpty hj zsh -f -i
zpty -w hj 'PS1="> "; bindkey -e; ${load.before ?? ':'}; autoload -Uz compinit; compinit -u -D; ${load.after ?? ':'}; _hj_dump() { print -rn -- "<<$BUFFER>>"; BUFFER=; }; zle -N _hj_dump; bindkey "^X" _hj_dump; print "RE""ADY"'
zpty -r -m hj out '*READY*'
for line in "$@"; do
  zpty -w -n hj "$line"$'\\t\\C-x'
  zpty -r -m hj out '*<<*>>*'
  out=\${out##*<<}; print -r -- "\${out%%>>*}"
done
zpty -d hj`;
  const r = spawnSync('zsh', ['-f', '-c', driver, 'zsh', ...lines], { cwd: DIR, encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, `zsh: ${r.stderr} ${r.error?.message ?? ''}`);
  return r.stdout.split('\n').filter((l) => l !== '');
}

const CASES: [string, string][] = [
  ['handoff-journal rese', 'handoff-journal reset '],
  ['handoff-journal reset f --phase Se', 'handoff-journal reset f --phase Sealing '],
  ['handoff-journal reset f --phase=Aw', 'handoff-journal reset f --phase=AwaitingReady '],
  ['handoff-journal encode --encoding msgpack-', 'handoff-journal encode --encoding msgpack-named '],
  ['handoff-journal show --js', 'handoff-journal show --json '],
  ['handoff-journal show sv', 'handoff-journal show svc/'],
  ['handoff-journal metrics --textfile t', 'handoff-journal metrics --textfile tdir/'],
  ['handoff-journal encode -o tf', 'handoff-journal encode -o tfile '],
  ['handoff-journal log --id 12', 'handoff-journal log --id 12'],
  ['handoff-journal completion z', 'handoff-journal completion zsh '],
];

describe('zsh completion', () => {
  before(() => assert.equal(noZsh, undefined, noZsh));

  it('completes commands, options, phases, encodings, files and folders (source <(...))', () => {
    const file = join(SCRIPTS, 'hj.zsh');
    writeFileSync(file, ZSH);
    assert.deepEqual(
      zshComplete(
        { after: `source ${file}` },
        CASES.map(([typed]) => typed),
      ),
      CASES.map(([, line]) => line),
    );
  });

  it('works installed as _handoff-journal in $fpath (autoloaded by compinit)', () => {
    const fp = join(SCRIPTS, 'site-functions');
    mkdirSync(fp, { recursive: true });
    writeFileSync(join(fp, '_handoff-journal'), ZSH);
    assert.deepEqual(zshComplete({ before: `fpath=(${fp} $fpath)` }, ['handoff-journal delete-', 'handoff-journal reset f --phase Comm']), [
      'handoff-journal delete-tmp ',
      'handoff-journal reset f --phase Committed ',
    ]);
  });
});
