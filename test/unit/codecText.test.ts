/** The JSON and MessagePack codecs (serde_json and rmp-serde rules) and encoding detection. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJournal, decodeMsgpack, detectEncoding, encodeJournal, MAX_JOURNAL_BYTES, type DecodeResult } from '../../shared/journal';
import { fixture, journal, plain, utf8, TYPICAL_ID, ok, bad } from '../support/rustFixtures';

describe('JSON (serde_json rules)', () => {
  const text = (o: Record<string, string>): Uint8Array => {
    const f: Record<string, string> = {
      handoff_id: `"${TYPICAL_ID}"`,
      phase: '"Sealing"',
      incumbent_pid: '1234',
      successor_pid: '5678',
      started_at_unix_ms: '1700000000000',
      ...o,
    };
    return utf8(
      '{' +
        Object.entries(f)
          .filter(([, v]) => v !== '')
          .map(([k, v]) => (k.startsWith('"') ? `${k}:${v}` : `"${k}":${v}`))
          .join(',') +
        '}',
    );
  };
  const json = (b: Uint8Array): DecodeResult => decodeJournal(b, 'json');

  for (const spelling of [TYPICAL_ID.toUpperCase(), `{${TYPICAL_ID}}`, `urn:uuid:${TYPICAL_ID}`, TYPICAL_ID.replace(/-/g, '')]) {
    test(`uuid spelling ${spelling} accepted`, () => {
      const r = ok(json(text({ handoff_id: `"${spelling}"` })));
      assert.deepEqual(plain(r.journal), plain(journal()));
      assert.ok(r.notes.some((n) => n.code === 'odd-form' && n.field === 'handoff_id'));
    });
  }
  test('bad uuid rejected', () => {
    assert.equal(bad(json(text({ handoff_id: '"3f2a9c1e-5b7d-4e8f-a1c2-d3e4f5a6b7c"' }))).kind, 'bad-uuid');
  });
  test('duplicate key rejected', () => {
    const r = bad(json(utf8(`{"phase":"Sealing",${new TextDecoder().decode(text({})).slice(1)}`)));
    assert.equal(r.kind, 'duplicate-field');
    assert.equal(r.field, 'phase');
  });
  test('unknown field accepted with a note', () => {
    const r = ok(json(text({ '"extra"': '{"a":[1,2,{"b":null}]}' })));
    assert.deepEqual(plain(r.journal), plain(journal()));
    assert.ok(r.notes.some((n) => n.code === 'odd-form' && /extra/.test(n.message)));
  });
  test('missing successor_pid reads as None', () => {
    assert.equal(ok(json(text({ successor_pid: '' }))).journal.successor_pid, null);
  });
  test('missing incumbent_pid rejected', () => {
    const r = bad(json(text({ incumbent_pid: '' })));
    assert.deepEqual([r.kind, r.field], ['missing-field', 'incumbent_pid']);
  });
  test('started_at u64::MAX exact, 2^64 rejected', () => {
    assert.equal(ok(json(text({ started_at_unix_ms: '18446744073709551615' }))).journal.started_at_unix_ms, 18446744073709551615n);
    const r = bad(json(text({ started_at_unix_ms: '18446744073709551616' })));
    assert.equal(r.field, 'started_at_unix_ms');
  });
  test('pid 2^32 rejected as bad-value', () => {
    const r = bad(json(text({ incumbent_pid: '4294967296' })));
    assert.deepEqual([r.kind, r.field], ['bad-value', 'incumbent_pid']);
  });
  for (const [field, v] of [
    ['incumbent_pid', '1e3'],
    ['incumbent_pid', '1234.0'],
    ['incumbent_pid', '-0'],
    ['successor_pid', '1e3'],
    ['started_at_unix_ms', '1234.0'],
    ['started_at_unix_ms', '-0'],
  ] as const) {
    test(`float ${v} rejected for ${field}`, () => {
      const r = bad(json(text({ [field]: v })));
      assert.deepEqual([r.kind, r.field], ['bad-type', field]);
    });
  }
  test('negative pid rejected', () => {
    assert.equal(bad(json(text({ incumbent_pid: '-1' }))).field, 'incumbent_pid');
  });
  test('trailing garbage rejected, trailing whitespace accepted', () => {
    const b = text({});
    const r = bad(json(Uint8Array.from([...b, 0x20, 0x78])));
    assert.equal(r.kind, 'trailing-data');
    assert.equal(r.offset, b.length + 1);
    ok(json(Uint8Array.from([...b, 0x0a, 0x20])));
  });
  test('200 levels of nesting in an unknown field are rejected without throwing', () => {
    const deep = '['.repeat(200) + ']'.repeat(200);
    const b = text({ '"deep"': deep });
    let r: DecodeResult | undefined;
    assert.doesNotThrow(() => {
      r = json(b);
    });
    assert.ok(r && !r.ok);
    assert.equal(decodeJournal(b).ok, false);
  });
  test('lowercase phase rejected', () => {
    assert.equal(bad(json(text({ phase: '"sealing"' }))).kind, 'unknown-phase');
  });
  test('json-odd rejections name the field and the kind', () => {
    const cases: [string, string, string][] = [
      ['json-odd/10-phase-lowercase.json', 'unknown-phase', 'phase'],
      ['json-odd/13-pid-over-u32max.json', 'bad-value', 'incumbent_pid'],
      ['json-odd/15-started-as-string.json', 'bad-type', 'started_at_unix_ms'],
    ];
    for (const [file, kind, field] of cases) {
      const r = bad(json(fixture(file)));
      assert.deepEqual([r.kind, r.field], [kind, field], file);
    }
  });
  test('truncated JSON', () => {
    const b = text({});
    assert.equal(bad(json(b.subarray(0, b.length - 3))).kind, 'truncated');
  });
});

describe('MessagePack', () => {
  const arr = fixture('msgpack-array/064-typical-sealing.bin');
  test('array length other than 5 rejected', () => {
    for (const head of [0x94, 0x96]) {
      const b = Uint8Array.from(arr);
      b[0] = head;
      const r = bad(decodeMsgpack(b));
      assert.equal(r.kind, 'bad-value');
    }
  });
  test('duplicate map key rejected', () => {
    const named = encodeJournal(journal(), 'msgpack-named');
    // fixmap of 6: append "phase": "Sealing" again.
    const extra = [0xa5, ...utf8('phase'), 0xa7, ...utf8('Sealing')];
    const b = Uint8Array.from([0x86, ...named.subarray(1), ...extra]);
    const r = bad(decodeMsgpack(b));
    assert.deepEqual([r.kind, r.field], ['duplicate-field', 'phase']);
  });
  test('map without successor_pid reads as None', () => {
    const named = encodeJournal(journal({ successor_pid: null }), 'msgpack-named');
    const r = ok(decodeMsgpack(named));
    assert.equal(r.journal.successor_pid, null);
  });
  // rmp-serde hands a float marker (0xca/0xcb) to serde's u32/u64 visitor via visit_f64,
  // which rejects it ("invalid type: floating point"); @msgpack/msgpack turns 1234.0 into 1234.
  const withPid = (pid: number[]): Uint8Array =>
    Uint8Array.from([0x95, 0xc4, 0x10, ...arr.subarray(3, 19), 0xa7, ...utf8('Sealing'), ...pid, 0xc0, 0x05]);
  test('float 1234.0 for incumbent_pid is rejected', () => {
    assert.equal(ok(decodeMsgpack(withPid([0xcd, 0x04, 0xd2]))).journal.incumbent_pid, 1234);
    const r = bad(decodeMsgpack(withPid([0xcb, 0x40, 0x93, 0x48, 0, 0, 0, 0, 0])));
    assert.deepEqual([r.kind, r.field], ['bad-type', 'incumbent_pid']);
  });
  test('uint64 2^32 for incumbent_pid is bad-value (out of range), like JSON', () => {
    const r = bad(decodeMsgpack(withPid([0xcf, 0, 0, 0, 1, 0, 0, 0, 0])));
    assert.deepEqual([r.kind, r.field], ['bad-value', 'incumbent_pid']);
  });
  test('truncated msgpack', () => {
    const r = bad(decodeMsgpack(arr.subarray(0, 20)));
    assert.equal(r.kind, 'truncated');
  });
});

describe('auto-detection', () => {
  test('fixture encodings are detected', () => {
    assert.equal(detectEncoding(fixture('postcard/064-typical-sealing.bin')), 'postcard');
    assert.equal(detectEncoding(fixture('msgpack-array/064-typical-sealing.bin')), 'msgpack');
    assert.equal(detectEncoding(fixture('msgpack-named/064-typical-sealing.bin')), 'msgpack-named');
    assert.equal(detectEncoding(fixture('json/064-typical-sealing.json')), 'json');
    assert.equal(detectEncoding(utf8('  \n {"a":1}')), 'json');
  });
  test('a text file is not a journal', () => {
    const r = bad(decodeJournal(utf8('journal = "/var/lib/beyond/handoff/db/state.bin"\n')));
    assert.equal(r.kind, 'not-a-journal');
    assert.equal(detectEncoding(utf8('héllo wörld, 日本語 🔑\n')), 'text', 'UTF-8 beyond ASCII is text too');
    assert.equal(detectEncoding(new Uint8Array([0x68, 0xc3, 0x28])), 'postcard', 'a broken UTF-8 sequence is not text');
  });
  test('more than 64 KiB is too large', () => {
    const b = new Uint8Array(MAX_JOURNAL_BYTES + 1);
    b.set(fixture('postcard/064-typical-sealing.bin'));
    for (const choice of ['auto', 'postcard', 'msgpack', 'json'] as const) {
      assert.equal(bad(decodeJournal(b, choice)).kind, 'too-large', choice);
    }
  });
});
