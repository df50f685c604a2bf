/**
 * As an unprivileged user, against a beyond-handoff 0.2 supervisor (the fake supervisor in
 * its 0.2 mode, run as root with its trigger socket 0600 root): Trigger Handoff… shows who
 * may trigger (allowed_uids, the config needs 0.2), is refused for permission with Retry
 * as Sudo… and the lasting fix (allowed_uids); Retry as Sudo… runs `handoff-journal trigger
 * … --json` in the "Handoff Journal (sudo)" terminal, the password is typed there, and the
 * handoff commits: the notification says so (as root) and the decoded view followed it.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../harness';
import { startFakeSupervisor } from '../../support/fakeSupervisor';
import { waitFor } from '../wait';

/** A supervisor config of the host tree (`<root>/etc/handoff/orders.toml`, root's, 0644), its sockets under `<root>/run`. */
function writeOrdersConfig(root: string, journalsDir: string): { config: string; run: string; journal: string } {
  const etc = join(root, 'etc', 'handoff');
  const run = join(root, 'run', 'handoff', 'orders');
  for (const d of [etc, run, join(journalsDir, 'orders')]) {
    mkdirSync(d, { recursive: true });
    chmodSync(d, 0o755);
  }
  const journal = join(journalsDir, 'orders', 'state.bin');
  const config = join(etc, 'orders.toml');
  writeFileSync(
    config,
    [
      `control_socket = "${run}/control.sock"`,
      'binary = "/usr/local/bin/orders"',
      `trigger_socket = "${run}/trigger.sock"`,
      `journal = "${journal}"`,
      'deadline_secs = 30',
      'drain_grace_secs = 10',
      'allowed_uids = [4242424]',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  return { config, run, journal };
}

export const scenario: Scenario = {
  name: 'user-trigger-retry-as-sudo',
  session: { user: 'unprivileged' },
  async run(ctx) {
    const { wb } = ctx;
    const user = ctx.user;
    const host = ctx.host;
    assert.ok(user !== undefined && host !== undefined, 'an unprivileged session');
    const orders = writeOrdersConfig(host.root, host.journalsDir);
    // 300 ms per step: the decoded view (the user's server watching root's 0755 folder) sees each phase.
    const sup = await startFakeSupervisor(orders.config, 300, { version: '0.2' });
    try {
      await ctx.step('Trigger Handoff… → orders: the confirmation names who may trigger and the version', async () => {
        await wb.runCommand('Handoff Journal: Trigger Handoff…');
        await wb.pickQuickItem('orders');
        const input = await waitFor(
          () => wb.quickInputTexts(),
          'the binary input box',
          15_000,
          (t) => /Trigger a handoff of orders/.test(t.title) && t.value !== '',
        );
        await wb.typeInQuickInput(input.value, true);
        const d = await wb.answerDialog('Trigger Handoff');
        assert.match(d.detail, /allowed_uids: 4242424 \(no user name\)/);
        assert.match(d.detail, /uses allowed_uids: needs beyond-handoff 0\.2 or later; 0\.1 refuses it/);
      });
      await ctx.step('refused for permission: the 0600 root socket, allowed_uids as the lasting fix, Retry as Sudo…', async () => {
        const toast = await wb.waitForNotification(/orders: permission denied connecting to/, 60_000);
        assert.deepEqual(toast.buttons, ['Retry as Sudo…', 'Copy Command']);
        assert.match(
          toast.message,
          new RegExp(
            `the trigger socket is 0600, owned by root: run as root \\(Retry as Sudo…\\) or ask for your uid ${user.uid} in \`allowed_uids\``,
          ),
        );
        await wb.clickNotificationButton(/orders: permission denied/, 'Retry as Sudo…');
      });
      await ctx.step('the sudo terminal runs the bundled CLI trigger --json; the password is typed there', async () => {
        await wb.terminal.waitFor('Handoff Journal (sudo)');
        const text = await wb.terminal.waitForText(/\[sudo\] password for/);
        assert.match(text.replace(/\s+/g, ''), /\$sudo--\/\S*(\/dist\/cli\.js|\/handoff-journal)trigger\/\S*orders\.toml--json/);
        await wb.terminal.type(user.password);
        await wb.terminal.waitForText(/\[exit 0\]/, 60_000);
      });
      await ctx.step('committed, as root; the decoded view followed the handoff', async () => {
        await wb.waitForNotification(/orders: handoff [0-9a-f-]{36} committed \(as root\)/, 30_000);
        await wb.waitForEditorText(/no journal: no handoff in flight/, 30_000);
        // The history (the first lines of it that the editor has drawn) shows the phases it saw.
        const text = await wb.editorFullText();
        assert.match(text, /Negotiating -> Draining/);
        assert.match(text, /Draining -> Sealing/);
      });
      await ctx.screenshot('trigger-as-root');
    } finally {
      await sup.stop();
      rmSync(orders.config, { force: true });
      rmSync(join(host.root, 'run'), { recursive: true, force: true });
    }
  },
};
