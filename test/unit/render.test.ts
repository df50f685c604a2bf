/**
 * The decoded view (shared/journal/render.ts): its text and the `lines` map that places
 * diagnostics, hovers and lenses, for each state a journal file can be in, on the Rust
 * crates' own bytes (test/fixtures/rust); and that no outside text can add a line.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  decodeJournal,
  FIELDS,
  fieldReading,
  hex,
  historyLabel,
  isoTime,
  PHASE_INFO,
  render,
  withSeverity,
  type FieldName,
  type FileState,
  type HistoryEntry,
  type Journal,
  type LineKey,
  type ProcessInfo,
  type Rendered,
  type RenderInput,
} from '../../shared/journal';
import { fixture, journal, MANIFEST, TYPICAL_ID } from '../support/rustFixtures';

const PATH = '/var/lib/beyond/handoff/db/state.bin';
const START = 1_700_000_000_000;
const NOW = START + 10_000;
const LABEL = 20;
const TYPICAL = fixture('postcard/064-typical-sealing.bin');
const BEYOND = 'beyond the representable date range';

/** A process table: the pids listed run, with that command; every other pid does not. */
function procs(running: Record<number, string>): (pid: number) => ProcessInfo {
  return (pid) => (pid in running ? { running: true, command: running[pid] as string } : { running: false });
}

function input(bytes: Uint8Array, over: Partial<RenderInput> = {}): RenderInput {
  return { path: PATH, file: { state: 'ok', bytes }, decoded: decodeJournal(bytes), findings: [], now: NOW, raw: false, ...over };
}
const rowsOf = (text: string): string[] => text.split('\n');
/** The row of a line key, or a failed assertion when the key is absent. */
const at = (r: Rendered, key: LineKey): string => rowsOf(r.text)[r.lines[key] ?? assert.fail(`lines.${key} is not set`)] as string;
const row = (label: string, value: string): string => label.padEnd(LABEL) + value;
/** The typical journal's view with some inputs changed. */
const view = (over: Partial<RenderInput> = {}): Rendered => render(input(TYPICAL, over));
/** The view of a file that is not there or cannot be read. */
const bare = (file: FileState, raw = false): Rendered => render({ path: PATH, file, findings: [], now: NOW, raw });
/** One field's reading of the typical journal with some fields changed. */
const read = (f: FieldName, over: Partial<Journal> = {}, p?: (pid: number) => ProcessInfo, now = NOW): string =>
  fieldReading(f, journal(over), now, p);

describe('render: a decoded postcard journal from the Rust crate', () => {
  const entry = MANIFEST.find((e) => e.file === 'postcard/064-typical-sealing.bin');
  assert.ok(entry?.decoded);
  const d = entry.decoded;
  const r = render(input(fixture(entry.file)));

  test('the whole text, line by line', () => {
    const sealing = PHASE_INFO.Sealing;
    assert.deepEqual(rowsOf(r.text), [
      row('Handoff journal', PATH),
      row('encoding', `postcard, ${entry.len} bytes`),
      row('status', 'decoded'),
      '',
      row('handoff_id', `${d.handoff_id}  UUID v4 (random), rfc4122 variant`),
      row('phase', `${d.phase} (2/5)  ${sealing.meaning} Next: ${sealing.next}`),
      row('incumbent_pid', `${d.incumbent_pid}  liveness unknown (no /proc) (the reference supervisor records its own pid here)`),
      row('successor_pid', `Some(${d.successor_pid})  liveness unknown (no /proc)`),
      row('started_at_unix_ms', `${d.started_at_unix_ms}  2023-11-14T22:13:20.000Z (10s ago)`),
      '',
    ]);
  });

  test('lines maps each field and section to its row, and nothing else; the same inputs give the same text', () => {
    assert.deepEqual(r.lines, { header: 0, status: 2, handoff_id: 4, phase: 5, incumbent_pid: 6, successor_pid: 7, started_at_unix_ms: 8 });
    assert.equal(render(input(fixture(entry.file))).text, r.text);
  });

  test('every manifest journal that decodes shows its fields where lines says', () => {
    for (const e of MANIFEST.filter((x) => x.ok && x.decoded)) {
      const v = render(input(fixture(e.file)));
      const m = e.decoded as NonNullable<typeof e.decoded>;
      const succ = m.successor_pid === null ? 'None' : `Some(${m.successor_pid})`;
      const want = [`${m.handoff_id}  `, `${m.phase} (`, `${m.incumbent_pid}  `, `${succ}  `, `${m.started_at_unix_ms}  `];
      const got = FIELDS.map((f, i) => at(v, f).slice(LABEL, LABEL + (want[i] as string).length));
      assert.deepEqual(got, want, e.file);
    }
  });
});

