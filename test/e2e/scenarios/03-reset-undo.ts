/**
 * Reset Phase… from the Command Palette: pick a legal phase, confirm; the file on disk
 * decodes to that phase, the view and the status bar follow; Undo restores the exact bytes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Scenario } from '../harness';
import { settle, waitFor } from '../wait';

export const scenario: Scenario = {
  name: 'reset-and-undo',
  async run(ctx) {
    const { wb } = ctx;
    const before = readFileSync(ctx.journalPath('kv'));
    await wb.openInExplorer('services/kv/state.bin');
    await wb.waitForEditorText(/phase +Sealing/);
    await ctx.step('Command Palette: Reset Phase…', () => wb.runCommand('Handoff Journal: Reset Phase…'));
    await wb.pickQuickItem('Keep the handoff id and start time');
    const items = await waitFor(
      () => wb.quickItems(),
      'the phase list',
      15_000,
      (xs) => xs.some((i) => /Draining/.test(i.label)),
    );
    const back = items.find((i) => /Draining/.test(i.label));
    assert.match(back?.description ?? '', /illegal: backward/);
    await wb.pickQuickItem(/AwaitingReady/);
    const d = await ctx.step('confirm before -> after', () => wb.answerDialog('Reset'));
    assert.match(d.message, /Sealing -> AwaitingReady/);
    await ctx.step('the file on disk decodes to AwaitingReady', async () => {
      await wb.waitForEditorText(/phase +AwaitingReady/);
      const r = await ctx.readJournal('kv');
      assert.ok(r?.ok && r.journal.phase === 'AwaitingReady');
    });
    await ctx.step('the status bar follows', async () => {
      const items2 = await settle(
        () => wb.statusBarItems(),
        (xs) => xs.some((i) => /AwaitingReady/.test(i)),
        10_000,
      );
      assert.ok(
        items2.some((i) => /AwaitingReady/.test(i)),
        items2.join(' | '),
      );
    });
    await ctx.screenshot('after-reset');
    await ctx.step('Undo restores the original bytes exactly', async () => {
      await wb.clickNotificationButton(/-> AwaitingReady/, 'Undo');
      await wb.waitForEditorText(/phase +Sealing/);
      assert.deepEqual(readFileSync(ctx.journalPath('kv')), before);
    });
  },
};
