/**
 * The workbench loads with the fixture workspace, the Explorer shows `services` and its
 * journals' folders, the packaged extension is installed and activates without an error.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../codeServer';
import type { Scenario } from '../harness';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };

export const scenario: Scenario = {
  name: 'smoke',
  async run(ctx) {
    const { wb } = ctx;
    await ctx.step('the workbench is shown', async () => {
      assert.ok(await ctx.page.locator('.monaco-workbench').isVisible());
    });
    await ctx.step('the packaged extension is installed', async () => {
      const id = `${pkg.publisher}.${pkg.name}@${pkg.version}`;
      assert.ok(ctx.installedExtensions.includes(id), `${id} not in ${ctx.installedExtensions.join(', ')}`);
    });
    await ctx.step('the Explorer shows services and its service folders', async () => {
      const top = (await wb.explorerRows()).filter((r) => r.level === 1).map((r) => r.name);
      assert.ok(top.includes('services'), `services in ${top.join(', ')}`);
      await wb.revealInExplorer('services/kv');
      const names = (await wb.explorerRows()).filter((r) => r.level === 2).map((r) => r.name);
      for (const s of ['broken', 'kv', 'web']) assert.ok(names.includes(s), `services/${s} in ${names.join(', ')}`);
    });
    await ctx.step('no error notification after start-up (e.g. a failed activation)', async () => {
      const errors = (await wb.notifications()).filter((t) => t.severity === 'error');
      assert.deepEqual(errors, []);
    });
    await ctx.screenshot('explorer');
  },
};
