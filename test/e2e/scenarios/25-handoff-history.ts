/**
 * Every handoff, from the supervisor's log, in the editor: a fake supervisor (real timing,
 * real log format) runs handoffs faster than a journal is ever seen on disk; the service's
 * History child in the Journals view lists each (a failed one with the error icon and its
 * reason), a click opens that handoff's log, and the decoded view's history shows them
 * with no journal on disk. An alert's link, vscode://handoff-journal.handoff-journal/open?path=…,
 * opened with Developer: Open URL (code-server routes it to the extension's URI handler as
 * VS Code does an external link), opens a journal decoded, and refuses a file that is not one.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import type { Scenario } from '../harness';
import { sendTrigger } from '../../../shared/supervisor/node';
import { startFakeSupervisor, writeFakeConfig } from '../../support/fakeSupervisor';
import { waitFor } from '../wait';

const VIEW = 'Handoff Journals';

/** The rows under a label, with the icon of each (the tree item's own icon, not the twistie). */
async function rowIcons(rows: Locator): Promise<{ label: string; icon: string; level: number }[]> {
  return rows.evaluateAll((els) =>
    els.map((r) => ({
      label: (r.querySelector('.label-name')?.textContent ?? '').trim(),
      icon: /codicon-([\w-]+)/.exec(r.querySelector('.custom-view-tree-node-item-icon')?.className ?? '')?.[1] ?? '',
      level: Number(r.getAttribute('aria-level')),
    })),
  );
}

export const scenario: Scenario = {
  name: 'handoff-history',
  session: {},
  async run(ctx) {
    const { wb, page } = ctx;
    const paths = writeFakeConfig(ctx.workspace, 'orders');
    const log = join(ctx.workspace, 'logs', 'orders.log');
    mkdirSync(join(ctx.workspace, 'logs'), { recursive: true });
    mkdirSync(join(ctx.workspace, '.vscode'), { recursive: true });
    writeFileSync(
      join(ctx.workspace, '.vscode', 'settings.json'),
      JSON.stringify({
        'handoffJournal.supervisor.configGlobs': ['${workspaceFolder}/etc/*.toml'],
        'handoffJournal.supervisor.logFiles': { orders: log },
      }),
    );
    const sup = await startFakeSupervisor(paths.config, undefined, { logFile: log });
    try {
      await ctx.step('the supervisor runs four handoffs, one a seal failure, one rolled back', async () => {
        for (const binary of ['', '/usr/local/bin/orders-seal-fail', '', '/usr/local/bin/orders-abort']) {
          const r = await sendTrigger(paths.trigger, `${`handoff ${binary}`.trim()}\n`, 30_000);
          assert.ok(r.kind === 'reply' && r.text.startsWith('ok: '), JSON.stringify(r));
        }
      });
      await ctx.step('the service’s History lists them, failures with the error icon and their reason', async () => {
        const service = await wb.viewRow(VIEW, 'orders', 30_000);
        await service.locator('.monaco-tl-twistie').click();
        const history = await wb.viewRow(VIEW, 'History', 15_000);
        await history.locator('.monaco-tl-twistie').click();
        const pane = page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: VIEW }) });
        const rows = await waitFor(
          () => rowIcons(pane.locator('.pane-body .monaco-list-row')),
          'four handoffs under History',
          30_000,
          (rs) => rs.filter((r) => r.level === 3).length === 4,
        );
        const handoffs = rows.filter((r) => r.level === 3);
        assert.match(handoffs[0]?.label ?? '', /^aborted, rolled back: ready read failed/);
        assert.equal(handoffs[0]?.icon, 'error');
        assert.match(handoffs[2]?.label ?? '', /^seal failure: seal failed: protocol violation: injected seal failure/);
        assert.equal(handoffs[2]?.icon, 'error');
        assert.match(handoffs[3]?.label ?? '', /^committed in [\d.]+ ms/);
        assert.equal(handoffs[3]?.icon, 'pass');
      });
      await ctx.screenshot('history');
      await ctx.step('a click opens that handoff’s supervisor log', async () => {
        await (await wb.viewRow(VIEW, /^seal failure:/)).click();
        await wb.waitForEditorText(/handoff\.abort/, 30_000);
        assert.match(await wb.editorFullText(), /outcome +aborted: seal failed: protocol violation: injected seal failure/);
      });
      await ctx.step('the decoded view’s history has them, with no journal on disk', async () => {
        await (await wb.viewRow(VIEW, 'orders')).click();
        await wb.waitForEditorText(/\[log\] handoff aborted \(seal failure\)/, 30_000);
        // The view is redrawn as the server joins the log's handoffs: wait for all four.
        const text = await waitFor(
          () => wb.editorFullText(),
          'the four handoffs in the history',
          30_000,
          (t) => t.split('\n').filter((l) => /\[log\] handoff (committed|aborted)/.test(l)).length === 4,
        );
        assert.match(text, /no journal/);
      });
    } finally {
      await sup.stop();
    }
    await ctx.step('an alert’s link opens a journal decoded', async () => {
      await wb.runCommand('Developer: Open URL');
      await wb.typeInQuickInput(`vscode://handoff-journal.handoff-journal/open?path=${ctx.journalPath('kv')}`, true);
      // code-server asks before an extension may open a link it did not start itself.
      await wb.answerDialog(/^Open$/, 15_000).catch(() => undefined);
      await wb.waitForEditorText(/phase +Sealing/, 30_000);
    });
    await ctx.step('a link to a file that is not a journal is refused, and says why', async () => {
      await wb.runCommand('Developer: Open URL');
      await wb.typeInQuickInput(`vscode://handoff-journal.handoff-journal/open?path=${join(ctx.workspace, 'README.md')}`, true);
      await wb.answerDialog(/^Open$/, 15_000).catch(() => undefined);
      await wb.waitForNotification(/the link was not opened: .*README\.md is not a handoff journal/, 15_000);
    });
  },
};
