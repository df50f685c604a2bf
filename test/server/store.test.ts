/**
 * The server's modules used directly, without a connection: the journal store (tracking,
 * the observed history, transitions, our own writes, quick handoffs, merged log entries)
 * with a fake clock and a directory watch the test fires itself, and the command module
 * (`executeCommand`) with a real store, registry and undo store on temp files.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { encodeJournal, type Journal, type Phase } from '../../shared/journal';
import { deleteJournalFile, writeJournalAtomic } from '../../shared/journal/node';
import { normalizeSettings } from '../../shared/protocol';
import { executeCommand, type CommandContext } from '../../server/src/commands';
import { JournalStore, type TrackedJournal } from '../../server/src/journalStore';
import { SupervisorRegistry } from '../../server/src/supervisors';
import { UndoStore } from '../../server/src/commands/undoStore';
import { testDeps } from '../support/lspClient';

const FIX = resolve(__dirname, '../fixtures/rust');
const root = mkdtempSync(join(tmpdir(), 'hj-store-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

function journal(phase: Phase, id = 0x41): Journal {
  return { handoff_id: new Uint8Array(16).fill(id), phase, incumbent_pid: 1, successor_pid: 2, started_at_unix_ms: 1n };
}

/** A store whose directory watch is fired by the test (`fire(name)`), with a clock the test moves. */
function store(): { s: JournalStore; fire: (name: string) => void; clock: { now: number }; updates: TrackedJournal[]; path: string } {
  const clock = { now: 1_700_000_000_000 };
  const listeners: ((name: string | undefined) => void)[] = [];
  const deps = testDeps(
    0,
    {},
    {
      now: () => clock.now,
      watchDir: (_dir, on) => (listeners.push(on), { dispose: () => undefined }),
    },
  );
  const updates: TrackedJournal[] = [];
  const s = new JournalStore(
    deps,
    () => normalizeSettings({ trusted: true }),
    (j) => updates.push(j),
  );
  const dir = join(root, `svc${n++}`);
  mkdirSync(dir);
  return { s, fire: (name) => listeners.forEach((l) => l(name)), clock, updates, path: join(dir, 'state.bin') };
}

const messages = (j: TrackedJournal | undefined): string[] => (j?.history ?? []).map((h) => `${h.phase ?? '-'} ${h.message}`);

describe('JournalStore', () => {
  it('records what it observes and judges each change with the transition rules', async () => {
    const { s, path } = store();
    await writeJournalAtomic(path, encodeJournal(journal('Negotiating'), 'postcard'));
    await s.track(path);
    await writeJournalAtomic(path, encodeJournal(journal('Sealing'), 'postcard'));
    await s.refresh(path);
    await writeJournalAtomic(path, encodeJournal(journal('Draining'), 'postcard'));
    const j = await s.refresh(path);
    assert.deepEqual(
      messages(j).map((m) => m.split(':')[0]),
      ['Negotiating first observed', 'Sealing Negotiating -> Sealing', 'Draining Sealing -> Draining moves backward within one handoff'],
    );
    assert.equal(j?.transitionFinding?.code, 'HJ071');
    assert.equal(j?.transitionFinding?.severity, 'error');
  });

  it('knows its own writes from another writer', async () => {
    const { s, path } = store();
    await writeJournalAtomic(path, encodeJournal(journal('AwaitingReady'), 'postcard'));
    await s.track(path);
    const ours = encodeJournal(journal('Draining'), 'postcard');
    s.expectOwnWrite(path, ours, 'reset to Draining by Handoff Journal');
    await writeJournalAtomic(path, ours);
    const j = await s.refresh(path);
    assert.equal(j?.history.at(-1)?.message, 'reset to Draining by Handoff Journal');
    assert.equal(j?.transitionFinding, undefined, 'our own backward reset is not a supervisor violation');
  });

  it('a journal written and deleted between two reads is a handoff that ran; a burst is one entry', async () => {
    const { s, fire, clock, path } = store();
    await s.track(path);
    const count = (): number | undefined => s.get(path)?.history.filter((h) => h.count !== undefined)[0]?.count;
    for (let i = 0; i < 3; i++) {
      await writeJournalAtomic(path, encodeJournal(journal('Negotiating', 0x50 + i), 'postcard'));
      await deleteJournalFile(path);
      fire('state.bin');
      clock.now += 5;
      await s.refresh(path);
      clock.now += 1000;
    }
    const quick = (s.get(path)?.history ?? []).filter((h) => h.count !== undefined);
    assert.equal(quick.length, 1);
    assert.deepEqual([quick[0]?.count, quick[0]?.label], [3, 'at least 3 handoffs ran']);
    // A late event for what the last read already saw (the folder is as it was) is no handoff.
    fire('state.bin');
    await s.refresh(path);
    assert.equal(count(), 3);
    // The temp file alone is not the journal.
    await writeJournalAtomic(join(path, '..', 'other'), new Uint8Array([1]));
    fire('state.bin.tmp');
    await s.refresh(path);
    assert.equal(count(), 3);
  });

  it('merges what the log and a reply say, in time order, once', async () => {
    const { s, path } = store();
    await s.track(path);
    const entry = { at: 1, phase: null, verdict: 'none' as const, message: 'the supervisor replied: committed', source: 'reply' as const };
    s.addHistory(path, [entry]);
    s.addHistory(path, [entry]);
    assert.deepEqual(messages(s.get(path)), ['- the supervisor replied: committed', '- no journal when first observed']);
  });
});

