import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJournal, encodeJournal, type EncodingChoice, type Encoding } from '../../shared/journal';
import { MANIFEST, fixture, plain, toHex, type ManifestEntry, ok, bad } from '../support/rustFixtures';

const CHOICE: Record<ManifestEntry['encoding'], EncodingChoice> = {
  postcard: 'postcard',
  'msgpack-array': 'msgpack',
  'msgpack-named': 'msgpack',
  json: 'json',
};
const ENCODING: Record<ManifestEntry['encoding'], Encoding> = {
  postcard: 'postcard',
  'msgpack-array': 'msgpack',
  'msgpack-named': 'msgpack-named',
  json: 'json',
};

describe('manifest fixtures (judged by the Rust crates)', () => {
  for (const e of MANIFEST) {
    test(e.file, () => {
      const bytes = fixture(e.file);
      assert.equal(toHex(bytes), e.hex, 'fixture bytes match the manifest hex');
      for (const choice of [CHOICE[e.encoding], 'auto'] as const) {
        const r = decodeJournal(bytes, choice);
        assert.equal(r.ok, e.ok, `${choice}: ok (${r.ok ? '' : `${r.kind}: ${r.message}`})`);
        if (r.ok) {
          assert.deepEqual(plain(r.journal), e.decoded, `${choice}: decoded value`);
          assert.equal(r.encoding, ENCODING[e.encoding], `${choice}: encoding`);
        }
        if (e.encoding !== 'postcard') continue;
        if (r.ok) {
          assert.equal(r.consumed, e.consumed_bytes, `${choice}: consumed`);
          assert.equal(r.trailing.length, e.trailing_bytes, `${choice}: trailing`);
        } else if (choice === 'postcard') {
          // With 'auto' a non-postcard first byte may be routed elsewhere; the explicit
          // postcard decoder must name the same postcard::Error variant as the crate.
          assert.equal(r.rustError, e.error, 'rustError');
        }
      }
      if (e.ok && e.canonical) {
        const r = ok(decodeJournal(bytes, CHOICE[e.encoding]));
        assert.equal(toHex(encodeJournal(r.journal, ENCODING[e.encoding])), e.hex, 're-encodes to the same bytes');
      }
    });
  }
});

describe('postcard error classes', () => {
  const typical = fixture('postcard/064-typical-sealing.bin');
  // Layout of the typical journal: [0] len, [1,17) uuid, [17] phase, [18,20) incumbent,
  // [20] option tag, [21,23) successor, [23,29) started_at.
  const fieldAt = (n: number): string =>
    n <= 16 ? 'handoff_id' : n === 17 ? 'phase' : n <= 19 ? 'incumbent_pid' : n <= 22 ? 'successor_pid' : 'started_at_unix_ms';

  test('empty file', () => {
    const r = bad(decodeJournal(new Uint8Array(0), 'postcard'));
    assert.equal(r.kind, 'empty');
    assert.equal(r.offset, 0);
    assert.equal(r.rustError, 'DeserializeUnexpectedEnd');
    assert.equal(bad(decodeJournal(new Uint8Array(0))).kind, 'empty');
  });

  test('every truncation names the offset and the field', () => {
    for (let n = 1; n < typical.length; n++) {
      const r = bad(decodeJournal(typical.subarray(0, n), 'postcard'));
      assert.equal(r.kind, 'truncated', `prefix ${n}`);
      assert.equal(r.offset, n, `prefix ${n}`);
      assert.equal(r.field, fieldAt(n), `prefix ${n}`);
      assert.match(r.message, new RegExp(`\`${fieldAt(n)}\``), `prefix ${n}`);
      assert.equal(r.rustError, 'DeserializeUnexpectedEnd');
    }
  });

  const cases: [string, string, number, string, string][] = [
    ['invalid/001-phase-6.bin', 'unknown-phase', 17, 'phase', 'SerdeDeCustom'],
    ['invalid/024-option-tag-2.bin', 'bad-option-tag', 20, 'successor_pid', 'DeserializeBadOption'],
    ['invalid/019-incumbent-5byte-2pow32.bin', 'varint-overflow', 18, 'incumbent_pid', 'DeserializeBadVarint'],
    ['invalid/017-incumbent-6byte-overlong.bin', 'bad-varint', 18, 'incumbent_pid', 'DeserializeBadVarint'],
    ['invalid/031-started-11byte-overlong.bin', 'bad-varint', 23, 'started_at_unix_ms', 'DeserializeBadVarint'],
    ['invalid/009-uuid-len-15.bin', 'bad-uuid-length', 0, 'handoff_id', 'SerdeDeCustom'],
    ['invalid/045-uuid-missing.bin', 'bad-uuid-length', 0, 'handoff_id', 'SerdeDeCustom'],
  ];
  for (const [file, kind, offset, field, rust] of cases) {
    test(`${file} -> ${kind} at ${offset}`, () => {
      const r = bad(decodeJournal(fixture(file), 'postcard'));
      assert.deepEqual([r.kind, r.offset, r.field, r.rustError], [kind, offset, field, rust]);
      assert.ok(r.message.length > 20);
    });
  }

  test('u64 varint: 10 continuation bytes is bad-varint, 9 then end is truncated', () => {
    const head = typical.subarray(0, 23);
    const ten = Uint8Array.from([...head, ...new Array<number>(10).fill(0x80)]);
    assert.equal(bad(decodeJournal(ten, 'postcard')).kind, 'bad-varint');
    const nine = Uint8Array.from([...head, ...new Array<number>(9).fill(0x80)]);
    const r = bad(decodeJournal(nine, 'postcard'));
    assert.deepEqual([r.kind, r.offset], ['truncated', 32]);
    const over = Uint8Array.from([...head, ...new Array<number>(9).fill(0xff), 0x02]);
    assert.equal(bad(decodeJournal(over, 'postcard')).kind, 'varint-overflow');
    const max = Uint8Array.from([...head, ...new Array<number>(9).fill(0xff), 0x01]);
    assert.equal(ok(decodeJournal(max, 'postcard')).journal.started_at_unix_ms, 18446744073709551615n);
  });

  test('non-canonical varint is accepted with a note', () => {
    const r = ok(decodeJournal(fixture('invalid/006-accepted-phase-noncanonical-80-00.bin'), 'postcard'));
    assert.equal(r.journal.phase, 'Negotiating');
    const n = r.notes.find((x) => x.code === 'non-canonical');
    assert.ok(n, 'has a non-canonical note');
    assert.equal(n.field, 'phase');
    assert.deepEqual(n.range, { start: 17, end: 19 });
  });

  test('trailing bytes are accepted with a note', () => {
    const r = ok(decodeJournal(fixture('invalid/040-accepted-trailing-1-zero-byte.bin'), 'postcard'));
    const n = r.notes.find((x) => x.code === 'trailing-bytes');
    assert.ok(n);
    assert.deepEqual(n.range, { start: 29, end: 30 });
    assert.deepEqual([...r.trailing], [0]);
  });

  test('field ranges of the typical journal', () => {
    const r = ok(decodeJournal(typical, 'postcard'));
    assert.deepEqual(r.ranges, {
      handoff_id: { start: 0, end: 17 },
      phase: { start: 17, end: 18 },
      incumbent_pid: { start: 18, end: 20 },
      successor_pid: { start: 20, end: 23 },
      started_at_unix_ms: { start: 23, end: 29 },
    });
    assert.deepEqual(r.notes, []);
  });
});
