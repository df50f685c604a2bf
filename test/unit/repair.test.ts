/**
 * Repairs (shared/journal/node/repair.ts) on real files through the real atomic writer:
 * legal resets and what force overrides (never the rule), the file's own encoding kept
 * (against the Rust crates' bytes), the write-ahead undo hooks, and compare-and-restore.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_JOURNAL_RULE, decodeJournal, encodeJournal, formatUuid } from '../../shared/journal';
import {
  compareAndRestore,
  deleteJournal,
  deleteTmp,
  procProcessTable,
  resetJournal,
  restoreBytes,
  type RepairEnv,
  type RepairOutcome,
  type ResetRequest,
} from '../../shared/journal/node';
import { fixture, fromHex, journal, MANIFEST, toHex, utf8 } from '../support/rustFixtures';
import { held, isOk, names, put, NOW, recorder, refused } from '../support/repairFiles';

const TYPICAL = fixture('postcard/064-typical-sealing.bin');
const GARBAGE = utf8('not a journal at all');
const reset = (path: string, req: ResetRequest, over: Partial<RepairEnv> = {}): Promise<RepairOutcome> =>
  resetJournal(path, req, { ...recorder().env, ...over });
/** compareAndRestore under the default rule. */
const restore = (path: string, bytes: Uint8Array | null, expect: Uint8Array | null | undefined, force = false, requireJournal = true) =>
  compareAndRestore(path, { bytes, expect, force, requireJournal }, DEFAULT_JOURNAL_RULE);
/** The typical postcard journal's hex with its phase byte (offset 17) Sealing (2) -> AwaitingReady (3). */
const postcardAwaiting = (h: string): string => `${h.slice(0, 34)}03${h.slice(36)}`;

