/** The language server (`startServer` in this process), spoken to over LSP (no VS Code). */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { decodeJournal, encodeJournal, type Journal, type Phase } from '../../shared/journal';
import { writeJournalAtomic } from '../../shared/journal/node';
import { TestClient, testDeps } from '../support/lspClient';

const FIX = resolve(__dirname, '../fixtures/rust');
const NOW = 1_700_000_010_000; // ten seconds after the fixtures' started_at
const root = mkdtempSync(join(tmpdir(), 'hj-server-'));
after(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function journalAt(fixture = 'postcard/064-typical-sealing.bin'): { path: string; file: string; virt: string } {
  const dir = join(root, `svc${n++}`);
  mkdirSync(dir);
  const path = join(dir, 'state.bin');
  if (fixture) copyFileSync(join(FIX, fixture), path);
  const file = pathToFileURL(path).href;
  return { path, file, virt: file.replace(/^file:/, 'handoff-journal:') };
}

function codes(c: TestClient, uri: string): string[] {
  return (c.diagnostics.get(uri)?.diagnostics ?? []).map((d) => String(d.code)).sort();
}

const typical = decodeJournal(new Uint8Array(readFileSync(join(FIX, 'postcard/064-typical-sealing.bin'))));
assert.ok(typical.ok);
const base: Journal = typical.journal;

describe('language server over LSP', () => {
  let c: TestClient;
  before(async () => {
    c = TestClient.inProcess(testDeps(NOW, { 5678: 'kv-server' }));
    await c.initialize({ trusted: true, storagePath: join(root, 'storage') });
  });
  after(() => c.close());

  it('serves the decoded view through workspace/textDocumentContent and publishes diagnostics', async () => {
    const j = journalAt();
    const { text } = await c.content(j.virt);
    assert.match(text, /handoff_id\s+3f2a9c1e-5b7d-4e8f-a1c2-d3e4f5a6b7c8/);
    assert.match(text, /phase\s+Sealing/);
    assert.match(text, /successor_pid\s+Some\(5678\)\s+running: kv-server/);
    assert.match(text, /incumbent_pid\s+1234\s+not running/);
    assert.match(text, /Raw bytes/);
    assert.match(text, /2023-11-14T22:13:20.000Z \(10s ago\)/);
    await c.waitFor('diagnostics', () => c.diagnostics.has(j.virt));
    assert.deepEqual(codes(c, j.virt), ['HJ050']);
    assert.equal((await c.content(j.virt)).text, text, 'deterministic for the same file and clock');
  });

  it('hovers, lenses and symbols on the view', async () => {
    const j = journalAt();
    const { text } = await c.content(j.virt);
    const phaseLine = text.split('\n').findIndex((l) => l.startsWith('phase'));
    const h = (await c.conn.sendRequest('textDocument/hover', {
      textDocument: { uri: j.virt },
      position: { line: phaseLine, character: 2 },
    })) as { contents: { value: string } };
    assert.match(h.contents.value, /SealComplete/);
    assert.match(h.contents.value, /Bytes `\[17, 18\)`: `02`/);
    assert.match(h.contents.value, /After a supervisor restart/);
    const lenses = (await c.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: j.virt } })) as {
      command: { title: string };
    }[];
    assert.deepEqual(
      lenses.map((l) => l.command.title),
      ['Reset phase…', 'Delete journal', 'Show raw bytes', 'Show diagram', 'Show supervisor log'],
    );
    const symbols = (await c.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: j.virt } })) as { name: string }[];
    assert.deepEqual(
      symbols.slice(0, 5).map((s) => s.name),
      ['handoff_id', 'phase', 'incumbent_pid', 'successor_pid', 'started_at_unix_ms'],
    );
  });

  it('renders a missing journal as the normal state and a corrupt one with its byte offset', async () => {
    const missing = journalAt('');
    assert.match((await c.content(missing.virt)).text, /no journal: no handoff in flight/);
    const bad = journalAt('invalid/024-option-tag-2.bin');
    const { text } = await c.content(bad.virt);
    assert.match(text, /bad Option tag at byte 20/);
    assert.match(text, /0000  10 3f 2a/);
    await c.waitFor('HJ001', () => codes(c, bad.virt).includes('HJ001'));
    const d = c.diagnostics.get(bad.virt)?.diagnostics.find((x) => x.code === 'HJ001');
    assert.equal(text.split('\n')[d?.range.start.line ?? -1]?.startsWith('error'), true);
  });

  it('follows a supervisor writing phases live, and flags an illegal transition', async () => {
    const j = journalAt('');
    await c.content(j.virt);
    const write = async (phase: Phase, extra: Partial<Journal> = {}): Promise<void> => {
      const before = c.refreshes.filter((u) => u === j.virt).length;
      const w = await writeJournalAtomic(j.path, encodeJournal({ ...base, phase, ...extra }, 'postcard'));
      assert.ok(w.ok);
      await c.waitFor(`refresh after ${phase}`, () => c.refreshes.filter((u) => u === j.virt).length > before);
    };
    for (const p of ['Negotiating', 'Draining', 'Sealing', 'AwaitingReady'] as const) await write(p);
    let text = (await c.content(j.virt)).text;
    assert.match(text, /phase\s+AwaitingReady/);
    assert.match(text, /History/);
    assert.match(text, /Sealing -> AwaitingReady/);
    assert.equal(
      codes(c, j.virt).some((x) => x.startsWith('HJ07')),
      false,
    );
    await write('Draining');
    await c.waitFor('HJ071', () => codes(c, j.virt).includes('HJ071'));
    text = (await c.content(j.virt)).text;
    assert.match(text, /ERROR AwaitingReady -> Draining moves backward/);
    await write('Committed', { incumbent_pid: 999 });
    await c.waitFor('HJ072', () => codes(c, j.virt).includes('HJ072'));
    const seen = c.states.length;
    rmSync(j.path);
    await c.waitFor('missing view', () => c.states.slice(seen).some((s) => s.uri === j.file && s.state === 'missing'));
    assert.match((await c.content(j.virt)).text, /no journal: no handoff in flight/);
  });

  it('resets, undoes exactly, refuses illegal resets unless forced, deletes', async () => {
    const j = journalAt();
    const original = readFileSync(j.path);
    await c.content(j.virt);
    const r1 = await c.command('handoffJournal.reset', { uri: j.file, phase: 'AwaitingReady' });
    assert.equal(r1.ok, true, r1.message);
    assert.equal(r1.phase, 'AwaitingReady');
    const d1 = decodeJournal(new Uint8Array(readFileSync(j.path)));
    assert.ok(d1.ok && d1.journal.phase === 'AwaitingReady');
    const u = await c.command('handoffJournal.undo', { uri: j.file });
    assert.equal(u.ok, true, u.message);
    assert.deepEqual(readFileSync(j.path), original);
    const r2 = await c.command('handoffJournal.reset', { uri: j.file, phase: 'Negotiating' });
    assert.deepEqual([r2.ok, r2.reason, r2.forceable], [false, 'illegal-transition', true]);
    assert.deepEqual(readFileSync(j.path), original);
    const r3 = await c.command('handoffJournal.reset', { uri: j.file, phase: 'Negotiating', force: true });
    assert.equal(r3.ok, true, r3.message);
    assert.equal(codes(c, j.virt).includes('HJ071'), false, 'our own forced write is not reported as a supervisor violation');
    writeFileSync(j.path + '.tmp', 'leftover');
    const t = await c.command('handoffJournal.deleteTmp', { uri: j.file });
    assert.equal(t.ok, true);
    assert.equal(existsSync(j.path + '.tmp'), false);
    const del = await c.command('handoffJournal.delete', { uri: j.virt });
    assert.deepEqual([del.ok, del.phase], [true, null]);
    assert.equal(existsSync(j.path), false);
    assert.equal((await c.command('handoffJournal.undo', { uri: j.file })).ok, true);
    assert.ok(existsSync(j.path));
  });

  it('refuses crafted arguments and non-journals', async () => {
    const other = join(root, 'notes.txt');
    writeFileSync(other, 'important notes\n');
    const r = await c.command('handoffJournal.delete', { uri: pathToFileURL(other).href });
    assert.deepEqual([r.ok, r.reason], [false, 'not-a-journal-file']);
    const forced = await c.command('handoffJournal.delete', { uri: pathToFileURL(other).href, force: true });
    assert.deepEqual([forced.ok, forced.reason, forced.forceable], [false, 'not-a-journal-file', false]);
    assert.equal(readFileSync(other, 'utf8'), 'important notes\n');
    assert.equal((await c.command('handoffJournal.reset', { uri: 'https://example.com/x', phase: 'Sealing' })).reason, 'bad-arguments');
    assert.equal((await c.command('handoffJournal.reset', { uri: pathToFileURL(other).href, phase: 'Bogus' })).reason, 'bad-arguments');
    assert.equal(
      (
        (await c.conn.sendRequest('workspace/executeCommand', { command: 'handoffJournal.delete', arguments: ['/etc/passwd'] })) as {
          reason: string;
        }
      ).reason,
      'bad-arguments',
    );
  });
});

