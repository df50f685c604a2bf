/**
 * Debian's chromium driven by playwright-core against code-server, and a person's
 * gestures in the VS Code workbench: Command Palette, Quick Open, Explorer, editor text,
 * screenshots. Panels (Problems, notifications, dialogs, status bar, lenses, hovers) are in
 * panels.ts; `Workbench` exposes both.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import * as editor from './editor';
import * as explorer from './explorer';
import * as panels from './panels';
import { Terminals } from './terminal';
import { MARKER_ENV, onCleanup } from './processes';
import { waitFor, type El } from './wait';

export { waitFor };

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const isMac = process.platform === 'darwin';
const NAME_SHIM = 'globalThis.__name = globalThis.__name || ((target) => target);';

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Launches chromium (headless unless HEADFUL=1) with its profile and crash dumps inside `runDir`. */
export async function launchBrowser(runDir: string, marker: string): Promise<BrowserSession> {
  const home = join(runDir, 'home', 'browser');
  mkdirSync(home, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: process.env.HEADFUL !== '1',
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    env: { ...process.env, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache'), [MARKER_ENV]: marker },
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  // tsx (esbuild keepNames) wraps named inner functions in `__name(...)`; page-side
  // callbacks are serialized into the page, where that helper must exist too.
  await context.addInitScript({ content: NAME_SHIM });
  const page = await context.newPage();
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => (closed ??= browser.close().catch(() => undefined));
  onCleanup(close);
  return { browser, context, page, close };
}

/** Opens the workbench for a folder and waits until the Explorer shows it. */
export async function openWorkbench(page: Page, folderUrl: string, timeoutMs = 90_000): Promise<void> {
  await page.goto(folderUrl, { timeout: timeoutMs });
  await page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: timeoutMs });
}

export interface QuickItem {
  label: string;
  description: string;
  detail: string;
  ariaLabel: string;
  focused: boolean;
}

export class Workbench {
  private shots = 0;
  /** Prepended to screenshot names (the harness sets it to the scenario's name). */
  screenshotPrefix = '';
  /** Path of the last screenshot taken. */
  lastScreenshot: string | undefined;
  /** The integrated terminal (terminal.ts). */
  readonly terminal: Terminals;
  constructor(
    readonly page: Page,
    readonly screenshotDir: string,
  ) {
    this.terminal = new Terminals(page, (title) => this.runCommand(title));
  }

  /** Screenshot `<screenshotDir>/<prefix>NN-name.png`; returns its path. */
  async screenshot(name: string): Promise<string> {
    const file = `${this.screenshotPrefix}${String(++this.shots).padStart(2, '0')}-${name}`.replace(/[^\w.-]+/g, '_');
    const path = join(this.screenshotDir, `${file}.png`);
    await this.page.screenshot({ path });
    this.lastScreenshot = path;
    return path;
  }

  /** Waits until the status bar no longer says "Activating Extensions...". */
  async waitForExtensionsActivated(timeoutMs = 60_000): Promise<void> {
    await waitFor(
      async () => !(await this.statusBarItems()).some((s) => /Activating Extensions/i.test(s)),
      'extensions to activate',
      timeoutMs,
    );
  }

  // ---- quick input (Command Palette, Quick Open, QuickPick, InputBox) ----

