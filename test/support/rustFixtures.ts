/**
 * Shared helpers for the unit tests: the Rust fixtures' manifest and small builders.
 * Not a test file itself (the runner only picks up `*.test.ts`).
 */
import { type DecodeResult, type Journal, formatUuid, parseUuid } from '../../shared/journal';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'rust');

export interface ManifestDecoded {
  handoff_id: string;
  phase: string;
  incumbent_pid: number;
  successor_pid: number | null;
  started_at_unix_ms: string;
}

export interface ManifestEntry {
  file: string;
  encoding: 'postcard' | 'msgpack-array' | 'msgpack-named' | 'json';
  ok: boolean;
  decoded?: ManifestDecoded;
  error?: string;
  error_display?: string;
  consumed_bytes?: number;
  trailing_bytes?: number;
  canonical?: boolean;
  hex: string;
  len: number;
  note: string;
}

export const MANIFEST: ManifestEntry[] = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as ManifestEntry[];

export function fixture(file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, file)));
}

export function fromHex(h: string): Uint8Array {
  const clean = h.replace(/\s+/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A journal in the manifest's plain-JSON form (uuid text, started_at as a decimal string). */
export function plain(j: Partial<Journal>): Record<string, unknown> {
  return {
    handoff_id: j.handoff_id ? formatUuid(j.handoff_id) : undefined,
    phase: j.phase,
    incumbent_pid: j.incumbent_pid,
    successor_pid: j.successor_pid,
    started_at_unix_ms: j.started_at_unix_ms === undefined ? undefined : j.started_at_unix_ms.toString(),
  };
}

export const TYPICAL_ID = '3f2a9c1e-5b7d-4e8f-a1c2-d3e4f5a6b7c8';

/** The "typical" journal of the fixtures (064-typical-sealing), with overrides. */
export function journal(over: Partial<Journal> = {}): Journal {
  return {
    handoff_id: parseUuid(TYPICAL_ID) as Uint8Array,
    phase: 'Sealing',
    incumbent_pid: 1234,
    successor_pid: 5678,
    started_at_unix_ms: 1_700_000_000_000n,
    ...over,
  };
}

/** The decoded journal, or a failed assertion naming the error. */
export function ok(r: DecodeResult): Extract<DecodeResult, { ok: true }> {
  if (!r.ok) assert.fail(`expected ok, got ${r.kind} at ${r.offset}: ${r.message}`);
  return r;
}

/** The decode error, or a failed assertion naming what decoded. */
export function bad(r: DecodeResult): Extract<DecodeResult, { ok: false }> {
  if (r.ok) assert.fail(`expected an error, got ${JSON.stringify(plain(r.journal))}`);
  return r;
}
