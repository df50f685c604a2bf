/** Delete Journal… with confirmation: the file is gone and the view says no handoff is in flight. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Scenario } from '../harness';

export const scenario: Scenario = {
  name: 'delete-journal',
  async run(ctx) {
    const { wb } = ctx;
    await wb.openInExplorer('services/web/state.bin');
    await wb.waitForEditorText(/phase +Committed/);
    await ctx.step('Delete Journal… and confirm', async () => {
      await wb.runCommand('Handoff Journal: Delete Journal…');
      const d = await wb.answerDialog('Delete');
      assert.match(d.message, /Delete the journal .*web\/state\.bin \(phase Committed\)/);
    });
    await ctx.step('the file is gone and the view says so', async () => {
      await wb.waitForEditorText(/no journal: no handoff in flight/);
      assert.equal(existsSync(ctx.journalPath('web')), false);
    });
    await ctx.screenshot('deleted');
  },
};
