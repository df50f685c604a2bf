/**
 * "Why is it stuck?": a journal left at Draining whose supervisor log (the real
 * supervisor's output for a seal failure, test/fixtures/logs) has the abort. Show
 * Supervisor Log opens the handoff's lines beside the decoded view, and the abort's
 * reason is in the Problems panel.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOGS } from '../../support/logFixtures';
import type { Scenario } from '../harness';
import { settle } from '../wait';
import { journal, uuid } from '../workspace';

export const scenario: Scenario = {
  name: 'supervisor-log',
  session: {},
  async run(ctx) {
    const { wb } = ctx;
    const log = join(ctx.workspace, 'logs', 'payments.log');
    mkdirSync(join(ctx.workspace, 'logs'), { recursive: true });
    copyFileSync(join(LOGS, '03-seal-failure-abort.log'), log);
    // A machine-overridable setting: under a remote it comes from the workspace or the remote.
    mkdirSync(join(ctx.workspace, '.vscode'), { recursive: true });
    writeFileSync(
      join(ctx.workspace, '.vscode', 'settings.json'),
      JSON.stringify({ 'handoffJournal.supervisor.logFiles': { payments: log } }),
    );
    await ctx.writeJournal(
      'payments',
      journal('Draining', { handoff_id: uuid('4b4eb536-b111-436b-8bd5-cef9bc3ac924'), started_at_unix_ms: BigInt(Date.now() - 3_600_000) }),
    );
    await ctx.step('open the stuck journal decoded', async () => {
      await wb.quickOpen('services/payments/state.bin');
      await wb.waitForEditorText(/phase +Draining/);
    });
    await ctx.step("Show supervisor log opens the handoff's lines beside it", async () => {
      await wb.clickCodeLens('Show supervisor log');
      await wb.waitForEditorText(/handoff\.abort/, 30_000);
      const text = await wb.editorFullText();
      assert.match(text, /outcome +aborted: seal failed: protocol violation: injected seal failure/);
      assert.match(text, /daemon output \(not the supervisor\)/);
      const tabs = await settle(
        () => wb.editorTabs(),
        (t) => t.tabs.some((l) => /state\.bin \(supervisor log\)/.test(l)),
      );
      assert.ok(
        tabs.tabs.some((t) => /state\.bin \(supervisor log\)/.test(t)),
        tabs.tabs.join(', '),
      );
    });
    await ctx.step('the reason is in the Problems panel', async () => {
      const rows = await wb.waitForProblems((ps) => ps.some((p) => /HJ090/.test(`${p.code} ${p.message}`)), 'HJ090 in Problems', 30_000);
      const abort = rows.find((p) => /HJ090/.test(`${p.code} ${p.message}`));
      assert.match(abort?.message ?? '', /seal failed: protocol violation: injected seal failure/);
    });
    await ctx.screenshot('supervisor-log');
  },
};
