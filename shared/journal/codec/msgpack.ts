/**
 * MessagePack codec for `StateJournal` in the two rmp-serde layouts:
 * `rmp_serde::to_vec` (a 5-element array in field order) and `rmp_serde::to_vec_named`
 * (a map keyed by field name). Both write the uuid as `bin 16`, the phase as its
 * name (a string), `None` as nil and integers in their smallest form. Values are
 * decoded with `@msgpack/msgpack`; a small header scanner here finds each field's
 * byte range, which the library does not report.
 */
import { decode, encode } from '@msgpack/msgpack';
import { FIELDS, legacyPhaseNote, PHASES, isPhase, isU32, U64_MAX, type FieldName, type Journal } from '../model';
import { parseUuid } from '../uuid';
import {
  fillMissingFields,
  type ByteRange,
  type CodecNote,
  type DecodeError,
  type DecodeErrorKind,
  type DecodeResult,
  type FieldRanges,
} from './types';

const TRUNC = -1;
const INVALID = -2;
const MAX_DEPTH = 64;

function be(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + (b[at + i] as number);
  return v;
}

interface Header {
  /** Bytes taken by the header itself. */
  head: number;
  /** Payload bytes that follow the header (strings, bin, ext). */
  payload: number;
  /** Nested values that follow (array elements, or 2 per map entry). */
  children: number;
}

/** Reads the header of the value at `at`; returns null for the unused byte 0xc1. */
function header(b: Uint8Array, at: number): Header | number {
  const t = b[at] as number;
  const need = (n: number): boolean => at + n <= b.length;
  if (t <= 0x7f || t >= 0xe0 || t === 0xc0 || t === 0xc2 || t === 0xc3) return { head: 1, payload: 0, children: 0 };
  if (t >= 0x80 && t <= 0x8f) return { head: 1, payload: 0, children: (t & 0x0f) * 2 };
  if (t >= 0x90 && t <= 0x9f) return { head: 1, payload: 0, children: t & 0x0f };
  if (t >= 0xa0 && t <= 0xbf) return { head: 1, payload: t & 0x1f, children: 0 };
  const fixed: Record<number, number> = { 0xca: 4, 0xcb: 8, 0xcc: 1, 0xcd: 2, 0xce: 4, 0xcf: 8, 0xd0: 1, 0xd1: 2, 0xd2: 4, 0xd3: 8 };
  if (fixed[t] !== undefined) return { head: 1, payload: fixed[t], children: 0 };
  const fixext: Record<number, number> = { 0xd4: 1, 0xd5: 2, 0xd6: 4, 0xd7: 8, 0xd8: 16 };
  if (fixext[t] !== undefined) return { head: 2, payload: fixext[t], children: 0 };
  const sized: Record<number, [number, 'p' | 'a' | 'm' | 'x']> = {
    0xc4: [1, 'p'],
    0xc5: [2, 'p'],
    0xc6: [4, 'p'],
    0xd9: [1, 'p'],
    0xda: [2, 'p'],
    0xdb: [4, 'p'],
    0xc7: [1, 'x'],
    0xc8: [2, 'x'],
    0xc9: [4, 'x'],
    0xdc: [2, 'a'],
    0xdd: [4, 'a'],
    0xde: [2, 'm'],
    0xdf: [4, 'm'],
  };
  const s = sized[t];
  if (s === undefined) return INVALID;
  const [n, kind] = s;
  if (!need(1 + n)) return TRUNC;
  const len = be(b, at + 1, n);
  if (kind === 'p') return { head: 1 + n, payload: len, children: 0 };
  if (kind === 'x') return { head: 2 + n, payload: len, children: 0 };
  return { head: 1 + n, payload: 0, children: kind === 'a' ? len : len * 2 };
}

/** End offset of the value at `at`, or TRUNC / INVALID. Bounded by depth and input size. */
function valueEnd(b: Uint8Array, at: number, depth: number): number {
  if (at >= b.length) return TRUNC;
  if (depth > MAX_DEPTH) return INVALID;
  const h = header(b, at);
  if (typeof h === 'number') return h;
  let end = at + h.head + h.payload;
  if (end > b.length) return TRUNC;
  for (let i = 0; i < h.children; i++) {
    end = valueEnd(b, end, depth + 1);
    if (end < 0) return end;
  }
  return end;
}

function fail(
  kind: DecodeErrorKind,
  offset: number,
  field: FieldName | undefined,
  message: string,
  partial: Partial<Journal>,
  ranges: FieldRanges,
  encoding: 'msgpack' | 'msgpack-named',
): DecodeError {
  return { ok: false, kind, encoding, offset, ...(field ? { field } : {}), message, partial, ranges };
}