  /** The quick input widget while it is shown. */
  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget:visible');
  }

  private get quickRows(): Locator {
    return this.quickInput.locator('.quick-input-list .monaco-list-row');
  }

  /** Press Escape until no quick input is open. */
  async closeQuickInput(): Promise<void> {
    for (let i = 0; i < 3 && (await this.quickInput.count()) > 0; i++) {
      await this.page.keyboard.press('Escape');
      await this.quickInput.waitFor({ state: 'hidden', timeout: 2000 }).catch(() => undefined);
    }
  }

  /** Items of the open QuickPick (what a person sees); [] when none is open. */
  async quickItems(): Promise<QuickItem[]> {
    return this.quickRows.evaluateAll((rows: El[]) =>
      rows.map((r) => ({
        label: (r.querySelector('.label-name')?.textContent ?? '').trim(),
        description: (r.querySelector('.label-description')?.textContent ?? '').trim(),
        detail: (r.querySelector('.quick-input-list-label-meta')?.textContent ?? '').trim(),
        ariaLabel: r.getAttribute('aria-label') ?? '',
        focused: r.classList.contains('focused'),
      })),
    );
  }

  /**
   * Waits for an item whose label matches (exactly, a RegExp, or a predicate), then clicks
   * it. The row is found again by its label at click time: the list reuses its row
   * elements while it renders, so an index read a moment earlier can point elsewhere.
   */
  async pickQuickItem(label: string | RegExp | ((i: QuickItem) => boolean), timeoutMs = 15_000): Promise<QuickItem> {
    const match =
      typeof label === 'function'
        ? label
        : (i: QuickItem): boolean => (typeof label === 'string' ? i.label === label : label.test(i.label));
    const items = await waitFor(
      () => this.quickItems(),
      `a quick pick item ${String(label)}`,
      timeoutMs,
      (xs) => xs.some(match),
    );
    const item = items.find(match) as QuickItem;
    const escaped = item.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const exact = new RegExp('^\\s*' + escaped + '\\s*$');
    let row = this.quickRows.filter({ has: this.page.locator('.label-name', { hasText: exact }) });
    if (item.description !== '') row = row.filter({ has: this.page.locator('.label-description', { hasText: item.description }) });
    await row.first().click({ timeout: 5000 });
    return item;
  }

  /** Types into the open quick input (QuickPick filter or InputBox), replacing its text; Enter when `submit`. */
  async typeInQuickInput(text: string, submit = false): Promise<void> {
    const box = this.quickInput.locator('.quick-input-box input');
    await box.waitFor({ state: 'visible' });
    await box.fill(text);
    if (submit) await box.press('Enter');
  }

  /** The open quick input's title, message (prompt or validation error) and value. */
  async quickInputTexts(): Promise<{ title: string; message: string; value: string }> {
    const q = this.quickInput;
    const text = async (sel: string): Promise<string> =>
      (
        (await q
          .locator(sel)
          .first()
          .textContent({ timeout: 500 })
          .catch(() => '')) ?? ''
      ).trim();
    return {
      title: await text('.quick-input-title'),
      message: await text('.quick-input-message'),
      value: await q
        .locator('.quick-input-box input')
        .inputValue({ timeout: 500 })
        .catch(() => ''),
    };
  }

  /**
   * Opens the quick input with `key`, types `text` and picks the item `match` accepts.
   * Retried: the workbench closes the quick input when focus moves (e.g. an editor that
   * is still opening), which a person would simply notice and redo.
   */
  private async quickInputPick(key: string, text: string, match: (i: QuickItem) => boolean, what: string): Promise<QuickItem> {
    let last: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.closeQuickInput();
        await this.page.keyboard.press(key);
        await this.typeInQuickInput(text);
        return await this.pickQuickItem(match, 10_000);
      } catch (e) {
        last = e;
      }
    }
    throw new Error(`could not pick ${what}: ${last instanceof Error ? last.message : String(last)}`);
  }

  /**
   * Runs a command from the Command Palette (F1) by its title as shown there, e.g.
   * `Handoff Journal: Reset Phase…` (category included; exact unless a RegExp).
   */
  async runCommand(title: string | RegExp): Promise<void> {
    const text = typeof title === 'string' ? title : title.source.replace(/[\\^$.*+?()[\]{}|]/g, ' ').trim();
    const match = (i: QuickItem): boolean => (typeof title === 'string' ? i.label === title : title.test(i.label));
    await this.quickInputPick('F1', `>${text}`, match, `the command ${String(title)}`);
  }

  /** Quick Open (Ctrl+P) a workspace-relative path; waits until its editor is open and settled. */
  async quickOpen(relPath: string): Promise<void> {
    const name = relPath.split('/').pop() as string;
    const dir = relPath.split('/').slice(0, -1).join('/');
    const match = (i: QuickItem): boolean => i.label === name && i.description.includes(dir);
    await this.quickInputPick(isMac ? 'Meta+P' : 'Control+P', relPath, match, `${relPath} in Quick Open`);
    await editor.waitForEditorSettled(this.page, name);
  }

  // ---- Explorer ----

  // ---- the Explorer (see explorer.ts) ----
  explorerRows = (): ReturnType<typeof explorer.explorerRows> => explorer.explorerRows(this.page);
  /** Shows the Explorer and expands the folders of `relPath` with clicks; returns the row of its last part. */
  revealInExplorer = (relPath: string): Promise<Locator> => explorer.revealInExplorer(this.page, (t) => this.runCommand(t), relPath);
  /** Opens `a/b/file` from the Explorer like a person (double-click; `double: false` single-clicks). */
  openInExplorer = (relPath: string, opts: { double?: boolean } = {}): Promise<void> =>
    explorer.openInExplorer(this.page, (t) => this.runCommand(t), relPath, opts);
  contextMenu = (target: Locator, item: string | RegExp): Promise<string[]> => explorer.contextMenu(this.page, target, item);
  /** Right-clicks `relPath` in the Explorer and chooses `item`, e.g. `Open Decoded View`. */
  explorerContextMenu = (relPath: string, item: string | RegExp): Promise<string[]> =>
    explorer.explorerContextMenu(this.page, (t) => this.runCommand(t), relPath, item);

  // ---- editors (see editor.ts) ----
  editorTabs = (): Promise<editor.Tabs> => editor.editorTabs(this.page);
  editorVisibleLines = (): Promise<editor.Line[]> => editor.editorVisibleLines(this.page);
  editorText = (): Promise<string> => editor.editorText(this.page);
  editorFullText = (): Promise<string> => editor.editorFullText(this.page);
  cutLines = (): Promise<string[]> => editor.cutLines(this.page);
  waitForEditorSettled = (name?: string, timeoutMs?: number): Promise<void> => editor.waitForEditorSettled(this.page, name, timeoutMs);
  waitForEditorText = (pattern: RegExp | string, timeoutMs?: number): Promise<string> =>
    editor.waitForEditorText(this.page, pattern, timeoutMs);

  // ---- panels (see panels.ts) ----
  problems = (): Promise<panels.ProblemRow[]> => panels.problems(this.page);
  waitForProblems = (pred: (rows: panels.ProblemRow[]) => boolean, what: string, timeoutMs?: number): Promise<panels.ProblemRow[]> =>
    waitFor(() => this.problems(), what, timeoutMs, pred);
  notifications = (): Promise<panels.Toast[]> => panels.notifications(this.page);
  notificationCenter = (): Promise<panels.Toast[]> => panels.notificationCenter(this.page);
  waitForNotification = (pattern: RegExp | string, timeoutMs?: number): Promise<panels.Toast> =>
    panels.waitForNotification(this.page, pattern, timeoutMs);
  clickNotificationButton = (pattern: RegExp | string, button: RegExp | string, timeoutMs?: number): Promise<panels.Toast> =>
    panels.clickNotificationButton(this.page, pattern, button, timeoutMs);
  clearNotifications = (): Promise<void> => panels.clearNotifications(this.page);
  dialog = (): Promise<panels.Dialog | undefined> => panels.dialog(this.page);
  answerDialog = (button: RegExp | string, timeoutMs?: number): Promise<panels.Dialog> => panels.answerDialog(this.page, button, timeoutMs);
  statusBarItems = (): Promise<string[]> => panels.statusBarItems(this.page);
  codeLenses = (): Promise<string[]> => panels.codeLenses(this.page);
  clickCodeLens = (text: RegExp | string, timeoutMs?: number): Promise<void> => panels.clickCodeLens(this.page, text, timeoutMs);
  hoverAt = (text: string, timeoutMs?: number): Promise<string> => panels.hoverAt(this.page, text, timeoutMs);
  viewRows = (viewTitle: string): Promise<panels.TreeRow[]> => panels.viewRows(this.page, viewTitle);
  viewRow = (viewTitle: string, label: string | RegExp, timeoutMs?: number): Promise<Locator> =>
    panels.viewRow(this.page, viewTitle, label, timeoutMs);
}
