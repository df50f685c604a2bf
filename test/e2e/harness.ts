/**
 * What a scenario gets: a running code-server with the packaged extension installed, a
 * browser on its workbench, the fixture workspace, and helpers (see README.md here).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { DecodeResult, Encoding, Journal } from '../../shared/journal';
import { runScenario, type RunOptions, type ScenarioName, type SimStep } from '../support/simulator';
import { launchBrowser, openWorkbench, Workbench, type BrowserSession } from './browser';
import {
  findExtensionLogs,
  installExtension,
  listExtensions,
  startCodeServer,
  tailFile,
  type CodeServer,
  type TrustMode,
} from './codeServer';
import { prepareHostTree, readBytesAsRoot, writeHostJournal, type HostTree } from './hostTree';
import type { HostUser } from './hostUser';
import { TERMINAL_SETTINGS } from './terminal';
import { userSessionSetup } from './userSession';
import { journalPath, prepareWorkspace, readJournal, writeJournal } from './workspace';

/** A scenario that needs its own code-server (other trust mode, settings or environment). */
export interface SessionOptions {
  trust?: TrustMode;
  /** User settings, e.g. `{ 'handoffJournal.staleDeadlineSeconds': 60 }`. */
  settings?: Record<string, unknown>;
  /** Environment of code-server and so of the language server, e.g. `{ HANDOFF_JOURNAL_FAKE_NOW: '1700000000000' }`. */
  env?: Record<string, string>;
  /** Open a folder with no journals and no supervisor configs (activation checks). */
  emptyWorkspace?: boolean;
  /**
   * `unprivileged`: code-server runs as the suite's user (`ctx.user`, e.g. hjuser) on a
   * root-owned host tree (`ctx.host`), after every root scenario. A scenario whose session
   * is only `{ user: 'unprivileged' }` shares one such session with the others like it.
   */
  user?: 'root' | 'unprivileged';
  /**
   * Unprivileged only: create ~/.local/bin before code-server starts, as for a user who
   * already has one. The VS Code server takes PATH from a login shell once, at its start,
   * and Debian's ~/.profile adds ~/.local/bin only when it exists then; without this option
   * (a fresh user) it is not on the PATH of the extension host or of terminals.
   */
  localBin?: boolean;
}

export interface Scenario {
  name: string;
  run(ctx: ScenarioContext): Promise<void>;
  /** When set, the scenario runs in a fresh code-server + browser with these options. */
  session?: SessionOptions;
  /** Default 180 s. */
  timeoutMs?: number;
}

export interface ScenarioContext {
  page: Page;
  wb: Workbench;
  server: CodeServer;
  /** Absolute path of the opened folder (a fresh copy of workspace-template/ with journals). */
  workspace: string;
  /** This run's folder: screenshots, logs, profiles. */
  runDir: string;
  /** `publisher.name@version` of every installed extension. */
  installedExtensions: string[];
  /** Screenshot `<runDir>/<scenario>-NN-name.png`. */
  screenshot(name: string): Promise<string>;
  /** Tail of code-server's log. */
  logTail(lines?: number): string;
  /** Tail of our extension's log files (the language client's output channels). */
  extensionLogTail(lines?: number): Promise<string>;
  /** The folder holding `<service>/state.bin`: `<workspace>/services`, or the host tree's handoff folder. */
  journalsDir: string;
  /** `<journalsDir>/<service>/state.bin` */
  journalPath(service: string): string;
  /** The unprivileged user code-server runs as (name, uid, password); undefined when it runs as root. */
  user: HostUser | undefined;
  /** The unprivileged user's HOME in this session (fresh per session, owned by the user). */
  userHome: string | undefined;
  /** The root-owned `<root>/var/lib/beyond/handoff` tree of an unprivileged session (its workspace). */
  host: HostTree | undefined;
  /** The journal's bytes on disk, read as root (undefined when there is no file). */
  readJournalBytes(service: string): Promise<Buffer | undefined>;
  /** Writes as root; in a host tree with the supervisor's modes (0755 dir, 0644 file). */
  writeJournal(service: string, j: Journal | Uint8Array, encoding?: Encoding): Promise<string>;
  readJournal(service: string): Promise<DecodeResult | undefined>;
  /** Plays a supervisor scenario on `<journalsDir>/<opts.service ?? 'live'>/state.bin`. */
  simulate(name: ScenarioName, opts?: RunOptions): Promise<SimStep[]>;
  /** Rebuilds the services with the fixture journals. */
  resetWorkspace(): Promise<void>;
  /** Runs one named step; the name is printed and shown in the failure report. */
  step<T>(what: string, fn: () => Promise<T>): Promise<T>;
  log(message: string): void;
}

export interface Session {
  server: CodeServer;
  browser: BrowserSession;
  wb: Workbench;
  workspace: string;
  journalsDir: string;
  user?: HostUser;
  userHome?: string;
  host?: HostTree;
  installedExtensions: string[];
  close(): Promise<void>;
}

/** Settings every session gets: views start at their top, terminals are readable (see terminal.ts). */
const SESSION_SETTINGS: Record<string, unknown> = {
  // Decoded views are file-backed, and VS Code would otherwise reopen one scrolled where an
  // earlier scenario left it.
  'explorer.compactFolders': false,
  'workbench.editor.restoreViewState': false,
  // Only the walkthrough scenario wants it to open on the first start.
  'handoffJournal.welcome.openWalkthrough': false,
  ...TERMINAL_SETTINGS,
};

