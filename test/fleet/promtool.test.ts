/**
 * Prometheus's own checker on what we ship: `promtool check rules` and `promtool test
 * rules` on contrib/prometheus (the unit tests of every alert), and `promtool check
 * metrics` (format and lint) on the real CLI's output for a host with every kind of
 * journal, including labels that need escaping.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FIXTURES, writeConfig, writeJournal, deadPid, ODD_SERVICE, type SimHost } from '../support/fleetHosts';
import { PROMTOOL, requireBinary } from '../support/prometheus';
import { cli } from '../support/cliProcess';

const ROOT = resolve(__dirname, '../..');
const CONTRIB = join(ROOT, 'contrib/prometheus');
const LOGS = join(ROOT, 'test/fixtures/logs');

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
    assert.match(r.out, /SUCCESS: 12 rules found/);
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
    // The handoff counters and histograms too, from a real supervisor log: a textfile run
    // saves the position before the handoffs, a printing run reads on from it.
    const log = join(dir, 'kv.log');
    writeFileSync(log, '');
    const withLog = ['metrics', ...h.configs, join(dir, 'missing.toml'), '--log-file', `kv=${log}`, '--state-dir', join(dir, 'state')];
    mkdirSync(join(dir, 'textfile'));
    assert.equal(cli(...withLog, '--textfile', join(dir, 'textfile')).code, 0);
    writeFileSync(
      log,
      ['01-three-fast-handoffs.log', '03-seal-failure-abort.log'].map((f) => readFileSync(join(LOGS, f), 'utf8')).join(''),
    );
    const r = cli(...withLog);
    assert.equal(r.code, 0, r.stderr);
    const check = promtool(['check', 'metrics'], r.stdout);
    assert.equal(check.code, 0, check.out);
    assert.equal(check.out.trim(), '', 'no lint findings');
    assert.ok(r.stdout.includes('service="odd \\"svc\\"\\\\ünï\\ncode"'), 'the odd service label is escaped');
    assert.match(r.stdout, /^handoff_handoffs_total\{service="kv"\} 4$/m);
    assert.match(r.stdout, /^handoff_duration_seconds_bucket\{service="kv",le="\+Inf"\} 3$/m);
  });
});
