/**
 * The first start: the Get Started with Handoff Journal walkthrough opens by itself with
 * the Handoff Journals view shown, and its first step's button opens a journal decoded.
 */
import assert from 'node:assert/strict';
import type { Scenario } from '../harness';
import { waitFor } from '../wait';

export const scenario: Scenario = {
  name: 'walkthrough',
  session: { settings: { 'handoffJournal.welcome.openWalkthrough': true } },
  async run(ctx) {
    const { wb, page } = ctx;
    const walkthrough = page.locator('.gettingStartedContainer');
    await ctx.step('the walkthrough opens on the first start', async () => {
      await walkthrough.getByText('Get Started with Handoff Journal').first().waitFor({ timeout: 30_000 });
      // The Handoff Journals view is shown, and fills with the workspace's journals.
      await waitFor(
        () => wb.viewRows('Handoff Journals'),
        'the Handoff Journals view with the workspace journals',
        30_000,
        (rows) => rows.some((r) => r.label === 'kv'),
      );
    });
    await ctx.step("the first step's button opens a journal decoded", async () => {
      // The step itself is a button whose name contains the words too: the exact name.
      await walkthrough.getByRole('button', { name: 'Open a Journal', exact: true }).click();
      await wb.waitForEditorText(/Handoff journal +\S*state\.bin/);
      const tabs = await waitFor(
        () => wb.editorTabs(),
        'a decoded tab',
        10_000,
        (t) => t.tabs.some((x) => /state\.bin \(decoded\)/.test(x)),
      );
      assert.ok(tabs.tabs.some((x) => /state\.bin \(decoded\)/.test(x)));
    });
    await ctx.step('back on the walkthrough', () => walkthrough.first().isVisible());
    await wb.page
      .getByRole('tab', { name: /Walkthrough|Welcome/ })
      .first()
      .click()
      .catch(() => undefined);
    await ctx.screenshot('walkthrough');
  },
};
