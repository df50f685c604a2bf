/**
 * A journal under a directory named like a command link: the notification that names
 * its path shows the name literally and offers no link (VS Code would otherwise make
 * `[label](command:…)` in a notification a live link, and one click would type into a
 * terminal).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../harness';
import { journal } from '../workspace';

const LINK_DIR = '[Click here to repair](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%5Cn%22%7D)';

export const scenario: Scenario = {
  name: 'hostile-name',
  async run(ctx) {
    const { wb } = ctx;
    const path = await ctx.writeJournal(LINK_DIR, journal('Committed'));
    await ctx.step('Open Journal at Path… with the link-named directory', async () => {
      await wb.runCommand('Handoff Journal: Open Journal at Path…');
      await wb.typeInQuickInput(path, true);
      await wb.waitForEditorText(/phase +Committed/);
    });
    await ctx.step('Delete Journal… and confirm', async () => {
      await wb.runCommand('Handoff Journal: Delete Journal…');
      await wb.answerDialog('Delete');
    });
    const toast = await ctx.step('the notification names the directory literally, with no link', () =>
      wb.waitForNotification(/deleted .*Click here to repair/),
    );
    assert.deepEqual(toast.links, [], 'no link in the notification');
    assert.ok(toast.message.replace(/\u200b/g, '').includes(LINK_DIR), toast.message);
    assert.equal(existsSync(path), false);
    assert.equal(existsSync(join(ctx.workspace, 'services')), true);
    await ctx.screenshot('literal-name');
  },
};
