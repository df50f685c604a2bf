/**
 * Concurrent writers: two processes resetting the same journal and a simulated
 * supervisor writing it, all at once, while this process reads it as fast as it can.
 * Every read must decode (or find no file, never a torn one).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeJournal } from '../../shared/journal';
import { readJournalFile } from '../../shared/journal/node';

export interface ConcurrentReport {
  ms: number;
  writerIterations: number;
  writerFailures: number;
  reads: number;
  undecodable: number;
  details: string[];
}

function child(script: string, args: string[]): Promise<{ iterations: number; failed: number }> {
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) => {
      try {
        res(JSON.parse(out.trim().split('\n').pop() ?? '') as { iterations: number; failed: number });
      } catch {
        rej(new Error(`writer exited ${code} without a report: ${out}`));
      }
    });
  });
}

export async function concurrentTest(ms: number, writerLoop: string): Promise<ConcurrentReport> {
  const dir = mkdtempSync(join(tmpdir(), 'hj-conc-'));
  const path = join(dir, 'state.bin');
  copyFileSync(resolve(__dirname, '../fixtures/rust/postcard/064-typical-sealing.bin'), path);
  const report: ConcurrentReport = { ms, writerIterations: 0, writerFailures: 0, reads: 0, undecodable: 0, details: [] };
  try {
    const writers = [
      child(writerLoop, ['reset', path, String(ms)]),
      child(writerLoop, ['reset', path, String(ms)]),
      child(writerLoop, ['supervisor', path, String(ms)]),
    ];
    let done = false;
    const all = Promise.all(writers).finally(() => (done = true));
    while (!done) {
      const r = await readJournalFile(path);
      report.reads++;
      if (r.state === 'ok') {
        const d = decodeJournal(r.bytes);
        if (!d.ok) {
          report.undecodable++;
          if (report.details.length < 5) report.details.push(d.message);
        }
      } else {
        report.undecodable++;
        if (report.details.length < 5) report.details.push(r.state === 'missing' ? 'missing' : r.error.message);
      }
    }
    for (const w of await all) {
      report.writerIterations += w.iterations;
      report.writerFailures += w.failed;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}
