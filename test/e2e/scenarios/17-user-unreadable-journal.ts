/**
 * As an unprivileged user, a journal in a folder only root may enter (0700, as on some
 * hosts) cannot be read: the view says so plainly (permission denied, who owns the folder
 * and its mode, who the user is) and shows no fields; the journal on disk is untouched.
 */
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import type { Scenario } from '../harness';
import { ownerAndMode, SEALED_SERVICE } from '../hostTree';
import { userCan } from '../hostUser';

export const scenario: Scenario = {
  name: 'user-unreadable-journal',
  session: { user: 'unprivileged' },
  async run(ctx) {
    const { wb } = ctx;
    const user = ctx.user;
    assert.ok(user !== undefined, 'an unprivileged session');
    const path = ctx.journalPath(SEALED_SERVICE);
    await ctx.step("the folder is root's 0700: the user cannot read the journal", async () => {
      const dir = ownerAndMode(dirname(path));
      assert.deepEqual([dir.owner, dir.mode], ['root', 0o700]);
      assert.equal(userCan(user, 'r', path), false);
    });
    const before = await ctx.readJournalBytes(SEALED_SERVICE);
    await ctx.step('Open Journal at Path… with its path', async () => {
      await wb.runCommand('Handoff Journal: Open Journal at Path…');
      await wb.typeInQuickInput(path, true);
    });
    const text = await ctx.step('the view says it cannot be read', () => wb.waitForEditorText(/permission denied/i));
    // Plainly: what failed, who shuts the user out, and who the user is (extend as the view says more).
    const says = [
      /permission denied reading \S*\/vault\/state\.bin/,
      /owned by root with mode 0700/,
      new RegExp(`you are ${user.name} \\(uid ${user.uid}\\)`),
    ];
    const flat = text.replace(/\n/g, ' ');
    for (const re of says) assert.match(flat, re);
    assert.doesNotMatch(text, /phase +\w/, 'no fields are shown');
    await ctx.screenshot('unreadable');
    await ctx.step('Show with sudo in Terminal shows it, after the password', async () => {
      await wb.clickCodeLens('Show with sudo in Terminal');
      await wb.terminal.waitFor('Handoff Journal (sudo)');
      await wb.terminal.waitForText(/\[sudo\] password for/);
      await wb.terminal.type(user.password);
      // The report scrolls by: its last lines (the findings) and the exit code show it ran as root.
      await wb.terminal.waitForText(/HJ041 +Committed is still on disk[^]*\[exit 0\]/);
    });
    assert.deepEqual(await ctx.readJournalBytes(SEALED_SERVICE), before, 'the journal on disk is unchanged');
    const r = await ctx.readJournal(SEALED_SERVICE);
    assert.ok(r?.ok === true && r.journal.phase === 'Committed', 'root still reads the journal');
  },
};
