/**
 * Hostile and odd files, tried against the CLI (as a process) and the language server
 * (over LSP). Each must answer within a bounded time with a specific message and leave
 * every file as it was.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CLI = resolve(__dirname, '../../dist/cli.js');
const TYPICAL = resolve(__dirname, '../fixtures/rust/postcard/064-typical-sealing.bin');

export interface HostileCase {
  name: string;
  /** Makes the odd file at `path` (inside a fresh directory). */
  make(path: string, dir: string): void | Promise<void>;
  /** What `show` must say (stdout+stderr, or the server's decoded view). */
  expect: RegExp;
  /** Exit code of `show`. */
  showExit: number;
  /** Run as an unprivileged user (permission cases). */
  asNobody?: boolean;
  /** For a readable journal whose repairs must fail: what reset/delete must say. */
  repairExpect?: RegExp;
  /** Needs `mount` (root in a sandbox that allows it). */
  needsMount?: boolean;
}

export const canRunAsNobody = ((): boolean => {
  if (process.getuid?.() !== 0) return false;
  return spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, '-e', '0']).status === 0;
})();

export const CASES: HostileCase[] = [
  { name: 'empty file', make: (p) => writeFileSync(p, ''), expect: /empty \(0 bytes\)/, showExit: 3 },
  { name: '1-byte file', make: (p) => writeFileSync(p, Buffer.from([0x10])), expect: /truncated at byte 1/, showExit: 3 },
  {
    name: '100 MB file',
    make: (p) => {
      const fd = openSync(p, 'w');
      closeSync(fd);
      execFileSync('truncate', ['-s', '100M', p]);
    },
    expect: /104857600 bytes.*not read/,
    showExit: 4,
  },
  { name: 'FIFO without a writer', make: (p) => execFileSync('mkfifo', [p]), expect: /FIFO/, showExit: 4 },
  { name: 'symlink to /dev/zero', make: (p) => symlinkSync('/dev/zero', p), expect: /character device/, showExit: 4 },
  {
    name: 'symlink to a directory',
    make: (p, d) => (mkdirSync(join(d, 'sub')), symlinkSync(join(d, 'sub'), p)),
    expect: /is a directory/,
    showExit: 4,
  },
  {
    name: 'dangling symlink',
    make: (p, d) => symlinkSync(join(d, 'nowhere'), p),
    expect: /dangling symlink|no handoff in flight/,
    showExit: 4,
  },
  {
    name: 'symlink loop',
    make: (p, d) => (symlinkSync(join(d, 'b'), p), symlinkSync(p, join(d, 'b'))),
    expect: /symlink loop/,
    showExit: 4,
  },
  { name: 'directory named state.bin', make: (p) => mkdirSync(p), expect: /is a directory/, showExit: 4 },
  { name: 'socket', make: async (p) => void (await listen(p)), expect: /socket/, showExit: 4 },
  {
    name: 'text file',
    make: (p) => writeFileSync(p, '# not a journal\nkey = "value"\n'),
    expect: /text, not a handoff journal/,
    showExit: 3,
  },
  { name: 'path with spaces and unicode', make: () => undefined, expect: /phase\s+Sealing/, showExit: 0 },
  {
    name: 'unreadable file (as nobody)',
    make: (p) => (copyFileSync(TYPICAL, p), chmodSync(p, 0o600)),
    expect: /permission denied reading .*owned by root.*sudo/,
    showExit: 4,
    asNobody: true,
  },
  {
    name: 'read-only directory (as nobody)',
    make: (p, d) => (copyFileSync(TYPICAL, p), chmodSync(p, 0o644), chmodSync(d, 0o555)),
    expect: /phase\s+Sealing/,
    showExit: 0,
    asNobody: true,
    repairExpect: /permission denied .*owned by root.*sudo handoff-journal/s,
  },
  {
    name: 'read-only file system',
    make: (p, d) => {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', d]);
      copyFileSync(TYPICAL, p);
      execFileSync('mount', ['-o', 'remount,ro', d]);
      mounts.push(d);
    },
    expect: /phase\s+Sealing/,
    showExit: 0,
    needsMount: true,
    repairExpect: /read-only file system/,
  },
];

const mounts: string[] = [];
export const canMount = ((): boolean => {
  if (process.getuid?.() !== 0) return false;
  const d = mkdtempSync(join(tmpdir(), 'hj-mount-'));
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', d]).status === 0;
  if (ok) spawnSync('umount', [d]);
  rmSync(d, { recursive: true, force: true });
  return ok;
})();

export function unmountAll(): void {
  for (const d of mounts.splice(0)) spawnSync('umount', [d]);
}

const sockets: Server[] = [];
function listen(path: string): Promise<Server> {
  return new Promise((res) => {
    const s = createServer().listen(path, () => res(s));
    sockets.push(s);
  });
}

export function closeSockets(): void {
  for (const s of sockets.splice(0)) s.close();
}

/** A fresh directory holding the case's file, and the path to it. */
export async function prepare(c: HostileCase): Promise<{ dir: string; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'hj-hostile-'));
  chmodSync(dir, 0o755);
  const name = c.name.startsWith('path with') ? 'dïr with spaces ✓\nnewline' : 'svc';
  mkdirSync(join(dir, name));
  chmodSync(join(dir, name), 0o755);
  const path = join(dir, name, 'state.bin');
  if (c.name.startsWith('path with')) copyFileSync(TYPICAL, path);
  await c.make(path, join(dir, name));
  return { dir, path };
}

/** A fingerprint of everything in a directory tree (names, types, sizes, content hashes of small files). */
export function snapshot(dir: string): string {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      let h = '';
      if (st.isFile() && st.size < 1 << 20) h = createHash('sha256').update(readFileSync(p)).digest('hex');
      out.push(`${p} ${st.mode} ${st.size} ${h}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.join('\n');
}

export function cleanup(dir: string): void {
  for (const d of mounts.filter((m) => m.startsWith(dir))) spawnSync('umount', [d]);
  mounts.splice(0, mounts.length, ...mounts.filter((m) => !m.startsWith(dir)));
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
}

export interface CliRun {
  code: number | null;
  output: string;
  timedOut: boolean;
}

/** Runs the bundled CLI with a 15 s bound (a hang shows up as `timedOut`). */
export function runCli(args: string[], asNobody = false): CliRun {
  const cmd = asNobody ? 'runuser' : process.execPath;
  const argv = asNobody ? ['-u', 'nobody', '--', process.execPath, CLI, ...args] : [CLI, ...args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 15_000, env: { ...process.env, NO_COLOR: '1' } });
  return {
    code: r.status,
    output: `${r.stdout}${r.stderr}`,
    timedOut: r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT',
  };
}
