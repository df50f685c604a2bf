/**
 * The fake supervisor's trigger socket as beyond-handoff 0.2 serves it (`read_trigger_command`
 * in its main.rs; observed in test/fixtures/supervisor-0.2/): one client at a time; the
 * peer's uid from SO_PEERCRED, refused with `err: not permitted` unless it is 0, the
 * supervisor's own or in `allowed_uids`; then one line read through a 4,096-byte limit
 * (a longer line is cut and the cut part runs) with a timeout on each read (10 s), a
 * line that is not UTF-8 or does not come in time dropped with a WARN and no reply. The
 * requested binary must canonicalize to `binary` or an `allowed_binaries` entry.
 *
 * Node cannot read SO_PEERCRED, so a tiny helper does, on the real accepted socket: perl
 * (perl-base, on every Debian) gets the socket as its stdin and prints the uid of
 * `getsockopt(SOL_SOCKET, SO_PEERCRED)`, the kernel's record of who connected. The
 * client says nothing about who it is.
 */
import { spawn } from 'node:child_process';
import { chmodSync, realpathSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tracingLine } from './tracingFormat';

export const TRIGGER_MAX_LINE = 4096;
export const TRIGGER_READ_TIMEOUT_MS = 10_000;

const PEERCRED =
  'use Socket; my $c = getsockopt(STDIN, SOL_SOCKET, SO_PEERCRED) or die "$!\\n"; my ($pid, $uid) = unpack("lL", $c); print "$uid\\n";';

/** The connected peer's uid as the kernel recorded it at connect(), or an error sentence. */
export function peerUid(sock: Socket): Promise<{ uid: number } | { error: string }> {
  return new Promise((resolve) => {
    let out = '';
    let err = '';
    const p = spawn('perl', ['-e', PEERCRED], { stdio: [sock, 'pipe', 'pipe'] });
    p.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
    p.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
    p.on('error', (e) => resolve({ error: e.message }));
    p.on('close', (code) => {
      const uid = Number(out.trim());
      resolve(code === 0 && out.trim() !== '' && Number.isInteger(uid) ? { uid } : { error: err.trim() || `perl exited ${code}` });
    });
  });
}

export interface Trigger02Options {
  allowedUids: number[];
  binary: string;
  allowedBinaries: string[];
  readTimeoutMs: number;
  log: (line: string) => void;
  /** Runs a handoff (or answers another command) for a line as read. */
  handle: (cmd: string, binary: string | undefined) => Promise<string>;
}

type LineRead = { line: string } | { eof: true } | { error: string };

/** `BufReader::new(stream.take(4096)).read_line`, with a timeout on each read. */
function readLine(sock: Socket, timeoutMs: number): Promise<LineRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let timer: NodeJS.Timeout | undefined;
    const done = (r: LineRead): void => {
      clearTimeout(timer);
      sock.removeAllListeners('data').removeAllListeners('end');
      sock.pause();
      resolve(r);
    };
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => done({ error: 'Resource temporarily unavailable (os error 11)' }), timeoutMs);
    };
    const text = (): LineRead => {
      try {
        return { line: new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, size)) };
      } catch {
        return { error: 'stream did not contain valid UTF-8' };
      }
    };
    sock.on('data', (d: Buffer) => {
      const nl = d.indexOf(0x0a);
      const room = TRIGGER_MAX_LINE - size;
      const take = Math.min(nl >= 0 ? nl + 1 : d.length, room);
      chunks.push(d.subarray(0, take));
      size += take;
      if (nl >= 0 && nl < room) return done(text());
      if (size >= TRIGGER_MAX_LINE) return done(text());
      arm();
    });
    sock.on('end', () => done(size === 0 ? { eof: true } : text()));
    sock.on('error', () => done(size === 0 ? { eof: true } : text()));
    arm();
    sock.resume();
  });
}

const canonical = (p: string): string | undefined => {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
};

/** `resolve_requested_binary`: the canonical path, or the supervisor's error. */
export function resolveRequested(
  requested: string,
  o: Pick<Trigger02Options, 'binary' | 'allowedBinaries'>,
): { ok: string } | { err: string } {
  const c = canonical(requested);
  if (c === undefined) return { err: `resolve requested binary ${requested}` };
  if (![o.binary, ...o.allowedBinaries].some((a) => canonical(a) === c))
    return { err: `binary ${requested} is not in the configured allowlist (\`binary\` + \`allowed_binaries\`)` };
  return { ok: c };
}

async function serveOne(sock: Socket, o: Trigger02Options): Promise<void> {
  sock.on('error', () => undefined);
  const peer = await peerUid(sock);
  if ('error' in peer) {
    o.log(tracingLine('WARN', 'handoff_supervisor', 'could not read trigger peer credentials; dropping', { error: peer.error }));
    sock.destroy();
    return;
  }
  const uid = peer.uid;
  if (uid !== 0 && uid !== process.geteuid?.() && !o.allowedUids.includes(uid)) {
    o.log(tracingLine('WARN', 'handoff_supervisor', 'refusing trigger from unauthorized uid', { peer_uid: uid }));
    sock.end('err: not permitted\n');
    return;
  }
  const r = await readLine(sock, o.readTimeoutMs);
  if ('eof' in r) return void sock.end();
  if ('error' in r) {
    o.log(tracingLine('WARN', 'handoff_supervisor', 'trigger command read failed', { error: r.error, peer_uid: uid }));
    return void sock.destroy();
  }
  const [cmd, requested] = r.line.trim().split(/\s+/);
  let reply: string;
  if (cmd === 'handoff' && requested !== undefined) {
    const b = resolveRequested(requested, o);
    reply = 'err' in b ? `err: ${b.err}` : await o.handle(cmd, b.ok);
  } else reply = await o.handle(cmd ?? '', undefined);
  await new Promise<void>((done) => sock.end(`${reply}\n`, () => done()));
}

/** Listens on `path` (0600, or `mode`) and serves one client at a time, as 0.2 does. */
export function listen02(path: string, mode: number, o: Trigger02Options): Promise<Server> {
  let queue = Promise.resolve();
  const server = createServer({ pauseOnConnect: true, allowHalfOpen: true }, (sock) => {
    queue = queue.then(() => serveOne(sock, o)).catch(() => undefined);
  });
  // bind_socket replaces a stale path, and publishes the socket 0600 with no window at
  // another mode: bind under a umask.
  rmSync(path, { force: true });
  const old = process.umask(0o177);
  return new Promise((resolve, reject) => {
    server.once('error', (e) => (process.umask(old), reject(e)));
    server.listen(path, () => {
      process.umask(old);
      // A deployment that relaxed the mode on purpose (what the fixtures' 07b-07e runs did).
      if (mode !== 0o600) chmodSync(path, mode);
      resolve(server);
    });
  });
}
