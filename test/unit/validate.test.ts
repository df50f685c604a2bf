import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeJournal,
  encodeJournal,
  type DecodeResult,
  type Journal,
  render,
  type RenderInput,
  parseUuid,
  validate,
  validateJournal,
  looksLive,
  leftByFailedHandoff,
  type Finding,
  type ProcessInfo,
  type ValidationContext,
} from '../../shared/journal';
import { fixture, journal, utf8, TYPICAL_ID } from '../support/rustFixtures';

const START = 1_700_000_000_000;
const NOW = START + 10_000; // 10 s into the handoff

/** A fake process table: pids listed are running. */
function procs(running: Record<number, string>): (pid: number) => ProcessInfo {
  return (pid) => (pid in running ? { running: true, command: running[pid] as string } : { running: false });
}
const ALL_RUNNING = procs({ 1234: 'handoff-supervisor', 5678: 'db --new' });

function ctx(over: Partial<ValidationContext> = {}): ValidationContext {
  return { now: NOW, deadlineMs: 300_000, skewMs: 60_000, process: ALL_RUNNING, tmpExists: false, ...over };
}
function decoded(j: Journal): DecodeResult {
  return decodeJournal(encodeJournal(j, 'postcard'), 'postcard');
}
const codes = (fs: Finding[]): string[] => fs.map((f) => f.code).sort();
const find = (fs: Finding[], code: string): Finding => {
  const f = fs.find((x) => x.code === code);
  assert.ok(f, `expected ${code} in ${codes(fs).join(', ')}`);
  return f;
};

