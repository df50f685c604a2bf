/**
 * Prometheus's own checker on what we ship: `promtool check rules` and `promtool test
 * rules` on contrib/prometheus (the unit tests of every alert), and `promtool check
 * metrics` (format and lint) on the real CLI's output for a host with every kind of
 * journal, including labels that need escaping.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FIXTURES, writeConfig, writeJournal, deadPid, ODD_SERVICE, type SimHost } from '../support/fleetHosts';
import { PROMTOOL, requireBinary } from '../support/prometheus';
import { cli } from '../support/cliProcess';

const ROOT = resolve(__dirname, '../..');
const CONTRIB = join(ROOT, 'contrib/prometheus');

function promtool(args: string[], input?: string): { code: number | null; out: string } {
  const r = spawnSync(PROMTOOL, args, { cwd: CONTRIB, input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('promtool on the shipped rules and the exporter output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hj-promtool-'));
  before(() => requireBinary(PROMTOOL, 'prometheus'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('check rules: the rules file is valid', () => {
    const r = promtool(['check', 'rules', 'handoff-journal.rules.yml']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /SUCCESS: 7 rules found/);
  });

  it('test rules: every *.test.yml passes', () => {
    const tests = readdirSync(CONTRIB).filter((f) => f.endsWith('.test.yml'));
    assert.ok(tests.length > 0);
    const r = promtool(['test', 'rules', ...tests]);
    assert.equal(r.code, 0, r.out);
  });

  it('check metrics: the CLI output has HELP and TYPE for every metric and no lint findings', async () => {
    const h: SimHost = { instance: 'x', dir, textfile: dir, configs: [], journals: [] };
    const gone = await deadPid();
    await writeJournal(writeConfig(h, 'kv', 5).journal, 'AwaitingReady', process.pid, gone, Date.now() - 30_000);
    const web = writeConfig(h, 'web', 60);
    mkdirSync(join(dir, 'handoff', 'web'), { recursive: true });
    copyFileSync(join(FIXTURES, 'invalid/024-option-tag-2.bin'), web.journal);
    mkdirSync(writeConfig(h, 'db', 60).journal, { recursive: true });
    writeConfig(h, 'odd', 60, ODD_SERVICE);
    const r = cli('metrics', ...h.configs, join(dir, 'missing.toml'));
    assert.equal(r.code, 0, r.stderr);
    const check = promtool(['check', 'metrics'], r.stdout);
    assert.equal(check.code, 0, check.out);
    assert.equal(check.out.trim(), '', 'no lint findings');
    assert.ok(r.stdout.includes('service="odd \\"svc\\"\\\\ünï\\ncode"'), 'the odd service label is escaped');
  });
});
