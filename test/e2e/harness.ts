/**
 * What a scenario gets: a running code-server with the packaged extension installed, a
 * browser on its workbench, the fixture workspace, and helpers (see README.md here).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { DecodeResult } from '../../shared/codec';
import type { Encoding, Journal } from '../../shared/journal';
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
  /** `<workspace>/services/<service>/state.bin` */
  journalPath(service: string): string;
  writeJournal(service: string, j: Journal | Uint8Array, encoding?: Encoding): Promise<string>;
  readJournal(service: string): Promise<DecodeResult | undefined>;
  /** Plays a supervisor scenario on `<workspace>/services/<opts.service ?? 'live'>/state.bin`. */
  simulate(name: ScenarioName, opts?: RunOptions): Promise<SimStep[]>;
  /** Rebuilds `services/` with the fixture journals. */
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
  installedExtensions: string[];
  close(): Promise<void>;
}

/** Installs the VSIX, starts code-server and the browser, opens the workspace. */
export async function startSession(o: {
  dir: string;
  runDir: string;
  marker: string;
  vsix: string;
  workspace: string;
  options?: SessionOptions;
}): Promise<Session> {
  mkdirSync(o.dir, { recursive: true });
  const extensionsDir = join(o.dir, 'extensions');
  await installExtension(o.vsix, extensionsDir);
  const installedExtensions = await listExtensions(extensionsDir);
  const server = await startCodeServer({
    workspace: o.workspace,
    runDir: o.dir,
    marker: o.marker,
    extensionsDir,
    trust: o.options?.trust,
    // Every scenario starts each view at its top: decoded views are file-backed, and VS Code
    // would otherwise reopen one scrolled where an earlier scenario left it.
    settings: { 'explorer.compactFolders': false, 'workbench.editor.restoreViewState': false, ...o.options?.settings },
    env: o.options?.env,
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
      installedExtensions,
      close: async () => {
        await b.close();
        await server.stop();
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
    journalPath: (service) => journalPath(s.workspace, service),
    writeJournal: (service, j, encoding) => writeJournal(s.workspace, service, j, encoding),
    readJournal: (service) => readJournal(s.workspace, service),
    simulate: (name, opts) => runScenario(join(s.workspace, 'services'), name, opts),
    resetWorkspace: () => prepareWorkspace(s.workspace),
    step: async (what, fn) => {
      report.step = what;
      console.log(`    · ${what}`);
      return fn();
    },
    log: (m) => console.log(`    ${m}`),
  };
  return ctx;
}