describe('validate', () => {
  test('a typical live journal yields only HJ053 (looks live)', () => {
    const fs = validate(decoded(journal()), ctx());
    assert.deepEqual(codes(fs), ['HJ053']);
    const f = find(fs, 'HJ053');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /handoff-supervisor/);
  });

  test('HJ001: undecodable, with the delete-journal fix', () => {
    const fs = validate(decodeJournal(fixture('invalid/024-option-tag-2.bin'), 'postcard'), ctx());
    assert.deepEqual(codes(fs), ['HJ001']);
    const f = find(fs, 'HJ001');
    assert.deepEqual([f.severity, f.fix, f.field], ['error', 'delete-journal', 'successor_pid']);
  });

  test('HJ002: trailing bytes; HJ003: non-canonical varint', () => {
    assert.ok(codes(validate(decodeJournal(fixture('invalid/040-accepted-trailing-1-zero-byte.bin')), ctx())).includes('HJ002'));
    const f = find(validate(decodeJournal(fixture('invalid/006-accepted-phase-noncanonical-80-00.bin')), ctx()), 'HJ003');
    assert.equal(f.field, 'phase');
  });

  const cases: [string, string, Partial<Journal>, Partial<ValidationContext>?][] = [
    ['HJ010', 'nil uuid', { handoff_id: new Uint8Array(16) }],
    ['HJ011', 'v1 uuid', { handoff_id: parseUuid('6ba7b810-9dad-11d1-80b4-00c04fd430c8') as Uint8Array }],
    ['HJ011', 'v4 with NCS variant', { handoff_id: parseUuid('3f2a9c1e-5b7d-4e8f-71c2-d3e4f5a6b7c8') as Uint8Array }],
    ['HJ020', 'incumbent 0', { incumbent_pid: 0 }],
    ['HJ021', 'successor 0', { successor_pid: 0 }],
    ['HJ022', 'successor None', { successor_pid: null }],
    ['HJ030', 'started at 0', { started_at_unix_ms: 0n }],
    ['HJ031', 'started 2 min in the future', { started_at_unix_ms: BigInt(NOW + 120_000) }],
    ['HJ040', 'stale Draining', { phase: 'Draining', started_at_unix_ms: BigInt(NOW - 301_000) }],
    ['HJ041', 'Committed on disk', { phase: 'Committed' }],
    ['HJ041', 'ResumingAfterAbort on disk', { phase: 'ResumingAfterAbort' }],
    ['HJ050', 'supervisor gone', {}, { process: procs({ 5678: 'db' }) }],
    ['HJ051', 'successor gone', {}, { process: procs({ 1234: 'sup' }) }],
    ['HJ052', 'no /proc', {}, { process: undefined }],
    ['HJ060', 'leftover tmp', {}, { tmpExists: true }],
  ];
  for (const [code, what, over, c] of cases) {
    test(`${code}: ${what}`, () => {
      const fs = validate(decoded(journal(over)), ctx(c));
      const f = find(fs, code);
      assert.ok(f.message.length > 20);
      if (code === 'HJ060') assert.deepEqual([f.field, f.fix], ['tmp', 'delete-tmp']);
      if (code === 'HJ041') assert.equal(f.fix, 'delete-journal');
      if (code === 'HJ052') assert.equal(f.severity, 'information');
    });
  }

  test('HJ040 honours the deadline exactly, and never for terminal phases', () => {
    const at = (ageMs: number, phase: Journal['phase'] = 'AwaitingReady'): string[] =>
      codes(validate(decoded(journal({ phase, started_at_unix_ms: BigInt(NOW - ageMs) })), ctx({ deadlineMs: 60_000 })));
    assert.ok(!at(60_000).includes('HJ040'));
    assert.ok(at(60_001).includes('HJ040'));
    assert.ok(!at(3_600_000, 'Committed').includes('HJ040'));
  });

  test('HJ031 honours the skew allowance', () => {
    const fut = (ms: number): string[] => codes(validate(decoded(journal({ started_at_unix_ms: BigInt(NOW + ms) })), ctx()));
    assert.ok(!fut(60_000).includes('HJ031'));
    assert.ok(fut(60_001).includes('HJ031'));
  });

  test('a dead supervisor at a non-terminal phase is HJ050, not HJ053', () => {
    const fs = codes(validate(decoded(journal()), ctx({ process: procs({}) })));
    assert.deepEqual(fs, ['HJ050', 'HJ051']);
  });

  test('a failed handoff left it (supervisor running, successor dead, phase unchanged for 250 ms): HJ054, not HJ053 nor HJ051', () => {
    const onlySupervisor = procs({ 1234: 'handoff-supervisor' });
    const at = (changedAgo: number | undefined, phase: Journal['phase'] = 'Draining'): Finding[] =>
      validate(
        decoded(journal({ phase })),
        ctx({ process: onlySupervisor, ...(changedAgo !== undefined ? { changedAtMs: NOW - changedAgo } : {}) }),
      );
    assert.deepEqual(codes(at(250)), ['HJ054']);
    const f = find(at(60_000), 'HJ054');
    assert.deepEqual([f.severity, f.field], ['warning', 'incumbent_pid']);
    assert.match(
      f.message,
      /^a failed handoff left this journal: the supervisor \(pid 1234, handoff-supervisor\) is running, but the successor \(pid 5678\) is dead and the phase has stayed Draining for 1m 00s/,
    );
    assert.match(f.message, /the next handoff overwrites it and a supervisor restart deletes it/);
    assert.doesNotMatch(f.message, /Do not change/);
    // Within the milliseconds an abort or a seal failure takes to delete it, or with no mtime: as before.
    assert.deepEqual(codes(at(249)), ['HJ051', 'HJ053']);
    assert.deepEqual(codes(at(undefined)), ['HJ051', 'HJ053']);
    // Both alive: live; both dead: the supervisor is gone (HJ050); terminal phases are HJ041.
    assert.deepEqual(codes(validate(decoded(journal()), ctx({ changedAtMs: NOW - 60_000 }))), ['HJ053']);
    assert.deepEqual(codes(validate(decoded(journal()), ctx({ process: procs({}), changedAtMs: NOW - 60_000 }))), ['HJ050', 'HJ051']);
    assert.ok(!codes(at(60_000, 'Committed')).includes('HJ054'));
  });

  test('looksLive: not for a journal a failed handoff left', () => {
    const onlySupervisor = procs({ 1234: 'handoff-supervisor' });
    assert.equal(looksLive(journal(), ALL_RUNNING, { now: NOW, changedAtMs: NOW - 60_000 }), true);
    assert.equal(looksLive(journal(), onlySupervisor, { now: NOW, changedAtMs: NOW - 60_000 }), false);
    assert.equal(looksLive(journal(), onlySupervisor, { now: NOW, changedAtMs: NOW - 10 }), true);
    assert.equal(looksLive(journal(), onlySupervisor), true);
    assert.equal(leftByFailedHandoff(journal(), { process: onlySupervisor, now: NOW, changedAtMs: NOW - 10 }), 'settling');
  });

  test('a terminal journal with a running supervisor is not "live"', () => {
    assert.deepEqual(codes(validate(decoded(journal({ phase: 'Committed' })), ctx())), ['HJ041']);
  });

  test('u64::MAX start time does not throw', () => {
    const fs = validate(decoded(journal({ started_at_unix_ms: (1n << 64n) - 1n })), ctx());
    assert.ok(codes(fs).includes('HJ031'));
  });
});

