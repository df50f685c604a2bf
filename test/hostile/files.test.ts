/**
 * Hostile inputs: one test per finding of the security audit ([1/6]), each with the
 * exact input that broke the product, run against the built CLI (`dist/cli.js`) or the
 * language server (`startServer` in process over LSP) or the pure module that decides.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { wildcardMatch, notificationText } from '../../shared/util';
import { expandGlobs } from '../../shared/util/node';
import { TestClient, testDeps } from '../support/lspClient';
import { cli, dir, GUARD, journalIn, NOW, root, server } from '../support/hostile';

// VS Code's own notification link parser (src/vs/base/common/linkedText.ts): what it
// matches in a notification's text becomes a clickable link.
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
const LINK_DIR = '[Click here to repair](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%5Cn%22%7D)';

describe('1. --force never widens which files a change may touch', () => {
  it('`handoff-journal delete notes.txt --force` refuses and leaves the file', () => {
    const d = dir('notes');
    const notes = join(d, 'notes.txt');
    writeFileSync(notes, 'important notes\n');
    const r = cli('delete', notes, '--force');
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /not a handoff journal/);
    assert.equal(readFileSync(notes, 'utf8'), 'important notes\n');
    assert.equal(cli('reset', notes, '--phase', 'Draining', '--force').code, 3);
    assert.equal(readFileSync(notes, 'utf8'), 'important notes\n');
  });

  it('a state.bin symlink to another file is judged by what it points to', () => {
    const d = dir('linkdir');
    const secret = join(d, 'id_rsa');
    writeFileSync(secret, 'PRIVATE KEY\n');
    mkdirSync(join(d, 'svc'));
    symlinkSync(secret, join(d, 'svc', 'state.bin'));
    assert.equal(cli('delete', join(d, 'svc', 'state.bin'), '--force').code, 3);
    assert.ok(existsSync(join(d, 'svc', 'state.bin')));
    assert.equal(readFileSync(secret, 'utf8'), 'PRIVATE KEY\n');
  });

  it('the server refuses a handoffJournal.delete whose URI walks out with ../', GUARD, async () => {
    const victim = join(dir('home/u/.ssh'), 'id_rsa');
    writeFileSync(victim, 'PRIVATE KEY\n');
    const c = await server();
    try {
      const uri = `handoff-journal://${root}/x/../home/u/.ssh/id_rsa`;
      for (const force of [false, true]) {
        const r = await c.command('handoffJournal.delete', { uri, force });
        assert.deepEqual([r.ok, r.reason, r.forceable], [false, 'not-a-journal-file', false], r.message);
        const reset = await c.command('handoffJournal.reset', { uri, phase: 'Draining', force });
        assert.equal(reset.reason, 'not-a-journal-file');
      }
      assert.equal(readFileSync(victim, 'utf8'), 'PRIVATE KEY\n');
    } finally {
      await c.close();
    }
  });

  it('a corrupt state.bin can still be deleted (with force): the common repair', () => {
    const p = join(dir('corrupt'), 'state.bin');
    writeFileSync(p, new Uint8Array([0x10, 1, 2]));
    assert.equal(cli('delete', p).code, 3);
    assert.equal(cli('delete', p, '--force').code, 0);
    assert.equal(existsSync(p), false);
  });
});

describe('2. no command links from data in notifications', () => {
  it('the link-bearing directory name shows literally and matches no link', GUARD, async () => {
    const d = dir(LINK_DIR);
    const path = journalIn(d);
    const c = await server();
    try {
      const r = await c.command('handoffJournal.reset', { uri: pathToFileURL(path).href, phase: 'AwaitingReady' });
      assert.equal(r.ok, true, r.message);
      assert.ok(r.message.includes(LINK_DIR), 'the server reports the real path');
      VSCODE_LINK.lastIndex = 0;
      assert.ok(VSCODE_LINK.test(r.message), 'unescaped, VS Code would make it a link');
      const shown = notificationText(`Handoff Journal: ${r.message}`);
      VSCODE_LINK.lastIndex = 0;
      assert.equal(VSCODE_LINK.test(shown), false, 'escaped: no link');
      assert.ok(shown.replace(/\u200b/g, '').includes(LINK_DIR), 'and it still reads the same');
    } finally {
      await c.close();
    }
  });

  it('the server advertises its file-changing commands only through workspace/executeCommand', GUARD, async () => {
    // The client drops the executeCommand feature (client/src/client.ts), so these ids are
    // never VS Code commands; here: the server still answers them itself.
    const c = TestClient.inProcess(testDeps(NOW));
    try {
      const init = await c.initialize({ trusted: true });
      const cmds = (init.capabilities.executeCommandProvider as { commands: string[] }).commands;
      assert.ok(cmds.includes('handoffJournal.delete'));
      const client = readFileSync(resolve(__dirname, '../../client/src/client.ts'), 'utf8');
      assert.match(client, /if \(method === ExecuteCommandRequest\.method\) return;/);
    } finally {
      await c.close();
    }
  });
});

describe('3. settings cannot freeze the server: linear matching, bounded walks', () => {
  it('8 stars against a 120-character name', GUARD, async () => {
    const name = 'a'.repeat(120);
    assert.equal(wildcardMatch(name, '*a*a*a*a*a*a*a*a*b'), false);
    assert.equal(wildcardMatch(name, '*a*a*a*a*a*a*a*a*'), true);
    const d = dir('stars');
    writeFileSync(join(d, name), '');
    const r = await expandGlobs([`${d}/*a*a*a*a*a*a*a*a*b`, `${d}/*a*a*a*a*a*a*a*a`], 100);
    assert.deepEqual(r.paths, [join(d, name)]);
  });

  it('stacked ** over 1,023 folders reads each folder once', GUARD, async () => {
    const top = dir('tree');
    const make = (d: string, depth: number): void => {
      if (depth === 0) return;
      for (const b of ['l', 'r']) {
        mkdirSync(join(d, b));
        make(join(d, b), depth - 1);
      }
    };
    make(top, 9); // 2 + 4 + ... + 512 = 1,022 folders under top, 1,023 with it
    writeFileSync(join(top, 'l', 'r', 'l', 'state.bin'), '');
    const r = await expandGlobs([`${top}/**/**/**/**/state.bin`, `${top}/**/l/**/r/**/state.bin`], 10_000);
    assert.ok(r.paths.includes(join(top, 'l', 'r', 'l', 'state.bin')));
    assert.ok(r.foldersRead <= 1023, `read ${r.foldersRead} folders`);
  });

  it('caps the folders read and says the search was cut short', GUARD, async () => {
    const r = await expandGlobs([`${join(root, 'tree')}/**/state.bin`], 10_000, 100);
    assert.equal(r.truncated, true);
    assert.equal(r.foldersRead, 100);
    assert.match(r.cutShort ?? '', /^search cut short: more than 100 folders/);
  });

  it('Restricted Mode ignores the workspace values of every path and glob setting', () => {
    const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as {
      capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
      contributes: { configuration: { properties: Record<string, { type: string; items?: { type: string } }> } };
    };
    const restricted = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
    const pathSettings = Object.keys(pkg.contributes.configuration.properties).filter((k) =>
      /searchPaths|patterns|Globs|logFiles|logCommand/.test(k),
    );
    assert.ok(pathSettings.length >= 3);
    for (const k of pathSettings) assert.ok(restricted.includes(k), `${k} is restricted`);
  });
});
