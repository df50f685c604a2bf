/**
 * Draws the extension's 128x128 PNG icon (a journal page with a phase arrow) without
 * any image library, so it can be regenerated anywhere: `node --import tsx scripts/makeIcon.ts`.
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const W = 128;
const px = new Uint8Array(W * W * 4);

function set(x: number, y: number, [r, g, b, a]: readonly number[]): void {
  if (x < 0 || y < 0 || x >= W || y >= W) return;
  px.set([r as number, g as number, b as number, a as number], (y * W + x) * 4);
}

function rect(x0: number, y0: number, x1: number, y1: number, c: readonly number[]): void {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) set(x, y, c);
}

const bg = [0x1e, 0x3a, 0x5f, 255];
const page = [0xf4, 0xf1, 0xe8, 255];
const ink = [0x1e, 0x3a, 0x5f, 255];
const accent = [0xe8, 0x8a, 0x1a, 255];
// Rounded background.
for (let y = 0; y < W; y++)
  for (let x = 0; x < W; x++) {
    const dx = Math.max(0, Math.abs(x - 63.5) - 48);
    const dy = Math.max(0, Math.abs(y - 63.5) - 48);
    if (dx * dx + dy * dy <= 16 * 16) set(x, y, bg);
  }
rect(30, 20, 98, 108, page);
for (const [i, w] of [
  [0, 44],
  [1, 52],
  [2, 36],
  [3, 48],
] as const)
  rect(40, 36 + i * 14, 40 + w, 42 + i * 14, ink);
// The phase arrow: forward along the protocol.
rect(40, 92, 78, 98, accent);
for (let k = 0; k < 10; k++) rect(78 + k, 85 + k, 79 + k, 105 - k, accent);

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(b: Buffer): number {
  let c = 0xffffffff;
  for (const x of b) c = (crcTable[(c ^ x) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
const raw = Buffer.alloc(W * (W * 4 + 1));
for (let y = 0; y < W; y++) Buffer.from(px.subarray(y * W * 4, (y + 1) * W * 4)).copy(raw, y * (W * 4 + 1) + 1);
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(W, 0);
ihdr.writeUInt32BE(W, 4);
ihdr.set([8, 6, 0, 0, 0], 8);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw)),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../images/icon.png', `file://${__filename}`), png);
