/**
 * Hostile inputs, continued (items 4 to 6 of the security audit), each with the
 * exact input that broke the product, run against the built CLI (`dist/cli.js`) or the
 * language server (`startServer` in process over LSP) or the pure module that decides.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { encodeJournal } from '../../shared/journal';
import { procProcessTable } from '../../shared/journal/node';
import { shellQuote, clampDelay, MAX_TIMER_MS } from '../../shared/util';
import { TestClient, testDeps } from '../support/lspClient';
import { cli, dir, GUARD, journalIn, NOW, root, server } from '../support/hostile';

const ESC = '\u001b';

describe('4. control characters never reach a terminal or the view', () => {
  it('a symlink target with ESC and a newline, on stderr', () => {
    const d = dir('esc-link');
    symlinkSync(`/tmp/${ESC}[31mred\nFAKE: all good`, join(d, 'state.bin'));
    for (const args of [
      ['show', join(d, 'state.bin')],
      ['delete', join(d, 'state.bin')],
    ]) {
      const r = cli(...args);
      assert.ok(!r.stderr.includes(ESC) && !r.stdout.includes(ESC), `${args[0]}: no ESC`);
      assert.ok(!/^FAKE/m.test(r.stderr) && !/^FAKE/m.test(r.stdout), `${args[0]}: no forged line`);
      assert.match(r.stderr + r.stdout, /\\x1b\[31mred\\nFAKE/);
    }
  });

  it('a TOML value with ESC and a newline, in status', () => {
    const d = dir('esc-toml');
    const cfg = join(d, 'kv.toml');
    writeFileSync(
      cfg,
      `control_socket = "${d}/c.sock"\ntrigger_socket = "${d}/t.sock"\nbinary = "/usr/bin/kv\\u001b[2J\\nservice   OK"\njournal = "${d}/kv/state.bin"\n`,
    );
    const r = cli('status', cfg);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes(ESC));
    assert.ok(!/^service {3}OK/m.test(r.stdout));
    assert.match(r.stdout, /binary\s+\/usr\/bin\/kv\\x1b\[2J\\nservice {3}OK/);
  });

  it('a process named "\\e[2J\\nphase   OK" adds no line to the view and moves no hover', GUARD, async () => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['-e', `require('fs').writeFileSync('/proc/self/comm', '\\x1b[2J\\nphase   OK'); console.log('named'); setInterval(() => {}, 1e6);`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((res) => child.stdout?.once('data', () => res()));
      const pid = child.pid as number;
      assert.equal(readFileSync(`/proc/${pid}/comm`, 'utf8'), `${ESC}[2J\nphase   OK\n`);
      const d = dir('comm');
      const plain = join(dir('comm-plain'), 'state.bin');
      const j = {
        handoff_id: new Uint8Array(16).fill(0x41),
        phase: 'Sealing' as const,
        successor_pid: pid,
        started_at_unix_ms: BigInt(NOW),
      };
      writeFileSync(join(d, 'state.bin'), encodeJournal({ ...j, incumbent_pid: pid }, 'postcard'));
      // The same journal with an ordinary running process (this test): the same findings.
      writeFileSync(plain, encodeJournal({ ...j, incumbent_pid: process.pid, successor_pid: process.pid }, 'postcard'));
      const c = await server(procProcessTable);
      try {
        const hostile = (await c.content(pathToFileURL(join(d, 'state.bin')).href.replace(/^file:/, 'handoff-journal:'))).text;
        const normal = (await c.content(pathToFileURL(plain).href.replace(/^file:/, 'handoff-journal:'))).text;
        assert.ok(!hostile.includes(ESC));
        assert.equal(hostile.split('\n').length, normal.split('\n').length, 'same number of lines');
        const phaseLine = (t: string): number => t.split('\n').findIndex((l) => l.startsWith('phase '));
        assert.equal(phaseLine(hostile), phaseLine(normal), 'the phase line did not move');
        assert.equal(hostile.split('\n').filter((l) => /^phase\s/.test(l)).length, 1, 'no forged phase line');
        assert.match(hostile, /running: \\x1b\[2J\\nphase {3}OK/);
      } finally {
        await c.close();
      }
    } finally {
      child.kill('SIGKILL');
    }
  });

  it("shell lines for a terminal quote control characters with $'…'", () => {
    assert.equal(shellQuote(`/tmp/${ESC}[2J\n/state.bin`), "$'/tmp/\\x1b[2J\\x0a/state.bin'");
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
  });
});

describe('5. trust is opt-in', () => {
  it('a server started with no options performs no forced delete', GUARD, async () => {
    const p = journalIn(dir('untrusted'));
    const c = TestClient.inProcess(testDeps(NOW));
    try {
      await c.initialize();
      const r = await c.command('handoffJournal.delete', { uri: pathToFileURL(p).href, force: true });
      assert.deepEqual([r.ok, r.reason], [false, 'untrusted']);
      assert.ok(existsSync(p));
    } finally {
      await c.close();
    }
  });
});

describe('6. timers from configs are clamped', () => {
  it('deadline_secs = 18446744073709551615 still waits for the reply', GUARD, async () => {
    assert.equal(clampDelay(18446744073709551615 * 1000), MAX_TIMER_MS);
    const d = dir('deadline');
    const sock = join(d, 'trigger.sock');
    const reply = 'ok: handoff_id=5b850ada-a2d1-473b-b929-a2cf15fd872c committed=true abort_reason=None';
    const srv: Server = createServer((s) => s.once('data', () => setTimeout(() => s.end(`${reply}\n`), 50)));
    await new Promise<void>((res) => srv.listen(sock, res));
    const cfg = join(d, 'kv.toml');
    writeFileSync(
      cfg,
      `control_socket = "${d}/c.sock"\ntrigger_socket = "${sock}"\nbinary = "/bin/true"\ndeadline_secs = 18446744073709551615\n`,
    );
    const c = TestClient.inProcess(testDeps(NOW));
    try {
      await c.initialize({ trusted: true, configGlobs: [cfg], storagePath: join(root, 'storage') });
      await c.conn.sendRequest('handoffJournal/listJournals', { patterns: [], configGlobs: [cfg] });
      const r = await c.command('handoffJournal.trigger', { config: cfg });
      assert.deepEqual([r.ok, r.message], [true, 'handoff 5b850ada-a2d1-473b-b929-a2cf15fd872c committed']);
    } finally {
      await c.close();
      srv.close();
    }
  });
});
