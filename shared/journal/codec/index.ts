/**
 * Encoding detection and dispatch over the three codecs.
 *
 * Auto-detection looks only at the first bytes, because no encoding has a magic number:
 * - JSON: the first byte that is not JSON whitespace is `{` or `[` (postcard cannot
 *   start with 0x7b or 0x5b: its first varint must be 16).
 * - MessagePack: a map header (0x80-0x8f, 0xde, 0xdf) or an array header
 *   (0x91-0x9f, 0xdc, 0xdd). 0x90 (an empty array) is left to postcard because
 *   `90 00` is postcard's over-long spelling of the uuid length 16.
 * - Text that is none of these (printable UTF-8 in the first 64 bytes) is not a journal.
 * - Everything else is postcard, the supervisor's format: its decoder then names the
 *   exact byte that is wrong, as the Rust crate would.
 */
import type { Encoding, Journal } from '../model';
import { decodeJson, encodeJson, journalToJsonText } from './json';
import { decodeMsgpack, encodeMsgpack } from './msgpack';
import { decodePostcard, encodePostcard, POSTCARD_MAX_BYTES, POSTCARD_MIN_BYTES } from './postcard';
import { MAX_JOURNAL_BYTES, type DecodeResult } from './types';

export type EncodingChoice = 'auto' | 'postcard' | 'msgpack' | 'json';
export const ENCODING_CHOICES: readonly EncodingChoice[] = ['auto', 'postcard', 'msgpack', 'json'];

export type Detected = Encoding | 'text';

export function detectEncoding(b: Uint8Array): Detected {
  let i = 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++;
  const c = b[i];
  if (c === 0x7b || c === 0x5b) return 'json';
  const first = b[0];
  if (first === undefined) return 'postcard';
  if ((first >= 0x80 && first <= 0x8f) || first === 0xde || first === 0xdf) return 'msgpack-named';
  if ((first >= 0x91 && first <= 0x9f) || first === 0xdc || first === 0xdd) return 'msgpack';
  if (looksLikeText(b)) return 'text';
  return 'postcard';
}

/** Printable ASCII, tab/CR/LF, or well-formed UTF-8 sequences (a sequence cut by the 64-byte window counts). */
function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 64);
  for (let i = 0; i < n; i++) {
    const c = b[i] as number;
    if ((c >= 0x20 && c < 0x7f) || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    const more = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (more < 0) return false;
    for (let k = 1; k <= more && i + k < n; k++) {
      const cc = b[i + k] as number;
      if (cc < 0x80 || cc > 0xbf) return false;
    }
    i += more;
  }
  return true;
}

/** Decodes bytes with the given encoding (or detects it). Never throws. */
export function decodeJournal(b: Uint8Array, choice: EncodingChoice = 'auto'): DecodeResult {
  const enc = choice === 'auto' ? detectEncoding(b) : choice;
  if (b.length > MAX_JOURNAL_BYTES) {
    return {
      ok: false,
      kind: 'too-large',
      encoding: enc === 'text' ? 'postcard' : enc,
      offset: MAX_JOURNAL_BYTES,
      message: `the file is ${b.length} bytes; a journal is under 64 bytes (postcard) or a few hundred (JSON), and files over ${MAX_JOURNAL_BYTES} bytes are not read. This is not a handoff journal.`,
      partial: {},
      ranges: {},
    };
  }
  switch (enc) {
    case 'postcard':
      return decodePostcard(b);
    case 'msgpack':
    case 'msgpack-named':
      return decodeMsgpack(b);
    case 'json':
      return decodeJson(b);
    case 'text':
      return {
        ok: false,
        kind: 'not-a-journal',
        encoding: 'postcard',
        offset: 0,
        message: `this is text, not a handoff journal: a postcard journal starts with byte 0x10, a JSON one with '{'. It begins ${JSON.stringify(new TextDecoder().decode(b.subarray(0, 24)))}.`,
        partial: {},
        ranges: {},
      };
  }
}

export function encodeJournal(j: Journal, encoding: Encoding): Uint8Array {
  switch (encoding) {
    case 'postcard':
      return encodePostcard(j);
    case 'msgpack':
      return encodeMsgpack(j, false);
    case 'msgpack-named':
      return encodeMsgpack(j, true);
    case 'json':
      return encodeJson(j);
  }
}

export * from './types';
export {
  decodePostcard,
  encodePostcard,
  decodeMsgpack,
  decodeJson,
  encodeJson,
  encodeMsgpack,
  journalToJsonText,
  POSTCARD_MAX_BYTES,
  POSTCARD_MIN_BYTES,
};
