/**
 * Reading the active text editor as a person sees it. Monaco renders only the visible
 * lines (virtualised), so `editorText` is what is on screen and `editorFullText` scrolls.
 */
import type { Locator, Page } from 'playwright-core';
import { sleep, waitFor, type El } from './wait';

const isMac = process.platform === 'darwin';

export interface Tabs {
  /** aria-labels of all editor tabs. */
  tabs: string[];
  /** aria-label of the active tab of the active group ('' when none). */
  active: string;
}

export interface Line {
  /** 1-based line number (from the gutter). */
  line: number;
  text: string;
}

export async function editorTabs(page: Page): Promise<Tabs> {
  const tabs = await page
    .locator('.tabs-container .tab')
    .evaluateAll((ts: El[]) => ts.map((t) => t.getAttribute('aria-label') ?? t.textContent ?? ''));
  const active =
    (await page
      .locator('.editor-group-container.active .tabs-container .tab.active')
      .getAttribute('aria-label', { timeout: 1000 })
      .catch(() => '')) ?? '';
  return { tabs, active };
}

function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
}

/**
 * The visible lines of the active text editor, top to bottom. A line that word wrap
 * shows in several rows is joined back into one (only its first row has a line number);
 * rows of a line whose start is scrolled out of sight come first with `line` 0.
 */
export async function editorVisibleLines(page: Page): Promise<Line[]> {
  return activeEditor(page).evaluate(
    (ed: El) => {
      const top = (e: El): number => parseFloat(e.style.top || '0');
      const numbers = new Map<number, number>();
      for (const m of Array.from(ed.querySelectorAll('.margin-view-overlays > div'))) {
        const n = Number(m.querySelector('.line-numbers')?.textContent?.trim());
        if (Number.isFinite(n) && n > 0) numbers.set(top(m), n);
      }
      const rows = Array.from(ed.querySelectorAll('.view-lines .view-line'))
        .map((l) => ({ top: top(l), text: (l.textContent ?? '').replace(/\u00a0/g, ' ') }))
        .sort((a, b) => a.top - b.top);
      const lines: { line: number; text: string }[] = [];
      for (const r of rows) {
        const n = numbers.get(r.top);
        const last = lines[lines.length - 1];
        if (n === undefined && last) last.text += r.text.trimStart();
        else lines.push({ line: n ?? 0, text: r.text });
      }
      return lines;
    },
    undefined,
    { timeout: 10_000 },
  );
}

/** The visible text of the active editor. */
export async function editorText(page: Page): Promise<string> {
  return (await editorVisibleLines(page)).map((l) => l.text).join('\n');
}

/** The whole text of the active editor, scrolling through it with Ctrl+Home / PageDown (moves the cursor). */
export async function editorFullText(page: Page): Promise<string> {
  await activeEditor(page).click({ position: { x: 5, y: 5 } });
  await page.keyboard.press(isMac ? 'Meta+ArrowUp' : 'Control+Home');
  const lines = new Map<number, string>();
  for (let i = 0; i < 200; i++) {
    await sleep(100);
    const before = lines.size;
    for (const l of await editorVisibleLines(page)) if (l.line > 0) lines.set(l.line, l.text);
    if (i > 0 && lines.size === before) break;
    await page.keyboard.press('PageDown');
  }
  return [...lines.entries()]
    .sort((a, b) => a[0] - b[0])
    .map((e) => e[1])
    .join('\n');
}

/** Waits until the active editor's visible text contains `pattern` (or matches the RegExp). */
export async function waitForEditorText(page: Page, pattern: RegExp | string, timeoutMs = 15_000): Promise<string> {
  const ok = (t: string): boolean => (typeof pattern === 'string' ? t.includes(pattern) : pattern.test(t));
  return waitFor(() => editorText(page), `the editor to show ${String(pattern)}`, timeoutMs, ok);
}

/**
 * Waits until the active editor is a text editor showing text (named `name` when given)
 * and stays so for two polls in a row, with no webview on screen: opening `state.bin`
 * passes through a custom editor (a webview) that redirects to the decoded view, and
 * the focus change when it closes would close a Command Palette opened meanwhile.
 */
export async function waitForEditorSettled(page: Page, name?: string, timeoutMs = 20_000): Promise<void> {
  let previous = '';
  await waitFor(
    async () => {
      const { active } = await editorTabs(page);
      const webviews = await page.locator('iframe.webview:visible').count();
      const text = webviews === 0 && (name === undefined || active.startsWith(name)) ? await editorText(page).catch(() => '') : '';
      const state = text === '' ? '' : `${active}\n${text.split('\n')[0] ?? ''}`;
      const settled = state !== '' && state === previous;
      previous = state;
      if (!settled) await sleep(150);
      return settled;
    },
    `the editor${name === undefined ? '' : ` ${name}`} to open and settle`,
    timeoutMs,
  );
}

/**
 * Visible lines of the active editor whose text runs past its right edge (under the
 * minimap, or out of sight): the text of each, empty when every line fits.
 */
export async function cutLines(page: Page): Promise<string[]> {
  return activeEditor(page).evaluate((ed: El) => {
    const guard = ed.querySelector('.overflow-guard')?.getBoundingClientRect();
    const minimap = ed.querySelector('.minimap')?.getBoundingClientRect();
    const right = Math.min(guard?.right ?? Infinity, minimap && minimap.width > 0 ? minimap.left : Infinity);
    return Array.from(ed.querySelectorAll('.view-lines .view-line'))
      .filter((l) => {
        const spans = l.querySelectorAll('span > span');
        const last = spans[spans.length - 1];
        return last !== undefined && last.getBoundingClientRect().right > right + 1;
      })
      .map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' '));
  });
}
