/**
 * As an unprivileged user on root's journals: Reset Phase… is refused for permission and
 * offers Retry as Sudo…; that opens the "Handoff Journal (sudo)" terminal running the
 * bundled CLI with the VS Code server's Node; the password typed there makes the change
 * (the journal on disk has the new phase and the view shows it). Undo Last Change then
 * restores the exact bytes, again through sudo.
 */
import assert from 'node:assert/strict';
import type { Scenario } from '../harness';

export const scenario: Scenario = {
  name: 'user-retry-as-sudo',
  session: { user: 'unprivileged' },
  async run(ctx) {
    const { wb } = ctx;
    const user = ctx.user;
    assert.ok(user !== undefined, 'an unprivileged session');
    const original = await ctx.readJournalBytes('kv');
    await ctx.step('open kv decoded (Sealing)', async () => {
      await wb.quickOpen('kv/state.bin');
      await wb.waitForEditorText(/phase +Sealing/);
    });
    await ctx.step('Reset Phase… → AwaitingReady → Reset', async () => {
      await wb.runCommand('Handoff Journal: Reset Phase…');
      await wb.pickQuickItem(/Keep the handoff id and start time/);
      await wb.pickQuickItem(/AwaitingReady/);
      await wb.answerDialog('Reset');
    });
    await ctx.step('permission denied, with Retry as Sudo…', async () => {
      const toast = await wb.waitForNotification(/permission denied/);
      assert.ok(toast.buttons.includes('Retry as Sudo…'), toast.buttons.join(', '));
      assert.match(toast.message, new RegExp(`you are ${user.name}`));
      await wb.clickNotificationButton(/permission denied/, 'Retry as Sudo…');
    });
    await ctx.step('the sudo terminal runs the bundled CLI; the password is typed there', async () => {
      await wb.terminal.waitFor('Handoff Journal (sudo)');
      const text = await wb.terminal.waitForText(/\[sudo\] password for/);
      // The terminal wraps long lines (a space at a wrap is lost): compare without white space.
      const flat = text.replace(/\s+/g, '');
      assert.match(flat, /\$sudo--\/\S*\/node\/\S*\/dist\/cli\.jsreset\/\S*kv\/state\.bin--phaseAwaitingReady/);
      await wb.terminal.type(user.password);
      await wb.terminal.waitForText(/\[exit 0\]/);
    });
    await ctx.step('the journal on disk has the new phase, and the view shows it', async () => {
      await wb.waitForNotification(/Sealing .* -> AwaitingReady .*\(as root\)/);
      const d = await ctx.readJournal('kv');
      assert.ok(d?.ok && d.journal.phase === 'AwaitingReady');
      await wb.waitForEditorText(/phase +AwaitingReady/);
    });
    await ctx.screenshot('sudo-terminal');
    await ctx.step('Undo Last Change: refused for permission, retried through sudo, the exact bytes are back', async () => {
      await wb.runCommand('Handoff Journal: Undo Last Change');
      await wb.clickNotificationButton(/permission denied/, 'Retry as Sudo…');
      // sudo remembers the password for a while: type it only if it asks again.
      const text = await wb.terminal.waitForText(/cli\.js restore [^]*?(\[sudo\] password for [^\n]*\s*$|\[exit \d+\])/);
      if (/cli\.js restore [^]*\[sudo\] password for [^\n]*\s*$/.test(text)) await wb.terminal.type(user.password);
      await wb.waitForNotification(/undo: restored the previous \d+ bytes .*\(as root\)/);
      assert.deepEqual(await ctx.readJournalBytes('kv'), original);
      await wb.waitForEditorText(/phase +Sealing/);
    });
  },
};
