/** In Restricted Mode journals are shown and checked, but nothing changes them. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Scenario } from '../harness';
import { settle } from '../wait';

export const scenario: Scenario = {
  name: 'restricted-mode',
  session: { trust: 'restricted' },
  async run(ctx) {
    const { wb } = ctx;
    const before = readFileSync(ctx.journalPath('kv'));
    await wb.openInExplorer('services/kv/state.bin');
    await wb.waitForEditorText(/phase +Sealing/);
    await ctx.step('no lens offers a change', async () => {
      // Wait for the lenses to be drawn (the read-only ones), then check none offers a change.
      const lenses = await settle(
        () => wb.codeLenses(),
        (ls) => ls.some((l) => /Show raw bytes/.test(l)),
        15_000,
      );
      assert.ok(
        lenses.some((l) => /Show raw bytes/.test(l)),
        lenses.join(' | '),
      );
      assert.ok(!lenses.some((l) => /Reset phase|Delete journal/.test(l)), lenses.join(' | '));
    });
    await ctx.step('the Command Palette offers no reset or delete', async () => {
      await ctx.page.keyboard.press('F1');
      await wb.typeInQuickInput('>Handoff Journal: ');
      const labels = (
        await settle(
          () => wb.quickItems(),
          (xs) => xs.some((i) => /Show Raw Bytes/.test(i.label)),
          15_000,
        )
      ).map((i) => i.label);
      assert.ok(
        labels.some((l) => /Show Raw Bytes/.test(l)),
        labels.join(' | '),
      );
      assert.ok(!labels.some((l) => /Reset Phase|Delete Journal|Undo Last Change/.test(l)), labels.join(' | '));
      await wb.closeQuickInput();
    });
    assert.deepEqual(readFileSync(ctx.journalPath('kv')), before);
    await ctx.screenshot('restricted');
  },
};