describe('render: no journal, an unreadable file, undecodable bytes', () => {
  test('missing: no handoff in flight (with the note when there is one); unreadable: "cannot read" and the error', () => {
    const note = `${PATH} is a dangling symlink to x`;
    const r = bare({ state: 'missing', note }, true);
    assert.deepEqual(rowsOf(r.text).slice(1, 3), [row('status', 'no journal: no handoff in flight'), row('', note)]);
    assert.match(r.text, /its absence is the normal state\.\n$/);
    assert.deepEqual(r.lines, { header: 0, status: 1 }, 'no fields, no raw section, no error');
    assert.equal(rowsOf(bare({ state: 'missing' }).text).length, rowsOf(r.text).length - 1, 'one line fewer without a note');
    const message = `cannot read ${PATH}: permission denied (EACCES). Open it as root.`;
    const unreadable = bare({ state: 'error', message }, true);
    assert.equal(unreadable.text, `${row('Handoff journal', PATH)}\n${row('status', 'cannot read')}\n${row('error', message)}\n`);
    assert.deepEqual(unreadable.lines, { header: 0, status: 1, error: 2 });
  });

  test('undecodable: the error with its offset, the fields read before it; text: its start quoted as data', () => {
    const e = MANIFEST.find((x) => x.file === 'invalid/truncated-typical-20-of-29.bin');
    assert.ok(e && !e.ok);
    const r = render(input(fixture(e.file)));
    assert.equal(at(r, 'status'), row('status', 'cannot decode'));
    assert.match(at(r, 'error'), /^error {15}truncated at byte 20 while reading `successor_pid`/);
    assert.equal(rowsOf(r.text)[(r.lines.error as number) + 2], 'Fields read before the error:');
    const fields = [r.lines.handoff_id, r.lines.phase, r.lines.incumbent_pid, r.lines.successor_pid];
    assert.deepEqual(fields, [7, 8, 9, undefined], 'the three fields read, and not the one that was cut');
    assert.ok(at(r, 'handoff_id').includes(TYPICAL_ID));
    const one = render(input(fixture('invalid/zz-single-ff.bin')));
    assert.match(at(one, 'error'), /byte 1/);
    assert.equal(rowsOf(one.text).includes('Fields read before the error:'), false, 'a single byte: no heading');
    assert.deepEqual(Object.keys(one.lines).sort(), ['error', 'header', 'status']);
    const text = render(input(new TextEncoder().encode('hello\tworld')));
    assert.match(at(text, 'error'), /this is text, not a handoff journal.* It begins "hello\\tworld"\.$/);
  });
});

