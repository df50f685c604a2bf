/** A corrupt journal shows its error diagnostic with the byte offset; hovering the phase explains it. */
import assert from 'node:assert/strict';
import type { Scenario } from '../harness';

export const scenario: Scenario = {
  name: 'corrupt-journal',
  async run(ctx) {
    const { wb } = ctx;
    await ctx.step('Quick Open services/broken/state.bin', () => wb.quickOpen('services/broken/state.bin'));
    await wb.waitForEditorText(/truncated at byte 20/);
    const rows = await ctx.step('the Problems panel lists HJ001 with the byte offset', () =>
      wb.waitForProblems((ps) => ps.some((p) => p.kind === 'error' && /HJ001/.test(`${p.code} ${p.message}`)), 'HJ001 in Problems'),
    );
    const hj001 = rows.find((p) => /HJ001/.test(`${p.code} ${p.message}`));
    assert.match(hj001?.message ?? '', /truncated at byte 20 while reading `\w+`/);
    await ctx.screenshot('problems');
    const hover = await ctx.step('hover on the phase line explains the phase', () => wb.hoverAt('SealComplete'));
    assert.match(hover, /SealComplete/);
    assert.match(hover, /After a supervisor restart/);
    await ctx.screenshot('hover');
  },
};
