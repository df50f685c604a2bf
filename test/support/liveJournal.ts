/**
 * A journald file written live: Debian's `systemd-journal-remote` reading journald's
 * export format on its stdin, fed entries while tests run, so `journalctl --file FILE
 * --follow` (the exporter) sees them arrive as it would on a host.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { exportStream, JOURNAL_REMOTE, type ExportEntry } from './journalExport';
import { poll } from './prometheus';

export interface LiveJournal {
  /** Appends entries and waits until journalctl reads the last of them back. */
  write(entries: readonly ExportEntry[]): Promise<void>;
  close(): Promise<void>;
}

function entriesIn(file: string): number {
  const r = spawnSync('journalctl', [`--file=${file}`, '--no-pager', '-o', 'cat', '--all'], { encoding: 'utf8', timeout: 20_000 });
  return r.status === 0 ? r.stdout.split('\n').length - 1 : 0;
}

export function startLiveJournal(file: string): LiveJournal {
  if (!JOURNAL_REMOTE) throw new Error('systemd-journal-remote is not installed (apt-get install systemd-journal-remote)');
  const child: ChildProcess = spawn(JOURNAL_REMOTE, [`--output=${file}`, '--split-mode=none', '-'], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let written = 0;
  return {
    write: async (entries) => {
      written += entries.length;
      child.stdin?.write(exportStream(entries));
      await poll(
        async () => entriesIn(file),
        `${written} entries in ${file}`,
        20_000,
        (n) => n >= written,
      );
    },
    close: async () => {
      child.stdin?.end();
      await exited;
    },
  };
}