/**
 * Remote (Machine) settings of the root sessions: journals and supervisor configs are
 * looked for in the test's own workspace only, so the suite passes on a host that runs a
 * real supervisor (its /var/lib/beyond/handoff and /etc/handoff are not listed).
 */
export const HERMETIC_SETTINGS: Record<string, unknown> = {
  'handoffJournal.files.searchPaths': ['${workspaceFolder}/**/state.bin'],
  'handoffJournal.supervisor.configGlobs': ['${workspaceFolder}/**/handoff*.toml'],
};

/** Installs the VSIX, starts code-server and the browser, opens the workspace. */
export async function startSession(o: {
  dir: string;
  runDir: string;
  marker: string;
  vsix: string;
  workspace: string;
  options?: SessionOptions;
  /** For `user: 'unprivileged'`: the user and the host tree (the workspace is its handoff folder). */
  as?: { user: HostUser; host: HostTree };
}): Promise<Session> {
  mkdirSync(o.dir, { recursive: true });
  const u = o.as === undefined ? undefined : userSessionSetup(o.as.user, o.as.host, o.dir, o.vsix, o.options?.localBin === true);
  const extensionsDir = join(u?.dir ?? o.dir, 'extensions');
  await installExtension(u?.vsix ?? o.vsix, extensionsDir, u?.launcher);
  const installedExtensions = await listExtensions(extensionsDir, u?.launcher);
  const server = await startCodeServer({
    workspace: o.workspace,
    runDir: u?.dir ?? o.dir,
    marker: o.marker,
    extensionsDir,
    trust: o.options?.trust,
    settings: { ...SESSION_SETTINGS, ...o.options?.settings },
    machineSettings: u?.machineSettings ?? HERMETIC_SETTINGS,
    env: o.options?.env,
    launcher: u?.launcher,
  });
  let browser: BrowserSession | undefined;
  try {
    browser = await launchBrowser(o.dir, o.marker);
    browser.page.on('dialog', (d) => void d.dismiss().catch(() => undefined));
    const wb = new Workbench(browser.page, o.runDir);
    await openWorkbench(browser.page, server.folderUrl);
    await wb.waitForExtensionsActivated();
    const b = browser;
    return {
      server,
      browser: b,
      wb,
      workspace: o.workspace,
      journalsDir: o.as?.host.journalsDir ?? join(o.workspace, 'services'),
      ...o.as,
      ...(u ? { userHome: join(u.dir, 'home') } : {}),
      installedExtensions,
      close: async () => {
        await b.close();
        await server.stop();
        u?.close();
      },
    };
  } catch (e) {
    const shot = join(o.runDir, 'startup-failure.png');
    if (
      browser !== undefined &&
      (await browser.page.screenshot({ path: shot }).then(
        () => true,
        () => false,
      ))
    ) {
      console.error(`screenshot: ${shot}`);
    }
    await browser?.close();
    await server.stop();
    u?.close();
    throw e;
  }
}

/** Puts the workbench back to a neutral state between scenarios of a shared session. */
export async function resetUi(wb: Workbench): Promise<void> {
  await wb.closeQuickInput();
  for (let i = 0; i < 3; i++) {
    const d = await wb.dialog();
    if (d === undefined) break;
    await wb
      .answerDialog(d.buttons.includes('Cancel') ? 'Cancel' : (d.buttons.at(-1) as string), 5000)
      .catch(() => wb.page.keyboard.press('Escape'));
  }
  await wb.runCommand('View: Close All Editors').catch(() => undefined);
  await wb.runCommand('Notifications: Clear All Notifications').catch(() => undefined);
  await wb.terminal.killAll().catch(() => undefined);
}

export function createContext(s: Session, runDir: string, report: { step: string }): ScenarioContext {
  const ctx: ScenarioContext = {
    page: s.browser.page,
    wb: s.wb,
    server: s.server,
    workspace: s.workspace,
    runDir,
    installedExtensions: s.installedExtensions,
    screenshot: (name) => s.wb.screenshot(name),
    logTail: (lines) => s.server.logTail(lines),
    extensionLogTail: async (lines = 30) => {
      const logs = await findExtensionLogs(s.server.userDataDir);
      return logs.map((p) => `--- ${p}\n${tailFile(p, lines)}`).join('\n');
    },
    journalsDir: s.journalsDir,
    journalPath: (service) => journalPath(s.journalsDir, service),
    user: s.user,
    userHome: s.userHome,
    host: s.host,
    readJournalBytes: (service) => readBytesAsRoot(journalPath(s.journalsDir, service)),
    writeJournal: (service, j, encoding) =>
      s.host ? writeHostJournal(s.host, service, j, encoding) : writeJournal(s.journalsDir, service, j, encoding),
    readJournal: (service) => readJournal(s.journalsDir, service),
    simulate: (name, opts) => runScenario(s.journalsDir, name, opts),
    resetWorkspace: () => (s.host ? prepareHostTree(s.host) : prepareWorkspace(s.workspace)),
    step: async (what, fn) => {
      report.step = what;
      console.log(`    · ${what}`);
      return fn();
    },
    log: (m) => console.log(`    ${m}`),
  };
  return ctx;
}