describe('executeCommand', () => {
  async function context(trusted: boolean): Promise<CommandContext> {
    const { s } = store();
    const settings = normalizeSettings({ trusted, storagePath: join(root, `storage${n++}`) });
    return {
      store: s,
      registry: new SupervisorRegistry(),
      undo: new UndoStore(() => settings.storagePath as string),
      deps: testDeps(1_700_000_010_000),
      settings: () => settings,
      refreshLog: async () => undefined,
      joinLog: async () => false,
    };
  }
  const fixture = (): { path: string; uri: string } => {
    const dir = join(root, `cmd${n++}`);
    mkdirSync(dir);
    const path = join(dir, 'state.bin');
    copyFileSync(join(FIX, 'postcard/064-typical-sealing.bin'), path);
    return { path, uri: pathToFileURL(path).href };
  };

  it('validates its arguments', async () => {
    const ctx = await context(true);
    assert.equal((await executeCommand('handoffJournal.reset', [], ctx)).reason, 'bad-arguments');
    assert.equal((await executeCommand('handoffJournal.reset', [{ uri: 'https://x/y' }], ctx)).reason, 'bad-arguments');
    const { uri } = fixture();
    assert.equal((await executeCommand('handoffJournal.reset', [{ uri, phase: 'Bogus' }], ctx)).reason, 'bad-arguments');
    assert.equal((await executeCommand('handoffJournal.frobnicate', [{ uri }], ctx)).reason, 'bad-arguments');
  });

  it('changes nothing untrusted, and nothing that is not a journal', async () => {
    const j = fixture();
    const before = readFileSync(j.path);
    assert.equal((await executeCommand('handoffJournal.delete', [{ uri: j.uri, force: true }], await context(false))).reason, 'untrusted');
    const notes = join(root, 'notes.txt');
    writeFileSync(notes, 'notes');
    const r = await executeCommand('handoffJournal.delete', [{ uri: pathToFileURL(notes).href, force: true }], await context(true));
    assert.equal(r.reason, 'not-a-journal-file');
    assert.deepEqual(readFileSync(j.path), before);
    assert.equal(readFileSync(notes, 'utf8'), 'notes');
  });

  it('resets, reports the phase it left, and undoes to the exact bytes', async () => {
    const ctx = await context(true);
    const j = fixture();
    const before = readFileSync(j.path);
    const r = await executeCommand('handoffJournal.reset', [{ uri: j.uri, phase: 'AwaitingReady' }], ctx);
    assert.deepEqual([r.ok, r.phase], [true, 'AwaitingReady'], r.message);
    const u = await executeCommand('handoffJournal.undo', [{ uri: j.uri }], ctx);
    assert.deepEqual([u.ok, u.phase], [true, 'Sealing'], u.message);
    assert.deepEqual(readFileSync(j.path), before);
    await deleteJournalFile(j.path);
    assert.equal((await executeCommand('handoffJournal.undo', [{ uri: j.uri }], ctx)).reason, 'nothing-to-undo');
  });
});
