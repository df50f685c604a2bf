/**
 * postcard 1.x codec for `StateJournal`, byte-exact with the Rust `postcard` crate as
 * pinned by the handoff repository (1.1.3). Layout (journal-semantics.md):
 *   varint len (=16) + 16 uuid bytes | varint phase index | varint u32 incumbent_pid |
 *   option tag 00/01 [+ varint u32] | varint u64 started_at_unix_ms
 * Varints are unsigned LEB128. Like postcard, the decoder accepts non-canonical
 * (over-long but in-limit) varints and ignores trailing bytes, and rejects a u32 varint
 * longer than 5 bytes or whose 5th byte is > 0x0f, and a u64 varint longer than 10
 * bytes or whose 10th byte is > 0x01. Both are reported as notes instead.
 */
import { legacyPhaseNote, PHASES, type FieldName, type Journal, type Phase } from '../model';
import type { ByteRange, CodecNote, DecodeError, DecodeErrorKind, DecodeResult, FieldRanges } from './types';

/** Smallest possible postcard journal: 1+16 uuid, 1 phase, 1 pid, 1 None tag, 1 time. */
export const POSTCARD_MIN_BYTES = 21;
/** Largest canonical postcard journal: 17 + 1 + 5 + 1 + 5 + 10. */
export const POSTCARD_MAX_BYTES = 39;

// Decoder state lives in module variables: decoding is synchronous and this keeps the
// hot path free of allocations for cursor objects (see bench/).
let pos = 0;
let fail = 0; // 0 ok, 1 ran out of input, 2 too many bytes, 3 last byte overflows
let canonical = true;

const NO_BYTES = new Uint8Array(0);
const END = 1;
const TOO_LONG = 2;
const OVERFLOW = 3;

function readU32(b: Uint8Array): number {
  let out = 0;
  for (let i = 0; i < 5; i++) {
    if (pos >= b.length) {
      fail = END;
      return 0;
    }
    const v = b[pos++] as number;
    if (i < 4) out |= (v & 0x7f) << (7 * i);
    else out = (out >>> 0) + (v & 0x7f) * 0x1000_0000;
    if ((v & 0x80) === 0) {
      if (v === 0 && i > 0) canonical = false;
      if (i === 4 && v > 0x0f) {
        fail = OVERFLOW;
        return 0;
      }
      return out;
    }
  }
  fail = TOO_LONG;
  return 0;
}

// 128^i, so the hot loop multiplies by a constant instead of calling Math.pow.
const POW128 = [1, 0x80, 0x4000, 0x20_0000, 0x1000_0000, 0x8_0000_0000, 0x400_0000_0000, 0x2_0000_0000_0000];

/**
 * Reads a u64 varint as a number: exact when it ends within 7 bytes (< 2^49). Sets
 * `wide` when it is longer, so the caller re-reads it exactly with `readU64Wide`.
 */
let wide = false;
function readU64Num(b: Uint8Array): number {
  let out = 0;
  for (let i = 0; i < 7; i++) {
    if (pos >= b.length) {
      fail = END;
      return 0;
    }
    const v = b[pos++] as number;
    out += (v & 0x7f) * (POW128[i] as number);
    if ((v & 0x80) === 0) {
      if (v === 0 && i > 0) canonical = false;
      return out;
    }
  }
  wide = true;
  return 0;
}

/** The exact (bigint) reading of a u64 varint of any length, with postcard's limits. */
function readU64Wide(b: Uint8Array, start: number): bigint {
  pos = start;
  let out = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos >= b.length) {
      fail = END;
      return 0n;
    }
    const v = b[pos++] as number;
    out |= BigInt(v & 0x7f) << BigInt(7 * i);
    if ((v & 0x80) === 0) {
      if (v === 0 && i > 0) canonical = false;
      if (i === 9 && v > 0x01) {
        fail = OVERFLOW;
        return 0n;
      }
      return out;
    }
  }
  fail = TOO_LONG;
  return 0n;
}

