/**
 * Server section: the bundled server process over LSP. p50/p99 of
 * `workspace/textDocumentContent` for a journal; time from an atomic rename of a
 * journal to the server's refresh request (through its directory watch); server RSS
 * after opening 1,000 journals.
 */
import { readFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { encodeJournal, type Phase } from '../shared/journal';
import { writeJournalAtomic } from '../shared/journal/node';
import { TestClient } from '../test/support/lspClient';
import type { Section } from './harness';

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

const ms = (t: bigint): number => Number(process.hrtime.bigint() - t) / 1e6;
const journal = (phase: Phase, i = 0): Uint8Array =>
  encodeJournal(
    {
      handoff_id: new Uint8Array(16).fill(i & 0xff),
      phase,
      incumbent_pid: 1234,
      successor_pid: 5678,
      started_at_unix_ms: 1_700_000_000_000n,
    },
    'postcard',
  );

export async function serverSection(): Promise<Section> {
  const root = mkdtempSync(join(tmpdir(), 'hj-bench-server-'));
  const c = TestClient.spawn({}, undefined);
  try {
    await c.initialize({ trusted: true, storagePath: join(root, 'storage') });
    const path = join(root, 'svc', 'state.bin');
    mkdirSync(join(root, 'svc'));
    await writeJournalAtomic(path, journal('Negotiating'));
    const virt = pathToFileURL(path).href.replace(/^file:/, 'handoff-journal:');
    await c.content(virt);
    const content: number[] = [];
    for (let i = 0; i < 400; i++) {
      const t = process.hrtime.bigint();
      await c.content(virt);
      content.push(ms(t));
    }
    const refresh: number[] = [];
    const phases: Phase[] = ['Draining', 'Sealing', 'AwaitingReady', 'Committed'];
    for (let i = 0; i < 40; i++) {
      const seen = c.refreshes.length;
      const t = process.hrtime.bigint();
      await writeJournalAtomic(path, journal(phases[i % 4] as Phase, i));
      await c.waitFor('refresh', () => c.refreshes.length > seen);
      refresh.push(ms(t));
    }
    for (let i = 0; i < 1000; i++) {
      const p = join(root, `s${i}`, 'state.bin');
      mkdirSync(join(root, `s${i}`));
      await writeJournalAtomic(p, journal('Sealing', i));
      const u = pathToFileURL(p).href.replace(/^file:/, 'handoff-journal:');
      await c.open(u, '');
      await c.content(u);
    }
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${c.pid}/status`, 'utf8'))?.[1] ?? NaN);
    const m = {
      'server.content_p50_ms': round(percentile(content, 50)),
      'server.content_p99_ms': round(percentile(content, 99)),
      'server.change_to_refresh_p50_ms': round(percentile(refresh, 50)),
      'server.change_to_refresh_p99_ms': round(percentile(refresh, 99)),
      'server.rss_mb_1000': round(rssKb / 1024),
    };
    return {
      title: 'server: bundled dist/server.js over LSP (stdio)',
      rows: [],
      metrics: m,
      notes: [
        `textDocumentContent p50 ${m['server.content_p50_ms']} ms, p99 ${m['server.content_p99_ms']} ms (target p99 < 5 ms)`,
        `atomic rename -> refresh p50 ${m['server.change_to_refresh_p50_ms']} ms, p99 ${m['server.change_to_refresh_p99_ms']} ms (target p50 < 150 ms)`,
        `RSS after opening 1,000 journals: ${m['server.rss_mb_1000']} MB (target < 80 MB)`,
      ],
    };
  } finally {
    await c.close();
    rmSync(root, { recursive: true, force: true });
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
