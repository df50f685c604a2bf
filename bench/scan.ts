/**
 * Scan section: find and decode 10,000 journals laid out like
 * /var/lib/beyond/handoff/<svc>/state.bin in a temp dir, the way the Journals view does
 * (glob expansion + inspect of each, in batches), versus the floor of just `stat` +
 * `read` of the same files in this process.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeJournal } from '../shared/journal';
import { inspect } from '../shared/journal/node';
import { expandGlobs } from '../shared/util/node';
import { median, type Section } from './harness';

const COUNT = 10_000;

async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function inBatches<T>(items: T[], fn: (x: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += 64) await Promise.all(items.slice(i, i + 64).map(fn));
}

export async function scanSection(): Promise<Section> {
  const root = mkdtempSync(join(tmpdir(), 'hj-bench-scan-'));
  const base = join(root, 'var/lib/beyond/handoff');
  try {
    const bytes = encodeJournal(
      {
        handoff_id: new Uint8Array(16).fill(0x42),
        phase: 'Sealing',
        incumbent_pid: 1234,
        successor_pid: 5678,
        started_at_unix_ms: 1_700_000_000_000n,
      },
      'postcard',
    );
    for (let i = 0; i < COUNT; i++) {
      mkdirSync(join(base, `svc${i}`), { recursive: true });
      writeFileSync(join(base, `svc${i}`, 'state.bin'), bytes);
    }
    const floor = async (): Promise<void> => {
      const dirs = await readdir(base);
      await inBatches(dirs, async (d) => {
        const p = join(base, d, 'state.bin');
        await stat(p);
        await readFile(p);
      });
    };
    const ours = async (): Promise<void> => {
      const { paths } = await expandGlobs([join(base, '*/state.bin')], 20_000);
      if (paths.length !== COUNT) throw new Error(`found ${paths.length} journals, expected ${COUNT}`);
      await inBatches(paths, (p) => inspect(p, { encoding: 'auto', now: Date.now(), deadlineMs: 300_000, skewMs: 60_000 }));
    };
    await floor();
    await ours();
    const f: number[] = [];
    const o: number[] = [];
    for (let i = 0; i < 3; i++) {
      f.push(await timeMs(floor));
      o.push(await timeMs(ours));
    }
    const floorMs = median(f);
    const oursMs = median(o);
    return {
      title: `scan: ${COUNT} journals (glob + read + decode + validate) vs stat+read floor`,
      rows: [],
      metrics: { 'scan.10k_ms': round(oursMs), 'scan.floor_ms': round(floorMs), 'ratio.scan_vs_floor': round(oursMs / floorMs) },
      notes: [`ours ${oursMs.toFixed(0)} ms, floor ${floorMs.toFixed(0)} ms: ${(oursMs / floorMs).toFixed(2)}x the floor (target <= 2x)`],
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
