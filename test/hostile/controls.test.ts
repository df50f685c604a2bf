/**
 * Hostile inputs of the second audit, item 8: controls in output. `JSON.stringify`
 * escapes only U+0000–U+001F, so C1 controls (U+009B is CSI, U+009D OSC), bidi
 * overrides and line separators from journal paths, configs and logs reached the
 * terminal raw through `show --json`, `status --json` and `log --json`; and the sudo
 * terminal's echoed `$ sudo -- …` line and Copy Command kept U+202E and U+2028 raw.
 * Run against the built CLI, and the one line builder through the real bash.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sudoCliLine, sudoLine } from '../../shared/util';
import { cli, dir, journalIn } from '../support/hostile';

/** CSI, OSC, a right-to-left override and a line separator: what JSON.stringify leaves raw. */
const C1 = '\u009b31m\u009d0;owned\u0007\u202e\u2028';
const RAW = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const ID = '4b4eb536-b111-436b-8bd5-cef9bc3ac924';

describe('8. no raw control in JSON output', () => {
  it('show --json: a journal path holding C1, bidi and a line separator', () => {
    const path = journalIn(dir(`json-${C1}`));
    const r = cli('show', path, '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, RAW);
    assert.equal((JSON.parse(r.stdout) as { path: string }).path, path, 'the same value once parsed');
  });

  it('status --json: a config value holding them', () => {
    const d = dir('json-status');
    const cfg = join(d, 'kv.toml');
    writeFileSync(cfg, `control_socket = "${d}/c.sock"\ntrigger_socket = "${d}/t.sock"\nbinary = "/usr/bin/kv\\u009B2J\\u202E\\u2028"\n`);
    const r = cli('status', cfg, '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, RAW);
    const o = JSON.parse(r.stdout) as { services: { binary: string }[] };
    assert.equal(o.services[0]?.binary, '/usr/bin/kv\u009b2J\u202e\u2028');
  });

  it('log --json: a log file path and a log line holding them', () => {
    const log = join(dir(`json-log-${C1}`), 'kv.log');
    writeFileSync(log, `2026-11-28T07:43:48.014038Z  INFO handoff.prepare: prepare ${C1} handoff_id=${ID}\n`);
    for (const args of [
      ['--id', ID, '--log-file', log, '--json'],
      ['--id', '00000000-0000-4000-8000-000000000000', '--log-file', log, '--json'],
    ]) {
      const r = cli('log', ...args);
      assert.ok(r.code === 0 || r.code === 6, r.stderr);
      assert.doesNotMatch(r.stdout, RAW);
      const o = JSON.parse(r.stdout) as { source: { description: string } | null; error: { message: string } | null };
      assert.ok((o.source?.description ?? o.error?.message ?? '').includes(log), 'the path, exactly, once parsed');
    }
  });
});

describe('8. the sudo terminal and Copy Command show nothing raw', () => {
  const argv = [process.execPath, '/ext/dist/cli.js', 'delete', `/srv/kv\u202e\u2028${C1}/state.bin`, '--force'];

  it('`sudo -- …` escapes U+202E, U+2028 and every control, and bash reads it back as the same arguments', () => {
    const line = sudoLine(argv);
    assert.doesNotMatch(line, RAW);
    assert.doesNotMatch(line, /[\u0000-\u001f]/);
    assert.match(line, /\\u202e\\u2028/);
    // The line as typed into bash (sudo replaced by printf): the same argv comes out.
    const typed = line.replace(/^sudo -- /, "printf '%s\\0' ");
    const r = spawnSync('bash', ['-c', typed], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\0').slice(0, -1), argv);
  });

  it("the CLI's own `sudo handoff-journal …` hint is built the same way", () => {
    assert.doesNotMatch(sudoCliLine(argv.slice(2)), RAW);
  });
});
