/**
 * Lean activation: in a workspace with no journals and no supervisor configs the
 * extension stays inactive, so no language server process starts; opening a journal
 * by path activates it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Scenario } from '../harness';
import { languageServerPids } from '../serverProcesses';
import { REPO_ROOT } from '../codeServer';
import { waitFor } from '../wait';

export const scenario: Scenario = {
  name: 'activation',
  session: { emptyWorkspace: true },
  async run(ctx) {
    const { wb } = ctx;
    await ctx.step('the workbench is up with our extension installed', () => wb.waitForExtensionsActivated());
    await ctx.step('no language server runs in a workspace without journals', async () => {
      // The Explorer and its views are rendered; give activation events their chance by
      // waiting until the workbench reports every eager extension activated (above).
      assert.deepEqual(languageServerPids(ctx.server.extensionsDir), []);
    });
    await ctx.screenshot('inactive');
    const dir = join(ctx.runDir, 'activation-journal');
    mkdirSync(dir, { recursive: true });
    copyFileSync(resolve(REPO_ROOT, 'test/fixtures/rust/postcard/064-typical-sealing.bin'), join(dir, 'state.bin'));
    const started = Date.now();
    await ctx.step('Open Journal at Path… activates it and shows the journal', async () => {
      await wb.runCommand('Handoff Journal: Open Journal at Path…');
      await wb.typeInQuickInput(join(dir, 'state.bin'), true);
      await wb.waitForEditorText(/phase +Sealing/, 30_000);
    });
    ctx.log(`activation + first decoded view: ${Date.now() - started} ms`);
    await waitFor(
      async () => languageServerPids(ctx.server.extensionsDir),
      'the language server process',
      15_000,
      (p) => p.length === 1,
    );
  },
};
