/**
 * Hostile inputs of the second audit, item 6: /proc/net/unix prints socket names raw,
 * so any user can bind an abstract socket whose name is a newline and a fake row that
 * says a dead supervisor's trigger socket is listening. Run for real: the attacker is
 * python3 as nobody binding real abstract sockets (exact-length names, as the audit
 * did), the reader the built CLI (`status --json`, `metrics`) as root and as nobody.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseProcNetUnix, procUnixRows } from '../../shared/supervisor/node';
import { cliWith } from '../support/cliProcess';
import { dir, GUARD, root } from '../support/hostile';

const ROOT = process.getuid?.() === 0;
/** Debian's python3, which another user can run (not a per-user shim). */
const PYTHON = ['/usr/bin/python3', '/bin/python3'].find((p) => existsSync(p));
const SKIP = { ...GUARD, skip: !ROOT ? 'needs root (runs the attacker as nobody)' : !PYTHON ? 'needs /usr/bin/python3' : false };

/** Binds a decoy abstract socket, then one named `\n<fake row>` whose fake row lists `path` as listening; prints "ready". */
const ATTACKER = `
import socket, sys, time
path, mode = sys.argv[1], sys.argv[2]
decoy = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
decoy.bind(b'\\0hj-decoy-%d' % __import__('os').getpid())
decoy.listen(1)
inode = 99999999
if mode == 'reuse':
    me = [l for l in open('/proc/net/unix') if 'hj-decoy-' in l][0].split()
    inode = int(me[6])
row = '0000000000000000: 00000002 00000000 00010000 0001 01 %d %s' % (inode, path)
forger = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
forger.bind(b'\\0\\n' + row.encode())
forger.listen(1)
print('ready', flush=True)
time.sleep(600)
`;

let trigger: string;
let cfg: string;
const running: ChildProcess[] = [];

function attack(mode: 'made-up' | 'reuse'): Promise<ChildProcess> {
  const p = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', PYTHON as string, '-c', ATTACKER, trigger, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.push(p);
  return new Promise((res, rej) => {
    p.stdout?.once('data', () => res(p));
    p.once('exit', (code) => rej(new Error(`attacker exited ${code}`)));
  });
}

before(() => {
  if (!ROOT) return;
  chmodSync(root, 0o755);
  const d = dir('sockets');
  chmodSync(d, 0o755);
  trigger = join(d, 't.sock');
  // A dead supervisor: its trigger socket file stays behind after SIGKILL.
  const stale = spawnSync(process.execPath, [
    '-e',
    `require('net').createServer().listen(${JSON.stringify(trigger)}, () => process.kill(process.pid, 'SIGKILL'))`,
  ]);
  assert.equal(stale.signal, 'SIGKILL');
  assert.ok(existsSync(trigger));
  cfg = join(d, 'kv.toml');
  writeFileSync(cfg, `control_socket = "${d}/c.sock"\ntrigger_socket = "${trigger}"\nbinary = "/usr/bin/kv"\n`);
  chmodSync(cfg, 0o644);
});
after(() => running.forEach((p) => p.kill('SIGKILL')));

function triggerBound(asNobody: boolean): { bound: boolean | null; summary: string } {
  const r = cliWith({ asNobody }, 'status', cfg, '--json');
  assert.equal(r.code, 0, r.stderr);
  const o = JSON.parse(r.stdout) as { services: { trigger_socket: { bound: boolean | null; summary: string } }[] };
  return (o.services[0] as { trigger_socket: { bound: boolean | null; summary: string } }).trigger_socket;
}

describe('6. a socket name cannot forge a row of /proc/net/unix', () => {
  for (const mode of ['made-up', 'reuse'] as const) {
    it(`an abstract socket named "\\n<row of the trigger socket>" (${mode} inode): not bound, metric not 1`, SKIP, async () => {
      const p = await attack(mode);
      try {
        const table = spawnSync('cat', ['/proc/net/unix'], { encoding: 'latin1' }).stdout;
        assert.ok(
          parseProcNetUnix(table).some((e) => e.path === trigger && e.listening),
          'the fake row is there, well-formed',
        );
        assert.ok(
          procUnixRows(table)
            .filter((e) => e.path === trigger)
            .every((e) => e.ambiguous),
          'and marked as possibly inside a name',
        );
        assert.equal(triggerBound(false).bound, false, 'as root: every process is visible, none holds it');
        assert.notEqual(triggerBound(true).bound, true, 'as nobody: at most "cannot tell"');
        const m = cliWith({}, 'metrics', cfg);
        assert.doesNotMatch(m.stdout, /handoff_supervisor_socket_bound\{[^}]*socket="trigger"[^}]*\} 1/);
      } finally {
        p.kill('SIGKILL');
      }
    });
  }

  it('a trigger socket really listened on is still bound (root sees its holder)', SKIP, async () => {
    const live = spawn(
      process.execPath,
      [
        '-e',
        `require('fs').rmSync(${JSON.stringify(trigger)}, {force: true}); require('net').createServer().listen(${JSON.stringify(trigger)}, () => console.log('up'))`,
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    running.push(live);
    await new Promise((res) => live.stdout?.once('data', res));
    try {
      const t = triggerBound(false);
      assert.equal(t.bound, true, t.summary);
      assert.match(t.summary, new RegExp(`bound by pid ${live.pid}`));
    } finally {
      live.kill('SIGKILL');
    }
  });
});
