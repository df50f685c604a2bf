/**
 * Opening time as a person sees it: from the double-click on an Explorer row to the
 * moment the editor shows the expected text. The page itself watches the editor (a
 * MutationObserver, timed with performance.now()), so polling from the test adds nothing.
 */
import type { Page } from 'playwright-core';
import type { Workbench } from './browser';

declare const window: { __hjDrawn?: number; __hjObserver?: { disconnect(): void } };
declare const document: {
  body: unknown;
  querySelectorAll(s: string): ArrayLike<{ textContent: string | null }>;
};
declare const MutationObserver: new (cb: () => void) => { observe(target: unknown, o: object): void; disconnect(): void };
declare const performance: { now(): number };

/** Milliseconds from the double-click on `relPath` to `expected` drawn in the active editor. */
export async function timeOpen(wb: Workbench, page: Page, relPath: string, expected: string): Promise<number> {
  const row = await wb.revealInExplorer(relPath);
  await page.evaluate((text: string) => {
    window.__hjDrawn = undefined;
    const check = (): void => {
      const lines = Array.from(document.querySelectorAll('.editor-group-container.active .view-lines'));
      if (lines.some((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ').includes(text))) {
        window.__hjDrawn = performance.now();
        window.__hjObserver?.disconnect();
      }
    };
    const o = new MutationObserver(check);
    window.__hjObserver = o;
    o.observe(document.body, { subtree: true, childList: true, characterData: true });
  }, expected);
  const start = await page.evaluate(() => performance.now());
  await row.dblclick();
  await page.waitForFunction(() => window.__hjDrawn !== undefined, undefined, { timeout: 30_000 });
  return ((await page.evaluate(() => window.__hjDrawn)) as number) - start;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}
