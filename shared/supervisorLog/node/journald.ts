/**
 * The supervisor's log from journald, read with the real `journalctl -o json`: by the
 * supervisor's pid (the journal's `incumbent_pid`) and its systemd unit, or by a
 * handoff id (`-g`, with a plain scan when journalctl has no pattern support). Under
 * systemd the daemons' stderr reaches journald through the supervisor's stream, so
 * their lines carry the supervisor's `_PID` too. journald stores a line with ANSI codes
 * as bytes: `MESSAGE` then arrives as an array of numbers, decoded here (UTF-8, lossy).
 */
import { readFile } from 'node:fs/promises';
import type { RawLine } from '../parse';
import { shellLine } from '../../util';
import { runBounded, type RunResult } from '../../util/node';
import { explainJournalctl, nothingFound } from './journaldErrors';
import type { JournaldQuery, LogSourceFailure, LogSourceResult } from './types';

const FIELDS = '--output-fields=MESSAGE,_PID,_SYSTEMD_UNIT';

interface Entry {
  MESSAGE?: unknown;
  _PID?: string;
  _SYSTEMD_UNIT?: string;
  __REALTIME_TIMESTAMP?: string;
}

/** `MESSAGE` as journalctl prints it: a string, an array of byte values, or null (too large). */
export function decodeJournalMessage(m: unknown): string | undefined {
  if (typeof m === 'string') return m;
  if (Array.isArray(m) && m.every((b) => typeof b === 'number')) return new TextDecoder('utf-8').decode(new Uint8Array(m as number[]));
  return undefined;
}

/** Parses `journalctl -o json` output (one object per line) into raw lines and the units seen. */
export function parseJournalJson(out: Buffer, complete: boolean): { lines: RawLine[]; units: Set<string>; skipped: number } {
  const lines: RawLine[] = [];
  const units = new Set<string>();
  let skipped = 0;
  const rows = out.toString('utf8').split('\n');
  // A truncated read ends inside an entry: drop that partial last row.
  if (!complete) rows.pop();
  for (const row of rows) {
    if (row.trim() === '') continue;
    let e: Entry;
    try {
      e = JSON.parse(row) as Entry;
    } catch {
      skipped++;
      continue;
    }
    const text = decodeJournalMessage(e.MESSAGE);
    if (text === undefined) {
      skipped++;
      continue;
    }
    if (e._SYSTEMD_UNIT) units.add(e._SYSTEMD_UNIT);
    const us =
      e.__REALTIME_TIMESTAMP !== undefined && /^\d+$/.test(e.__REALTIME_TIMESTAMP)
        ? Number(BigInt(e.__REALTIME_TIMESTAMP) / 1000n)
        : undefined;
    const pid = e._PID !== undefined ? Number(e._PID) : undefined;
    for (const t of text.split('\n'))
      lines.push({ text: t, ...(us !== undefined ? { realtimeMs: us } : {}), ...(pid !== undefined ? { pid } : {}) });
  }
  return { lines, units, skipped };
}

