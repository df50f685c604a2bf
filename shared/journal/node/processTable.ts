/**
 * Reads the host's process table from /proc (Linux): whether a pid runs and its
 * command name. I/O at the edge: the pure validator receives `lookupProcess` as a
 * function, and tests pass fakes.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ProcessInfo } from '../model';

/** Returns a process look-up, or undefined when this host has no /proc. */
export function procProcessTable(procRoot = '/proc'): ((pid: number) => ProcessInfo) | undefined {
  if (!existsSync(`${procRoot}/self/stat`)) return undefined;
  return (pid: number): ProcessInfo => {
    if (!Number.isInteger(pid) || pid <= 0) return { running: false };
    try {
      const stat = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
      // The state letter follows the last ')' (the command name may contain ')').
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state === 'Z' || state === 'X') return { running: false };
      const command = readFileSync(`${procRoot}/${pid}/comm`, 'utf8').trim();
      return { running: true, command };
    } catch {
      return { running: false };
    }
  };
}
