/**
 * Bounded reads of kernel files (/proc): at most a given number of bytes (by default as
 * latin1, one character per byte, so offsets are byte offsets), never the whole of a
 * file that outside activity can grow (/proc/net/unix lists every socket).
 */
import { closeSync, constants, openSync, readSync } from 'node:fs';

/** At most `max` bytes of a /proc file, as latin1 (one character per byte) unless told; undefined when it cannot be read. */
export function readProcText(path: string, max: number, encoding: BufferEncoding = 'latin1'): { text: string; cut: boolean } | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.alloc(Math.min(64 * 1024, max + 1 - total));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > max) break;
    }
    const all = Buffer.concat(chunks, total);
    return { text: all.subarray(0, max).toString(encoding), cut: total > max };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
