/**
 * As an unprivileged user (code-server runs as hjuser, as Remote-SSH would as the person)
 * a journal the root supervisor wrote (root's, 0644, in a 0755 folder) opens decoded from
 * Quick Open and from the Explorer: fields shown, no permission error, bytes untouched.
 */
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import type { Scenario } from '../harness';
import { ownerAndMode } from '../hostTree';
import { userCan } from '../hostUser';

const NO_ACCESS_ERROR = /permission denied|EACCES|EPERM|cannot read|unreadable/i;

export const scenario: Scenario = {
  name: 'user-open-journal',
  session: { user: 'unprivileged' },
  async run(ctx) {
    const { wb } = ctx;
    const user = ctx.user;
    assert.ok(user !== undefined && ctx.host !== undefined, 'an unprivileged session');
    const kv = ctx.journalPath('kv');
    await ctx.step("the journal is root's: 0644 in a 0755 folder, readable but not writable by the user", async () => {
      assert.deepEqual(pick(ownerAndMode(kv)), { owner: 'root', mode: 0o644 });
      assert.deepEqual(pick(ownerAndMode(dirname(kv))), { owner: 'root', mode: 0o755 });
      assert.equal(userCan(user, 'r', kv), true);
      assert.equal(userCan(user, 'w', kv), false);
      assert.equal(userCan(user, 'w', dirname(kv)), false);
    });
    const before = await ctx.readJournalBytes('kv');
    await ctx.step('Quick Open kv/state.bin', () => wb.quickOpen('kv/state.bin'));
    const text = await ctx.step('the decoded view shows the fields', () => wb.waitForEditorText(/phase +Sealing/));
    assert.match(text, /handoff_id +5b850ada-a2d1-473b-b929-a2cf15fd872c/);
    assert.match(text, /encoding +postcard, \d+ bytes/);
    assert.doesNotMatch(text, NO_ACCESS_ERROR);
    await ctx.screenshot('kv-as-user');
    await ctx.step('double-click web/state.bin in the Explorer', () => wb.openInExplorer('web/state.bin'));
    const web = await wb.waitForEditorText(/phase +Committed/);
    assert.match(web, /handoff_id +9c1e4f27-0d3b-4a8e-b6f1-2a7c5d9e0b13/);
    assert.doesNotMatch(web, NO_ACCESS_ERROR);
    await ctx.step('no notification about access', async () => {
      const toasts = await wb.notificationCenter();
      assert.ok(!toasts.some((t) => NO_ACCESS_ERROR.test(t.message)), toasts.map((t) => t.message).join(' | '));
    });
    assert.deepEqual(await ctx.readJournalBytes('kv'), before, 'the journal on disk is unchanged');
    assert.deepEqual(pick(ownerAndMode(kv)), { owner: 'root', mode: 0o644 });
  },
};

const pick = (o: { owner: string; mode: number }): { owner: string; mode: number } => ({ owner: o.owner, mode: o.mode });