function readU64(b: Uint8Array): bigint {
  const start = pos;
  wide = false;
  const n = readU64Num(b);
  if (!wide) return fail === 0 ? BigInt(n) : 0n;
  return readU64Wide(b, start);
}

/** The uuid's length prefix (a usize): a number, since anything but 16 is an error. */
function readLen(b: Uint8Array): number {
  const start = pos;
  wide = false;
  const n = readU64Num(b);
  if (!wide) return n;
  const big = readU64Wide(b, start);
  return big > 16n ? Number.MAX_SAFE_INTEGER : Number(big);
}

const FIELD_LABEL: Record<FieldName, string> = {
  handoff_id: 'handoff_id',
  phase: 'phase',
  incumbent_pid: 'incumbent_pid',
  successor_pid: 'successor_pid',
  started_at_unix_ms: 'started_at_unix_ms',
};

interface PartialState {
  partial: Partial<Journal>;
  ranges: FieldRanges;
}

function err(kind: DecodeErrorKind, offset: number, field: FieldName, rustError: string, message: string, p: PartialState): DecodeError {
  return { ok: false, kind, encoding: 'postcard', offset, field, rustError, message, partial: p.partial, ranges: p.ranges };
}

function varintFailure(b: Uint8Array, start: number, field: FieldName, bits: 32 | 64, p: PartialState): DecodeError {
  const label = FIELD_LABEL[field];
  if (fail === END) return truncated(b, field, p);
  const max = bits === 32 ? 5 : 10;
  if (fail === TOO_LONG) {
    return err(
      'bad-varint',
      start,
      field,
      'DeserializeBadVarint',
      `bad varint at byte ${start} in \`${label}\`: more than ${max} bytes have the continuation bit set, ` +
        `and a u${bits} varint is at most ${max} bytes. The file is corrupt or was not written by postcard; ` +
        'the supervisor cannot read it either.',
      p,
    );
  }
  const limit = bits === 32 ? '0x0f' : '0x01';
  return err(
    'varint-overflow',
    start,
    field,
    'DeserializeBadVarint',
    `varint overflow at byte ${start} in \`${label}\`: the value does not fit in a u${bits} ` +
      `(byte ${start + max - 1}, the varint's last possible byte, must be at most ${limit}). The file is corrupt; ` +
      'the supervisor cannot read it either.',
    p,
  );
}

function truncated(b: Uint8Array, field: FieldName, p: PartialState): DecodeError {
  const n = b.length;
  if (n === 0) {
    return err(
      'empty',
      0,
      field,
      'DeserializeUnexpectedEnd',
      'the file is empty (0 bytes): a postcard journal is 21 to 39 bytes. A writer was interrupted ' +
        'before it wrote anything, or the file was truncated. The supervisor cannot read it; ' +
        'if no handoff is running, delete it (it is rewritten at the next handoff).',
      p,
    );
  }
  return err(
    'truncated',
    n,
    field,
    'DeserializeUnexpectedEnd',
    `truncated at byte ${n} while reading \`${FIELD_LABEL[field]}\`: the file is ${n} byte${n === 1 ? '' : 's'}, ` +
      `a postcard journal needs at least ${POSTCARD_MIN_BYTES}. The writer was interrupted or the file was cut short; ` +
      'the supervisor cannot read it. If no handoff is running, delete it (it is rewritten at the next handoff).',
    p,
  );
}

function range(start: number, end: number): ByteRange {
  return { start, end };
}

