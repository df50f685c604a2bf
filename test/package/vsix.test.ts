/** The packaged VSIX holds only what runs (checked with `vsce ls`, which applies .vscodeignore). */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { it } from 'node:test';

it('vsce ls lists only the bundles, the manifest and assets', () => {
  const root = resolve(__dirname, '../..');
  const out = execFileSync(process.execPath, [resolve(root, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'], {
    cwd: root,
    encoding: 'utf8',
  });
  const files = out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  for (const f of [
    'dist/client.js',
    'dist/server.js',
    'dist/cli.js',
    'package.json',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
    'images/icon.png',
    'syntaxes/handoff-journal.tmLanguage.json',
  ]) {
    assert.ok(files.includes(f), `${f} missing from the VSIX`);
  }
  for (const f of files) {
    assert.doesNotMatch(f, /^(client|server|shared|cli|test|bench|scripts|node_modules|\.cache)\//, `${f} should not ship`);
    assert.doesNotMatch(f, /\.(map|ts|deb|vsix)$/, `${f} should not ship`);
  }
});
