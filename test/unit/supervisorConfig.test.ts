/** Supervisor TOML configs (as the reference supervisor's serde Config reads them) and /proc/net/unix parsing. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIELDS_SINCE_02, parseSupervisorConfig, parseProcNetUnix } from '../../shared/supervisor/node';
import { serviceName, versionNote } from '../../shared/supervisor';
import { sup02Files, sup02Text } from '../support/supervisor02Fixtures';

const BASE = 'control_socket = "/run/kv/control.sock"\nbinary = "/usr/bin/kv"\ntrigger_socket = "/run/kv/trigger.sock"\n';

describe('parseSupervisorConfig', () => {
  it('reads a full config with defaults', () => {
    const r = parseSupervisorConfig(
      `${BASE}journal = "/var/lib/beyond/handoff/kv/state.bin"\nargs = ["-v"]\nenv = [["A", "1"]]\n[[listeners]]\nname = "http"\naddr = "0.0.0.0:80"\n`,
      '/etc/handoff/kv.toml',
    );
    assert.ok(r.ok);
    assert.deepEqual(
      { ...r.config, relativePaths: undefined },
      {
        path: '/etc/handoff/kv.toml',
        controlSocket: '/run/kv/control.sock',
        binary: '/usr/bin/kv',
        args: ['-v'],
        env: [['A', '1']],
        listeners: [{ name: 'http', addr: '0.0.0.0:80' }],
        triggerSocket: '/run/kv/trigger.sock',
        journal: '/var/lib/beyond/handoff/kv/state.bin',
        drainGraceSecs: 25,
        deadlineSecs: 60,
        allowedUids: [],
        allowedBinaries: [],
        newFields: [],
        relativePaths: undefined,
      },
    );
    assert.equal(serviceName({ config: r.config.path, journal: r.config.journal }), 'kv');
  });

  it('journaling off when `journal` is absent; name from the file', () => {
    const r = parseSupervisorConfig(BASE, '/etc/handoff/web.toml');
    assert.ok(r.ok && r.config.journal === undefined);
    assert.ok(r.ok && serviceName({ config: r.config.path, journal: r.config.journal }) === 'web');
  });

  it('rejects what serde rejects: unknown fields, missing fields, wrong types, floats, negative seconds', () => {
    const bad = (text: string, re: RegExp): void => {
      const r = parseSupervisorConfig(text, '/c.toml');
      assert.equal(r.ok, false, text);
      assert.match(r.ok ? '' : r.message, re);
    };
    bad(`${BASE}jounral = "/x"\n`, /unknown field `jounral`/);
    bad('binary = "/b"\ntrigger_socket = "/t"\n', /missing field `control_socket`/);
    bad(`${BASE}deadline_secs = 1.5\n`, /integer number of seconds, found a float/);
    bad(`${BASE}deadline_secs = -1\n`, /u64/);
    bad(`${BASE}args = "x"\n`, /array of strings/);
    bad(`${BASE}env = [["A"]]\n`, /pairs/);
    bad(`${BASE}[[listeners]]\nname = "a"\naddr = "b"\nport = 1\n`, /unknown field `port`/);
    bad(`${BASE}binary = "again"\n`, /not valid TOML at line 4/);
  });

  it('resolves relative paths against the config folder and says so', () => {
    const r = parseSupervisorConfig(
      'control_socket = "run/c.sock"\nbinary = "kv"\ntrigger_socket = "/t.sock"\njournal = "state/state.bin"\n',
      '/srv/kv/handoff.toml',
    );
    assert.ok(r.ok);
    assert.equal(r.config.journal, '/srv/kv/state/state.bin');
    assert.deepEqual(r.config.relativePaths, ['state/state.bin', 'run/c.sock']);
  });
});

/** The cause serde printed (`Caused by:` and the indented line under it). */
function cause(stderr: string): string {
  return (stderr.split('Caused by:\n')[1] ?? '').trim();
}

/** The config of each `.stderr` of the fixture run: cfg-main.toml with one change. */
const ERROR_CONFIGS: Record<string, (main: string) => string> = {
  '01-unknown-field.stderr': (m) => `${m}bogus_field = 1\n`,
  '01-typo-allowed_uid.stderr': (m) => m.replace('allowed_uids = [1000]', 'allowed_uid = [1000]'),
  '01-badtype-allowed_uids.stderr': (m) => m.replace('allowed_uids = [1000]', 'allowed_uids = ["hjsup2"]'),
};

