/** Settings defaults (shared/protocol/settings.ts) against the extension manifest, which cannot import them. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG_GLOBS, HOST_CONFIG_GLOBS, outsideWorkspace } from '../../shared/protocol';

interface Manifest {
  contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;

describe('settings defaults', () => {
  it("package.json's handoffJournal.supervisor.configGlobs default is DEFAULT_CONFIG_GLOBS", () => {
    assert.deepEqual(manifest.contributes.configuration.properties['handoffJournal.supervisor.configGlobs']?.default, DEFAULT_CONFIG_GLOBS);
  });

  it('the CLI looks in the same host places, without the workspace pattern', () => {
    assert.deepEqual(HOST_CONFIG_GLOBS, DEFAULT_CONFIG_GLOBS.slice(1));
    assert.ok(HOST_CONFIG_GLOBS.every((g) => g.startsWith('/etc/')));
    assert.deepEqual(outsideWorkspace(['${workspaceFolder}/a.toml', '/b/${workspaceFolder}', '/c.toml']), ['/c.toml']);
  });
});
