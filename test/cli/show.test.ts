/**
 * `show` on what is not a decodable journal (the report on stdout, one line on stderr),
 * and a directory given to show, reset and delete: refused, the journals in it named as
 * commands that work. The bundled CLI as a process, on real files in temp directories.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { cli, cliIn, FIX, tmp } from '../support/cliProcess';

const SEALING = join(FIX, 'postcard/064-typical-sealing.bin');

function lines(s: string): string[] {
  return s.split('\n').filter((l) => l !== '');
}

/** A journal directory as the supervisor leaves it: two services mid-handoff, one idle, and a decoy. */
function journalDir(): { dir: string; kv: string; web: string } {
  const dir = join(tmp(), 'handoff');
  for (const s of ['kv', 'web', 'idle']) mkdirSync(join(dir, s), { recursive: true });
  copyFileSync(SEALING, join(dir, 'kv', 'state.bin'));
  copyFileSync(join(FIX, 'postcard/002-phase-negotiating-succ-some.bin'), join(dir, 'web', 'state.bin'));
  mkdirSync(join(dir, 'decoy', 'state.bin'), { recursive: true });
  writeFileSync(join(dir, 'kv', 'notes.txt'), 'not a journal');
  return { dir, kv: join(dir, 'kv', 'state.bin'), web: join(dir, 'web', 'state.bin') };
}

