/**
 * Helpers of the packaging test (test/package/deb.test.ts): dpkg's view of an installed
 * package, the directives of an installed systemd unit, and running a unit's ExecStart as
 * systemd would (the command line as written, no shell), waiting for a long-running
 * service to listen (polled from /proc, never a fixed sleep).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

export const run = (file: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}) =>
  spawnSync(file, args, { encoding: 'utf8', timeout: 120_000, maxBuffer: 16 << 20, ...opts });

/** dpkg's status word for a package ("installed", "config-files", "not-installed"). */
export function packageStatus(name: string): string {
  const r = run('dpkg-query', ['-W', '-f=${db:Status-Status}', name]);
  return r.status === 0 && r.stdout ? r.stdout : 'not-installed';
}

/**
 * Whether dpkg's configuration keeps a path from being installed (`path-exclude`, as slim
 * container images do for /usr/share/man and /usr/share/doc), unless a later
 * `path-include` brings it back. Globs: `*` only, which is what those images use.
 */
export function dpkgExcludes(path: string): boolean {
  const dir = '/etc/dpkg/dpkg.cfg.d';
  const files = [
    '/etc/dpkg/dpkg.cfg',
    ...(existsSync(dir)
      ? readdirSync(dir)
          .sort()
          .map((f) => `${dir}/${f}`)
      : []),
  ];
  let excluded = false;
  for (const f of files.filter((x) => existsSync(x))) {
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      const m = /^path-(exclude|include)[= ]\s*(\S+)/.exec(line.trim());
      const glob = m && new RegExp(`^${(m[2] as string).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      if (m && glob?.test(path)) excluded = m[1] === 'exclude';
    }
  }
  return excluded;
}

/** The values of `Key=` lines of a unit, in order (continuation lines and quoting are not used by ours). */
export function directives(unit: string, key: string): string[] {
  return unit
    .split('\n')
    .filter((l) => l.startsWith(`${key}=`))
    .map((l) => l.slice(key.length + 1).trim());
}

/**
 * An ExecStart line as systemd splits it, for lines without quotes, specifiers or
 * variables (ours have none): a line that has them is refused, so that this test is made
 * to understand it rather than run something else.
 */
export function execArgv(line: string): string[] {
  if (/["'%$\\;]/.test(line))
    throw new Error(`ExecStart=${line}: quoting, specifiers or variables; teach test/support/debPackage.ts to split it`);
  const argv = line
    .replace(/^[-@:+!]+/, '')
    .split(/\s+/)
    .filter(Boolean);
  if (!argv[0]?.startsWith('/')) throw new Error(`ExecStart=${line}: systemd needs an absolute path`);
  return argv;
}

/** Socket inodes a process holds open. */
function socketInodes(pid: number): Set<string> {
  const out = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`, { encoding: 'utf8' }));
    if (m) out.add(m[1] as string);
  }
  return out;
}

/** The TCP ports the process listens on (state 0A in /proc/net/tcp and tcp6). */
export function listeningPorts(pid: number): number[] {
  const mine = socketInodes(pid);
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const row of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = row.trim().split(/\s+/);
      if (f[3] === '0A' && mine.has(f[9] as string)) ports.push(parseInt((f[1] as string).split(':')[1] as string, 16));
    }
  }
  return ports;
}

export interface Started {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
}

export function start(argv: string[]): Started {
  const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout?.resume();
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return { child, exited, stderr: () => err };
}

/** Polls until the process listens on a TCP port, exits, or `ms` pass. */
export async function waitListening(s: Started, ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  let done = false;
  void s.exited.then(() => (done = true));
  while (Date.now() < deadline && !done) {
    const ports = listeningPorts(s.child.pid as number);
    if (ports.length) return ports;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(done ? `it exited: ${s.stderr()}` : `it did not listen within ${ms} ms: ${s.stderr()}`);
}