describe('resetJournal', () => {
  // The Rust crates' bytes with the phase's spelling replaced: what a reset must write.
  const swap = (from: string, to: string) => (h: string) => h.replace(from, to);
  /** A MessagePack fixstr (rmp-serde writes the phase as its name). */
  const fixstr = (s: string): string => (0xa0 + s.length).toString(16) + toHex(utf8(s));
  const json = (s: string): string => toHex(utf8(JSON.stringify(s)));
  const cases = [
    ['postcard/064-typical-sealing.bin', 'postcard', postcardAwaiting],
    ['msgpack-array/064-typical-sealing.bin', 'msgpack', swap(fixstr('Sealing'), fixstr('AwaitingReady'))],
    ['msgpack-named/064-typical-sealing.bin', 'msgpack-named', swap(fixstr('Sealing'), fixstr('AwaitingReady'))],
    ['json/064-typical-sealing.json', 'json', swap(json('Sealing'), json('AwaitingReady'))],
  ] as const;
  for (const [file, encoding, expected] of cases) {
    test(`keeps the file's encoding: ${file}`, async () => {
      const e = MANIFEST.find((m) => m.file === file);
      assert.ok(e?.ok);
      const path = put(fromHex(e.hex));
      const same = await reset(path, { phase: 'Sealing' });
      isOk(same);
      assert.equal(toHex(same.after as Uint8Array), e.hex, 'rewriting the same phase gives the Rust bytes back');
      const o = await reset(path, { phase: 'AwaitingReady' });
      isOk(o);
      assert.equal(toHex(held(path) as Uint8Array), expected(e.hex));
      assert.match(o.message, new RegExp(`Sealing .* -> AwaitingReady .*, written as ${encoding}\\.$`));
      assert.deepEqual(names(path), ['state.bin'], 'no temp file left behind');
    });
  }

  test('a forward jump is legal; backward and after a terminal phase need force', async () => {
    isOk(await reset(put(fixture('postcard/002-phase-negotiating-succ-some.bin')), { phase: 'Committed' }));
    for (const [file, to] of [
      ['postcard/064-typical-sealing.bin', 'Draining'],
      ['postcard/010-phase-committed-succ-some.bin', 'Sealing'],
    ] as const) {
      const path = put(fixture(file));
      const { env, calls } = recorder();
      const o = await resetJournal(path, { phase: to }, env);
      refused(o, 'illegal-transition', true);
      assert.match(o.message, /Use force to do it anyway\.$/);
      assert.deepEqual([held(path), calls], [fixture(file), []], 'nothing written, no hook called');
      isOk(await resetJournal(path, { phase: to, force: true }, env));
      const d = decodeJournal(held(path) as Uint8Array);
      assert.ok(d.ok && d.journal.phase === to, to);
    }
  });

  test('a new id starts at Negotiating (else needs force); now sets the start time; the rest is kept', async () => {
    const path = put(TYPICAL);
    refused(await reset(path, { phase: 'Sealing', newId: true }), 'illegal-transition', true);
    isOk(await reset(path, { phase: 'Negotiating', newId: true, now: true }));
    const d = decodeJournal(held(path) as Uint8Array);
    assert.ok(d.ok && d.encoding === 'postcard');
    assert.equal(formatUuid(d.journal.handoff_id), 'abababab-abab-4bab-abab-abababababab', 'v4 bits set on the random bytes');
    assert.deepEqual([d.journal.started_at_unix_ms, d.journal.incumbent_pid, d.journal.successor_pid], [BigInt(NOW), 1234, 5678]);
  });

  test('trailing bytes after the record are dropped, and said so', async () => {
    const path = put(fixture('invalid/043-accepted-trailing-second-journal.bin'));
    const o = await reset(path, { phase: 'Sealing' });
    isOk(o);
    assert.match(o.message, /\(29 trailing bytes dropped\)\.$/);
    assert.deepEqual(held(path), TYPICAL);
  });

  test('only journals under the rule, forced or not; other patterns and config journals when the rule names them', async () => {
    for (const name of ['other.bin', 'state.bin.tmp', 'x.journal']) {
      const path = put(TYPICAL, name);
      refused(await reset(path, { phase: 'Draining', force: true }), 'not-a-journal-file', false);
      assert.deepEqual(held(path), TYPICAL, name);
    }
    const pattern = put(TYPICAL, 'x.journal');
    isOk(await reset(pattern, { phase: 'AwaitingReady' }, { rule: { patterns: ['*.journal'], configJournals: [] } }));
    const config = put(TYPICAL, 'kv.dat');
    isOk(await reset(config, { phase: 'AwaitingReady' }, { rule: { patterns: [], configJournals: [config] } }));
  });

  test('a symlink is refused (a reset would replace the link), and one to a non-journal is outside the rule', async () => {
    const [target, other, link, link2] = [put(TYPICAL), put(TYPICAL, 'passwd'), put(null), put(null)];
    await Promise.all([symlink(target, link), symlink(other, link2)]);
    refused(await reset(link, { phase: 'AwaitingReady', force: true }), 'symlink', false);
    refused(await reset(link2, { phase: 'AwaitingReady', force: true }), 'not-a-journal-file', false);
    assert.deepEqual([held(target), held(other), lstatSync(link).isSymbolicLink()], [TYPICAL, TYPICAL, true]);
  });

  test('no journal, a folder, or undecodable bytes: refused even when forced', async () => {
    refused(await reset(put(null), { phase: 'Draining', force: true }), 'missing', false);
    const folder = put(null);
    await mkdir(folder);
    refused(await reset(folder, { phase: 'Draining', force: true }), 'file-error', false);
    const bad = put(GARBAGE);
    refused(await reset(bad, { phase: 'Draining', force: true }), 'not-a-journal', false);
    assert.deepEqual(held(bad), GARBAGE);
  });

  test('a live handoff (the real process table says the supervisor pid runs) needs force; a dead pid does not', async () => {
    const proc = procProcessTable();
    assert.ok(proc, 'this host has /proc');
    const live = put(encodeJournal(journal({ incumbent_pid: process.pid }), 'postcard'));
    const o = await reset(live, { phase: 'AwaitingReady' }, { process: proc });
    refused(o, 'live-handoff', true);
    assert.match(o.message, new RegExp(`supervisor pid ${process.pid} is running`));
    isOk(await reset(live, { phase: 'AwaitingReady', force: true }, { process: proc }));
    const dead = spawnSync('true').pid as number;
    isOk(await reset(put(encodeJournal(journal({ incumbent_pid: dead }), 'postcard')), { phase: 'AwaitingReady' }, { process: proc }));
  });
});

