/**
 * The integrated terminal as a person uses it: open a new one, find one by its name in the
 * terminal tabs list, focus it, type (a command, a password) and read what it shows.
 *
 * Reading: with GPU acceleration off, xterm.js draws with its DOM renderer, one
 * `.xterm-rows > div` per screen row, so the text on screen is in the page (the WebGL
 * renderer would draw on a canvas). Only the rows on screen are there: a check on long
 * output is better made on a file that the typed command writes and the test reads as root.
 */
import type { Locator, Page } from 'playwright-core';
import { waitFor, type El } from './wait';

/** Session settings the helpers rely on. */
export const TERMINAL_SETTINGS: Record<string, unknown> = {
  // The tabs list, even for a single terminal: terminals are found by their name there.
  'terminal.integrated.tabs.hideCondition': 'never',
  // xterm's DOM renderer: the rows are text in the page (see above).
  'terminal.integrated.gpuAcceleration': 'off',
};

/** A shell prompt drawn at the end of a row (`user@host:dir$ `, `# ` for root). */
export const PROMPT = /[$#] ?$/;

export interface TerminalTab {
  /** As in the tabs list, e.g. `bash` or `Handoff Journal (sudo)`. */
  name: string;
  active: boolean;
  /** e.g. `Terminal 2 Handoff Journal (sudo)`. */
  ariaLabel: string;
}

const matches = (pattern: RegExp | string, text: string): boolean => (typeof pattern === 'string' ? text === pattern : pattern.test(text));

function tabRows(page: Page): Locator {
  return page.locator('.tabs-list .monaco-list-row').filter({ has: page.locator('.terminal-tabs-entry') });
}

/** The terminals in the tabs list, top to bottom ([] when the panel shows none). */
export async function terminals(page: Page): Promise<TerminalTab[]> {
  return tabRows(page).evaluateAll((rows: El[]) =>
    rows.map((r) => ({
      name: (r.querySelector('.label-name')?.textContent ?? '').trim(),
      active: r.querySelector('.terminal-tabs-entry')?.classList.contains('is-active') ?? false,
      ariaLabel: r.getAttribute('aria-label') ?? '',
    })),
  );
}

/** The active terminal's xterm element. */
function activeXterm(page: Page): Locator {
  return page.locator('.terminal-wrapper.active .xterm').first();
}

/** The rows the active terminal shows, top to bottom, trailing blank rows dropped. */
export async function terminalRows(page: Page): Promise<string[]> {
  const rows = await activeXterm(page)
    .locator('.xterm-rows > div')
    .evaluateAll((els: El[]) => els.map((e) => (e.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()));
  while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
  return rows;
}

/** What the active terminal shows, rows joined with newlines. */
export async function terminalText(page: Page): Promise<string> {
  return (await terminalRows(page)).join('\n');
}

/**
 * Waits until the active terminal shows `pattern`. A long line wraps onto several rows, so
 * the text is tried both as rows and with the rows joined without newlines.
 */
export async function waitForTerminalText(page: Page, pattern: RegExp | string, timeoutMs = 15_000): Promise<string> {
  const ok = (t: string): boolean =>
    [t, t.replace(/\n/g, '')].some((x) => (typeof pattern === 'string' ? x.includes(pattern) : pattern.test(x)));
  return waitFor(() => terminalText(page), `the terminal to show ${String(pattern)}`, timeoutMs, ok);
}

/** Waits until the active terminal's last row ends with a prompt (the shell is ready for input). */
export async function waitForPrompt(page: Page, timeoutMs = 20_000): Promise<string> {
  const rows = await waitFor(
    () => terminalRows(page),
    'a shell prompt in the terminal',
    timeoutMs,
    (r) => PROMPT.test(r.at(-1) ?? ''),
  );
  return rows.at(-1) as string;
}

/** Waits for a terminal whose name matches (exact string or RegExp), e.g. one an extension opened. */
export async function waitForTerminal(page: Page, name: RegExp | string, timeoutMs = 15_000): Promise<TerminalTab> {
  const tabs = await waitFor(
    () => terminals(page),
    `a terminal named ${String(name)}`,
    timeoutMs,
    (ts) => ts.some((t) => matches(name, t.name)),
  );
  return tabs.find((t) => matches(name, t.name)) as TerminalTab;
}

/** Gives the active terminal the keyboard focus (as a click into it would) and waits until it has it. */
async function focusActive(page: Page): Promise<void> {
  await page.locator('.terminal-wrapper.active .xterm-helper-textarea').first().focus();
  await waitFor(async () => (await activeXterm(page).getAttribute('class'))?.includes('focus'), 'the terminal to take the focus', 5000);
}

/** Clicks the terminal's entry in the tabs list, then focuses it. */
export async function focusTerminal(page: Page, name: RegExp | string, timeoutMs = 15_000): Promise<TerminalTab> {
  const tabs = await waitFor(
    () => terminals(page),
    `a terminal named ${String(name)}`,
    timeoutMs,
    (ts) => ts.some((t) => matches(name, t.name)),
  );
  const index = tabs.findIndex((t) => matches(name, t.name));
  await tabRows(page).nth(index).click();
  await waitFor(async () => (await terminals(page))[index]?.active === true, `the terminal ${String(name)} to be active`, 5000);
  await focusActive(page);
  return (await terminals(page))[index] as TerminalTab;
}

/**
 * Types into the active terminal (Enter after it unless `enter: false`). Typing is what a
 * person does: a password typed at sudo's prompt is not echoed.
 */
export async function typeInTerminal(page: Page, text: string, opts: { enter?: boolean } = {}): Promise<void> {
  await focusActive(page);
  await page.keyboard.type(text);
  if (opts.enter !== false) await page.keyboard.press('Enter');
}

/**
 * Opens a new integrated terminal (Command Palette, "Terminal: Create New Terminal"),
 * waits until it is in the tabs list, active, and its shell has drawn a prompt.
 */
export async function newTerminal(page: Page, runCommand: (title: string) => Promise<void>, timeoutMs = 30_000): Promise<TerminalTab> {
  const before = (await terminals(page)).length;
  await runCommand('Terminal: Create New Terminal');
  const tabs = await waitFor(
    () => terminals(page),
    'a new terminal in the tabs list',
    timeoutMs,
    // The name is drawn a moment after the row.
    (ts) => ts.length > before && ts[ts.length - 1]?.active === true && ts[ts.length - 1]?.name !== '',
  );
  await waitForPrompt(page, timeoutMs);
  // The tab's name follows the foreground process: it can read `node` while the terminal
  // starts and the shell's name once the shell drew its prompt. Return it as it is now.
  const now = await terminals(page);
  return (now.length >= tabs.length ? now[tabs.length - 1] : tabs[tabs.length - 1]) as TerminalTab;
}

/** Waits for a prompt in the active terminal, types the command and Enter. */
export async function runInTerminal(page: Page, command: string, timeoutMs = 20_000): Promise<void> {
  await waitForPrompt(page, timeoutMs);
  await typeInTerminal(page, command);
}

/** Kills every terminal (between scenarios of a shared session); nothing to do when the tabs list is empty. */
export async function killAllTerminals(page: Page, runCommand: (title: string) => Promise<void>): Promise<void> {
  if ((await terminals(page)).length === 0) return;
  await runCommand('Terminal: Kill All Terminals');
  await waitFor(async () => (await terminals(page)).length === 0, 'every terminal to close', 10_000);
}

/** The helpers bound to a page: `wb.terminal` in a scenario. */
export class Terminals {
  constructor(
    private readonly page: Page,
    private readonly runCommand: (title: string) => Promise<void>,
  ) {}
  /** Opens a new terminal and waits for its prompt. */
  open = (timeoutMs?: number): Promise<TerminalTab> => newTerminal(this.page, this.runCommand, timeoutMs);
  /** The terminals in the tabs list. */
  list = (): Promise<TerminalTab[]> => terminals(this.page);
  /** Waits for a terminal named so (exact or RegExp), e.g. `Handoff Journal (sudo)`. */
  waitFor = (name: RegExp | string, timeoutMs?: number): Promise<TerminalTab> => waitForTerminal(this.page, name, timeoutMs);
  /** Makes the terminal named so active and focused. */
  focus = (name: RegExp | string, timeoutMs?: number): Promise<TerminalTab> => focusTerminal(this.page, name, timeoutMs);
  /** Types into the active terminal, then Enter unless `enter: false`. */
  type = (text: string, opts?: { enter?: boolean }): Promise<void> => typeInTerminal(this.page, text, opts);
  /** Waits for a prompt, then types the command and Enter. */
  run = (command: string, timeoutMs?: number): Promise<void> => runInTerminal(this.page, command, timeoutMs);
  /** The active terminal's rows on screen. */
  rows = (): Promise<string[]> => terminalRows(this.page);
  /** The active terminal's screen as text. */
  text = (): Promise<string> => terminalText(this.page);
  waitForText = (pattern: RegExp | string, timeoutMs?: number): Promise<string> => waitForTerminalText(this.page, pattern, timeoutMs);
  /** Waits until the active terminal's last row is a prompt; returns that row. */
  waitForPrompt = (timeoutMs?: number): Promise<string> => waitForPrompt(this.page, timeoutMs);
  killAll = (): Promise<void> => killAllTerminals(this.page, this.runCommand);
}