describe('language server safety switches', () => {
  it('refuses every change in an untrusted workspace, and a live handoff unless forced', async () => {
    const c = TestClient.inProcess(testDeps(NOW, { 1234: 'supervisor', 5678: 'kv' }));
    try {
      await c.initialize({ trusted: false, storagePath: join(root, 'storage2') });
      const j = journalAt();
      const r = await c.command('handoffJournal.delete', { uri: j.file, force: true });
      assert.deepEqual([r.ok, r.reason], [false, 'untrusted']);
      assert.ok(existsSync(j.path));
      await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { handoffJournal: { trusted: true } } });
      await c.content(j.virt);
      await c.waitFor('HJ053', () => codes(c, j.virt).includes('HJ053'));
      const live = await c.command('handoffJournal.reset', { uri: j.file, phase: 'AwaitingReady' });
      assert.deepEqual([live.ok, live.reason], [false, 'live-handoff']);
      assert.equal((await c.command('handoffJournal.reset', { uri: j.file, phase: 'AwaitingReady', force: true })).ok, true);
    } finally {
      await c.close();
    }
  });
});

describe('pull diagnostics (as VS Code asks for them)', () => {
  it('advertises a diagnostic provider, pushes nothing, and answers textDocument/diagnostic', async () => {
    const c = TestClient.inProcess(testDeps(NOW));
    try {
      const init = await c.initialize({ trusted: true, storagePath: join(root, 'storage3') }, true);
      assert.ok(init.capabilities.diagnosticProvider);
      const j = journalAt('postcard/009-phase-committed-succ-none.bin');
      await c.content(j.virt);
      const r = (await c.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: j.virt } })) as {
        kind: string;
        items: { code: string }[];
      };
      assert.equal(r.kind, 'full');
      assert.deepEqual(r.items.map((d) => d.code).sort(), ['HJ022', 'HJ041', 'HJ050']);
      assert.equal(c.diagnostics.size, 0, 'nothing pushed');
    } finally {
      await c.close();
    }
  });
});
