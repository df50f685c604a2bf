/** An illegal reset is refused unless the user explicitly forces it. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Scenario } from '../harness';

export const scenario: Scenario = {
  name: 'illegal-reset-needs-force',
  async run(ctx) {
    const { wb } = ctx;
    const before = readFileSync(ctx.journalPath('kv'));
    await wb.openInExplorer('services/kv/state.bin');
    await wb.waitForEditorText(/phase +Sealing/);
    const pickDraining = async (): Promise<void> => {
      await wb.runCommand('Handoff Journal: Reset Phase…');
      await wb.pickQuickItem('Keep the handoff id and start time');
      await wb.pickQuickItem(/Draining/);
    };
    await ctx.step('Sealing -> Draining asks for Force; Cancel leaves the file alone', async () => {
      await pickDraining();
      const d = await wb.answerDialog(/Cancel/);
      assert.match(d.message, /refused/);
      assert.ok(
        d.buttons.some((b) => /Force/.test(b)),
        d.buttons.join(', '),
      );
      assert.deepEqual(readFileSync(ctx.journalPath('kv')), before);
    });
    await ctx.step('with Force it happens', async () => {
      await pickDraining();
      await wb.answerDialog('Force');
      await wb.waitForEditorText(/phase +Draining/);
      const r = await ctx.readJournal('kv');
      assert.ok(r?.ok && r.journal.phase === 'Draining');
    });
    await ctx.screenshot('forced');
  },
};
