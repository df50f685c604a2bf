/**
 * UUID text forms, mirroring the Rust `uuid` crate: `Uuid::to_string` (lowercase,
 * hyphenated) and `Uuid::parse_str` (simple, hyphenated, braced, urn; any case).
 */

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase hyphenated form of 16 bytes, e.g. `3f2a9c1e-5b7d-4e8f-a1c2-d3e4f5a6b7c8`. */
export function formatUuid(b: Uint8Array, offset = 0): string {
  const h = (i: number): string => HEX[b[offset + i] as number] as string;
  return (
    h(0) +
    h(1) +
    h(2) +
    h(3) +
    '-' +
    h(4) +
    h(5) +
    '-' +
    h(6) +
    h(7) +
    '-' +
    h(8) +
    h(9) +
    '-' +
    h(10) +
    h(11) +
    h(12) +
    h(13) +
    h(14) +
    h(15)
  );
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

function parseHexRun(s: string, groups: readonly number[], sep: boolean): Uint8Array | null {
  const out = new Uint8Array(16);
  let pos = 0;
  let byte = 0;
  for (let g = 0; g < groups.length; g++) {
    if (sep && g > 0) {
      if (s[pos] !== '-') return null;
      pos++;
    }
    for (let k = 0; k < (groups[g] as number); k += 2) {
      const hi = hexValue(s.charCodeAt(pos));
      const lo = hexValue(s.charCodeAt(pos + 1));
      if (hi < 0 || lo < 0) return null;
      out[byte++] = hi * 16 + lo;
      pos += 2;
    }
  }
  return pos === s.length ? out : null;
}

const GROUPS = [8, 4, 4, 4, 12] as const;

/** Mirrors `uuid::Uuid::parse_str`: returns the 16 bytes or null when it would fail. */
export function parseUuid(text: string): Uint8Array | null {
  if (text.length === 32) return parseHexRun(text, [32], false);
  if (text.length === 36) return parseHexRun(text, GROUPS, true);
  if (text.length === 38 && text.startsWith('{') && text.endsWith('}')) {
    return parseHexRun(text.slice(1, -1), GROUPS, true);
  }
  if (text.length === 45 && text.startsWith('urn:uuid:')) {
    return parseHexRun(text.slice(9), GROUPS, true);
  }
  return null;
}

/** The RFC 4122 version nibble (4 for random UUIDs). */
export function uuidVersion(b: Uint8Array): number {
  return (b[6] as number) >> 4;
}

/** 'rfc4122' for the 10xx variant the `uuid` crate's `new_v4` produces. */
export function uuidVariant(b: Uint8Array): 'ncs' | 'rfc4122' | 'microsoft' | 'future' {
  const v = b[8] as number;
  if ((v & 0x80) === 0) return 'ncs';
  if ((v & 0xc0) === 0x80) return 'rfc4122';
  if ((v & 0xe0) === 0xc0) return 'microsoft';
  return 'future';
}

export function isNilUuid(b: Uint8Array): boolean {
  return b.every((x) => x === 0);
}

/** A fresh random v4 UUID, as `uuid::Uuid::new_v4` makes. */
export function newV4(random: (n: number) => Uint8Array): Uint8Array {
  const b = random(16);
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  return b;
}