type FieldValue = { ok: true } | { ok: false; kind: DecodeErrorKind; message: string };

/** Converts one decoded field value into the journal, as rmp-serde + serde derive would accept it. */
function takeField(name: FieldName, v: unknown, j: Partial<Journal>, notes: CodecNote[], r: ByteRange, typeByte: number): FieldValue {
  // serde's integer readers reject msgpack floats (0xca, 0xcb) even when they are whole.
  const isFloat = typeByte === 0xca || typeByte === 0xcb;
  const bad = (kind: DecodeErrorKind, message: string): FieldValue => ({ ok: false, kind, message });
  switch (name) {
    case 'handoff_id': {
      if (v instanceof Uint8Array) {
        if (v.length !== 16) return bad('bad-uuid-length', `\`handoff_id\` is ${v.length} bytes, but a UUID is 16`);
        j.handoff_id = v.slice();
        return { ok: true };
      }
      if (typeof v === 'string') {
        const u = parseUuid(v);
        if (!u) return bad('bad-uuid', `\`handoff_id\` is the string ${JSON.stringify(v)}, which is not a UUID`);
        j.handoff_id = u;
        notes.push({
          code: 'odd-form',
          field: name,
          range: r,
          message: '`handoff_id` is written as a string; rmp-serde accepts it but writes `bin 16`.',
        });
        return { ok: true };
      }
      return bad('bad-type', `\`handoff_id\` must be \`bin 16\`, found ${describe(v)}`);
    }
    case 'phase': {
      if (typeof v === 'string') {
        if (!isPhase(v))
          return bad('unknown-phase', `unknown phase ${JSON.stringify(v)}; expected one of ${PHASES.join(', ')}.${legacyPhaseNote(v)}`);
        j.phase = v;
        return { ok: true };
      }
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0) {
        if (v >= PHASES.length)
          return bad('unknown-phase', `unknown phase index ${v}; the supervisor knows only 0..5.${legacyPhaseNote(v)}`);
        j.phase = PHASES[v];
        notes.push({
          code: 'odd-form',
          field: name,
          range: r,
          message: '`phase` is written as its index; rmp-serde accepts it but writes the name.',
        });
        return { ok: true };
      }
      return bad('bad-type', `\`phase\` must be a phase name, found ${describe(v)}`);
    }
    case 'incumbent_pid':
    case 'successor_pid': {
      if (name === 'successor_pid' && v === null) {
        j.successor_pid = null;
        return { ok: true };
      }
      if (typeof v === 'bigint' && (v < 0n || v > 0xffff_ffffn))
        return bad('bad-value', `\`${name}\` is ${v}, outside the u32 range 0..4294967295`);
      const n = typeof v === 'bigint' ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isInteger(n) || isFloat)
        return bad('bad-type', `\`${name}\` must be an integer (u32), found ${describe(v, isFloat)}`);
      if (!isU32(n)) return bad('bad-value', `\`${name}\` is ${n}, outside the u32 range 0..4294967295`);
      j[name] = n;
      return { ok: true };
    }
    case 'started_at_unix_ms': {
      const n = typeof v === 'number' && Number.isSafeInteger(v) && !isFloat ? BigInt(v) : v;
      if (typeof n !== 'bigint') return bad('bad-type', `\`started_at_unix_ms\` must be an integer (u64), found ${describe(v, isFloat)}`);
      if (n < 0n || n > U64_MAX) return bad('bad-value', `\`started_at_unix_ms\` is ${n}, outside the u64 range`);
      j.started_at_unix_ms = n;
      return { ok: true };
    }
  }
}

