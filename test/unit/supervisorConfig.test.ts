/** Supervisor TOML configs (as the reference supervisor's serde Config reads them) and /proc/net/unix parsing. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSupervisorConfig, parseProcNetUnix } from '../../shared/supervisor/node';
import { serviceName } from '../../shared/supervisor';

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
