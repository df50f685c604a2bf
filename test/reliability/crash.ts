/**
 * Crash consistency: a child resets one journal in a loop through the CLI; the parent
 * SIGKILLs it at random moments. After every kill the journal must decode to one of the
 * two values being written (never torn or empty), and at most one temp file may be left,
 * which the next write replaces.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeJournal } from '../../shared/journal';

export interface CrashReport {
  kills: number;
  torn: number;
  maxLeftoverTmp: number;
  details: string[];
}

function killAfterReady(script: string, path: string, delayMs: number): Promise<void> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [script, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let killed = false;
    child.stdout.on('data', (d: Buffer) => {
      if (!killed && d.toString().includes('ready')) {
        killed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error('the reset loop never became ready'));
    }, 20_000);
    child.on('exit', () => {
      clearTimeout(guard);
      res();
    });
  });
}

export async function crashTest(count: number, resetLoop: string): Promise<CrashReport> {
  const dir = mkdtempSync(join(tmpdir(), 'hj-crash-'));
  const path = join(dir, 'state.bin');
  copyFileSync(resolve(__dirname, '../fixtures/rust/postcard/064-typical-sealing.bin'), path);
  const report: CrashReport = { kills: 0, torn: 0, maxLeftoverTmp: 0, details: [] };
  try {
    for (let i = 0; i < count; i++) {
      await killAfterReady(resetLoop, path, Math.floor(Math.random() * 25));
      report.kills++;
      const d = decodeJournal(new Uint8Array(readFileSync(path)));
      if (!d.ok || (d.journal.phase !== 'Sealing' && d.journal.phase !== 'AwaitingReady')) {
        report.torn++;
        report.details.push(`kill ${i}: ${d.ok ? d.journal.phase : d.message}`);
      }
      const tmps = readdirSync(dir).filter((f) => f !== 'state.bin').length;
      report.maxLeftoverTmp = Math.max(report.maxLeftoverTmp, tmps);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}