describe('the write-ahead hooks', () => {
  test('prepare sees before/after while the file is unchanged, then beforeWrite, then the write', async () => {
    const path = put(TYPICAL);
    const { env, calls } = recorder();
    const seen: (Uint8Array | null)[] = [];
    const prepare = env.prepare as NonNullable<RepairEnv['prepare']>;
    const o = await reset(path, { phase: 'AwaitingReady' }, { ...env, prepare: async (b, a) => (seen.push(held(path)), prepare(b, a)) });
    isOk(o);
    const after = toHex(o.after as Uint8Array);
    assert.deepEqual([seen, calls], [[TYPICAL], [`prepare ${toHex(TYPICAL)} -> ${after}`, `beforeWrite ${after}`]]);
    assert.deepEqual([o.before, held(path)], [TYPICAL, o.after]);
  });

  test('a prepare that throws refuses the change and touches nothing', async () => {
    for (const run of [
      (p: string, env: RepairEnv) => resetJournal(p, { phase: 'AwaitingReady', force: true }, env),
      (p: string, env: RepairEnv) => deleteJournal(p, { force: true }, env),
    ]) {
      const path = put(TYPICAL);
      const { env, calls } = recorder();
      const o = await run(path, { ...env, prepare: () => Promise.reject(new Error('disk full')) });
      refused(o, 'undo-unsaved', false);
      assert.match(o.message, /^nothing was changed: .*\(disk full\)\.$/);
      assert.deepEqual([held(path), calls, names(path)], [TYPICAL, [], ['state.bin']]);
    }
  });

  test('a failed write calls the rollback and leaves the journal as it was (the temp name is a folder)', async () => {
    const path = put(TYPICAL);
    await mkdir(`${path}.tmp`);
    const { env, calls } = recorder();
    refused(await resetJournal(path, { phase: 'AwaitingReady' }, env), 'file-error', false);
    assert.deepEqual(calls.slice(1), [`beforeWrite ${postcardAwaiting(toHex(TYPICAL))}`, 'rollback']);
    assert.deepEqual(held(path), TYPICAL);
    refused(await deleteTmp(path, DEFAULT_JOURNAL_RULE), 'file-error', false);
    assert.ok(lstatSync(`${path}.tmp`).isDirectory(), 'a folder at the temp name is left alone');
  });
});

describe('deleteJournal and deleteTmp', () => {
  test('deletes the journal and a leftover temp file; prepare(before, null) and beforeWrite(null)', async () => {
    const path = put(TYPICAL);
    await writeFile(`${path}.tmp`, 'half-written');
    const { env, calls } = recorder();
    const o = await deleteJournal(path, {}, env);
    isOk(o);
    assert.match(o.message, /^deleted .*state\.bin\. Also deleted the leftover temp file .*state\.bin\.tmp\.$/);
    assert.deepEqual([o.before, calls, names(path)], [TYPICAL, [`prepare ${toHex(TYPICAL)} -> null`, 'beforeWrite null'], []]);
    const again = await deleteJournal(path, {}, env);
    isOk(again);
    assert.deepEqual([again.before, calls.length], [undefined, 2], 'no hook for a journal that is not there');
    assert.match(again.message, /already absent/);
  });

  test('undecodable bytes and a dangling link need force; a live handoff needs force', async () => {
    const bad = put(GARBAGE);
    refused(await deleteJournal(bad, {}, recorder().env), 'not-a-journal', true);
    assert.deepEqual(held(bad), GARBAGE);
    isOk(await deleteJournal(bad, { force: true }, recorder().env));
    assert.equal(held(bad), null);
    const link = put(null);
    await symlink(join(link, '..', 'gone', 'state.bin'), link);
    refused(await deleteJournal(link, {}, recorder().env), 'not-a-journal', true);
    isOk(await deleteJournal(link, { force: true }, recorder().env));
    assert.deepEqual(names(link), []);
    const live = put(encodeJournal(journal({ incumbent_pid: process.pid }), 'json'));
    const env = { ...recorder().env, process: procProcessTable() };
    refused(await deleteJournal(live, {}, env), 'live-handoff', true);
    isOk(await deleteJournal(live, { force: true }, env));
  });

  test('deleteTmp removes a regular temp file only (not a link), says when there is none; outside the rule nothing goes', async () => {
    const path = put(TYPICAL);
    await writeFile(`${path}.tmp`, 'x');
    const o = await deleteTmp(path, DEFAULT_JOURNAL_RULE);
    isOk(o);
    assert.match(o.message, /^deleted the leftover temp file /);
    assert.deepEqual(names(path), ['state.bin']);
    const none = await deleteTmp(path, DEFAULT_JOURNAL_RULE);
    assert.ok(none.ok && none.message.startsWith('no leftover temp file'));
    await symlink(path, `${path}.tmp`);
    refused(await deleteTmp(path, DEFAULT_JOURNAL_RULE), 'file-error', false);
    assert.deepEqual([lstatSync(`${path}.tmp`).isSymbolicLink(), held(path)], [true, TYPICAL], 'a link at the temp name is left alone');
    const other = put(TYPICAL, 'other.bin');
    await writeFile(`${other}.tmp`, 'x');
    refused(await deleteJournal(other, { force: true }, recorder().env), 'not-a-journal-file', false);
    refused(await deleteTmp(other, DEFAULT_JOURNAL_RULE), 'not-a-journal-file', false);
    assert.deepEqual(names(other), ['other.bin', 'other.bin.tmp']);
  });
});

