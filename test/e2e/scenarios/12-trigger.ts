/**
 * Supervisor-aware: a service from a handoff-supervisor TOML config (served by a fake
 * supervisor process with a real trigger socket) is listed in the Journals view; Trigger
 * Handoff… asks first, follows the journal live and shows the supervisor's reply.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../harness';
import { startFakeSupervisor, writeFakeConfig } from '../../support/fakeSupervisor';
import { waitFor } from '../wait';

export const scenario: Scenario = {
  name: 'trigger-handoff',
  session: {},
  async run(ctx) {
    const { wb } = ctx;
    const paths = writeFakeConfig(ctx.workspace, 'orders');
    // A machine-overridable setting: under a remote (code-server, Remote-SSH) it comes from
    // the workspace or the remote's settings, not from the local user settings.
    mkdirSync(join(ctx.workspace, '.vscode'), { recursive: true });
    writeFileSync(
      join(ctx.workspace, '.vscode', 'settings.json'),
      JSON.stringify({ 'handoffJournal.supervisor.configGlobs': ['${workspaceFolder}/etc/*.toml'] }),
    );
    const sup = await startFakeSupervisor(paths.config, 300);
    try {
      await ctx.step('the Journals view lists the idle service from its config', async () => {
        // No refresh needed: the view rescans when the setting (or a config file) changes.
        const rows = await waitFor(
          () => wb.viewRows('Handoff Journals'),
          'the orders service',
          30_000,
          (rs) => rs.some((r) => r.label === 'orders'),
        );
        assert.match(rows.find((r) => r.label === 'orders')?.description ?? '', /idle/);
      });
      await ctx.step('Trigger Handoff… asks, naming the service and binary', async () => {
        await wb.runCommand('Handoff Journal: Trigger Handoff…');
        await wb.pickQuickItem('orders');
        // The quick pick closes and the input box opens in the same widget: wait for the
        // input box's own title before reading its value (reading at once saw the pick's
        // empty filter on a slower machine).
        const input = await waitFor(
          () => wb.quickInputTexts(),
          'the binary input box',
          15_000,
          (t) => /Trigger a handoff of orders/.test(t.title) && t.value !== '',
        );
        assert.equal(input.value, '/usr/local/bin/orders');
        await wb.typeInQuickInput(input.value, true);
        const d = await wb.answerDialog('Trigger Handoff');
        assert.match(d.message, /Swap orders to \/usr\/local\/bin\/orders\?/);
        // The config is a file of the workspace, not one installed under /etc: it says so.
        assert.match(d.detail, /from the workspace folder .*not installed on the host/);
      });
      await ctx.step('the decoded view follows the swap and the reply is shown', async () => {
        await wb.waitForEditorText(/phase +(Negotiating|Draining|Sealing|AwaitingReady|Committed)/, 30_000);
        const toast = await wb.waitForNotification(/orders: handoff [0-9a-f-]{36} committed/, 60_000);
        assert.deepEqual(toast.buttons, ['Show Log']);
        await wb.waitForEditorText(/no journal: no handoff in flight/, 30_000);
        const text = await wb.editorFullText();
        assert.match(text, /AwaitingReady -> Committed/);
      });
      await ctx.screenshot('triggered');
    } finally {
      await sup.stop();
    }
  },
};
