/**
 * Typing into the decoded view changes nothing, says why, and points at the commands
 * that do change a journal.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Scenario } from '../harness';
import { waitFor } from '../wait';

export const scenario: Scenario = {
  name: 'read-only-view',
  async run(ctx) {
    const { wb, page } = ctx;
    const before = readFileSync(ctx.journalPath('kv'));
    await wb.openInExplorer('services/kv/state.bin');
    await wb.waitForEditorText(/phase +Sealing/);
    const message = page.locator('.monaco-editor-overlaymessage');
    await ctx.step('type into the editor: the reason it is read-only is shown', async () => {
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.type('Committed garbage');
      const text = await waitFor(
        async () => ((await message.count()) > 0 ? await message.first().innerText() : ''),
        'the read-only message',
        10_000,
        (t) => t !== '',
      );
      assert.match(text, /decoded view of a binary handoff journal/);
      assert.match(text, /Reset Phase…/);
      assert.match(text, /Delete Journal…/);
    });
    await ctx.screenshot('read-only');
    await ctx.step('try to save: nothing changes', async () => {
      await page.keyboard.press('Control+S');
      const text = await wb.editorText();
      assert.doesNotMatch(text, /garbage/);
      assert.deepEqual(readFileSync(ctx.journalPath('kv')), before);
      const tabs = await wb.editorTabs();
      assert.doesNotMatch(tabs.active, /modified|unsaved/i, 'the view never becomes dirty');
    });
  },
};