describe('render: findings and history', () => {
  const findings = [
    withSeverity({ code: 'HJ022', field: 'successor_pid', message: 'successor None' }),
    withSeverity({ code: 'HJ001', message: 'cannot decode' }),
    withSeverity({ code: 'HJ060', field: 'tmp', message: 'leftover temp' }),
    withSeverity({ code: 'HJ010', field: 'handoff_id', message: 'nil id' }),
  ];

  test('the status counts errors, warnings, notes in that order; the section keeps the given order', () => {
    const r = view({ findings: [...findings, withSeverity({ code: 'HJ050', message: 'a note' })] });
    assert.equal(at(r, 'status'), row('status', 'decoded (1 error, 3 warnings, 1 note)'));
    const rows = rowsOf(r.text);
    const first = (r.lines.findings as number) + 1;
    assert.equal(rows[(r.lines.findings as number) - 1], '');
    assert.equal(at(r, 'findings'), 'Findings');
    assert.deepEqual(rows.slice(first, first + 5), [
      '  warning     HJ022  successor None',
      '  error       HJ001  cannot decode',
      '  warning     HJ060  leftover temp',
      '  warning     HJ010  nil id',
      '  information HJ050  a note',
    ]);
    assert.equal(r.lines.tmp, first + 2, 'tmp points at the temp-file finding');
    const one = view({ findings: findings.slice(0, 2) });
    assert.equal(at(one, 'status'), row('status', 'decoded (1 error, 1 warning)'));
    assert.equal(one.lines.tmp, undefined);
    assert.deepEqual([view().lines.findings, view().text.includes('Findings')], [undefined, false]);
  });

  const history: HistoryEntry[] = [
    { at: START, phase: 'Negotiating', verdict: 'ok', message: 'a new journal appeared' },
    { at: START + 1, phase: 'Sealing', verdict: 'info', message: 'skipped Draining', source: 'watch' },
    { at: START + 2, phase: null, label: '3 handoffs ran', count: 3, longestMs: 7, verdict: 'none', source: 'watch', message: 'quick' },
    { at: START + 3, phase: 'AwaitingReady', verdict: 'error', message: 'moved back', source: 'log' },
    { at: START + 4, phase: null, verdict: 'ok', message: 'trigger done', source: 'reply' },
  ];

  test('each source shows its mark; lastChange is the newest watcher entry; empty: no section; historyLabel', () => {
    const r = view({ history });
    assert.match(at(r, 'history'), /^History \(changes observed/);
    const rows = rowsOf(r.text);
    const first = (r.lines.history as number) + 1;
    assert.deepEqual(rows.slice(first, first + 6), [
      '  2023-11-14T22:13:20.000Z  Negotiating               a new journal appeared',
      '  2023-11-14T22:13:20.001Z  Sealing             note  skipped Draining',
      '  2023-11-14T22:13:20.002Z  (3 handoffs ran)          quick',
      '  2023-11-14T22:13:20.003Z  AwaitingReady       ERROR [log] moved back',
      '  2023-11-14T22:13:20.004Z  (no journal)              [reply] trigger done',
      '',
    ]);
    assert.equal(r.lines.lastChange, first + 2, 'the quick summary, not the later log or reply entry');
    const outside = view({ history: history.slice(3) });
    assert.deepEqual([typeof outside.lines.history, outside.lines.lastChange], ['number', undefined], 'only log and reply entries');
    assert.equal(view({ history: [] }).lines.history, undefined);
    assert.deepEqual(history.map(historyLabel), ['Negotiating', 'Sealing', '(3 handoffs ran)', 'AwaitingReady', '(no journal)']);
    assert.equal(historyLabel({ at: 0, phase: null, label: 'undecodable', verdict: 'error', message: '' }), '(undecodable)');
  });
});

describe('render: raw bytes', () => {
  test('the field-boundary table follows the decoder ranges, then a 16-byte hex dump', () => {
    const r = view({ raw: true });
    const rows = rowsOf(r.text);
    const top = r.lines.raw as number;
    assert.equal(rows[top], 'Raw bytes (offset [start, end) field: hex)');
    assert.deepEqual(rows.slice(top + 1, top + 6), [
      '  [0, 17)     handoff_id          10 3f 2a 9c 1e 5b 7d 4e 8f a1 c2 d3 e4 f5 a6 b7 c8',
      '  [17, 18)    phase               02',
      '  [18, 20)    incumbent_pid       d2 09',
      '  [20, 23)    successor_pid       01 ae 2c',
      '  [23, 29)    started_at_unix_ms  80 d0 95 ff bc 31',
    ]);
    assert.deepEqual(rows.slice(top + 7, -1), [
      '  0000  10 3f 2a 9c 1e 5b 7d 4e 8f a1 c2 d3 e4 f5 a6 b7  .?*..[}N........',
      '  0010  c8 02 d2 09 01 ae 2c 80 d0 95 ff bc 31           ......,.....1',
    ]);
  });

  test('bytes after the record get a trailing row, cut at 24 bytes with an ellipsis', () => {
    const e = MANIFEST.find((x) => x.file === 'invalid/043-accepted-trailing-second-journal.bin');
    assert.ok(e?.consumed_bytes !== undefined && e.trailing_bytes !== undefined);
    const r = render(input(fixture(e.file), { raw: true }));
    const trailing = rowsOf(r.text).find((l) => l.includes('trailing'));
    assert.equal(trailing, `  [${e.consumed_bytes}, ${e.len})`.padEnd(14) + 'trailing'.padEnd(LABEL) + `${hex(fixture(e.file), 29, 53)} …`);
    assert.equal(e.trailing_bytes, 29);
  });

  test('an undecodable file shows the ranges read and the whole dump', () => {
    const r = render(input(fixture('invalid/truncated-typical-20-of-29.bin'), { raw: true }));
    const rows = rowsOf(r.text);
    assert.ok(rows.includes('  [18, 20)    incumbent_pid       d2 09'));
    assert.equal(rows.filter((l) => l.includes('successor_pid       ')).length, 0);
    assert.equal(rows.at(-2), '  0010  c8 02 d2 09' + ' '.repeat(38) + '....');
  });
});

describe('render: outside text never adds, hides or moves a line', () => {
  const nasty = 'a\nb\u001b[2Jc\u2028d\u202ee';
  const shown = 'a\\nb\\x1b[2Jc\\u{2028}d\\u{202e}e';
  const cmd = { 1234: `sup ${nasty}`, 5678: 'db' };

  test('a path and a process command with a newline, ESC, U+2028 and U+202E', () => {
    const clean = view({ process: procs({ 1234: 'sup x', 5678: 'db' }), raw: true });
    const dirty = view({ path: `/tmp/${nasty}/state.bin`, process: procs(cmd), raw: true });
    assert.equal(rowsOf(dirty.text).length, rowsOf(clean.text).length);
    assert.deepEqual(dirty.lines, clean.lines);
    assert.equal(at(dirty, 'header'), row('Handoff journal', `/tmp/${shown}/state.bin`));
    assert.ok(at(dirty, 'incumbent_pid').includes(`running: sup ${shown} (the reference`));
    assert.doesNotMatch(dirty.text.slice(0, -1), /[\u0000-\u0009\u000b-\u001f\u2028\u202e]/);
  });

  test('in the note, the error, a finding and a history message', () => {
    assert.equal(rowsOf(bare({ state: 'missing', note: nasty }).text)[2], row('', shown));
    const error = bare({ state: 'error', message: nasty }).text;
    assert.equal(error, `${row('Handoff journal', PATH)}\n${row('status', 'cannot read')}\n${row('error', shown)}\n`);
    const h: HistoryEntry = { at: START, phase: null, label: nasty, verdict: 'none', message: nasty };
    const f = withSeverity({ code: 'HJ003', message: nasty });
    const r = view({ findings: [f], history: [h] });
    assert.equal(rowsOf(r.text).length, (r.lines.history as number) + 3);
    assert.ok(rowsOf(r.text)[(r.lines.findings as number) + 1]?.endsWith(shown));
    assert.ok(rowsOf(r.text)[(r.lines.history as number) + 1]?.endsWith(shown));
  });
});

describe('isoTime, hex and fieldReading', () => {
  test('isoTime at the edges of the Date range; hex in lower-case pairs, with a range', () => {
    assert.equal(isoTime(0n), '1970-01-01T00:00:00.000Z');
    assert.equal(isoTime(BigInt(START)), '2023-11-14T22:13:20.000Z');
    assert.equal(isoTime(8_640_000_000_000_000n), '+275760-09-13T00:00:00.000Z');
    assert.equal(isoTime(8_640_000_000_000_001n), BEYOND);
    assert.equal(isoTime(18_446_744_073_709_551_615n), BEYOND);
    assert.equal(isoTime(-8_640_000_000_000_000n), '-271821-04-20T00:00:00.000Z');
    assert.equal(isoTime(-8_640_000_000_000_001n), BEYOND);
    const b = new Uint8Array([0x00, 0x0f, 0xab, 0xff]);
    assert.equal(hex(b), '00 0f ab ff');
    assert.equal(hex(b, 1, 3), '0f ab');
    assert.equal(hex(b, 2, 2), '');
  });

  const running = procs({ 1234: 'handoff-sup', 5678: 'db --new' });

  test('handoff_id: nil, random v4, another version', () => {
    assert.equal(read('handoff_id', { handoff_id: new Uint8Array(16) }), '00000000-0000-0000-0000-000000000000  nil UUID');
    assert.equal(read('handoff_id'), `${TYPICAL_ID}  UUID v4 (random), rfc4122 variant`);
    const v1 = Uint8Array.from({ length: 16 }, (_, i) => (i === 6 ? 0x11 : i === 8 ? 0xc0 : 1));
    assert.match(read('handoff_id', { handoff_id: v1 }), / {2}UUID v1, microsoft variant$/);
  });

  test('pids: 0 is no process; running (with its command), not running, or unknown without a table', () => {
    assert.match(read('incumbent_pid', { incumbent_pid: 0 }, running), /^0 {2}no process \(/);
    assert.match(read('incumbent_pid', {}, running), /^1234 {2}running: handoff-sup \(/);
    assert.match(read('incumbent_pid', {}, procs({})), /^1234 {2}not running on this host \(/);
    assert.equal(read('successor_pid', {}, running), 'Some(5678)  running: db --new');
    const alive = (): ProcessInfo => ({ running: true });
    assert.equal(read('successor_pid', {}, alive), 'Some(5678)  running');
    assert.equal(read('successor_pid'), 'Some(5678)  liveness unknown (no /proc)');
    assert.equal(read('successor_pid', { successor_pid: 0 }, running), 'Some(0)  no process');
    assert.equal(read('successor_pid', { successor_pid: null }, running), 'None  (the reference supervisor always writes Some)');
  });

  test('phase and started_at (past, future, beyond the Date range); an absent field reads empty', () => {
    const { meaning, next } = PHASE_INFO.Committed;
    assert.equal(read('phase', { phase: 'Committed' }), `Committed (4/5)  ${meaning} Next: ${next}`);
    assert.equal(read('started_at_unix_ms', {}, undefined, START + 3_723_000), '1700000000000  2023-11-14T22:13:20.000Z (1h 02m ago)');
    assert.equal(read('started_at_unix_ms', {}, undefined, START - 120_000), '1700000000000  2023-11-14T22:13:20.000Z (in 2m 00s)');
    const far = read('started_at_unix_ms', { started_at_unix_ms: 18_446_744_073_709_551_615n });
    assert.match(far, new RegExp(`^18446744073709551615  ${BEYOND} \\(in \\d+d \\d+h\\)$`));
    assert.equal(FIELDS.map((f) => fieldReading(f, {}, NOW, running)).join(''), '', 'an absent field reads empty');
  });
});
