/**
 * As an unprivileged user on a host with only the VS Code server: Install
 * 'handoff-journal' Command in PATH writes the launcher, and `handoff-journal show`
 * works in a new terminal of that user (the bundled CLI, the server's own Node).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../harness';
import { waitFor } from '../wait';

export const scenario: Scenario = {
  name: 'user-install-cli',
  session: { user: 'unprivileged' },
  async run(ctx) {
    const { wb } = ctx;
    const home = ctx.userHome;
    assert.ok(ctx.user !== undefined && home !== undefined, 'an unprivileged session');
    await ctx.step("Install 'handoff-journal' Command in PATH", async () => {
      await wb.runCommand("Handoff Journal: Install 'handoff-journal' Command in PATH");
      await wb.waitForNotification(/'handoff-journal' is installed as .*\.local\/bin\/handoff-journal/);
      assert.ok(existsSync(join(home, '.local', 'bin', 'handoff-journal')));
    });
    await ctx.step('handoff-journal show works in a new terminal', async () => {
      await wb.terminal.open();
      const out = join(home, 'show.txt');
      await wb.terminal.run(`handoff-journal show ${ctx.journalPath('kv')} > "$HOME/show.txt" 2>&1; echo "exit=$?" >> "$HOME/show.txt"`);
      const text = await waitFor(
        async () => readFileSync(out, 'utf8'),
        `${out} to be written`,
        15_000,
        (t) => /exit=\d+/.test(t),
      );
      assert.match(text, /phase\s+Sealing/);
      assert.match(text, /exit=0/);
    });
    await ctx.screenshot('installed');
  },
};
