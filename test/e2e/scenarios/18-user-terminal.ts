/**
 * A new integrated terminal of the unprivileged session runs as that user, on the host:
 * `id -un` prints the user's name on screen and writes it to a file in the user's HOME
 * that the test reads as root (owned by the user); `sudo` asks for the user's password
 * at its prompt in the terminal and then runs as root.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../harness';
import { ownerAndMode } from '../hostTree';
import { waitFor } from '../wait';

export const scenario: Scenario = {
  name: 'user-terminal',
  session: { user: 'unprivileged' },
  async run(ctx) {
    const { wb } = ctx;
    const user = ctx.user;
    const home = ctx.userHome;
    assert.ok(user !== undefined && home !== undefined, 'an unprivileged session');
    const tab = await ctx.step('Terminal: Create New Terminal, wait for the prompt', () => wb.terminal.open());
    assert.match(await wb.terminal.waitForPrompt(), new RegExp(`^${user.name}@`), 'the prompt names the user');
    await ctx.step('id -un', () => wb.terminal.run('id -un | tee "$HOME/id-un.txt"'));
    await ctx.step('the terminal shows the user name', () => wb.terminal.waitForText(new RegExp(`^${user.name}$`, 'm')));
    const file = join(home, 'id-un.txt');
    const written = await waitFor(
      async () => readFileSync(file, 'utf8'),
      `${file} to be written`,
      10_000,
      (t) => t.endsWith('\n'),
    );
    assert.equal(written, `${user.name}\n`);
    assert.equal(ownerAndMode(file).owner, user.name, 'the file is the user’s');
    await ctx.step('sudo asks for the password typed at its prompt, then runs as root', async () => {
      await wb.terminal.run('sudo id -un | tee "$HOME/sudo-id-un.txt"');
      await wb.terminal.waitForText(`[sudo] password for ${user.name}:`);
      await wb.terminal.type(user.password);
      await wb.terminal.waitForText(/^root$/m);
      const out = join(home, 'sudo-id-un.txt');
      assert.equal(
        await waitFor(
          async () => readFileSync(out, 'utf8'),
          `${out} to be written`,
          10_000,
          (t) => t.endsWith('\n'),
        ),
        'root\n',
      );
      assert.doesNotMatch(await wb.terminal.text(), new RegExp(user.password), 'the password is not echoed');
    });
    await ctx.step('the terminal is found again by its name and focused', async () => {
      const again = await wb.terminal.focus(tab.name);
      assert.equal(again.active, true);
    });
    await ctx.screenshot('terminal');
  },
};
