import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fc } from '../support/properties';
import {
  decodeJournal,
  encodeJournal,
  ENCODING_CHOICES,
  type DecodeResult,
  type EncodingChoice,
  POSTCARD_MAX_BYTES,
  POSTCARD_MIN_BYTES,
  ENCODINGS,
  PHASES,
  U32_MAX,
  U64_MAX,
  type Encoding,
  type Journal,
} from '../../shared/journal';
import { plain } from '../support/rustFixtures';

const u32 = fc.oneof(
  fc.constantFrom(0, 1, 127, 128, 16383, 16384, 0x7fff_ffff, 0x8000_0000, U32_MAX),
  fc.tuple(fc.nat(0xffff), fc.nat(0xffff)).map(([hi, lo]) => hi * 0x1_0000 + lo),
);
const u64 = fc.oneof(
  fc.constantFrom(
    0n,
    1n,
    127n,
    128n,
    2n ** 32n - 1n,
    2n ** 32n,
    2n ** 53n - 1n,
    2n ** 53n,
    2n ** 53n + 1n,
    1_700_000_000_000n,
    U64_MAX - 1n,
    U64_MAX,
  ),
  fc.bigInt({ min: 0n, max: U64_MAX }),
);
const journalArb: fc.Arbitrary<Journal> = fc.record({
  handoff_id: fc.uint8Array({ minLength: 16, maxLength: 16 }),
  phase: fc.constantFrom(...PHASES),
  incumbent_pid: u32,
  successor_pid: fc.option(u32, { nil: null }),
  started_at_unix_ms: u64,
});

const CHOICE_FOR: Record<Encoding, EncodingChoice> = { postcard: 'postcard', msgpack: 'msgpack', 'msgpack-named': 'msgpack', json: 'json' };

function mustDecode(r: DecodeResult): Journal {
  if (!r.ok) assert.fail(`${r.kind} at ${r.offset}: ${r.message}`);
  return r.journal;
}

describe('codec properties', () => {
  for (const enc of ENCODINGS) {
    test(`round trip: ${enc}`, () => {
      fc.assert(
        fc.property(journalArb, (j) => {
          const bytes = encodeJournal(j, enc);
          for (const choice of [CHOICE_FOR[enc], 'auto'] as const) {
            const r = decodeJournal(bytes, choice);
            assert.deepEqual(plain(mustDecode(r)), plain(j), choice);
            assert.ok(r.ok);
            assert.equal(r.encoding, enc);
            assert.equal(r.consumed, bytes.length);
            assert.equal(r.trailing.length, 0);
            assert.deepEqual(r.notes, [], 'a canonical encoding has no notes');
          }
          // encoding is deterministic
          assert.deepEqual(encodeJournal(j, enc), bytes);
        }),
        { numRuns: 300 },
      );
    });
  }

  test('postcard length is always 21..39', () => {
    fc.assert(
      fc.property(journalArb, (j) => {
        const n = encodeJournal(j, 'postcard').length;
        assert.ok(n >= POSTCARD_MIN_BYTES && n <= POSTCARD_MAX_BYTES, `length ${n}`);
        assert.ok(n >= 21 && n <= 39);
      }),
      { numRuns: 500 },
    );
    const biggest: Journal = {
      handoff_id: new Uint8Array(16),
      phase: 'ResumingAfterAbort',
      incumbent_pid: U32_MAX,
      successor_pid: U32_MAX,
      started_at_unix_ms: U64_MAX,
    };
    assert.equal(encodeJournal(biggest, 'postcard').length, 39);
    const smallest: Journal = {
      handoff_id: new Uint8Array(16),
      phase: 'Negotiating',
      incumbent_pid: 0,
      successor_pid: null,
      started_at_unix_ms: 0n,
    };
    assert.equal(encodeJournal(smallest, 'postcard').length, 21);
  });

  test('every strict prefix of a postcard journal is truncated at its length', () => {
    fc.assert(
      fc.property(journalArb, (j) => {
        const bytes = encodeJournal(j, 'postcard');
        for (let n = 0; n < bytes.length; n++) {
          const r = decodeJournal(bytes.subarray(0, n), 'postcard');
          assert.equal(r.ok, false, `prefix ${n}`);
          if (r.ok) return;
          assert.equal(r.kind, n === 0 ? 'empty' : 'truncated', `prefix ${n}`);
          assert.equal(r.offset, n, `prefix ${n}`);
          assert.equal(r.rustError, 'DeserializeUnexpectedEnd');
        }
      }),
      { numRuns: 200 },
    );
  });

  test('trailing bytes never change the decoded journal', () => {
    fc.assert(
      fc.property(journalArb, fc.uint8Array({ minLength: 1, maxLength: 20 }), (j, extra) => {
        const bytes = encodeJournal(j, 'postcard');
        const r = decodeJournal(Uint8Array.from([...bytes, ...extra]), 'postcard');
        assert.deepEqual(plain(mustDecode(r)), plain(j));
        assert.ok(r.ok);
        assert.equal(r.consumed, bytes.length);
        assert.equal(r.trailing.length, extra.length);
        assert.ok(r.notes.some((n) => n.code === 'trailing-bytes'));
      }),
      { numRuns: 200 },
    );
  });

  test('an over-long phase varint is accepted with a non-canonical note', () => {
    fc.assert(
      fc.property(journalArb, fc.integer({ min: 1, max: 4 }), (j, pad) => {
        const bytes = encodeJournal(j, 'postcard');
        const idx = bytes[17] as number;
        const varint = [idx | 0x80, ...new Array<number>(pad - 1).fill(0x80), 0x00];
        const r = decodeJournal(Uint8Array.from([...bytes.subarray(0, 17), ...varint, ...bytes.subarray(18)]), 'postcard');
        assert.deepEqual(plain(mustDecode(r)), plain(j));
        assert.ok(r.ok && r.notes.some((n) => n.code === 'non-canonical' && n.field === 'phase'));
      }),
      { numRuns: 100 },
    );
  });

  const neverThrows = (bytes: Uint8Array): void => {
    for (const choice of ENCODING_CHOICES) {
      let r: DecodeResult | undefined;
      try {
        r = decodeJournal(bytes, choice);
      } catch (e) {
        assert.fail(`decodeJournal(${choice}) threw ${String(e)} for ${Buffer.from(bytes).toString('hex')}`);
      }
      assert.equal(typeof r.ok, 'boolean');
      if (!r.ok) {
        assert.equal(typeof r.message, 'string');
        assert.ok(r.offset >= 0 && r.offset <= Math.max(bytes.length, 0), `offset ${r.offset} within ${bytes.length}`);
      }
    }
  };

  test('arbitrary bytes never throw, with any encoding choice', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 100 }), neverThrows), { numRuns: 1000 });
  });

  test('mutated journals never throw', () => {
    const enc = fc.constantFrom(...ENCODINGS);
    fc.assert(
      fc.property(journalArb, enc, fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }), (j, e, edits) => {
        const b = Uint8Array.from(encodeJournal(j, e));
        for (const [at, v] of edits) b[at % b.length] = v;
        neverThrows(b);
      }),
      { numRuns: 500 },
    );
  });

  test('arbitrary JSON values never throw', () => {
    fc.assert(
      fc.property(fc.json({ depthSize: 'small' }), (s) => neverThrows(new TextEncoder().encode(s))),
      { numRuns: 300 },
    );
  });
});