describe('the configs of beyond-handoff 0.2 (test/fixtures/supervisor-0.2)', () => {
  const main = sup02Text('cfg-main.toml');

  it('cfg-main.toml (it started 0.2) is valid, with allowed_uids and allowed_binaries, and needs 0.2', () => {
    const r = parseSupervisorConfig(main, '/etc/handoff/kv.toml');
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.deepEqual(r.config.allowedUids, [1000]);
    assert.deepEqual(r.config.allowedBinaries, ['/usr/local/bin/kv-daemon-next']);
    assert.deepEqual(r.config.newFields, ['allowed_uids', 'allowed_binaries']);
    assert.deepEqual([r.config.deadlineSecs, r.config.drainGraceSecs, r.config.journal], [30, 10, '/var/lib/beyond/handoff/kv/state.bin']);
    assert.equal(versionNote(r.config.newFields), 'uses allowed_uids, allowed_binaries: needs beyond-handoff 0.2 or later; 0.1 refuses it');
  });

  it("every .stderr of the run has a config, and each is refused with serde's words, naming the field", () => {
    assert.deepEqual(sup02Files('.stderr').sort(), [...Object.keys(ERROR_CONFIGS), '01-old-build-rejects-new-fields.stderr'].sort());
    for (const [file, edit] of Object.entries(ERROR_CONFIGS)) {
      const r = parseSupervisorConfig(edit(main), '/etc/handoff/kv.toml');
      assert.ok(!r.ok, file);
      assert.equal(r.kind, 'invalid');
      assert.ok(r.message.includes(cause(sup02Text(file))), `${file}:\n${r.message}\n${cause(sup02Text(file))}`);
      assert.doesNotMatch(r.message, /allowed_uids`, expected|0\.1/, file);
    }
    const typo = parseSupervisorConfig(ERROR_CONFIGS['01-typo-allowed_uid.stderr']?.(main) ?? '', '/c.toml');
    assert.match(typo.ok ? '' : typo.message, /unknown field `allowed_uid`.*\(did you mean `allowed_uids`\?\)/);
  });

  it("0.1's refusal lists the fields 0.1 knows: ours less the two 0.2 fields, in the same order", () => {
    const listed = (stderr: string): string[] =>
      [
        ...cause(stderr)
          .split('expected one of ')[1]!
          .matchAll(/`([a-z_]+)`/g),
      ].map((m) => m[1] as string);
    const old = listed(sup02Text('01-old-build-rejects-new-fields.stderr'));
    const current = listed(sup02Text('01-unknown-field.stderr'));
    assert.deepEqual(
      old,
      current.filter((f) => !FIELDS_SINCE_02.includes(f)),
    );
    assert.match(cause(sup02Text('01-old-build-rejects-new-fields.stderr')), /^unknown field `allowed_uids`/);
  });

  it('refuses wrong values in the new fields the way serde does', () => {
    const bad = (edit: string, re: RegExp): void => {
      const r = parseSupervisorConfig(main.replace('allowed_uids = [1000]', edit), '/c.toml');
      assert.match(r.ok ? 'ok' : r.message, re, edit);
    };
    bad('allowed_uids = [-1]', /invalid value: integer `-1`, expected u32 for key `allowed_uids` at line 9 column 17/);
    bad('allowed_uids = [4294967296]', /invalid value: integer `4294967296`, expected u32/);
    bad('allowed_uids = [1.5]', /invalid type: floating point `1.5`, expected u32/);
    bad('allowed_uids = 1000', /invalid type: integer `1000`, expected a sequence for key `allowed_uids` at line 9 column 16/);
    bad('allowed_uids = [1000, true]', /invalid type: boolean `true`, expected u32 for key `allowed_uids` at line 9 column 23/);
    const binaries = parseSupervisorConfig(main.replace('["/usr/local/bin/kv-daemon-next"]', '[5]'), '/c.toml');
    assert.match(
      binaries.ok ? 'ok' : binaries.message,
      /invalid type: integer `5`, expected path string for key `allowed_binaries` at line 10 column 21/,
    );
    const ok = parseSupervisorConfig(main.replace('allowed_uids = [1000]', 'allowed_uids = [4294967295, 0]'), '/c.toml');
    assert.deepEqual(ok.ok && ok.config.allowedUids, [4294967295, 0]);
  });
});

describe('parseProcNetUnix', () => {
  it('finds listening sockets by path', () => {
    const text = [
      'Num       RefCount Protocol Flags    Type St Inode Path',
      '0000000000000000: 00000002 00000000 00010000 0001 01 12345 /run/kv/trigger.sock',
      '0000000000000000: 00000003 00000000 00000000 0001 03 12346 /run/kv/trigger.sock',
      '0000000000000000: 00000002 00000000 00010000 0001 01 12347 /tmp/with space.sock',
      '0000000000000000: 00000002 00000000 00000000 0002 01 12348',
    ].join('\n');
    assert.deepEqual(parseProcNetUnix(text), [
      { inode: 12345, path: '/run/kv/trigger.sock', listening: true },
      { inode: 12346, path: '/run/kv/trigger.sock', listening: false },
      { inode: 12347, path: '/tmp/with space.sock', listening: true },
    ]);
  });
});
