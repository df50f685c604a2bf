/**
 * The unprivileged user of the second kind of run: the person who opens root's journals on
 * a production host over Remote-SSH as themselves, while the supervisor runs as root.
 * Created with useradd when missing (idempotent; left in place: `userdel -r hjuser` removes
 * it), with a known password and membership of group `sudo`. `userLauncher` runs
 * code-server as that user through setpriv, with the clean environment of an SSH login.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lchownSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { contained, CODE_SERVER_CONFIG, CODE_SERVER_ENTRY, E2E_CACHE, NODE24_BIN, type Launcher } from './launch';

export const E2E_USER = 'hjuser';
/** Known, so that a scenario can answer sudo's prompt in the user's terminal. */
export const E2E_PASSWORD = 'hj-e2e-Passw0rd';

export interface HostUser {
  name: string;
  uid: number;
  gid: number;
  /** The password set with chpasswd (sudo asks for it). */
  password: string;
  /** The home directory in /etc/passwd (sessions use a fresh HOME of their own, see `userLauncher`). */
  passwdHome: string;
}

/** Runs a system tool as root, bounded; throws with its output when it fails. */
function tool(file: string, args: string[], input?: string): string {
  const r = spawnSync(file, args, { encoding: 'utf8', input, timeout: 30_000 });
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} failed (${r.status ?? r.signal ?? r.error?.message}): ${r.stderr}`);
  return r.stdout;
}

function passwdEntry(name: string): string[] | undefined {
  const r = spawnSync('/usr/bin/getent', ['passwd', name], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 ? r.stdout.trim().split(':') : undefined;
}

/**
 * Makes sure the user exists, is in group `sudo` and has the known password; returns it.
 * Works on a machine where the user is already there (a second run, or made by hand).
 */
export function ensureHostUser(name = E2E_USER, password = E2E_PASSWORD): HostUser {
  if (process.getuid?.() !== 0) throw new Error('the unprivileged run creates a user and starts code-server as it: run the suite as root');
  for (const t of ['/usr/sbin/useradd', '/usr/sbin/chpasswd', '/usr/sbin/usermod', '/usr/bin/setpriv'])
    if (!existsSync(t)) throw new Error(`${t} is missing: apt-get install -y passwd util-linux (npm test does it as root)`);
  if (spawnSync('/usr/bin/getent', ['group', 'sudo'], { timeout: 10_000 }).status !== 0) tool('/usr/sbin/groupadd', ['--system', 'sudo']);
  if (passwdEntry(name) === undefined)
    tool('/usr/sbin/useradd', ['--create-home', '--shell', '/bin/bash', '--user-group', '--groups', 'sudo', name]);
  else tool('/usr/sbin/usermod', ['--append', '--groups', 'sudo', name]);
  tool('/usr/sbin/chpasswd', [], `${name}:${password}\n`);
  const e = passwdEntry(name);
  if (e === undefined) throw new Error(`useradd ${name} left no passwd entry`);
  return { name, uid: Number(e[2]), gid: Number(e[3]), password, passwdHome: e[5] ?? `/home/${name}` };
}

/** `setpriv` to the user (uid, gid, supplementary groups from /etc/group), keeping the environment given. */
export function asUserArgs(user: HostUser, file: string, args: string[]): { file: string; args: string[] } {
  return { file: '/usr/bin/setpriv', args: [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--', file, ...args] };
}

/** Runs a command as the user (bounded), e.g. `test -r PATH`. */
export function runAsUser(user: HostUser, file: string, args: string[], env: NodeJS.ProcessEnv = { PATH: '/usr/bin:/bin' }) {
  const c = asUserArgs(user, file, args);
  return spawnSync(c.file, c.args, { encoding: 'utf8', env, cwd: '/', timeout: 30_000 });
}

/** Whether the user may read (`r`), write (`w`), run or traverse (`x`) a path, asked of the kernel. */
export function userCan(user: HostUser, access: 'r' | 'w' | 'x', path: string): boolean {
  return runAsUser(user, '/usr/bin/test', [`-${access}`, path]).status === 0;
}

/** chown -R to the user (lchown: links are left pointing where they point). */
export function chownTree(user: HostUser, path: string): void {
  lchownSync(path, user.uid, user.gid);
  for (const e of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, e.name);
    if (e.isDirectory()) chownTree(user, p);
    else lchownSync(p, user.uid, user.gid);
  }
}

/** Where Node 24 and code-server are mirrored when the user cannot reach .cache/e2e. */
export const RUNTIME_MIRROR = '/var/tmp/handoff-journal-e2e-runtime';

/**
 * Node 24 and code-server where the user can run them: .cache/e2e itself when every folder
 * above it is traversable (a checkout under /work), else a hard-linked (or copied) mirror in
 * /var/tmp (a checkout under /root, which is 0700).
 */
export function userRuntime(user: HostUser): { node: string; entry: string; config: string } {
  const direct = { node: NODE24_BIN, entry: CODE_SERVER_ENTRY, config: CODE_SERVER_CONFIG };
  if (userCan(user, 'x', NODE24_BIN) && userCan(user, 'r', CODE_SERVER_ENTRY) && userCan(user, 'r', CODE_SERVER_CONFIG)) return direct;
  const map = (p: string): string => join(RUNTIME_MIRROR, relative(E2E_CACHE, p));
  const current = (p: string): boolean => {
    const [a, b] = [p, map(p)].map((x) => statSync(x, { throwIfNoEntry: false }));
    return a !== undefined && b !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs;
  };
  if (![NODE24_BIN, CODE_SERVER_ENTRY, join(E2E_CACHE, 'code-server', 'package.json')].every(current)) {
    console.log(`e2e: ${user.name} cannot reach ${E2E_CACHE}; mirroring Node 24 and code-server into ${RUNTIME_MIRROR}`);
    rmSync(RUNTIME_MIRROR, { recursive: true, force: true });
    mkdirSync(RUNTIME_MIRROR, { recursive: true, mode: 0o755 });
    for (const d of ['node24', 'code-server', 'code-server.yaml']) {
      // Hard links when on the same file system (no copy of 800 MB), else a copy.
      const linked = spawnSync('/bin/cp', ['-al', join(E2E_CACHE, d), RUNTIME_MIRROR], { timeout: 300_000 }).status === 0;
      if (!linked) cpSync(join(E2E_CACHE, d), join(RUNTIME_MIRROR, d), { recursive: true, preserveTimestamps: true });
    }
  }
  const mirrored = { node: map(NODE24_BIN), entry: map(CODE_SERVER_ENTRY), config: map(CODE_SERVER_CONFIG) };
  if (!userCan(user, 'x', mirrored.node)) throw new Error(`${user.name} cannot run ${mirrored.node} either: is /var/tmp closed?`);
  return mirrored;
}

/**
 * PATH of an SSH login on Debian: /etc/profile's PATH for users, with ~/.local/bin first as
 * /etc/skel/.profile puts it (where a command installed for the user lands, e.g. the
 * extension's "Install 'handoff-journal' Command in PATH"). code-server gets it as Remote-SSH
 * starts the VS Code server from a login. Observed: the server then resolves a login
 * shell's environment (`bash -ilc`) once, at its start, and gives that to the extension
 * host, the language server and every terminal: /etc/profile's PATH, with ~/.local/bin only
 * if it existed at that moment. Node 24 is in neither (nor is the server's own node on a
 * real host's PATH).
 */
export function loginPath(home: string): string {
  return `${home}/.local/bin:/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games`;
}

/**
 * Runs code-server as the user. HOME is a fresh folder per session (seeded from
 * /etc/skel: the terminal's bash reads its .bashrc), so nothing one run leaves in ~ (a
 * command installed in ~/.local/bin) is seen by the next; USER, LOGNAME, SHELL and PATH
 * are the login's; nothing of root's environment is passed on.
 */
export function userLauncher(user: HostUser): Launcher {
  const rt = userRuntime(user);
  // From the first folder mkdir -p made (parents it made are the user's too), else the folder itself.
  const ownDir = (dir: string): string => {
    chownTree(user, mkdirSync(dir, { recursive: true }) ?? dir);
    return dir;
  };
  return {
    who: user.name,
    ...rt,
    command: (args) => asUserArgs(user, rt.node, args),
    env: (home, tmp, extra = {}) => {
      if (!existsSync(join(home, '.bashrc')) && existsSync('/etc/skel')) {
        cpSync('/etc/skel', home, { recursive: true });
        chownTree(user, home);
      }
      return {
        HOME: home,
        USER: user.name,
        LOGNAME: user.name,
        SHELL: '/bin/bash',
        PATH: loginPath(home),
        LANG: process.env.LANG ?? 'C.UTF-8',
        ...contained(home, tmp),
        ...extra,
      };
    },
    ownDir,
  };
}

/**
 * Forgets sudo's cached credentials of the user, so that a scenario's `sudo` asks for the
 * password even when an earlier run (on a terminal with the same pty number) typed it.
 */
export function forgetSudo(user: HostUser): void {
  rmSync(join('/run/sudo/ts', user.name), { force: true });
  rmSync(join('/var/run/sudo/ts', user.name), { force: true });
}