/** The systemd unit a live pid runs in, from `/proc/<pid>/cgroup` (`0::/system.slice/x.service`). */
export async function unitOfPid(pid: number, procRoot = '/proc'): Promise<string | undefined> {
  try {
    const text = await readFile(`${procRoot}/${pid}/cgroup`, 'utf8');
    const path = text.split('\n').find((l) => l.startsWith('0::')) ?? text.split('\n')[0] ?? '';
    // A user unit (under user@UID.service) is logged as _SYSTEMD_USER_UNIT: not matched here.
    if (/\/user@\d+\.service\//.test(path)) return undefined;
    return path
      .split('/')
      .reverse()
      .find((c) => /\.service$/.test(c));
  } catch {
    return undefined;
  }
}

/** The journalctl arguments (without the program) for a query. */
export function journalctlArgs(q: JournaldQuery, usePattern = !q.noPattern): string[] {
  // Not --quiet: it hides the hint that says the user may not see the system's messages.
  const args = ['--no-pager', '-o', 'json', '--all', FIELDS];
  if (q.file !== undefined) args.push(`--file=${q.file}`);
  if (q.directory !== undefined) args.push(`--directory=${q.directory}`);
  if (q.sinceMs !== undefined) args.push(`--since=@${Math.max(0, Math.floor(q.sinceMs / 1000))}`);
  if (q.pid !== undefined) args.push(`_PID=${q.pid}`);
  if (q.pid !== undefined && q.unit !== undefined) args.push('+');
  if (q.unit !== undefined) args.push(`_SYSTEMD_UNIT=${q.unit}`);
  if (q.grep !== undefined && usePattern) args.push(`--grep=${q.grep}`);
  return args;
}

/** Whether journalctl refused `--grep` for want of pattern support (built or installed without PCRE2). */
function noPatternSupport(r: RunResult): boolean {
  return r.code !== 0 && /pcre|pattern matching|--grep/i.test(r.stderr);
}

async function query(q: JournaldQuery, usePattern: boolean): Promise<{ ok: true; r: RunResult; argv: string[] } | LogSourceFailure> {
  const argv = [q.journalctl ?? 'journalctl', ...journalctlArgs(q, usePattern)];
  const r = await runBounded(argv, q);
  if (usePattern && q.grep !== undefined && noPatternSupport(r)) return query(q, false);
  return explainJournalctl(r, q, argv) ?? { ok: true, r, argv };
}

/**
 * Finds the lines holding `q.grep`, then reads the whole neighbourhood: the first
 * hit's pid and unit from a minute before it, so untagged lines (errors, daemon output,
 * the restart) come along. Falls back to the hits alone when that second read fails.
 */
async function readByText(q: JournaldQuery): Promise<LogSourceResult> {
  const hits = await readLines(q);
  if (!hits.ok) return hits;
  const first = hits.lines[0];
  if (first?.pid === undefined) return hits;
  const around = await readJournald({
    ...q,
    grep: undefined,
    pid: first.pid,
    ...(first.realtimeMs !== undefined ? { sinceMs: first.realtimeMs - 60_000 } : {}),
  });
  return around.ok ? around : hits;
}

/**
 * Reads the log lines journald holds for a pid (+ its unit), or for a text (`grep`).
 * Without a unit, the unit is taken from the pid's own entries and the query repeated
 * with it, so a restarted supervisor's lines (another pid, same unit) come along.
 */
export async function readJournald(q: JournaldQuery): Promise<LogSourceResult> {
  if (q.pid === undefined && q.unit === undefined && q.grep === undefined)
    throw new Error('readJournald needs a pid, a unit or a grep text');
  if (q.pid === undefined && q.unit === undefined) return readByText(q);
  return readLines(q);
}

async function readLines(q: JournaldQuery): Promise<LogSourceResult> {
  let ran = await query(q, q.grep !== undefined && !q.noPattern);
  if (!ran.ok) return ran;
  let parsed = parseJournalJson(ran.r.stdout, !ran.r.truncated);
  if (q.pid !== undefined && q.unit === undefined && parsed.units.size === 1) {
    const again = await query({ ...q, unit: [...parsed.units][0] as string }, false);
    if (again.ok) {
      ran = again;
      parsed = parseJournalJson(again.r.stdout, !again.r.truncated);
    }
  }
  let lines = parsed.lines;
  // Without pattern support the grep is done here, on the decoded text.
  if (q.grep !== undefined && !ran.argv.some((a) => a.startsWith('--grep=')))
    lines = lines.filter((l) => l.text.includes(q.grep as string));
  if (lines.length === 0) return await nothingFound(q, ran.argv);
  const notes: string[] = [];
  if (ran.r.truncated) notes.push(`journalctl printed more than ${ran.r.stdout.length} bytes: only the first part was read.`);
  if (parsed.skipped > 0) notes.push(`${parsed.skipped} journal entries had no readable MESSAGE and were skipped.`);
  return {
    ok: true,
    source: 'journald',
    sourceDescription: `journald: ${shellLine(ran.argv)}`,
    command: ran.argv,
    lines,
    truncated: ran.r.truncated,
    notes,
  };
}
