/**
 * Loading supervisor configs from real files: each failure has a kind (missing,
 * unreadable, invalid), and `handoff-journal status` picks its exit code from the kinds.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { status } from '../../cli/status';
import type { Output } from '../../cli/output';
import { CONFIG_MAX_BYTES, loadSupervisorConfig } from '../../shared/supervisor/node';

const dir = mkdtempSync(join(tmpdir(), 'hj-config-kinds-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: string | Uint8Array): string => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
const GOOD = file('kv.toml', `control_socket = "${dir}/c.sock"\nbinary = "/usr/bin/kv"\ntrigger_socket = "${dir}/t.sock"\n`);
const SYNTAX = file('syntax.toml', 'binary = [\n');
const SCHEMA = file('schema.toml', 'binary = "/usr/bin/kv"\n');
const BINARY = file('latin1.toml', new Uint8Array([0x62, 0x3d, 0xff, 0xfe]));
const HUGE = file('huge.toml', `# ${'x'.repeat(CONFIG_MAX_BYTES)}\n`);
const FOLDER = join(dir, 'folder.toml');
mkdirSync(FOLDER);
const FIFO = join(dir, 'fifo.toml');
execFileSync('mkfifo', [FIFO]);
const MISSING = join(dir, 'missing.toml');

async function kind(path: string): Promise<string> {
  const r = await loadSupervisorConfig(path);
  return r.ok ? 'ok' : r.kind;
}

function quiet(): Output & { errors: string[] } {
  const errors: string[] = [];
  return { stdout: () => {}, stdoutBytes: () => {}, stderr: () => {}, error: (m) => void errors.push(m), color: false, errors };
}

describe('loadSupervisorConfig', () => {
  it('tells missing, unreadable and invalid configs apart by kind', async () => {
    assert.equal(await kind(GOOD), 'ok');
    assert.equal(await kind(MISSING), 'missing');
    for (const p of [FOLDER, FIFO, HUGE]) assert.equal(await kind(p), 'unreadable', p);
    for (const p of [SYNTAX, SCHEMA, BINARY]) assert.equal(await kind(p), 'invalid', p);
  });

  it('a config this user may not read is unreadable', { skip: process.getuid?.() === 0 && 'root reads every file' }, async () => {
    const p = file('secret.toml', 'binary = "x"\n');
    chmodSync(p, 0o000);
    assert.equal(await kind(p), 'unreadable');
  });
});

describe('status exit codes', () => {
  const run = async (...configs: string[]): Promise<number> => status(configs, false, { now: Date.now() }, quiet());
  it('0 when every config loads, 3 when one is invalid, 4 when one cannot be read (missing included)', async () => {
    assert.equal(await run(GOOD), 0);
    assert.equal(await run(GOOD, SYNTAX, SCHEMA, BINARY), 3);
    assert.equal(await run(GOOD, SYNTAX, MISSING), 4);
    assert.equal(await run(FOLDER), 4);
    assert.equal(await run(HUGE, SCHEMA), 4);
  });

  it('names every config that failed, with its message', async () => {
    const out = quiet();
    await status([SYNTAX, MISSING], false, { now: Date.now() }, out);
    assert.equal(out.errors.length, 2);
    assert.match(out.errors[0] ?? '', /syntax\.toml is not valid TOML at line/);
    assert.match(out.errors[1] ?? '', /missing\.toml does not exist/);
  });
});
