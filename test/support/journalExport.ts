/**
 * Builds a real journald file from log lines: writes them in journald's export format
 * (https://systemd.io/JOURNAL_EXPORT_FORMATS/; a field holding bytes that are not
 * printable, like ANSI escapes, is `NAME\n` + 64-bit little-endian length + data + `\n`)
 * and feeds that to Debian's `systemd-journal-remote -o FILE.journal -`, so
 * `journalctl --file FILE.journal` reads it as it reads the system journal.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { splitLogText, timestampMs } from '../../shared/supervisorLog';

export const JOURNAL_REMOTE = ['/lib/systemd/systemd-journal-remote', '/usr/lib/systemd/systemd-journal-remote'].find((p) => existsSync(p));

export interface ExportEntry {
  message: string;
  realtimeUs: bigint;
  pid: number;
  unit?: string;
  identifier?: string;
}

const BOOT_ID = '4d1b1f0e6a5c4b2e9f3a7c8d0e1f2a3b';

function field(name: string, value: string): Buffer {
  const data = Buffer.from(value, 'utf8');
  if (!/[\x00-\x1f\x7f]/.test(value)) return Buffer.concat([Buffer.from(`${name}=`), data, Buffer.from('\n')]);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(data.length));
  return Buffer.concat([Buffer.from(`${name}\n`), len, data, Buffer.from('\n')]);
}

export function exportStream(entries: readonly ExportEntry[]): Buffer {
  const parts: Buffer[] = [];
  entries.forEach((e, i) => {
    parts.push(
      field('__REALTIME_TIMESTAMP', String(e.realtimeUs)),
      field('__MONOTONIC_TIMESTAMP', String(1_000_000 + i)),
      field('_BOOT_ID', BOOT_ID),
      field('_HOSTNAME', 'handoff-test'),
      field('_PID', String(e.pid)),
      field('SYSLOG_IDENTIFIER', e.identifier ?? 'handoff-supervisor'),
      ...(e.unit ? [field('_SYSTEMD_UNIT', e.unit)] : []),
      field('MESSAGE', e.message),
      Buffer.from('\n'),
    );
  });
  return Buffer.concat(parts);
}

/**
 * Entries for a fixture log as journald would store them: one per line, each at its
 * tracing timestamp (a line without one, daemon output, 1 µs after the line before).
 */
export function entriesFromLog(text: string, pid: number, unit = 'handoff-kv.service'): ExportEntry[] {
  let last = 0n;
  return splitLogText(text).map((l) => {
    const ts = /^\x1b\[2m([^\x1b]+)\x1b\[0m/.exec(l.text)?.[1] ?? /^(\S+Z)\s/.exec(l.text)?.[1];
    const ms = ts !== undefined ? timestampMs(ts) : undefined;
    const micros =
      ts !== undefined && ms !== undefined
        ? BigInt(ms) * 1000n + BigInt(Number((/\.(\d+)/.exec(ts)?.[1] ?? '0').padEnd(6, '0').slice(3, 6)))
        : last + 1n;
    last = micros;
    return { message: l.text, realtimeUs: micros, pid, unit };
  });
}

/** Writes `entries` into a journal file at `out` (its name must end in `.journal`). */
export function writeJournalFile(out: string, entries: readonly ExportEntry[]): void {
  if (!JOURNAL_REMOTE) throw new Error('systemd-journal-remote is not installed (apt-get install systemd-journal-remote)');
  const sorted = [...entries].sort((a, b) => (a.realtimeUs < b.realtimeUs ? -1 : a.realtimeUs > b.realtimeUs ? 1 : 0));
  const r = spawnSync(JOURNAL_REMOTE, [`--output=${out}`, '--split-mode=none', '-'], { input: exportStream(sorted), timeout: 20_000 });
  if (r.status !== 0) throw new Error(`systemd-journal-remote failed (${r.status}): ${r.stderr.toString()}`);
}