/** Decodes postcard bytes exactly as `postcard::from_bytes::<StateJournal>` does. Never throws. */
export function decodePostcard(b: Uint8Array): DecodeResult {
  pos = 0;
  fail = 0;
  canonical = true;
  // The hot path keeps everything in locals and builds the result with literals at the
  // end; the error paths rebuild the fields read so far (`soFar`).
  let notes: CodecNote[] | undefined;

  // handoff_id: uuid's serde impl reads a byte string (varint usize length + bytes).
  const idLen = readLen(b);
  if (fail !== 0) return varintFailure(b, 0, 'handoff_id', 64, soFar());
  const lenEnd = pos;
  const remaining = b.length - pos;
  if (idLen !== 16) {
    const tooLong = idLen > remaining;
    return err(
      'bad-uuid-length',
      0,
      'handoff_id',
      tooLong ? 'DeserializeUnexpectedEnd' : 'SerdeDeCustom',
      `bad handoff_id at byte 0: its length prefix is ${idLen === Number.MAX_SAFE_INTEGER ? 'huge' : idLen} but a UUID is 16 bytes ` +
        `(a postcard journal starts with byte 0x10). ${b[0] === 0x10 || b[0] === 0x90 ? '' : 'This does not look like a handoff journal. '}` +
        'The supervisor cannot read this file.',
      soFar(),
    );
  }
  if (remaining < 16) return truncated(b, 'handoff_id', soFar());
  if (!canonical) (notes ??= []).push(nonCanonical('handoff_id', 0, lenEnd));
  // A copy (the journal must not alias the caller's buffer); a loop beats slice() here.
  const id = new Uint8Array(16);
  for (let i = 0; i < 16; i++) id[i] = b[pos + i] as number;
  pos += 16;
  const e0 = pos;

  // phase: enum variant index, a u32 varint.
  const s1 = pos;
  canonical = true;
  const idx = readU32(b);
  if (fail !== 0) return varintFailure(b, s1, 'phase', 32, soFar(['handoff_id', id, 0, e0]));
  const e1 = pos;
  if (idx >= PHASES.length) {
    return err(
      'unknown-phase',
      s1,
      'phase',
      'SerdeDeCustom',
      `unknown phase at byte ${s1}: variant index ${idx}, but the supervisor knows only 0..5 ` +
        `(${PHASES.join(', ')}). A newer or different writer made this file; the supervisor cannot read it.` +
        legacyPhaseNote(idx),
      soFar(['handoff_id', id, 0, e0]),
    );
  }
  if (!canonical) (notes ??= []).push(nonCanonical('phase', s1, e1));
  const phase = PHASES[idx] as Phase;

  // incumbent_pid: u32 varint.
  const s2 = pos;
  canonical = true;
  const inc = readU32(b);
  if (fail !== 0) return varintFailure(b, s2, 'incumbent_pid', 32, soFar(['handoff_id', id, 0, e0], ['phase', phase, s1, e1]));
  const e2 = pos;
  if (!canonical) (notes ??= []).push(nonCanonical('incumbent_pid', s2, e2));

  // successor_pid: Option tag byte then, for Some, a u32 varint.
  const s3 = pos;
  if (pos >= b.length)
    return truncated(b, 'successor_pid', soFar(['handoff_id', id, 0, e0], ['phase', phase, s1, e1], ['incumbent_pid', inc, s2, e2]));
  const tag = b[pos++] as number;
  let succ: number | null = null;
  if (tag === 1) {
    canonical = true;
    succ = readU32(b);
    if (fail !== 0)
      return varintFailure(
        b,
        s3 + 1,
        'successor_pid',
        32,
        soFar(['handoff_id', id, 0, e0], ['phase', phase, s1, e1], ['incumbent_pid', inc, s2, e2]),
      );
    if (!canonical) (notes ??= []).push(nonCanonical('successor_pid', s3, pos));
  } else if (tag !== 0) {
    return err(
      'bad-option-tag',
      s3,
      'successor_pid',
      'DeserializeBadOption',
      `bad Option tag at byte ${s3} in \`successor_pid\`: 0x${tag.toString(16).padStart(2, '0')}, ` +
        'but postcard writes 0x00 for None and 0x01 for Some. The file is corrupt; the supervisor cannot read it.',
      soFar(['handoff_id', id, 0, e0], ['phase', phase, s1, e1], ['incumbent_pid', inc, s2, e2]),
    );
  }
  const e3 = pos;

  // started_at_unix_ms: u64 varint.
  const s4 = pos;
  canonical = true;
  const started = readU64(b);
  if (fail !== 0) {
    return varintFailure(
      b,
      s4,
      'started_at_unix_ms',
      64,
      soFar(['handoff_id', id, 0, e0], ['phase', phase, s1, e1], ['incumbent_pid', inc, s2, e2], ['successor_pid', succ, s3, e3]),
    );
  }
  if (!canonical) (notes ??= []).push(nonCanonical('started_at_unix_ms', s4, pos));

  const trailing = pos < b.length ? b.subarray(pos) : NO_BYTES;
  if (trailing.length > 0) {
    (notes ??= []).push({
      code: 'trailing-bytes',
      range: range(pos, b.length),
      message:
        `${trailing.length} trailing byte${trailing.length === 1 ? '' : 's'} after the record (bytes ${pos}..${b.length}): ` +
        'postcard ignores them, so the supervisor still reads this journal, but the reference supervisor never writes them. ' +
        'A different writer or struct version made this file.',
    });
  }
  return {
    ok: true,
    journal: { handoff_id: id, phase, incumbent_pid: inc, successor_pid: succ, started_at_unix_ms: started },
    encoding: 'postcard',
    ranges: {
      handoff_id: { start: 0, end: e0 },
      phase: { start: s1, end: e1 },
      incumbent_pid: { start: s2, end: e2 },
      successor_pid: { start: s3, end: e3 },
      started_at_unix_ms: { start: s4, end: pos },
    },
    consumed: pos,
    trailing,
    notes: notes ?? [],
  };
}

