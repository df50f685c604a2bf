/**
 * Double-clicking state.bin in the Explorer opens the decoded read-only view directly:
 * the fields are shown, there is no "binary file" prompt and no extra tab.
 */
import assert from 'node:assert/strict';
import type { Scenario } from '../harness';
import { settle } from '../wait';

export const scenario: Scenario = {
  name: 'open-decoded',
  async run(ctx) {
    const { wb, page } = ctx;
    await ctx.step('double-click services/kv/state.bin in the Explorer', () => wb.openInExplorer('services/kv/state.bin'));
    const text = await ctx.step('the decoded view shows the fields', () => wb.waitForEditorText(/phase +Sealing/));
    assert.match(text, /handoff_id +5b850ada-a2d1-473b-b929-a2cf15fd872c/);
    assert.match(text, /encoding +postcard, \d+ bytes/);
    await ctx.step('no binary-file prompt and exactly one tab, the decoded one', async () => {
      const body = (await page.locator('.monaco-workbench').innerText()).toLowerCase();
      assert.doesNotMatch(body, /binary or uses an unsupported text encoding/);
      // The redirecting custom editor closes its own tab a moment after the decoded one opens.
      const tabs = await settle(
        () => wb.editorTabs(),
        (t) => t.tabs.length === 1,
        10_000,
      );
      assert.equal(tabs.tabs.length, 1, `tabs: ${JSON.stringify(tabs.tabs)}`);
      assert.match(tabs.active, /^state\.bin \(decoded\)/, 'the tab says it is the decoded view');
    });
    await ctx.step('the view is the handoff-journal language', async () => {
      const items = await settle(
        () => wb.statusBarItems(),
        (xs) => xs.some((i) => /Handoff Journal/.test(i)),
        10_000,
      );
      assert.ok(
        items.some((i) => /Handoff Journal/.test(i)),
        `status bar: ${items.join(' | ')}`,
      );
    });
    await ctx.step('at 1400×900 with the Explorer open, no line of the view is cut (it wraps)', async () => {
      const viewport = ctx.page.viewportSize();
      assert.deepEqual([viewport?.width, viewport?.height], [1400, 900]);
      assert.ok(await ctx.page.locator('.explorer-folders-view').isVisible(), 'the Explorer is open');
      const cut = await settle(
        () => wb.cutLines(),
        (c) => c.length === 0,
        10_000,
      );
      assert.deepEqual(cut, [], 'lines that run off the right edge');
    });
    await ctx.screenshot('decoded-view');
  },
};
