/**
 * "Opened too early": a journal tab that VS Code shows as text when the extension
 * activates (e.g. the remote extension host was still starting when the tab opened, or
 * the tab was restored from the last session) is reopened as the decoded view.
 *
 * Reproduced without a timing race: the journal is opened as text on purpose ("Open
 * With… → Text Editor"), which the extension leaves alone while it runs (the user's
 * choice), then the window is reloaded. VS Code restores the tab as text before our
 * extension is active again, exactly the state a too-early open leaves behind.
 */
import assert from 'node:assert/strict';
import type { Scenario } from '../harness';
import { settle, waitFor } from '../wait';

const decodedTab = /^state\.bin \(decoded\)/;
const textTab = (label: string): boolean => /^state\.bin\b/.test(label) && !decodedTab.test(label);

export const scenario: Scenario = {
  name: 'reopen-at-activation',
  session: {},
  async run(ctx) {
    const { wb, page } = ctx;
    const reopenedLines = async (): Promise<number> =>
      ((await ctx.extensionLogTail(500)).match(/reopening .*kv\/state\.bin decoded \(it was shown as text\)/g) ?? []).length;
    await ctx.step('the extension is active (workspaceContains)', () =>
      waitFor(
        () => ctx.extensionLogTail(50),
        'the language server to start',
        60_000,
        (l) => /language server started/.test(l),
      ),
    );
    await ctx.step('Open With… → Text Editor shows the raw bytes as text', async () => {
      await wb.explorerContextMenu('services/kv/state.bin', /^Open With/);
      await wb.pickQuickItem(/^Text Editor/);
      const tabs = await waitFor(
        () => wb.editorTabs(),
        'a text tab of state.bin',
        15_000,
        (t) => textTab(t.active),
      );
      assert.ok(!tabs.tabs.some((t) => decodedTab.test(t)), `tabs: ${JSON.stringify(tabs.tabs)}`);
      await wb.runCommand('View: Keep Editor');
      // While the extension runs, a text tab of state.bin is the user's choice: left alone.
      assert.equal(await reopenedLines(), 0);
    });
    await ctx.screenshot('as-text');
    // Through the workbench's own reload, which saves the open editors first.
    const reload = async (): Promise<void> => {
      const reloaded = page.waitForEvent('load', { timeout: 60_000 });
      await wb.runCommand('Developer: Reload Window');
      await reloaded;
      await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    };
    await ctx.step('reload the window: the restored text tab is reopened decoded', async () => {
      await reload();
      await wb.waitForEditorText(/phase +Sealing/, 60_000);
      // The reopen closes the text tab after the decoded one is drawn: wait for that state.
      const tabs = await settle(
        () => wb.editorTabs(),
        (t) => decodedTab.test(t.active) && !t.tabs.some(textTab),
        45_000,
      );
      assert.match(tabs.active, decodedTab, `tabs: ${JSON.stringify(tabs.tabs)}`);
      assert.ok(!tabs.tabs.some(textTab), `a text tab is left: ${JSON.stringify(tabs.tabs)}`);
    });
    await ctx.step('the extension log says why', async () => {
      assert.equal(await waitFor(reopenedLines, 'the reopen log line', 10_000, (n) => n > 0), 1);
    });
    await ctx.screenshot('reopened');
    await ctx.step('reload again: the decoded tab itself is restored (its file system activates us)', async () => {
      await reload();
      await wb.waitForEditorText(/phase +Sealing/, 60_000);
      // Wait for the state (one decoded tab, active), never assert at a moment after the reload.
      const tabs = await settle(
        () => wb.editorTabs(),
        (t) => decodedTab.test(t.active) && t.tabs.filter((l) => /^state\.bin/.test(l)).length === 1,
        45_000,
      );
      assert.deepEqual(tabs.tabs.filter((t) => /^state\.bin/.test(t)).length, 1, `tabs: ${JSON.stringify(tabs.tabs)}`);
      assert.match(tabs.active, decodedTab);
      assert.equal(await reopenedLines(), 1, 'nothing needed reopening this time');
    });
  },
};
