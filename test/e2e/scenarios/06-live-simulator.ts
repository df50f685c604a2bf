/**
 * The simulator plays a happy handoff while the view is open: the view follows every
 * phase live; then a buggy writer's illegal transition raises its diagnostic.
 */
import assert from 'node:assert/strict';
import type { Scenario } from '../harness';
import { journal } from '../workspace';

export const scenario: Scenario = {
  name: 'live-updates',
  async run(ctx) {
    const { wb } = ctx;
    await ctx.writeJournal('live', journal('Committed'));
    await wb.openInExplorer('services/live/state.bin');
    await wb.waitForEditorText(/phase +Committed/);
    const seen: string[] = [];
    await ctx.step('a happy handoff: the view follows each phase', () =>
      ctx.simulate('happy', {
        stepMs: 50,
        onStep: async (s) => {
          const want = s.state === null ? /no journal: no handoff in flight/ : new RegExp(`phase +${s.state} `);
          await wb.waitForEditorText(want, 20_000);
          seen.push(s.state ?? 'deleted');
        },
      }),
    );
    assert.deepEqual(seen, ['Negotiating', 'Draining', 'Sealing', 'AwaitingReady', 'Committed', 'deleted']);
    await ctx.step('a buggy writer moves backward: HJ071 appears', async () => {
      await ctx.simulate('illegal', {
        stepMs: 50,
        // Wait for each write to be seen, so the watcher cannot coalesce the backward step away.
        onStep: async (s) => void (await wb.waitForEditorText(new RegExp(`phase +${s.state} `), 20_000)),
      });
      await wb.problems();
      // The Problems list is virtualised: filter it to the code so the row is rendered.
      const filter = ctx.page.getByPlaceholder(/^Filter \(e\.g\. text/).first();
      await filter.fill('HJ071');
      await wb.waitForProblems((ps) => ps.some((p) => /HJ071/.test(`${p.code} ${p.message}`)), 'HJ071 in Problems', 30_000);
      await ctx.screenshot('illegal-transition-problems');
      await filter.fill('');
    });
    const text = await wb.editorFullText();
    assert.match(text, /ERROR AwaitingReady -> Draining moves backward/);
    await ctx.screenshot('illegal-transition');
  },
};
