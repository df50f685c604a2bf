/**
 * Codec section: ns/op of decoding and encoding the typical journal
 * (test/fixtures/rust/*\/064-typical-sealing.*) with our codecs, next to the
 * @msgpack/msgpack library and JSON.parse on the same record in their own formats.
 *
 * Ratios are `a_ns / b_ns`: below 1 means postcard decode is faster than b.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Decoder, decode as msgpackDecode } from '@msgpack/msgpack';
import { decodeJson, decodeMsgpack, decodePostcard, encodePostcard } from '../shared/journal';
import { measure, type MeasureOptions, type Section } from './harness';

const FIXTURES = join(__dirname, '..', 'test', 'fixtures', 'rust');
/** A rough native (Rust postcard::from_bytes) cost for one journal, as a yardstick. */
export const NATIVE_REFERENCE_NS = 15;

/** The functions under test, so the section can time the sources (tsx) or a bundle. */
export interface CodecImpl {
  decodePostcard: typeof decodePostcard;
  encodePostcard: typeof encodePostcard;
  decodeMsgpack: typeof decodeMsgpack;
  decodeJson: typeof decodeJson;
}

export const SOURCE_CODECS: CodecImpl = {
  decodePostcard: decodePostcard,
  encodePostcard: encodePostcard,
  decodeMsgpack: decodeMsgpack,
  decodeJson: decodeJson,
};

export function codecSection(opts: MeasureOptions = {}, impl: CodecImpl = SOURCE_CODECS, label = 'sources via tsx'): Section {
  const { decodePostcard, encodePostcard, decodeMsgpack, decodeJson } = impl;
  const postcard = new Uint8Array(readFileSync(join(FIXTURES, 'postcard', '064-typical-sealing.bin')));
  const msgpack = new Uint8Array(readFileSync(join(FIXTURES, 'msgpack-array', '064-typical-sealing.bin')));
  const jsonBytes = new Uint8Array(readFileSync(join(FIXTURES, 'json', '064-typical-sealing.json')));
  const jsonText = new TextDecoder().decode(jsonBytes);

  // Sanity: everything decodes before it is timed.
  const first = decodePostcard(postcard);
  if (!first.ok) throw new Error(`postcard fixture does not decode: ${first.message}`);
  const journal = first.journal;
  for (const r of [decodeMsgpack(msgpack), decodeJson(jsonBytes)]) {
    if (!r.ok) throw new Error(`fixture does not decode: ${r.message}`);
  }
  // The library at its fastest: one Decoder reused (what `decode()` creates per call).
  const decoder = new Decoder({ useBigInt64: true });

  const pcDecode = measure('postcard decode (decodePostcard)', () => decodePostcard(postcard), opts);
  const pcEncode = measure('postcard encode (encodePostcard)', () => encodePostcard(journal), opts);
  const libMsgpack = measure('@msgpack/msgpack Decoder.decode (array form)', () => decoder.decode(msgpack), opts);
  const libMsgpackOneShot = measure('@msgpack/msgpack decode() one-shot', () => msgpackDecode(msgpack, { useBigInt64: true }), opts);
  const jsonParse = measure('JSON.parse (json form)', () => JSON.parse(jsonText) as unknown, opts);
  const oursMsgpack = measure('ours: decodeMsgpack (array form)', () => decodeMsgpack(msgpack), opts);
  const oursJson = measure('ours: decodeJson', () => decodeJson(jsonBytes), opts);

  const pc = pcDecode.nsPerOp;
  const ratio = (other: number): number => Number((pc / other).toFixed(3));
  const metrics: Record<string, number> = {
    'codec.postcard.decode_ns': round(pc),
    'codec.postcard.encode_ns': round(pcEncode.nsPerOp),
    'codec.msgpack.decode_ns': round(libMsgpack.nsPerOp),
    'codec.json.decode_ns': round(jsonParse.nsPerOp),
    'codec.ours.msgpack.decode_ns': round(oursMsgpack.nsPerOp),
    'codec.ours.json.decode_ns': round(oursJson.nsPerOp),
    'ratio.postcard_vs_msgpack': ratio(libMsgpack.nsPerOp),
    'ratio.postcard_vs_native_15ns': ratio(NATIVE_REFERENCE_NS),
  };
  const x = (r: number): string =>
    r < 1 ? `${r.toFixed(2)}x (postcard ${(1 / r).toFixed(1)}x faster)` : `${r.toFixed(2)}x (postcard ${r.toFixed(1)}x slower)`;
  return {
    title: `codec (${label}): typical journal (postcard ${postcard.length} B, msgpack array ${msgpack.length} B, json ${jsonBytes.length} B)`,
    rows: [pcDecode, pcEncode, libMsgpack, libMsgpackOneShot, jsonParse, oursMsgpack, oursJson],
    metrics,
    notes: [
      'ratios are postcard-decode ns / other ns (< 1: postcard decode is faster)',
      `postcard decode vs @msgpack/msgpack Decoder:  ${x(ratio(libMsgpack.nsPerOp))}`,
      `postcard decode vs @msgpack/msgpack decode(): ${x(ratio(libMsgpackOneShot.nsPerOp))}`,
      `postcard decode vs JSON.parse:                ${x(ratio(jsonParse.nsPerOp))}`,
      `postcard decode vs ${NATIVE_REFERENCE_NS} ns native reference:   ${x(ratio(NATIVE_REFERENCE_NS))}`,
    ],
  };
}

function round(ns: number): number {
  return Math.round(ns * 10) / 10;
}
