/** `handoff-journal metrics`, the bundled CLI as a process: configs, bare journals, unreadable files, the textfile. */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FIX, cli, tmp } from '../support/cliProcess';
import { HANDOFF_COUNTERS, HANDOFF_HISTOGRAMS, LOG_COUNTERS, METRIC_FAMILIES } from '../../shared/fleet';

/** A supervisor config for `service` in `dir/etc`, its journal at `dir/handoff/<service>/state.bin`. */
function config(dir: string, service: string, extra = ''): { config: string; journal: string } {
  const p = { config: join(dir, 'etc', `${service}.toml`), journal: join(dir, 'handoff', service, 'state.bin') };
  mkdirSync(join(dir, 'etc'), { recursive: true });
  mkdirSync(join(dir, 'handoff', service), { recursive: true });
  writeFileSync(
    p.config,
    `control_socket = "${dir}/run/${service}-control.sock"\nbinary = "/usr/bin/${service}"\ntrigger_socket = "${dir}/run/${service}-trigger.sock"\njournal = "${p.journal}"\n${extra}`,
  );
  return p;
}

/** The sample lines of one family, without the exporter's run time. */
function series(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

describe('metrics', () => {
  it('--help documents every metric; the main usage names the command', () => {
    const r = cli('metrics', '--help');
    assert.equal(r.code, 0);
    for (const f of [...METRIC_FAMILIES, ...HANDOFF_COUNTERS, ...HANDOFF_HISTOGRAMS, ...LOG_COUNTERS])
      assert.ok(r.stdout.includes(`  ${f.name}`), f.name);
    assert.match(cli('--help').stdout, /handoff-journal metrics \[CONFIG \| SERVICE\.\.\.\] \[--journal PATH\.\.\.\] \[--textfile DIR\]/);
  });

  it('exports each config: journal state, deadlines from the config, sockets; and exits 0', () => {
    const d = tmp();
    const kv = config(d, 'kv', 'deadline_secs = 7\ndrain_grace_secs = 3\n');
    copyFileSync(join(FIX, 'postcard/064-typical-sealing.bin'), kv.journal);
    const idle = config(d, 'idle');
    const r = cli('metrics', kv.config, idle.config);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(series(r.stdout, 'handoff_journal_present'), [
      `handoff_journal_present{service="kv",journal="${kv.journal}"} 1`,
      `handoff_journal_present{service="idle",journal="${idle.journal}"} 0`,
    ]);
    assert.deepEqual(
      series(r.stdout, 'handoff_journal_phase').filter((l) => l.endsWith(' 1')),
      [`handoff_journal_phase{service="kv",journal="${kv.journal}",phase="Sealing"} 1`],
    );
    assert.deepEqual(series(r.stdout, 'handoff_journal_started_timestamp_seconds'), [
      `handoff_journal_started_timestamp_seconds{service="kv",journal="${kv.journal}"} 1700000000`,
    ]);
    assert.deepEqual(series(r.stdout, 'handoff_supervisor_deadline_seconds'), [
      'handoff_supervisor_deadline_seconds{service="kv"} 7',
      'handoff_supervisor_deadline_seconds{service="idle"} 60',
    ]);
    assert.deepEqual(series(r.stdout, 'handoff_supervisor_drain_grace_seconds'), [
      'handoff_supervisor_drain_grace_seconds{service="kv"} 3',
      'handoff_supervisor_drain_grace_seconds{service="idle"} 25',
    ]);
    assert.ok(
      series(r.stdout, 'handoff_supervisor_socket_bound').includes('handoff_supervisor_socket_bound{service="kv",socket="trigger"} 0'),
    );
    const [run] = series(r.stdout, 'handoff_journal_exporter_last_run_timestamp_seconds');
    assert.ok(Math.abs(Number(run?.split(' ')[1]) - Date.now() / 1000) < 60, run);
  });

  it('unreadable configs and journals become series that say so, with a message on stderr, and exit 0', () => {
    const d = tmp();
    const db = config(d, 'db');
    mkdirSync(db.journal); // a directory where the journal should be
    writeFileSync(join(d, 'etc', 'bad.toml'), 'binary = [\n');
    mkdirSync(join(d, 'etc', 'dir.toml'));
    const missing = join(d, 'etc', 'missing.toml');
    const r = cli('metrics', db.config, join(d, 'etc', 'bad.toml'), join(d, 'etc', 'dir.toml'), missing);
    assert.equal(r.code, 0);
    assert.deepEqual(series(r.stdout, 'handoff_journal_readable'), [`handoff_journal_readable{service="db",journal="${db.journal}"} 0`]);
    assert.deepEqual(series(r.stdout, 'handoff_journal_decodable'), []);
    assert.deepEqual(series(r.stdout, 'handoff_supervisor_config_valid'), [
      `handoff_supervisor_config_valid{service="db",config="${db.config}"} 1`,
      `handoff_supervisor_config_valid{service="bad",config="${join(d, 'etc', 'bad.toml')}"} 0`,
      `handoff_supervisor_config_valid{service="dir",config="${join(d, 'etc', 'dir.toml')}"} 0`,
      `handoff_supervisor_config_valid{service="missing",config="${missing}"} 0`,
    ]);
    assert.match(r.stderr, new RegExp(`${db.journal.replace(/[.]/g, '\\.')} is a directory`));
    assert.match(r.stderr, /bad\.toml is not valid TOML at line 2/);
    assert.match(r.stderr, /missing\.toml does not exist/);
    assert.equal(r.stderr.trim().split('\n').length, 4, r.stderr);
  });

  it("a beyond-handoff 0.2 config (the fixture run's fields) is valid; a typo of them is not, naming it", () => {
    const d = tmp();
    const kv = config(d, 'kv', 'allowed_uids = [1000]\nallowed_binaries = ["/usr/local/bin/kv-daemon-next"]\n');
    const typo = config(d, 'typo', 'allowed_uid = [1000]\n');
    const r = cli('metrics', kv.config, typo.config);
    assert.equal(r.code, 0);
    assert.deepEqual(series(r.stdout, 'handoff_supervisor_config_valid'), [
      `handoff_supervisor_config_valid{service="kv",config="${kv.config}"} 1`,
      `handoff_supervisor_config_valid{service="typo",config="${typo.config}"} 0`,
    ]);
    assert.match(r.stderr, /unknown field `allowed_uid`, expected one of .*`allowed_uids`, `allowed_binaries`/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });

  it('--journal adds journals without a config (service from the folder, reference defaults), once each', () => {
    const d = tmp();
    const kv = config(d, 'kv', 'deadline_secs = 9\n');
    copyFileSync(join(FIX, 'invalid/024-option-tag-2.bin'), kv.journal);
    mkdirSync(join(d, 'orders'));
    const bare = join(d, 'orders', 'state.bin');
    copyFileSync(join(FIX, 'postcard/010-phase-committed-succ-some.bin'), bare);
    const r = cli(
      'metrics',
      kv.config,
      '--journal',
      bare,
      '--journal',
      kv.journal,
      '--journal',
      join(d, 'orders', '..', 'orders', 'state.bin'),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(series(r.stdout, 'handoff_journal_decodable'), [
      `handoff_journal_decodable{service="kv",journal="${kv.journal}"} 0`,
      `handoff_journal_decodable{service="orders",journal="${bare}"} 1`,
    ]);
    assert.deepEqual(series(r.stdout, 'handoff_supervisor_deadline_seconds'), [
      'handoff_supervisor_deadline_seconds{service="kv"} 9',
      'handoff_supervisor_deadline_seconds{service="orders"} 60',
    ]);
    // HJ041 (Committed left on disk) is a warning, as `show` says.
    assert.ok(
      series(r.stdout, 'handoff_journal_findings').includes(
        `handoff_journal_findings{service="orders",journal="${bare}",severity="warning"} 1`,
      ),
    );
  });

  it('--textfile replaces DIR/handoff-journal.prom and leaves no other file; other files in DIR are untouched', () => {
    const d = tmp();
    const kv = config(d, 'kv');
    const tf = join(d, 'textfile');
    mkdirSync(tf);
    writeFileSync(join(tf, 'other.prom'), 'other 1\n');
    // A temp file left by a writer that died: replaced, then renamed away.
    writeFileSync(join(tf, 'handoff-journal.bin.tmp'), 'half');
    for (let i = 0; i < 2; i++) {
      const r = cli('metrics', kv.config, '--textfile', tf);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '');
    }
    assert.deepEqual(readdirSync(tf).sort(), ['handoff-journal.prom', 'other.prom']);
    assert.equal(readFileSync(join(tf, 'other.prom'), 'utf8'), 'other 1\n');
    const text = readFileSync(join(tf, 'handoff-journal.prom'), 'utf8');
    const printed = cli('metrics', kv.config).stdout;
    const noRunTime = (s: string): string => s.replace(/^handoff_journal_exporter_last_run_timestamp_seconds .*$/m, '');
    assert.equal(noRunTime(text), noRunTime(printed));
  });

  it('--textfile failures exit 4 with a message and leave nothing behind', () => {
    const d = tmp();
    const kv = config(d, 'kv');
    const missing = cli('metrics', kv.config, '--textfile', join(d, 'nope'));
    assert.equal(missing.code, 4);
    assert.match(missing.stderr, /--textfile .*nope.*node_exporter's --collector\.textfile\.directory/);
    assert.equal(existsSync(join(d, 'nope')), false, 'a mistyped directory is not created');
    const file = cli('metrics', kv.config, '--textfile', kv.config);
    assert.equal(file.code, 4);
    assert.match(file.stderr, /is not a directory/);
    // The rename fails: the target is a non-empty directory. Only that directory remains.
    const tf = join(d, 'textfile');
    mkdirSync(join(tf, 'handoff-journal.prom', 'x'), { recursive: true });
    const blocked = cli('metrics', kv.config, '--textfile', tf);
    assert.equal(blocked.code, 4);
    assert.match(blocked.stderr, /handoff-journal\.prom/);
    assert.deepEqual(readdirSync(tf), ['handoff-journal.prom']);
  });

  it('usage errors exit 2', () => {
    assert.equal(cli('metrics', '--bogus').code, 2);
    assert.equal(cli('metrics', '--textfile').code, 2);
  });
});
