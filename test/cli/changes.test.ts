/**
 * `--json` of the commands that change files (reset, delete, restore, delete-tmp): one
 * change report on stdout, the bytes before and after as hex, refusals with their reason,
 * the same exit codes as the text output, and nothing raw that could drive a terminal.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseChangeReport, type ChangeReport } from '../../shared/journal';
import { FIX, cli, tmp } from '../support/cliProcess';

function journalIn(dir: string, name = 'svc'): string {
  mkdirSync(join(dir, name), { recursive: true });
  const p = join(dir, name, 'state.bin');
  copyFileSync(join(FIX, 'postcard/064-typical-sealing.bin'), p);
  return p;
}

/** The one report line: stdout is exactly one JSON object. */
function report(stdout: string): ChangeReport {
  assert.equal(stdout.trim().split('\n').length, 1, stdout);
  const r = parseChangeReport(stdout);
  assert.ok(r, stdout);
  return r;
}

describe('change reports (--json)', () => {
  it('reset: the bytes before and after, then restore puts the first back', () => {
    const p = journalIn(tmp());
    const before = readFileSync(p).toString('hex');
    const r = cli('reset', p, '--phase', 'AwaitingReady', '--json');
    assert.equal(r.code, 0, r.stderr);
    const rep = report(r.stdout);
    assert.deepEqual([rep.ok, rep.command, rep.path, rep.reason], [true, 'reset', p, null]);
    assert.equal(rep.before, before);
    assert.equal(rep.after, readFileSync(p).toString('hex'));
    const back = cli('restore', p, '--bytes', rep.before as string, '--expect', rep.after as string, '--json');
    assert.equal(back.code, 0, back.stderr);
    assert.deepEqual([report(back.stdout).before, report(back.stdout).after], [rep.after, before]);
    assert.equal(readFileSync(p).toString('hex'), before);
  });

  it('a refusal: ok false with its reason and whether --force helps, exit 5, the message on stderr too', () => {
    const p = journalIn(tmp());
    const r = cli('reset', p, '--phase', 'Negotiating', '--json');
    assert.equal(r.code, 5);
    const rep = report(r.stdout);
    assert.deepEqual([rep.ok, rep.reason, rep.forceable, rep.after], [false, 'illegal-transition', true, null]);
    assert.match(r.stderr, /^handoff-journal: /);
  });

  it('delete and delete-tmp: no bytes after, and a missing journal is fine', () => {
    const d = tmp();
    const p = journalIn(d);
    writeFileSync(`${p}.tmp`, 'x');
    const del = report(cli('delete', p, '--force', '--json').stdout);
    assert.deepEqual([del.ok, del.after], [true, null]);
    assert.equal(del.before?.length, readFileSync(join(FIX, 'postcard/064-typical-sealing.bin')).length * 2);
    assert.equal(existsSync(p), false);
    const again = cli('delete', p, '--json');
    assert.equal(again.code, 0);
    assert.deepEqual([report(again.stdout).ok, report(again.stdout).before], [true, null]);
    assert.equal(report(cli('delete-tmp', p, '--json').stdout).ok, true);
  });

  it('escapes C1 and bidi characters of a path: valid JSON, nothing raw', () => {
    const d = tmp();
    const p = journalIn(d, 'svc\u009b2J\u202e\u2028');
    const r = cli('delete', p, '--force', '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /[\u007f-\u009f\u202e\u2028]/);
    assert.equal(report(r.stdout).path, p);
  });
});
