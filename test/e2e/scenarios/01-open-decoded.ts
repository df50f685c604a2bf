/**
 * Double-clicking state.bin in the Explorer opens the decoded read-only view directly:
 * the fields are shown, there is no "binary file" prompt and no extra tab.
 */
import assert from 'node:assert/strict';
import type { Scenario } from '../harness';
import { waitFor } from '../wait';

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
      const tabs = await waitFor(
        () => wb.editorTabs(),
        'one tab',
        10_000,
        (t) => t.tabs.length === 1,
      ).catch(() => wb.editorTabs());
      assert.equal(tabs.tabs.length, 1, `tabs: ${JSON.stringify(tabs.tabs)}`);
      assert.match(tabs.active, /^state\.bin \(decoded\)/, 'the tab says it is the decoded view');
    });
    await ctx.step('the view is the handoff-journal language', async () => {
      const items = await waitFor(
        () => wb.statusBarItems(),
        'the language in the status bar',
        10_000,
        (xs) => xs.some((i) => /Handoff Journal/.test(i)),
      ).catch(() => wb.statusBarItems());
      assert.ok(
        items.some((i) => /Handoff Journal/.test(i)),
        `status bar: ${items.join(' | ')}`,
      );
    });
    await ctx.screenshot('decoded-view');
  },
};