/** Every file under `dir` with its bytes, to show nothing changed. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const p = join(e.parentPath, e.name);
    out.set(p, e.isFile() ? readFileSync(p).toString('hex') : 'dir');
  }
  return out;
}

describe('show on bytes that do not decode', () => {
  const d = tmp();
  const empty = join(d, 'empty.bin');
  const text = join(d, 'notes.bin');
  const truncated = join(d, 'truncated.bin');
  writeFileSync(empty, '');
  writeFileSync(text, 'hello, not a journal\n');
  writeFileSync(truncated, readFileSync(SEALING).subarray(0, 20));
  const cases: [string, string, RegExp][] = [
    ['an empty file', empty, /the file is empty/],
    ['a text file', text, /this is text, not a handoff journal/],
    ['truncated bytes', truncated, /truncated at byte 20 while reading `successor_pid`/],
  ];

  for (const [what, path, reason] of cases) {
    it(`${what}: the report on stdout, one "cannot decode" line on stderr, exit 3, with and without --json/--svg`, () => {
      for (const mode of [[], ['--json'], ['--svg']]) {
        const r = cli('show', path, ...mode);
        assert.equal(r.code, 3, `${what} ${mode.join(' ')}`);
        const err = lines(r.stderr);
        assert.equal(err.length, 1, r.stderr);
        assert.ok(err[0]?.startsWith(`handoff-journal: ${path}: cannot decode: `), r.stderr);
        assert.match(err[0] as string, reason);
        if (mode[0] === '--json') assert.equal((JSON.parse(r.stdout) as { journal: unknown }).journal, null);
        else if (mode[0] === '--svg') assert.match(r.stdout, /^<svg /);
        else assert.match(r.stdout, /status\s+cannot decode/);
      }
    });
  }

  it('keeps the stderr line one line when the file name holds a newline and an escape', () => {
    const odd = join(d, 'odd\n\x1b[31mname.bin');
    writeFileSync(odd, '');
    const r = cli('show', odd);
    assert.equal(r.code, 3);
    assert.equal(lines(r.stderr).length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\x1b/);
    assert.match(r.stderr, /odd\\n\\x1b\[31mname\.bin: cannot decode/);
  });

  it('a missing journal: one stderr line in every output mode, exit 4', () => {
    const missing = join(d, 'svc', 'state.bin');
    for (const mode of [[], ['--json'], ['--svg']]) {
      const r = cli('show', missing, ...mode);
      assert.equal(r.code, 4);
      assert.deepEqual(lines(r.stderr), [`handoff-journal: no journal at ${missing}: no handoff in flight`]);
      assert.notEqual(r.stdout, '');
    }
  });
});

describe('a directory is not a journal', () => {
  it('show DIR says it is a directory and names each journal as a show command that works; exit 4', () => {
    const { dir, kv, web } = journalDir();
    const r = cli('show', dir);
    assert.equal(r.code, 4);
    const [first, ...rest] = lines(r.stderr);
    assert.equal(first, `handoff-journal: ${dir} is a directory, not a journal; it holds 2 journals: ${kv}, ${web}.`);
    assert.deepEqual(rest, [`  handoff-journal show ${kv}`, `  handoff-journal show ${web}`]);
    assert.match(r.stdout, /is a directory, not a journal/);
    for (const line of rest) assert.equal(cli(...line.trim().split(' ').slice(1)).code, 0, line);
  });

  it('show DIR --json: error kind "directory" with the journals; the suggestions keep --json', () => {
    const { dir, kv, web } = journalDir();
    const r = cli('show', dir, '--json');
    assert.equal(r.code, 4);
    const o = JSON.parse(r.stdout) as { error: { kind: string; journals: string[] } };
    assert.equal(o.error.kind, 'directory');
    assert.deepEqual(o.error.journals, [kv, web]);
    assert.ok(lines(r.stderr).includes(`  handoff-journal show ${kv} --json`), r.stderr);
  });

  it('a directory without journals says so, and a relative directory gives relative paths', () => {
    const { dir } = journalDir();
    const idle = cli('show', join(dir, 'idle'));
    assert.equal(idle.code, 4);
    assert.match(idle.stderr, /is a directory, not a journal, and it holds no journal \(no .*idle\/state\.bin or .*idle\/\*\/state\.bin/);
    const rel = cliIn(dirname(dir), 'show', 'handoff');
    assert.equal(rel.code, 4);
    assert.deepEqual(lines(rel.stderr).slice(1), [
      '  handoff-journal show handoff/kv/state.bin',
      '  handoff-journal show handoff/web/state.bin',
    ]);
  });

  it('reset DIR and delete DIR --force refuse (exit 4), change nothing and name the journals', () => {
    const { dir, kv } = journalDir();
    const before = snapshot(dir);
    const reset = cli('reset', dir, '--phase', 'AwaitingReady', '--force');
    assert.equal(reset.code, 4);
    assert.match(reset.stderr, /^handoff-journal: refusing: .* is a directory, not a journal; it holds 2 journals/);
    assert.ok(lines(reset.stderr).includes(`  handoff-journal reset ${kv} --phase AwaitingReady --force`), reset.stderr);
    const del = cli('delete', dir, '--force');
    assert.equal(del.code, 4);
    assert.ok(lines(del.stderr).includes(`  handoff-journal delete ${kv} --force`), del.stderr);
    assert.deepEqual(snapshot(dir), before);
    // The suggestion does what it says.
    assert.equal(cli('reset', kv, '--phase', 'AwaitingReady').code, 0);
  });

  it('quotes paths for the shell, keeps glob characters in the name literal, and is bounded', () => {
    const root = tmp();
    const star = join(root, 'a*');
    mkdirSync(join(star, 'kv'), { recursive: true });
    mkdirSync(join(root, 'ab', 'other'), { recursive: true });
    copyFileSync(SEALING, join(star, 'kv', 'state.bin'));
    copyFileSync(SEALING, join(root, 'ab', 'other', 'state.bin'));
    const r = cli('show', star);
    assert.deepEqual(lines(r.stderr).slice(1), [`  handoff-journal show '${join(star, 'kv', 'state.bin')}'`]);
    const many = join(root, 'many');
    for (let i = 0; i < 25; i++) {
      mkdirSync(join(many, `s${String(i).padStart(2, '0')}`), { recursive: true });
      copyFileSync(SEALING, join(many, `s${String(i).padStart(2, '0')}`, 'state.bin'));
    }
    const m = cli('show', many);
    assert.match(m.stderr, /it holds more than 20 journals: .* and more\./);
    assert.equal(lines(m.stderr).length, 21);
  });
});
