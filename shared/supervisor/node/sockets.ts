/**
 * Read-only state of Unix-domain sockets from /proc, without connecting to them
 * (connecting to the incumbent's control socket would make it run its session-close
 * path). `parseProcNetUnix` is pure; `socketState` does the /proc reads.
 *
 * /proc/net/unix prints each socket's name as it was bound, raw: any user can bind a
 * socket (abstract, or a path under /tmp) whose name holds a newline and then a line
 * that looks exactly like a row for another socket. So a row counts only when it has
 * the kernel's fixed columns and names a path (abstract names, `@…`, never match a
 * config's path); it is genuine when it cannot lie inside an earlier row's name (names
 * are at most 108 bytes), and otherwise only when its inode appears in no other row and
 * a process in this network namespace holds it (/proc/<pid>/fd). An unverified row is
 * "cannot tell" (or, as root, who sees every process, not bound), never bound.
 */
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { readProcText } from '../../util/node';

export interface UnixSocketEntry {
  inode: number;
  path: string;
  listening: boolean;
}

/** One well-formed row, with where its name starts in the text (in bytes, read as latin1). */
export interface UnixSocketRow extends UnixSocketEntry {
  /** Offset of the row's first character, and of its name. */
  start: number;
  nameStart: number;
  /** The row could be part of an earlier row's name (it ends within MAX_NAME bytes of that name's start). */
  ambiguous: boolean;
}

/** sun_path is 108 bytes: no name the kernel prints is longer. */
const MAX_NAME = 108;
/** `%pK: %08X %08X %08X %04X %02X %5lu`: the Num field is 8 or 16 hex digits. */
const ROW = /^([0-9a-f]{8}|[0-9a-f]{16}): [0-9A-F]{8} [0-9A-F]{8} ([0-9A-F]{8}) [0-9A-F]{4} [0-9A-F]{2} +(\d{1,20})(?: (.+))?$/s;

/** Every well-formed row of /proc/net/unix text (read as latin1: one character per byte), in order. */
export function procUnixRows(text: string): UnixSocketRow[] {
  const rows: UnixSocketRow[] = [];
  const nameStarts: number[] = [];
  let start = text.indexOf('\n') + 1; // the header
  while (start > 0 && start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const m = ROW.exec(text.slice(start, end));
    if (m) {
      const name = m[4];
      const nameStart = name === undefined ? -1 : end - name.length;
      // Inside an earlier name only if that name started within MAX_NAME bytes of this row's end.
      const ambiguous = nameStarts.some((s) => end - s <= MAX_NAME);
      if (name !== undefined) {
        rows.push({
          inode: Number(m[3]),
          path: name,
          listening: (parseInt(m[2] as string, 16) & 0x10000) !== 0,
          start,
          nameStart,
          ambiguous,
        });
        nameStarts.push(nameStart);
      }
    }
    if (nl < 0) break;
    start = nl + 1;
    while (nameStarts.length > 0 && start - (nameStarts[0] as number) > MAX_NAME) nameStarts.shift();
  }
  return rows;
}

/** Parses /proc/net/unix: the well-formed rows with a name (`Num RefCount Protocol Flags Type St Inode Path`). */
export function parseProcNetUnix(text: string): UnixSocketEntry[] {
  return procUnixRows(text).map(({ inode, path, listening }) => ({ inode, path, listening }));
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

/** Most of /proc/net/unix read (a host with many sockets says "cannot tell" beyond it), and of a small /proc file. */
const MAX_NET_UNIX = 16 << 20;
const MAX_SMALL = 4096;

const netNs = (procRoot: string, pid: string): string | undefined => {
  try {
    return readlinkSync(`${procRoot}/${pid}/ns/net`);
  } catch {
    return undefined;
  }
};

/** The processes in this network namespace holding one of `inodes` (those this user can see). */
function ownersOf(inodes: Set<number>, procRoot: string): { pid: number; command: string; inode: number }[] {
  const out: { pid: number; command: string; inode: number }[] = [];
  const ours = netNs(procRoot, 'self');
  let pids: string[] = [];
  try {
    pids = readdirSync(procRoot).filter((d) => /^\d{1,10}$/.test(d));
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
      const m = /^socket:\[(\d{1,20})\]$/.exec(link);
      if (m && inodes.has(Number(m[1])) && (ours === undefined || netNs(procRoot, pid) === ours)) {
        const command = readProcText(`${procRoot}/${pid}/comm`, MAX_SMALL, 'utf8')?.text.trim() ?? '';
        out.push({ pid: Number(pid), command, inode: Number(m[1]) });
        break;
      }
    }
  }
  return out;
}

/** Whether a socket path exists and is bound by a live process, from /proc only (see the module comment). */
export function socketState(path: string, procRoot = '/proc'): SocketState {
  let isSocket = false;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return { path, exists: false, bound: false, owners: [], summary: 'no socket file: nothing is listening' };
  }
  if (!isSocket) return { path, exists: true, bound: false, owners: [], summary: 'exists but is not a socket' };
  const table = readProcText(`${procRoot}/net/unix`, MAX_NET_UNIX);
  if (!table) return { path, exists: true, owners: [], summary: 'socket file exists; whether it is bound is unknown (no /proc)' };
  const rows = procUnixRows(table.text);
  const seen = new Map<number, number>();
  for (const r of rows) seen.set(r.inode, (seen.get(r.inode) ?? 0) + 1);
  const latin1 = Buffer.from(path, 'utf8').toString('latin1');
  const listed = rows.filter((r) => r.listening && r.path === latin1);
  if (listed.length === 0) {
    if (table.cut)
      return {
        path,
        exists: true,
        owners: [],
        summary: 'cannot tell: no row for it in the first 16 MiB of /proc/net/unix (the rest was not read)',
      };
    return { path, exists: true, bound: false, owners: [], summary: 'stale socket file: no process listens on it' };
  }
  const holders = ownersOf(new Set(listed.map((r) => r.inode)), procRoot);
  const held = new Set(holders.map((h) => h.inode));
  const genuine = listed.filter((r) => !r.ambiguous || (seen.get(r.inode) === 1 && held.has(r.inode)));
  if (genuine.length === 0) return unverified(path);
  const owners = holders.filter((h) => genuine.some((r) => r.inode === h.inode)).map(({ pid, command }) => ({ pid, command }));
  const who = owners.length ? owners.map((o) => `pid ${o.pid} (${o.command})`).join(', ') : 'a process this user cannot see';
  return { path, exists: true, bound: true, owners, summary: `bound by ${who}` };
}

/** Only rows that could be part of another socket's name list it, and none is held by a process here: forged, or (as a user) cannot tell. */
function unverified(path: string): SocketState {
  const forged =
    "the only rows naming it in /proc/net/unix could be part of another socket's name (forged rows), and none is confirmed (its inode in no other row, held by a process here)";
  if (process.geteuid?.() === 0) return { path, exists: true, bound: false, owners: [], summary: `stale socket file: ${forged}` };
  return { path, exists: true, owners: [], summary: `cannot tell: ${forged}; as root it can be told` };
}
