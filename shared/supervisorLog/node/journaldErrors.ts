/**
 * Plain explanations of what went wrong reading journald: journalctl missing, no
 * journal on this host, no permission (with the sudo command), an unreadable or
 * foreign file, a timeout, or nothing found (rotated away, or no mention of the id).
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { shellLine } from '../../util';
import { DEFAULT_TIMEOUT_MS, type RunResult } from '../../util/node';
import type { JournaldQuery, LogSourceFailure } from './types';

function where(q: JournaldQuery): string {
  return q.file !== undefined
    ? `the journal file ${q.file}`
    : q.directory !== undefined
      ? `the journal files in ${q.directory}`
      : 'the system journal';
}

function what(q: JournaldQuery): string {
  const m = [q.pid !== undefined ? `pid ${q.pid}` : '', q.unit ?? '', q.grep !== undefined ? `"${q.grep}"` : ''].filter((x) => x !== '');
  const since = q.sinceMs !== undefined ? ` since ${new Date(q.sinceMs).toISOString()}` : '';
  return `${m.join(' or ')}${since}`;
}

type Failure = Omit<LogSourceFailure, 'ok' | 'source' | 'command'>;

/** journalctl could not run or did not finish. */
function notRun(r: RunResult, q: JournaldQuery, argv: string[]): Failure | undefined {
  if (r.spawnError === 'ENOENT')
    return {
      reason: 'no-journald',
      message:
        'there is no journald on this host (journalctl is not installed): give the log file or a command that prints the log instead.',
    };
  if (r.spawnError !== undefined) return { reason: 'command-failed', message: `cannot run ${argv[0]}: ${r.spawnError}` };
  if (r.timedOut)
    return {
      reason: 'timeout',
      message: `journalctl did not finish within ${Math.round((q.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s reading ${where(q)}; it was stopped. Narrow the search (a pid, a start time) or read a log file.`,
    };
  return undefined;
}

/** journalctl ran and said why it read nothing: permission, a bad file, no journal at all. */
function refused(r: RunResult, q: JournaldQuery, argv: string[], err: string): Failure | undefined {
  const sudo = ['sudo', ...argv];
  if (/insufficient permissions|not seeing messages from other users/i.test(err) && (r.code !== 0 || r.stdout.length === 0))
    return {
      reason: 'permission',
      sudoCommand: sudo,
      message: `you may not read ${where(q)}: only root and members of the groups systemd-journal and adm can. Run it as root (${shellLine(sudo)}), or join the group once: sudo usermod -aG systemd-journal $USER (then log in again).`,
    };
  if (/Permission denied/i.test(err) && r.code !== 0)
    return {
      reason: 'unreadable',
      sudoCommand: sudo,
      message: `cannot read ${where(q)}: permission denied. Run it as root: ${shellLine(sudo)}`,
    };
  if (/No such file|Bad message|No data available|Not a directory|not a journal/i.test(err) && r.code !== 0)
    return {
      reason: 'unreadable',
      message: `cannot read ${where(q)}: ${err.split('\n')[0]}${/Bad message|No data available/.test(err) ? ' (it is not a journald file)' : ''}.`,
    };
  if (/No journal files were found/i.test(err) && r.stdout.length === 0)
    return {
      reason: 'no-journald',
      message: `journald keeps no journal on this host (no journal files were found): give the log file or a command that prints the log instead.`,
    };
  return undefined;
}

/** Turns a failed or empty journalctl run into a plain explanation. */
export function explainJournalctl(r: RunResult, q: JournaldQuery, argv: string[]): LogSourceFailure | undefined {
  const err = r.stderr.trim();
  // `--grep` with no match exits 1 and says nothing: that is "no lines", not a failure.
  const quietNoMatch = r.code === 1 && err === '' && r.stdout.length === 0;
  const f =
    notRun(r, q, argv) ??
    refused(r, q, argv, err) ??
    (r.code !== 0 && !r.truncated && !quietNoMatch
      ? { reason: 'command-failed' as const, message: `journalctl failed (exit ${r.code}): ${err.split('\n')[0] || 'no message'}` }
      : undefined);
  return f ? { ok: false, source: 'journald', command: argv, ...f } : undefined;
}

/**
 * Whether this host has a system journal: journald's runtime directory, or journal
 * files under /var/log/journal or /run/log/journal. (journalctl -o json says nothing
 * when there is none.) An unlistable directory counts as present: it is there.
 */
export async function systemJournalPresent(root = '/'): Promise<boolean> {
  if (
    await stat(`${root}run/systemd/journal`).then(
      () => true,
      () => false,
    )
  )
    return true;
  for (const dir of ['var/log/journal', 'run/log/journal']) if (await holdsJournalFiles(`${root}${dir}`)) return true;
  return false;
}

/** Folders looked into below a journal directory (journald's `<machine-id>/`, journal-remote's `remote/`). */
const JOURNAL_DIR_DEPTH = 2;
/** Sub-folders looked into per folder: a journal directory holds a few. */
const JOURNAL_DIR_FOLDERS = 64;

/**
 * Whether a directory (or a folder up to JOURNAL_DIR_DEPTH below it) holds journal files;
 * an unlistable one may. Bounded: a `--journal-dir /` must not walk the whole disk.
 */
export async function holdsJournalFiles(dir: string, depth = JOURNAL_DIR_DEPTH): Promise<boolean> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EACCES';
  }
  if (entries.some((d) => !d.isDirectory() && /\.journal~?$/.test(d.name))) return true;
  if (depth === 0) return false;
  for (const d of entries.filter((x) => x.isDirectory()).slice(0, JOURNAL_DIR_FOLDERS))
    if (await holdsJournalFiles(join(dir, d.name), depth - 1)) return true;
  return false;
}

/** Why journalctl found no line: no journal at all, an empty directory, rotation, or no mention of the id. */
export async function nothingFound(q: JournaldQuery, argv: string[]): Promise<LogSourceFailure> {
  const base = { ok: false as const, source: 'journald' as const, command: argv };
  if (q.file === undefined && q.directory === undefined && !(await systemJournalPresent()))
    return {
      ...base,
      reason: 'no-journald',
      message:
        'journald keeps no journal on this host (no /run/systemd/journal, no journal files in /var/log/journal or /run/log/journal): give the log file or a command that prints the log instead.',
    };
  if (q.directory !== undefined && !(await holdsJournalFiles(q.directory)))
    return { ...base, reason: 'unreadable', message: `${q.directory} holds no journal files (*.journal).` };
  if (q.pid === undefined && q.unit === undefined)
    return {
      ...base,
      reason: 'no-lines',
      message: `${where(q)} has no line mentioning ${q.grep ?? ''}: that handoff ran on another host or under another log, or its lines were rotated away (journald's SystemMaxUse / MaxRetentionSec).`,
    };
  const since =
    q.sinceMs !== undefined ? `, or from before ${new Date(q.sinceMs).toISOString()} (a minute before the handoff started)` : '';
  return {
    ...base,
    reason: 'rotated',
    message: `${where(q)} has no lines at all for ${what(q)}: they were rotated away (journald's SystemMaxUse / MaxRetentionSec), the supervisor does not log to journald${since}. Give the log file instead.`,
  };
}