describe('restoreBytes and compareAndRestore', () => {
  const B = encodeJournal(journal({ phase: 'AwaitingReady' }), 'postcard');
  const rule = DEFAULT_JOURNAL_RULE;

  test('restoreBytes writes the bytes (or removes the journal for null), under the rule only', async () => {
    const path = put(null);
    const { env, calls } = recorder();
    isOk(await restoreBytes(path, TYPICAL, rule, env.beforeWrite));
    assert.deepEqual([held(path), names(path)], [TYPICAL, ['state.bin']]);
    isOk(await restoreBytes(path, null, rule, env.beforeWrite));
    assert.deepEqual([held(path), calls], [null, [`beforeWrite ${toHex(TYPICAL)}`, 'beforeWrite null']]);
    refused(await restoreBytes(put(null, 'x.bin'), TYPICAL, rule), 'not-a-journal-file', false);
  });

  test('already holding the bytes: nothing written, `already`', async () => {
    const path = put(TYPICAL);
    const ino = lstatSync(path).ino;
    const { env, calls } = recorder();
    const o = await compareAndRestore(path, { bytes: TYPICAL, expect: B, force: false, requireJournal: true }, rule, env.beforeWrite);
    assert.ok(o.ok && o.already);
    assert.deepEqual([calls, lstatSync(path).ino], [[], ino]);
  });

  test('restores when the journal holds what was expected; refuses (forceable) when it changed or is not known', async () => {
    const path = put(B);
    const changed = await restore(path, TYPICAL, GARBAGE);
    refused(changed, 'changed', true);
    assert.ok(changed.message.includes(toHex(B)));
    refused(await restore(path, TYPICAL, undefined), 'changed', true);
    assert.deepEqual(held(path), B);
    const o = await restore(path, TYPICAL, B);
    assert.ok(o.ok && !o.already);
    assert.deepEqual([o.before, held(path), names(path)], [B, TYPICAL, ['state.bin']]);
    for (const expect of [GARBAGE, undefined]) {
      await writeFile(path, B);
      isOk(await restore(path, TYPICAL, expect, true));
      assert.deepEqual(held(path), TYPICAL);
    }
  });

  test('null bytes remove the journal; expect null means no journal may be there', async () => {
    const path = put(B);
    isOk(await restore(path, null, B));
    assert.equal(held(path), null);
    isOk(await restore(path, TYPICAL, null));
    refused(await restore(path, B, null), 'changed', true);
    assert.deepEqual(held(path), TYPICAL);
  });

  test('requireJournal refuses bytes that do not decode, even forced; without it they are written', async () => {
    const path = put(TYPICAL);
    refused(await restore(path, GARBAGE, TYPICAL, true), 'not-a-journal', false);
    assert.deepEqual(held(path), TYPICAL);
    isOk(await restore(path, GARBAGE, TYPICAL, false, false));
    assert.deepEqual(held(path), GARBAGE);
  });

  test('a path outside the rule is refused, forced or not', async () => {
    const path = put(B, 'other.bin');
    refused(await restore(path, TYPICAL, B), 'not-a-journal-file', false);
    refused(await restore(path, TYPICAL, undefined, true), 'not-a-journal-file', false);
    assert.deepEqual(held(path), B);
  });
});
