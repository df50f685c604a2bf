/**
 * Reads the host's process table from /proc (Linux): whether a pid runs and its
 * command name. I/O at the edge: the pure validator receives `lookupProcess` as a
 * function, and tests pass fakes.
 */
import { existsSync } from 'node:fs';
import { readProcText } from '../../util/node';
import type { ProcessInfo } from '../model';

/** /proc/<pid>/stat and comm are short; reads stop here whatever they hold. */
const MAX_PROC = 4096;

/** Returns a process look-up, or undefined when this host has no /proc. */
export function procProcessTable(procRoot = '/proc'): ((pid: number) => ProcessInfo) | undefined {
  if (!existsSync(`${procRoot}/self/stat`)) return undefined;
  return (pid: number): ProcessInfo => {
    if (!Number.isInteger(pid) || pid <= 0) return { running: false };
    try {
      const stat = readProcText(`${procRoot}/${pid}/stat`, MAX_PROC, 'utf8')?.text;
      if (stat === undefined) return { running: false };
      // The state letter follows the last ')' (the command name may contain ')').
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state === 'Z' || state === 'X') return { running: false };
      const command = readProcText(`${procRoot}/${pid}/comm`, MAX_PROC, 'utf8')?.text.trim() ?? '';
      return { running: true, command };
    } catch {
      return { running: false };
    }
  };
}
