/** Typing into the decoded view changes nothing on disk. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Scenario } from '../harness';

export const scenario: Scenario = {
  name: 'read-only-view',
  async run(ctx) {
    const { wb, page } = ctx;
    const before = readFileSync(ctx.journalPath('kv'));
    await wb.openInExplorer('services/kv/state.bin');
    await wb.waitForEditorText(/phase +Sealing/);
    await ctx.step('type into the editor and try to save', async () => {
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.type('Committed garbage');
      await page.keyboard.press('Control+S');
    });
    const text = await wb.editorText();
    assert.doesNotMatch(text, /garbage/);
    assert.deepEqual(readFileSync(ctx.journalPath('kv')), before);
    await ctx.screenshot('read-only');
  },
};