function describe(v: unknown, isFloat = false): string {
  if (v === null) return 'nil';
  if (isFloat || (typeof v === 'number' && !Number.isInteger(v))) return `the float ${v}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (v instanceof Uint8Array) return `bin of ${v.length} bytes`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return 'a map';
  return `${typeof v} ${String(v)}`;
}

/** Decodes either rmp-serde layout. Never throws. */
export function decodeMsgpack(b: Uint8Array): DecodeResult {
  const partial: Partial<Journal> = {};
  const ranges: FieldRanges = {};
  const t = b[0] as number;
  const named = (t >= 0x80 && t <= 0x8f) || t === 0xde || t === 0xdf;
  const encoding = named ? 'msgpack-named' : 'msgpack';
  const F = (kind: DecodeErrorKind, offset: number, field: FieldName | undefined, message: string): DecodeError =>
    fail(kind, offset, field, message, partial, ranges, encoding);
  if (b.length === 0) return F('empty', 0, undefined, 'the file is empty (0 bytes): a MessagePack journal is a 5-element array or map.');
  const isArray = (t >= 0x90 && t <= 0x9f) || t === 0xdc || t === 0xdd;
  if (!named && !isArray) {
    return F(
      'not-a-journal',
      0,
      undefined,
      `byte 0 is 0x${t.toString(16).padStart(2, '0')}: a MessagePack journal starts with an array or map header (rmp-serde writes 0x95 or 0x85).`,
    );
  }
  const h = header(b, 0);
  if (h === TRUNC)
    return F('truncated', b.length, undefined, `truncated at byte ${b.length} in the MessagePack header: the file is cut short.`);
  if (typeof h === 'number') return F('syntax', 0, undefined, 'invalid MessagePack header at byte 0.');
  const count = named ? h.children / 2 : h.children;
  if (!named && count !== 5) {
    return F('bad-value', 0, undefined, `the MessagePack array has ${count} elements; a journal has 5 (${FIELDS.join(', ')}).`);
  }
  const notes: CodecNote[] = [];
  const seen = new Set<FieldName>();
  let at = h.head;
  for (let i = 0; i < count; i++) {
    let name: FieldName | undefined = FIELDS[i];
    if (named) {
      const keyEnd = valueEnd(b, at, 1);
      if (keyEnd < 0) return scanFailure(keyEnd, at, undefined);
      const key = safeDecode(b.subarray(at, keyEnd));
      const keyText = key instanceof Uint8Array ? new TextDecoder().decode(key) : key;
      name = typeof keyText === 'string' ? FIELDS.find((f) => f === keyText) : undefined;
      if (typeof keyText !== 'string')
        return F('bad-type', at, undefined, `map key at byte ${at} is ${describe(key)}; rmp-serde writes field names as strings.`);
      if (name && seen.has(name))
        return F(
          'duplicate-field',
          at,
          name,
          `duplicate field \`${name}\` at byte ${at}: serde rejects a journal that names a field twice.`,
        );
      at = keyEnd;
    }
    const end = valueEnd(b, at, 1);
    if (end < 0) return scanFailure(end, at, name);
    if (name) {
      const r = { start: at, end };
      const v = safeDecode(b.subarray(at, end));
      const res = takeField(name, v, partial, notes, r, b[at] as number);
      if (!res.ok) return F(res.kind, at, name, `${res.message} (at byte ${at}). The supervisor cannot read this journal.`);
      ranges[name] = r;
      seen.add(name);
    } else if (named) {
      notes.push({
        code: 'odd-form',
        range: { start: at, end },
        message: `unknown field at bytes ${at}..${end}; serde ignores it, the reference supervisor never writes it.`,
      });
    }
    at = end;
  }
  const missing = fillMissingFields(seen, partial, notes);
  if (missing)
    return F(
      'missing-field',
      at,
      missing,
      `missing field \`${missing}\`: the MessagePack map has no such key. The supervisor cannot read this journal.`,
    );
  const trailing = b.subarray(at);
  if (trailing.length > 0) {
    notes.push({
      code: 'trailing-bytes',
      range: { start: at, end: b.length },
      message: `${trailing.length} trailing bytes after the record (bytes ${at}..${b.length}); rmp-serde ignores them, but the supervisor never writes them.`,
    });
  }
  return { ok: true, journal: partial as Journal, encoding, ranges, consumed: at, trailing, notes };

  function scanFailure(code: number, offset: number, field: FieldName | undefined): DecodeError {
    if (code === TRUNC)
      return F(
        'truncated',
        b.length,
        field,
        `truncated at byte ${b.length}${field ? ` while reading \`${field}\`` : ''}: the MessagePack data ends early; the file is cut short.`,
      );
    return F('syntax', offset, field, `invalid MessagePack at byte ${offset}${field ? ` in \`${field}\`` : ''}.`);
  }
}

function safeDecode(b: Uint8Array): unknown {
  try {
    return decode(b, { useBigInt64: true });
  } catch {
    return undefined;
  }
}

function toWire(j: Journal): [Uint8Array, string, number, number | null, number | bigint] {
  const t = j.started_at_unix_ms;
  // rmp-serde writes the smallest integer form; @msgpack/msgpack picks it for numbers up to
  // u32 and writes a bigint as uint64, which is rmp-serde's choice for anything larger.
  return [j.handoff_id, j.phase, j.incumbent_pid, j.successor_pid, t <= 0xffff_ffffn ? Number(t) : t];
}

/** Encodes as `rmp_serde::to_vec` (named=false) or `rmp_serde::to_vec_named` (named=true). */
export function encodeMsgpack(j: Journal, named: boolean): Uint8Array {
  const w = toWire(j);
  const value = named ? Object.fromEntries(FIELDS.map((f, i) => [f, w[i]])) : w;
  return encode(value, { useBigInt64: true });
}
