/**
 * What the server takes from the outside world, as small interfaces so tests (and the
 * test hooks in main.ts) can replace the clock and the process table.
 */
import type { ProcessInfo } from '../../shared/journal';

export interface Disposable {
  dispose(): void;
}

export interface ServerDeps {
  /** Unix ms now. */
  now(): number;
  /** Process look-up, or undefined when the host has no /proc. */
  processTable(): ((pid: number) => ProcessInfo) | undefined;
  /** Watches a directory; calls back with the changed file name (or undefined). */
  watchDir(dir: string, onChange: (name: string | undefined) => void): Disposable;
  random(n: number): Uint8Array;
  /** Default folder for undo records when the client gives none. */
  defaultStorageDir: string;
}

/** The process table when the settings allow liveness checks (`livenessChecks`), else undefined. */
export function livenessTable(
  deps: Pick<ServerDeps, 'processTable'>,
  settings: { livenessChecks: boolean },
): ((pid: number) => ProcessInfo) | undefined {
  return settings.livenessChecks ? deps.processTable() : undefined;
}