describe('render', () => {
  const base = (bytes: Uint8Array, over: Partial<RenderInput> = {}): RenderInput => {
    const d = decodeJournal(bytes);
    return {
      path: '/var/lib/beyond/handoff/db/state.bin',
      file: { state: 'ok', bytes },
      decoded: d,
      findings: validate(d, ctx()),
      now: NOW,
      process: ALL_RUNNING,
      raw: true,
      ...over,
    };
  };
  const typical = fixture('postcard/064-typical-sealing.bin');

  test('is deterministic', () => {
    assert.equal(render(base(typical)).text, render(base(typical)).text);
  });

  test('lines point at the field rows', () => {
    const r = render(base(typical));
    const rows = r.text.split('\n');
    const at = (k: keyof typeof r.lines): string => rows[r.lines[k] as number] as string;
    assert.match(at('handoff_id'), new RegExp(`^handoff_id\\s+${TYPICAL_ID}`));
    assert.match(at('phase'), /^phase\s+Sealing \(2\/5\)/);
    assert.match(at('incumbent_pid'), /^incumbent_pid\s+1234 /);
    assert.match(at('successor_pid'), /^successor_pid\s+Some\(5678\)/);
    assert.match(at('started_at_unix_ms'), /^started_at_unix_ms\s+1700000000000\s+2023-11-14T22:13:20.000Z \(10s ago\)/);
    assert.match(at('header'), /^Handoff journal\s+\/var\/lib/);
    assert.match(at('status'), /^status\s+decoded \(1 warning\)/);
    assert.match(at('findings'), /^Findings$/);
    assert.match(at('raw'), /^Raw bytes/);
    assert.match(r.text, /\n {2}0000 {2}10 3f 2a 9c 1e 5b 7d 4e 8f a1 c2 d3 e4 f5 a6 b7 {2}\.\?\*\.\.\[}N\.\.\.\.\.\.\.\.\n/);
  });

  test('a missing file renders "no journal: no handoff in flight"', () => {
    const r = render({ path: '/x/state.bin', file: { state: 'missing' }, findings: [], now: NOW, raw: true });
    const rows = r.text.split('\n');
    assert.match(rows[r.lines.status as number] as string, /no journal: no handoff in flight/);
    assert.equal(r.lines.phase, undefined);
  });

  test('an undecodable file renders the error and the hex dump', () => {
    const bytes = typical.subarray(0, 20);
    const r = render(base(bytes));
    const rows = r.text.split('\n');
    assert.match(rows[r.lines.error as number] as string, /^error\s+truncated at byte 20 while reading `successor_pid`/);
    assert.match(r.text, /cannot decode \(1 error\)/);
    assert.match(r.text, / {2}0010 {2}c8 02 d2 09 /);
    assert.match(rows[r.lines.phase as number] as string, /^phase\s+Sealing/, 'fields read before the error are shown');
  });

  test('journal bytes never add lines or control characters', () => {
    const text = `{"handoff_id":"${TYPICAL_ID}","phase":"Sealing","incumbent_pid":1234,"successor_pid":5678,"started_at_unix_ms":1700000000000,"evil\\nkey\\u0007\\r":1}`;
    const bytes = utf8(text);
    const input = base(bytes, { raw: false });
    assert.ok(input.decoded?.ok, 'decodes');
    const r = render(input);
    const plainLines = render(base(utf8(text.replace(/,"evil.*":1/, '')), { raw: false })).text.split('\n').length;
    const rows = r.text.split('\n');
    assert.equal(rows.length, plainLines + 1, 'exactly one more line: the HJ003 finding');
    const row = rows.find((l) => l.includes('HJ003'));
    assert.ok(row);
    assert.match(row, /unknown field .*evil.*never writes it\.$/);
    for (const l of rows) assert.doesNotMatch(l, /[\u0000-\u001f\u007f]/);
    for (const l of render(base(bytes)).text.split('\n')) assert.doesNotMatch(l, /[\u0000-\u001f\u007f]/, 'with the hex dump too');
  });

  test('an error message carrying a raw newline stays on one line', () => {
    // The phase-as-map form puts the unknown variant name (with its newline) into the message.
    const bytes = utf8(`{"phase":{"Sea\\nling":null}}`);
    const r = render(base(bytes));
    const rows = r.text.split('\n');
    const row = rows[r.lines.error as number] as string;
    assert.match(row, /unknown variant "Sea\\nling", expected one of .*ResumingAfterAbort/);
    for (const l of rows) assert.doesNotMatch(l, /[\u0000-\u001f\u007f]/);
  });

  test('a path with a newline stays on one line', () => {
    const r = render({ path: '/tmp/a\nb/state.bin', file: { state: 'missing', note: 'x\ny' }, findings: [], now: NOW, raw: false });
    assert.equal(r.text.split('\n')[0], 'Handoff journal     /tmp/a\\nb/state.bin');
    assert.ok(r.text.includes('x\\ny'));
  });
});

describe('supervisor limits', () => {
  test('names the config deadline, and flags Negotiating past the drain grace (HJ042)', () => {
    const j = {
      handoff_id: new Uint8Array(16).fill(0x44),
      phase: 'Negotiating' as const,
      incumbent_pid: 1,
      successor_pid: 2,
      started_at_unix_ms: 1_000_000n,
    };
    const ctx = {
      now: 1_000_000 + 20_000,
      deadlineMs: 30_000,
      drainGraceMs: 10_000,
      deadlineSource: 'deadline_secs in /etc/handoff/kv.toml',
      skewMs: 60_000,
      process: () => ({ running: false }),
    };
    assert.deepEqual(
      validateJournal(j, ctx).map((f) => f.code),
      ['HJ011', 'HJ042', 'HJ050', 'HJ051'],
    );
    const stale = validateJournal(j, { ...ctx, now: 1_000_000 + 31_000 }).find((f) => f.code === 'HJ040');
    assert.match(stale?.message ?? '', /30 s handoff deadline \(deadline_secs in \/etc\/handoff\/kv\.toml\)/);
  });
});
