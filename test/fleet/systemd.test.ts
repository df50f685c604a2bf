/**
 * The shipped systemd units: what they run and where they write, and `systemd-analyze
 * verify` on them (every directive known to this systemd, the timer's unit found). The
 * launcher path is swapped for this checkout's CLI, since verify needs an executable (the
 * packaging test, test/package/deb.test.ts, verifies them as the .deb installs them).
 * Without systemd-analyze (Debian's `systemd`) the verify step fails, saying so.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

const ROOT = resolve(__dirname, '../..');
const UNITS = join(ROOT, 'contrib/systemd');
const SERVICE = readFileSync(join(UNITS, 'handoff-journal-metrics.service'), 'utf8');
const TIMER = readFileSync(join(UNITS, 'handoff-journal-metrics.timer'), 'utf8');
const EXPORTER = readFileSync(join(UNITS, 'handoff-journal-exporter.service'), 'utf8');
const TEXTFILE_DIR = '/var/lib/prometheus/node-exporter';

/** The values of `key=` lines, in order. */
const values = (unit: string, key: string): string[] =>
  unit
    .split('\n')
    .filter((l) => l.startsWith(`${key}=`))
    .map((l) => l.slice(key.length + 1));

describe('systemd units', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hj-systemd-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("the service runs the installed launcher into Debian's textfile directory, writable only there", () => {
    assert.deepEqual(values(SERVICE, 'ExecStart'), [`/usr/bin/handoff-journal metrics --textfile ${TEXTFILE_DIR}`]);
    assert.deepEqual(values(SERVICE, 'ReadWritePaths'), [TEXTFILE_DIR]);
    assert.deepEqual(values(SERVICE, 'ProtectSystem'), ['strict']);
    // What would hide processes or sockets from the exporter is absent.
    for (const key of ['ProtectProc', 'ProcSubset', 'PrivateNetwork', 'PrivatePIDs', 'MemoryDenyWriteExecute'])
      assert.deepEqual(values(SERVICE, key), [], key);
  });

  it('the metrics service keeps its log position and totals in /var/lib/handoff-journal', () => {
    assert.deepEqual(values(SERVICE, 'StateDirectory'), ['handoff-journal']);
  });

  it('the exporter runs the packaged CLI on loopback, keeps its state, and is sandboxed as the metrics service is', () => {
    assert.deepEqual(values(EXPORTER, 'ExecStart'), ['/usr/bin/handoff-journal exporter --listen 127.0.0.1:9469']);
    assert.deepEqual(values(EXPORTER, 'StateDirectory'), ['handoff-journal']);
    assert.deepEqual(values(EXPORTER, 'IPAddressAllow'), ['localhost']);
    assert.deepEqual(values(EXPORTER, 'WantedBy'), ['multi-user.target']);
    const sandbox = (unit: string): string[] =>
      unit
        .split('\n')
        .filter((l) => /^(Protect|Private|Restrict|Capability|NoNewPrivileges|SystemCall|LockPersonality|RemoveIPC|User)/.test(l))
        .filter((l) => !l.startsWith('RestrictAddressFamilies'));
    assert.deepEqual(sandbox(EXPORTER), sandbox(SERVICE));
    for (const key of ['ProtectProc', 'ProcSubset', 'PrivateNetwork', 'PrivatePIDs', 'MemoryDenyWriteExecute'])
      assert.deepEqual(values(EXPORTER, key), [], key);
  });

  it('the timer runs it every 15 s', () => {
    assert.deepEqual(values(TIMER, 'OnUnitActiveSec'), ['15s']);
    assert.deepEqual(values(TIMER, 'WantedBy'), ['timers.target']);
  });

  it('systemd-analyze verify accepts the units', () => {
    const analyze = '/usr/bin/systemd-analyze';
    assert.ok(existsSync(analyze), 'systemd-analyze is not installed: apt-get install systemd (npm test does it as root)');
    const service = join(dir, 'handoff-journal-metrics.service');
    writeFileSync(service, SERVICE.replace('/usr/bin/handoff-journal', `${process.execPath} ${join(ROOT, 'dist/cli.js')}`));
    writeFileSync(join(dir, 'handoff-journal-metrics.timer'), TIMER);
    const exporter = join(dir, 'handoff-journal-exporter.service');
    writeFileSync(
      exporter,
      EXPORTER.replace('ExecStart=/usr/bin/handoff-journal', `ExecStart=${process.execPath} ${join(ROOT, 'dist/cli.js')}`),
    );
    const r = spawnSync(analyze, ['verify', '--man=no', service, join(dir, 'handoff-journal-metrics.timer'), exporter], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    // Unknown directives are only warned about: any line naming our units is a finding.
    assert.deepEqual(
      r.stderr.split('\n').filter((l) => l.includes('handoff-journal-')),
      [],
    );
  });
});
