/**
 * The state-machine diagram opened during a simulated swap: its highlighted phase follows
 * the file. Screenshots in the light and dark themes.
 */
import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import type { Scenario } from '../harness';
import { waitFor } from '../wait';
import { journal } from '../workspace';

/** The current phase as the diagram webview shows it (its highlighted node's label). */
async function highlighted(page: Page): Promise<string | undefined> {
  for (const f of page.frames()) {
    const label = await currentIn(f);
    if (label !== undefined) return label;
  }
  return undefined;
}

async function currentIn(f: Frame): Promise<string | undefined> {
  try {
    const el = f.locator('g.node.current');
    if ((await el.count()) === 0) return undefined;
    return (await el.first().getAttribute('aria-label'))?.replace(/ \(current\).*/, '');
  } catch {
    return undefined;
  }
}

export const scenario: Scenario = {
  name: 'diagram',
  async run(ctx) {
    const { wb, page } = ctx;
    await ctx.writeJournal('live', journal('Committed'));
    await wb.openInExplorer('services/live/state.bin');
    await wb.waitForEditorText(/phase +Committed/);
    await ctx.step('Show Diagram opens the webview beside the view', async () => {
      await wb.runCommand('Handoff Journal: Show Diagram');
      await waitFor(
        () => highlighted(page),
        'the diagram',
        20_000,
        (l) => l === 'Committed',
      );
    });
    const seen: string[] = [];
    await ctx.step('the highlighted phase follows the file during a swap', () =>
      ctx.simulate('happy', {
        stepMs: 50,
        onStep: async (s) => {
          const want = s.state ?? 'no journal';
          await waitFor(
            () => highlighted(page),
            `diagram at ${want}`,
            20_000,
            (l) => l === want,
          );
          seen.push(want);
          if (s.state === 'AwaitingReady') await ctx.screenshot('diagram-light');
        },
      }),
    );
    assert.deepEqual(seen, ['Negotiating', 'Draining', 'Sealing', 'AwaitingReady', 'Committed', 'no journal']);
    await ctx.step('dark theme', async () => {
      await wb.runCommand('Preferences: Color Theme');
      await wb.typeInQuickInput('Dark Modern', false);
      await wb.pickQuickItem(/^Dark Modern/);
      await ctx.writeJournal('live', journal('Sealing'));
      await waitFor(
        () => highlighted(page),
        'diagram at Sealing',
        20_000,
        (l) => l === 'Sealing',
      );
      await ctx.screenshot('diagram-dark');
      await wb.runCommand('Preferences: Color Theme');
      await wb.typeInQuickInput('Light Modern', false);
      await wb.pickQuickItem(/^Light Modern/);
    });
  },
};
