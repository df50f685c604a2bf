/**
 * Read-only state of Unix-domain sockets from /proc, without connecting to them
 * (connecting to the incumbent's control socket would make it run its session-close
 * path). `parseProcNetUnix` is pure; `socketState` does the /proc reads.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface UnixSocketEntry {
  inode: number;
  path: string;
  listening: boolean;
}

/** Parses /proc/net/unix: `Num RefCount Protocol Flags Type St Inode Path`. */
export function parseProcNetUnix(text: string): UnixSocketEntry[] {
  const out: UnixSocketEntry[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const flags = parseInt(f[3] as string, 16);
    // __SO_ACCEPTCON (0x10000): a listening socket.
    out.push({ inode: Number(f[6]), path: f.slice(7).join(' '), listening: (flags & 0x10000) !== 0 });
  }
  return out;
}

export interface SocketState {
  path: string;
  /** The socket file exists on disk. */
  exists: boolean;
  /** A process listens on it (from /proc/net/unix); undefined when /proc cannot tell. */
  bound?: boolean;
  /** The listening processes we can see (pid and command). */
  owners: { pid: number; command: string }[];
  /** One sentence for people. */
  summary: string;
}

function ownersOf(inodes: Set<number>, procRoot: string): { pid: number; command: string }[] {
  const out: { pid: number; command: string }[] = [];
  let pids: string[] = [];
  try {
    pids = readdirSync(procRoot).filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`${procRoot}/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link = '';
      try {
        link = readlinkSync(`${procRoot}/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m && inodes.has(Number(m[1]))) {
        let command = '';
        try {
          command = readFileSync(`${procRoot}/${pid}/comm`, 'utf8').trim();
        } catch {
          // The process exited meanwhile.
        }
        out.push({ pid: Number(pid), command });
        break;
      }
    }
  }
  return out;
}

/** Whether a socket path exists and is bound by a live process, from /proc only. */
export function socketState(path: string, procRoot = '/proc'): SocketState {
  let exists = false;
  let isSocket = false;
  try {
    const st = lstatSync(path);
    exists = true;
    isSocket = st.isSocket();
  } catch {
    // Missing.
  }
  if (!exists) return { path, exists, bound: false, owners: [], summary: 'no socket file: nothing is listening' };
  if (!isSocket) return { path, exists, bound: false, owners: [], summary: 'exists but is not a socket' };
  if (!existsSync(`${procRoot}/net/unix`))
    return { path, exists, owners: [], summary: 'socket file exists; whether it is bound is unknown (no /proc)' };
  const entries = parseProcNetUnix(readFileSync(`${procRoot}/net/unix`, 'utf8')).filter((e) => e.listening && e.path === path);
  if (entries.length === 0) return { path, exists, bound: false, owners: [], summary: 'stale socket file: no process listens on it' };
  const owners = ownersOf(new Set(entries.map((e) => e.inode)), procRoot);
  const who = owners.length ? owners.map((o) => `pid ${o.pid} (${o.command})`).join(', ') : 'a process this user cannot see';
  return { path, exists, bound: true, owners, summary: `bound by ${who}` };
}
