/**
 * Starts code-server (VS Code's workbench and server-side extension host, installed by
 * scripts/e2eSetup.sh into .cache/e2e/) for one workspace folder, with a fresh user-data
 * dir, extensions dir and log under the run folder, and no outbound traffic.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { killTree, onCleanup, spawnGroup } from './processes';

import { selfLauncher, type Launcher } from './launch';

export { CODE_SERVER_CONFIG, CODE_SERVER_ENTRY, E2E_CACHE, NODE24_BIN, NO_GALLERY, REPO_ROOT, selfLauncher } from './launch';
export type { Launcher } from './launch';

/** User settings that make a fresh profile quiet and deterministic. */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

/** `trusted`: Workspace Trust off, so everything is trusted. `restricted`: trust on, no prompt: Restricted Mode. */
export type TrustMode = 'trusted' | 'restricted';

export function trustSettings(mode: TrustMode): Record<string, unknown> {
  return mode === 'trusted'
    ? { 'security.workspace.trust.enabled': false }
    : {
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.banner': 'always',
      };
}

const exec = promisify(execFile);

/** Runs the code-server CLI with a profile next to the extensions dir (`<parent>/cli-data`). */
async function cli(extensionsDir: string, args: string[], launcher: Launcher): Promise<string> {
  const home = launcher.ownDir(join(dirname(extensionsDir), 'cli-data'));
  const tmp = launcher.ownDir(mkdtempSync(join(tmpdir(), 'hj-e2e-cli-')));
  try {
    const cmd = launcher.command([
      launcher.entry,
      '--config',
      launcher.config,
      '--user-data-dir',
      join(home, 'user-data'),
      '--extensions-dir',
      extensionsDir,
      ...args,
    ]);
    const { stdout } = await exec(cmd.file, cmd.args, { env: launcher.env(home, tmp), cwd: home, timeout: 120_000 });
    return stdout;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** `code-server --extensions-dir D --install-extension X.vsix --force`. */
export async function installExtension(vsix: string, extensionsDir: string, launcher: Launcher = selfLauncher): Promise<string> {
  launcher.ownDir(extensionsDir);
  return cli(extensionsDir, ['--install-extension', resolve(vsix), '--force'], launcher);
}

/** Installed extensions as `publisher.name@version`. */
export async function listExtensions(extensionsDir: string, launcher: Launcher = selfLauncher): Promise<string[]> {
  const out = await cli(extensionsDir, ['--list-extensions', '--show-versions'], launcher);
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[\w-]+\.[\w-]+@/.test(l));
}

/** A free TCP port on 127.0.0.1 (or `preferred` when it is free). */
export async function freePort(preferred = 0): Promise<number> {
  const tryPort = (port: number): Promise<number | undefined> =>
    new Promise((res) => {
      const srv = createServer();
      srv.once('error', () => res(undefined));
      srv.listen(port, '127.0.0.1', () => {
        const addr = srv.address();
        srv.close(() => res(typeof addr === 'object' && addr !== null ? addr.port : undefined));
      });
    });
  if (preferred > 0) {
    const p = await tryPort(preferred);
    if (p !== undefined) return p;
  }
  const p = await tryPort(0);
  if (p === undefined) throw new Error('no free port on 127.0.0.1');
  return p;
}

function httpStatus(url: string): Promise<number | undefined> {
  return new Promise((res) => {
    const req = get(url, { timeout: 5000 }, (r) => {
      r.resume();
      res(r.statusCode);
    });
    req.on('error', () => res(undefined));
    req.on('timeout', () => {
      req.destroy();
      res(undefined);
    });
  });
}

/** The last `lines` lines of a text file ('' when it cannot be read). */
export function tailFile(path: string, lines = 40): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export interface CodeServerOptions {
  /** Absolute path of the folder to open. */
  workspace: string;
  /** Folder for this run's profile, extensions and log. */
  runDir: string;
  /** Marker for processes of this run (see processes.ts). */
  marker: string;
  port?: number;
  /** Default `trusted`. */
  trust?: TrustMode;
  /** Extra user settings (merged over the quiet defaults). */
  settings?: Record<string, unknown>;
  /**
   * Remote ("Machine") settings, `<user-data-dir>/Machine/settings.json`: where settings of
   * scope `machine` / `machine-overridable` (e.g. `handoffJournal.files.searchPaths`) are
   * taken from in a remote window; VS Code ignores them in user settings there.
   */
  machineSettings?: Record<string, unknown>;
  /** Extra environment for code-server, its extension host and our language server. */
  env?: Record<string, string>;
  /** Default `<runDir>/extensions`. */
  extensionsDir?: string;
  readyTimeoutMs?: number;
  /** Who code-server runs as; default the harness's own user. */
  launcher?: Launcher;
}

export interface CodeServer {
  port: number;
  /** `http://127.0.0.1:PORT/` */
  url: string;
  /** `http://127.0.0.1:PORT/?folder=/abs/workspace` */
  folderUrl: string;
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  /** code-server's stdout+stderr. */
  logFile: string;
  process: ChildProcess;
  logTail(lines?: number): string;
  /** Kills code-server and all its descendants. Idempotent. */
  stop(): Promise<void>;
}

/** Writes `<userDataDir>/User/settings.json`: quiet defaults + trust mode + extras; and the Machine settings if any. */
export function writeUserSettings(
  userDataDir: string,
  trust: TrustMode,
  extra: Record<string, unknown> = {},
  machine?: Record<string, unknown>,
): void {
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  const settings = { ...QUIET_SETTINGS, ...trustSettings(trust), ...extra };
  writeFileSync(join(userDataDir, 'User', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  if (machine === undefined) return;
  mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
  writeFileSync(join(userDataDir, 'Machine', 'settings.json'), `${JSON.stringify(machine, null, 2)}\n`);
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const launcher = opts.launcher ?? selfLauncher;
  const userDataDir = join(opts.runDir, 'user-data');
  const extensionsDir = launcher.ownDir(opts.extensionsDir ?? join(opts.runDir, 'extensions'));
  const logFile = join(opts.runDir, 'code-server.log');
  writeUserSettings(userDataDir, opts.trust ?? 'trusted', opts.settings, opts.machineSettings);
  launcher.ownDir(userDataDir);
  const home = launcher.ownDir(join(opts.runDir, 'home'));
  const port = opts.port ?? (await freePort());
  const args = [
    launcher.entry,
    '--config',
    launcher.config,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--ignore-last-opened',
    opts.workspace,
  ];
  // A short private temp dir (VS Code puts unix sockets there; their paths are limited to 107 bytes).
  const tmp = launcher.ownDir(mkdtempSync(join(tmpdir(), 'hj-e2e-')));
  // Opened here and handed over: the log is written even where the launcher's user could not open it.
  const fd = openSync(logFile, 'a');
  const cmd = launcher.command(args);
  const child = spawnGroup(cmd.file, cmd.args, opts.marker, {
    stdio: ['ignore', fd, fd],
    env: launcher.env(home, tmp, opts.env),
    cwd: home,
  });
  closeSync(fd);
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= killTree(child, opts.marker).finally(() => rmSync(tmp, { recursive: true, force: true })));
  const unregister = onCleanup(stop);
  const url = `http://127.0.0.1:${port}/`;
  const server: CodeServer = {
    port,
    url,
    folderUrl: `${url}?folder=${encodeURIComponent(opts.workspace).replace(/%2F/g, '/')}`,
    workspace: opts.workspace,
    userDataDir,
    extensionsDir,
    logFile,
    process: child,
    logTail: (lines = 40) => tailFile(logFile, lines),
    stop: async () => {
      await stop();
      unregister();
    },
  };

  // Ready when the workbench page is served (`/` only redirects to the last folder).
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await server.stop();
      throw new Error(
        `code-server exited (${child.exitCode ?? child.signalCode}) before it was ready. Log ${logFile}:\n${tailFile(logFile)}`,
      );
    }
    if ((await httpStatus(server.folderUrl)) === 200) return server;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(
        `code-server did not answer on ${server.folderUrl} within ${opts.readyTimeoutMs ?? 90_000} ms. Log ${logFile}:\n${tailFile(logFile)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Log files of our extension under the profile (the language client's output channels,
 * e.g. `.../exthost/output_logging_*\/N-Handoff Journal*.log`), newest last.
 */
export async function findExtensionLogs(userDataDir: string, pattern = /handoff/i): Promise<string[]> {
  const { readdir, stat } = await import('node:fs/promises');
  const found: { path: string; mtime: number }[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 8) return;
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p, depth + 1);
      else if (e.isFile() && e.name.endsWith('.log') && pattern.test(e.name)) found.push({ path: p, mtime: (await stat(p)).mtimeMs });
    }
  };
  await walk(join(userDataDir, 'logs'), 0);
  return found.sort((a, b) => a.mtime - b.mtime).map((f) => f.path);
}