/** The fields decoded before an error, with their ranges: `[name, value, start, end]`. */
function soFar(...fields: [FieldName, unknown, number, number][]): PartialState {
  const partial: Record<string, unknown> = {};
  const ranges: FieldRanges = {};
  for (const [name, value, start, end] of fields) {
    partial[name] = value;
    ranges[name] = range(start, end);
  }
  return { partial: partial as Partial<Journal>, ranges };
}

function nonCanonical(field: FieldName, start: number, end: number): CodecNote {
  return {
    code: 'non-canonical',
    field,
    range: range(start, end),
    message:
      `\`${field}\` uses a non-canonical (over-long) varint at bytes ${start}..${end}: postcard accepts it, ` +
      'but postcard itself never writes it, so another writer made this file.',
  };
}

// Encoder --------------------------------------------------------------------------

function writeU32(out: Uint8Array, at: number, v: number): number {
  let x = v >>> 0;
  while (x >= 0x80) {
    out[at++] = (x & 0x7f) | 0x80;
    x >>>= 7;
  }
  out[at++] = x;
  return at;
}

function writeU64(out: Uint8Array, at: number, v: bigint): number {
  if (v <= 0x1f_ffff_ffff_ffffn) {
    let x = Number(v);
    while (x >= 0x80) {
      out[at++] = (x % 0x80) | 0x80;
      x = Math.floor(x / 0x80);
    }
    out[at++] = x;
    return at;
  }
  let x = v;
  while (x >= 0x80n) {
    out[at++] = Number(x & 0x7fn) | 0x80;
    x >>= 7n;
  }
  out[at++] = Number(x);
  return at;
}

/** Encodes exactly as `postcard::to_allocvec(&journal)`. Assumes a valid `Journal`. */
export function encodePostcard(j: Journal): Uint8Array {
  const out = new Uint8Array(POSTCARD_MAX_BYTES);
  out[0] = 16;
  out.set(j.handoff_id, 1);
  let at = 17;
  out[at++] = PHASES.indexOf(j.phase);
  at = writeU32(out, at, j.incumbent_pid);
  if (j.successor_pid === null) {
    out[at++] = 0;
  } else {
    out[at++] = 1;
    at = writeU32(out, at, j.successor_pid);
  }
  at = writeU64(out, at, j.started_at_unix_ms);
  return out.slice(0, at);
}
