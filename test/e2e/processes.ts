/**
 * Process hygiene for the e2e harness and `npm start`: every process we start runs in
 * its own process group and carries a marker in its environment (inherited by all its
 * descendants, e.g. code-server's extension host and our language server). Teardown
 * kills the group, then any process still carrying the marker. Cleanups registered here
 * also run on SIGINT/SIGTERM, so an interrupted run leaves nothing behind.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export const MARKER_ENV = 'HANDOFF_JOURNAL_E2E_RUN';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Pids (other than ours) whose environment carries `MARKER_ENV=<marker>`. */
export function pidsWithMarker(marker: string): number[] {
  const needle = `${MARKER_ENV}=${marker}\0`;
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      if (`${readFileSync(`/proc/${d}/environ`, 'latin1')}\0`.includes(needle)) out.push(Number(d));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** Whether a process exists (signal 0). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Groups and markers still to kill if this process exits without cleaning up (a crash, EPIPE). */
const groups = new Set<number>();
const markers = new Set<string>();
let exitHook = false;

function killOnExit(): void {
  for (const g of groups) signal(-g, 'SIGKILL');
  for (const m of markers) for (const p of pidsWithMarker(m)) signal(p, 'SIGKILL');
}

/** A child in its own process group, tagged with the run marker. */
export function spawnGroup(command: string, args: string[], marker: string, opts: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, {
    stdio: 'ignore',
    ...opts,
    detached: true,
    env: { ...(opts.env ?? process.env), [MARKER_ENV]: marker },
  });
  if (child.pid !== undefined) groups.add(child.pid);
  markers.add(marker);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', killOnExit);
  }
  return child;
}

/**
 * Stops a process group politely (SIGTERM), then forcefully after `graceMs`, then kills
 * any straggler that still carries the marker (a descendant that left the group).
 */
export async function killTree(child: ChildProcess | undefined, marker: string, graceMs = 4000): Promise<void> {
  const pid = child?.pid;
  const running = child !== undefined && child.exitCode === null && child.signalCode === null;
  if (pid !== undefined && running) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    signal(-pid, 'SIGTERM');
    await Promise.race([exited, sleep(graceMs)]);
  }
  if (pid !== undefined) {
    signal(-pid, 'SIGKILL');
    groups.delete(pid);
  }
  const deadline = Date.now() + graceMs;
  for (;;) {
    const left = pidsWithMarker(marker).filter(alive);
    if (left.length === 0) {
      markers.delete(marker);
      return;
    }
    for (const p of left) signal(p, Date.now() > deadline - graceMs / 2 ? 'SIGKILL' : 'SIGTERM');
    if (Date.now() > deadline) {
      for (const p of left) signal(p, 'SIGKILL');
      return;
    }
    await sleep(100);
  }
}

type Cleanup = () => Promise<void> | void;
const cleanups: Cleanup[] = [];
let installed = false;
let running: Promise<void> | undefined;

/** Runs every registered cleanup, newest first, once. */
export function runCleanups(): Promise<void> {
  running ??= (async () => {
    while (cleanups.length > 0) {
      const c = cleanups.pop() as Cleanup;
      try {
        await c();
      } catch (e) {
        console.error(`cleanup failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  })().finally(() => {
    running = undefined;
  });
  return running;
}

/** Registers a cleanup; returns a function that unregisters it (after running it yourself). */
export function onCleanup(c: Cleanup): () => void {
  cleanups.push(c);
  if (!installed) {
    installed = true;
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(sig, () => {
        console.error(`\n${sig}: stopping everything`);
        void runCleanups().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
      });
    }
  }
  return () => {
    const i = cleanups.indexOf(c);
    if (i >= 0) cleanups.splice(i, 1);
  };
}
