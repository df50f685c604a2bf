/** The Handoff Journals view lists the fixture services with their phases. */
import assert from 'node:assert/strict';
import type { Scenario } from '../harness';
import { waitFor } from '../wait';

export const scenario: Scenario = {
  name: 'journals-view',
  async run(ctx) {
    const { wb } = ctx;
    const rows = await ctx.step('the view lists kv, web and broken', () =>
      waitFor(
        async () => wb.viewRows('Handoff Journals'),
        'Handoff Journals rows',
        30_000,
        (rs) =>
          ['kv', 'web', 'broken'].every((n) => rs.some((r) => r.label === n)) &&
          /Sealing/.test(rs.find((r) => r.label === 'kv')?.description ?? ''),
      ),
    );
    const by = Object.fromEntries(rows.map((r) => [r.label, r.description]));
    assert.match(by.kv ?? '', /Sealing/);
    assert.match(by.web ?? '', /Committed/);
    assert.match(by.broken ?? '', /undecodable/);
    await ctx.screenshot('journals-view');
    await ctx.step('clicking a row opens the decoded view', async () => {
      await (await wb.viewRow('Handoff Journals', 'web')).click();
      await wb.waitForEditorText(/phase +Committed/);
    });
  },
};
