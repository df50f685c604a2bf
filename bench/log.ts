/**
 * Log section: 1,000,000 lines of the supervisor's log (handoffs in its real format)
 * through the handoff record reader (shared/supervisorLog/records.ts), in lines/s, side
 * by side with the real `journalctl -o json` printing the same lines from a real journald
 * file (written by systemd-journal-remote): the target is our part at most 1x
 * journalctl's own time, so the reader is never the bottleneck. Then the exporter (the
 * bundled CLI) reads that whole journal before it listens, and its RSS (now and peak) is
 * read from /proc (target < 100 MB, whatever the log's size).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HandoffReader, type RawLine } from '../shared/supervisorLog';
import { exportStream, JOURNAL_REMOTE } from '../test/support/journalExport';
import { generateHandoffs, journalEntries } from '../test/support/handoffLogs';
import { startExporter } from '../test/support/exporterProcess';
import type { Section } from './harness';

const LINES = 1_000_000;
const UNIT = 'handoff-bench.service';

/** Streams entries into a journald file through systemd-journal-remote, in chunks (bounded memory). */
async function writeJournal(file: string, lines: readonly RawLine[]): Promise<void> {
  const child = spawn(JOURNAL_REMOTE as string, [`--output=${file}`, '--split-mode=none', '-'], { stdio: ['pipe', 'ignore', 'ignore'] });
  const done = new Promise<void>((r) => child.once('exit', () => r()));
  const entries = journalEntries(
    lines.map((l, i) => ({ text: l.text, atMs: 1_790_000_000_000 + Math.floor(i / 4) })),
    4242,
    UNIT,
  );
  for (let i = 0; i < entries.length; i += 20_000) {
    if (!child.stdin.write(exportStream(entries.slice(i, i + 20_000)))) await new Promise((r) => child.stdin.once('drain', r));
  }
  child.stdin.end();
  await done;
}

/** Runs journalctl printing the journal as JSON, counting its rows and discarding them. */
function timeJournalctl(dir: string): Promise<{ seconds: number; bytes: number; rows: number }> {
  return new Promise((res, rej) => {
    const t = process.hrtime.bigint();
    const args = [`--directory=${dir}`, '--no-pager', '-o', 'json', '--all', '--output-fields=MESSAGE,_PID,_SYSTEMD_UNIT'];
    const child = spawn('journalctl', args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let bytes = 0;
    let rows = 0;
    child.stdout.on('data', (d: Buffer) => {
      bytes += d.length;
      for (let i = d.indexOf(10); i >= 0; i = d.indexOf(10, i + 1)) rows++;
    });
    child.once('error', rej);
    child.once('close', () => res({ seconds: Number(process.hrtime.bigint() - t) / 1e9, bytes, rows }));
  });
}

function kb(status: string, key: string): number {
  return Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
}

export async function logSection(): Promise<Section> {
  const notes: string[] = [];
  const metrics: Record<string, number> = {};
  const { lines: timed } = generateHandoffs({
    n: Math.ceil(LINES / 6),
    seed: 1,
    startMs: 1_790_000_000_000,
    plan: (i) => (i % 10 === 9 ? 'seal-failure' : 'commit'),
    trigger: '/run/handoff/bench/trigger.sock',
  });
  const lines: RawLine[] = timed.slice(0, LINES).map((l) => ({ text: l.text }));
  // The reader alone, on lines already in memory.
  const reader = new HandoffReader('bench');
  const t = process.hrtime.bigint();
  const records = reader.pushAll(lines).length;
  const ours = Number(process.hrtime.bigint() - t) / 1e9;
  metrics['log.reader_lines_per_s'] = Math.round(lines.length / ours);
  notes.push(`reader: ${lines.length} lines, ${records} handoffs in ${ours.toFixed(2)} s = ${Math.round(lines.length / ours)} lines/s`);
  if (!JOURNAL_REMOTE)
    return {
      title: 'log: the handoff record reader',
      rows: [],
      metrics,
      notes: [...notes, 'systemd-journal-remote is not installed: journalctl and the exporter not measured'],
    };
  const dir = mkdtempSync(join(tmpdir(), 'hj-bench-log-'));
  try {
    // systemd-journal-remote starts a new file past its size limit: the journal is the folder.
    const journal = join(dir, 'journal');
    mkdirSync(journal);
    const w = process.hrtime.bigint();
    await writeJournal(join(journal, 'bench.journal'), lines);
    const files = readdirSync(journal).length;
    notes.push(`journald: ${lines.length} entries written in ${(Number(process.hrtime.bigint() - w) / 1e9).toFixed(1)} s (${files} files)`);
    const jc = await timeJournalctl(journal);
    if (jc.rows !== lines.length) notes.push(`journalctl printed ${jc.rows} entries, not ${lines.length}`);
    metrics['log.journalctl_lines_per_s'] = Math.round(jc.rows / jc.seconds);
    metrics['log.reader_vs_journalctl_time'] = Number((ours / jc.seconds).toFixed(3));
    const mb = (jc.bytes / 1e6).toFixed(0);
    notes.push(
      `journalctl -o json: the same ${jc.rows} lines (${mb} MB of JSON) in ${jc.seconds.toFixed(2)} s = ${Math.round(jc.rows / jc.seconds)} lines/s`,
    );
    notes.push(`our reader takes ${(ours / jc.seconds).toFixed(3)}x journalctl's time (target <= 1x)`);
    await exporterRss(dir, journal, lines.length, metrics, notes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { title: 'log: the handoff record reader, journalctl, the exporter', rows: [], metrics, notes };
}

/** The exporter reads the whole journal (its saved position: the start) before it listens; then its RSS. */
async function exporterRss(dir: string, journal: string, n: number, metrics: Record<string, number>, notes: string[]): Promise<void> {
  const state = join(dir, 'state');
  const positions = { [`journald files in ${journal}`]: { kind: 'journald', cursor: null, sinceMs: 0 } };
  const totals = {};
  mkdirSync(state, { recursive: true });
  writeFileSync(join(state, 'exporter.state.json'), JSON.stringify({ version: 1, positions, readers: {}, totals }));
  const t = process.hrtime.bigint();
  const e = await startExporter([UNIT, '--journal-dir', journal, '--state-dir', state], undefined, 600_000);
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  const status = readFileSync(`/proc/${e.pid}/status`, 'utf8');
  const text = await (await fetch(`${e.url}/metrics`)).text();
  const counted = Number(/^handoff_handoffs_total\{service="handoff-bench"\} (\d+)$/m.exec(text)?.[1] ?? NaN);
  await e.stop('SIGTERM');
  metrics['log.exporter_rss_mb'] = Math.round(kb(status, 'VmRSS') / 1024);
  metrics['log.exporter_peak_rss_mb'] = Math.round(kb(status, 'VmHWM') / 1024);
  notes.push(
    `exporter: read ${n} lines (${counted} handoffs) before it listened, in ${seconds.toFixed(1)} s; RSS ${metrics['log.exporter_rss_mb']} MB, peak ${metrics['log.exporter_peak_rss_mb']} MB (target < 100 MB)`,
  );
}
