/**
 * The Explorer as a person uses it: its rows, expanding folders with clicks, opening a
 * file with a double-click, and context menus. Used through the `Workbench` (browser.ts).
 */
import type { Locator, Page } from 'playwright-core';
import * as editor from './editor';
import { waitFor, type El } from './wait';

/** Visible Explorer rows: name, depth (1 = top level), expanded (undefined for files). */
export async function explorerRows(page: Page): Promise<{ name: string; level: number; expanded: boolean | undefined }[]> {
  return page.locator('.explorer-folders-view .monaco-list-row').evaluateAll((rows: El[]) =>
    rows.map((r) => {
      const e = r.getAttribute('aria-expanded');
      return {
        name: r.getAttribute('aria-label') ?? '',
        level: Number(r.getAttribute('aria-level')),
        expanded: e === null ? undefined : e === 'true',
      };
    }),
  );
}

/** Shows the Explorer and expands the folders of `relPath` with clicks; returns the row of its last part. */
export async function revealInExplorer(page: Page, runCommand: (title: string) => Promise<void>, relPath: string): Promise<Locator> {
  if (!(await page.locator('.explorer-folders-view').isVisible())) await runCommand('View: Show Explorer');
  const parts = relPath.split('/');
  let row: Locator | undefined;
  let parent = -1;
  for (let level = 1; level <= parts.length; level++) {
    const name = parts[level - 1] as string;
    // Several rows can share a name (services/kv/state.bin, services/web/state.bin): take
    // the one inside the parent's subtree, i.e. before the next row at the parent's level.
    const index = await waitFor(
      () =>
        page.locator('.explorer-folders-view .monaco-list-row').evaluateAll(
          (rows: El[], a: { parent: number; level: number; name: string }) => {
            const all = rows
              .map((r) => ({
                i: Number(r.getAttribute('data-index')),
                l: Number(r.getAttribute('aria-level')),
                n: r.getAttribute('aria-label'),
              }))
              .sort((x, y) => x.i - y.i);
            for (const r of all) {
              if (r.i <= a.parent) continue;
              if (a.parent >= 0 && r.l < a.level) return -1;
              if (r.l === a.level && r.n === a.name) return r.i;
            }
            return -1;
          },
          { parent, level, name },
        ),
      `${parts.slice(0, level).join('/')} in the Explorer`,
      15_000,
      (i) => i >= 0,
    );
    parent = index;
    row = page.locator(`.explorer-folders-view .monaco-list-row[data-index="${index}"]`);
    if (level < parts.length) {
      const r = row;
      if ((await r.getAttribute('aria-expanded')) !== 'true') await r.click();
      await waitFor(async () => (await r.getAttribute('aria-expanded')) === 'true', `${name} to expand`);
    }
  }
  return row as Locator;
}

/**
 * Opens `a/b/file` from the Explorer like a person: expands each folder with a click,
 * then double-clicks the file (a pinned editor); `double: false` single-clicks (preview).
 * Needs `explorer.compactFolders: false` (the harness sets it) so each folder is a row.
 */
export async function openInExplorer(
  page: Page,
  runCommand: (title: string) => Promise<void>,
  relPath: string,
  opts: { double?: boolean } = {},
): Promise<void> {
  const row = await revealInExplorer(page, runCommand, relPath);
  if (opts.double === false) await row.click();
  else await row.dblclick();
  await editor.waitForEditorSettled(page, relPath.split('/').pop());
}

/** Right-clicks `target` and chooses `item` (exact label, or RegExp) from the context menu. */
export async function contextMenu(page: Page, target: Locator, item: string | RegExp): Promise<string[]> {
  await target.click({ button: 'right' });
  const labels = page.locator('.monaco-menu .action-item .action-label:not(.separator)');
  const all = await waitFor(
    () => labels.evaluateAll((els: El[]) => els.map((e) => (e.textContent ?? '').trim())),
    'a context menu',
    10_000,
    (xs) => xs.length > 0,
  );
  const index = all.findIndex((l) => (typeof item === 'string' ? l === item : item.test(l)));
  if (index < 0) {
    await page.keyboard.press('Escape');
    throw new Error(`the context menu has no ${String(item)} (items: ${all.join(', ')})`);
  }
  // A click that lands while the menu is still being laid out only highlights the item
  // (seen on a slower machine): click again while the menu stays open.
  for (let attempt = 1; ; attempt++) {
    await labels.nth(index).click();
    const closed = await waitFor(async () => (await labels.count()) === 0, 'the context menu to close', 3000).then(
      () => true,
      () => false,
    );
    if (closed) break;
    if (attempt === 3) throw new Error(`the context menu stayed open after choosing ${String(item)} three times`);
  }
  return all;
}

/** Right-clicks `relPath` in the Explorer and chooses `item`, e.g. `Open Decoded View`. */
export async function explorerContextMenu(
  page: Page,
  runCommand: (title: string) => Promise<void>,
  relPath: string,
  item: string | RegExp,
): Promise<string[]> {
  return contextMenu(page, await revealInExplorer(page, runCommand, relPath), item);
}
