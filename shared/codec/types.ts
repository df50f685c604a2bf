/**
 * Result and error values shared by every codec. Decoders never throw: failure is a
 * `DecodeError` value with a kind, the byte offset, the field and a sentence a person
 * can act on.
 */
import type { Encoding, FieldName, Journal } from '../journal';

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
