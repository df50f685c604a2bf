/**
 * Result and error values shared by every codec. Decoders never throw: failure is a
 * `DecodeError` value with a kind, the byte offset, the field and a sentence a person
 * can act on.
 */
import { FIELDS, type Encoding, type FieldName, type Journal } from '../model';

/** Half-open byte range `[start, end)` within the decoded bytes. */
export interface ByteRange {
  start: number;
  end: number;
}

export type FieldRanges = Partial<Record<FieldName, ByteRange>>;

/** Something the Rust crate accepts but that the reference supervisor never writes. */
export interface CodecNote {
  code: 'trailing-bytes' | 'non-canonical' | 'odd-form';
  field?: FieldName;
  range: ByteRange;
  message: string;
}

export interface DecodeOk {
  ok: true;
  journal: Journal;
  encoding: Encoding;
  /** Where every field lies in the bytes. */
  ranges: FieldRanges;
  /** Bytes used by the record; anything after it is `trailing`. */
  consumed: number;
  /** Bytes after the record (postcard ignores them); empty when none. */
  trailing: Uint8Array;
  /** Accepted oddities: trailing bytes, non-canonical varints, unusual spellings. */
  notes: CodecNote[];
}

export type DecodeErrorKind =
  | 'empty'
  | 'truncated'
  | 'bad-varint'
  | 'varint-overflow'
  | 'bad-option-tag'
  | 'bad-uuid-length'
  | 'bad-uuid'
  | 'unknown-phase'
  | 'bad-type'
  | 'bad-value'
  | 'missing-field'
  | 'duplicate-field'
  | 'syntax'
  | 'trailing-data'
  | 'too-large'
  | 'not-a-journal';

export interface DecodeError {
  ok: false;
  kind: DecodeErrorKind;
  /** The encoding that was tried. */
  encoding: Encoding;
  /** Byte offset where the problem was found. */
  offset: number;
  /** The field being read, when known. */
  field?: FieldName;
  /** What is wrong, where, and what to do. */
  message: string;
  /** For postcard: the `postcard::Error` variant the Rust crate returns for the same bytes. */
  rustError?: string;
  /** Fields successfully read before the error, with their ranges. */
  partial: Partial<Journal>;
  ranges: FieldRanges;
}

export type DecodeResult = DecodeOk | DecodeError;

/** A journal is under 64 bytes in postcard and under ~300 in JSON; anything past this is refused. */
export const MAX_JOURNAL_BYTES = 64 * 1024;

/**
 * serde's rule for fields absent from a map: an `Option` field (`successor_pid`) reads
 * as None (noted), any other is an error. Returns the first missing required field.
 */
export function fillMissingFields(seen: Set<FieldName>, partial: Partial<Journal>, notes: CodecNote[]): FieldName | undefined {
  for (const f of FIELDS) {
    if (seen.has(f)) continue;
    if (f !== 'successor_pid') return f;
    partial.successor_pid = null;
    notes.push({ code: 'odd-form', field: f, range: { start: 0, end: 0 }, message: '`successor_pid` is missing; serde reads it as None.' });
  }
  return undefined;
}
