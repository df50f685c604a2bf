/**
 * As an unprivileged user: Delete Journal… → permission denied → Retry as Sudo… with a
 * wrong password typed three times: sudo's own failure is reported plainly, and the
 * journal is unchanged.
 */
import assert from 'node:assert/strict';
import type { Scenario } from '../harness';

export const scenario: Scenario = {
  name: 'user-wrong-password',
  session: { user: 'unprivileged' },
  async run(ctx) {
    const { wb } = ctx;
    assert.ok(ctx.user !== undefined, 'an unprivileged session');
    const before = await ctx.readJournalBytes('web');
    await ctx.step('open web decoded and Delete Journal…', async () => {
      await wb.quickOpen('web/state.bin');
      await wb.waitForEditorText(/phase +Committed/);
      await wb.runCommand('Handoff Journal: Delete Journal…');
      await wb.answerDialog('Delete');
      await wb.clickNotificationButton(/permission denied/, 'Retry as Sudo…');
    });
    await ctx.step('a wrong password, three times', async () => {
      await wb.terminal.waitFor('Handoff Journal (sudo)');
      for (let i = 1; i <= 3; i++) {
        await wb.terminal.waitForText(new RegExp(`(\\[sudo\\] password for [^\\n]*){${i}}`, 's'));
        await wb.terminal.type('not-the-password');
      }
      await wb.terminal.waitForText(/\[exit 1\]/);
    });
    await ctx.step('sudo says why, and nothing changed', async () => {
      const toast = await wb.waitForNotification(/sudo failed: .*incorrect password/);
      assert.match(toast.message, /Nothing was changed/);
      assert.deepEqual(await ctx.readJournalBytes('web'), before);
    });
    await ctx.screenshot('wrong-password');
  },
};
