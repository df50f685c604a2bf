/**
 * A production host's journal tree for the unprivileged run, inside a temp dir (never the
 * real /var/lib/beyond, so the suite is hermetic on a host that runs a supervisor):
 * `<root>/var/lib/beyond/handoff/<service>/state.bin`, owned by root, directories 0755 and
 * files 0644 as the Rust writer leaves them under umask 022, plus one service whose
 * directory is 0700 (some hosts): unreadable by the user. Journals are written with the
 * shared codec and atomic writer, as root.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, lchownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Encoding, Journal } from '../../shared/journal';
import { fixtureJournals, journal, uuid, writeJournal } from './workspace';

/** The service whose directory is 0700 root: the user cannot even see that its journal exists. */
export const SEALED_SERVICE = 'vault';
/** Its journal (a finished handoff), readable by root only. */
export const SEALED_ID = '3f2a9c4e-7b1d-4e8a-9c6f-0d5b2e7a1c94';

export interface HostTree {
  /** The temp dir standing for `/` (0755, so the user can traverse it). */
  root: string;
  /** `<root>/var/lib/beyond/handoff`: the folder the user opens. */
  journalsDir: string;
  /** `<journalsDir>/<service>/state.bin` */
  journalPath(service: string): string;
  /** Services written: `kv` (Sealing), `web` (Committed), and `vault` (0700). */
  services: string[];
}

/** mkdir -p under `base`, each created folder root's and 0755 (whatever the harness's umask). */
function mkdirs(base: string, parts: string[]): string {
  let dir = base;
  for (const p of parts) {
    dir = join(dir, p);
    mkdirSync(dir, { recursive: true });
    lchownSync(dir, 0, 0);
    chmodSync(dir, 0o755);
  }
  return dir;
}

/** Writes a journal as root with the atomic writer, then the supervisor's modes: 0755 dir, 0644 file. */
export async function writeHostJournal(tree: HostTree, service: string, j: Journal | Uint8Array, encoding?: Encoding): Promise<string> {
  mkdirs(tree.journalsDir, [service]);
  const path = await writeJournal(tree.journalsDir, service, j, encoding);
  lchownSync(path, 0, 0);
  chmodSync(path, 0o644);
  return path;
}

/** Makes a new host tree in a fresh temp dir. */
export async function newHostTree(): Promise<HostTree> {
  const root = mkdtempSync(join(tmpdir(), 'hj-e2e-host-'));
  chmodSync(root, 0o755);
  const journalsDir = mkdirs(root, ['var', 'lib', 'beyond', 'handoff']);
  const tree: HostTree = { root, journalsDir, journalPath: (s) => join(journalsDir, s, 'state.bin'), services: [] };
  await prepareHostTree(tree);
  return tree;
}

/** (Re)writes the services of the tree: between scenarios of a shared session. */
export async function prepareHostTree(tree: HostTree): Promise<void> {
  for (const d of readdirSync(tree.journalsDir)) rmSync(join(tree.journalsDir, d), { recursive: true, force: true });
  const j = fixtureJournals();
  await writeHostJournal(tree, 'kv', j.kv);
  await writeHostJournal(tree, 'web', j.web);
  await writeHostJournal(tree, SEALED_SERVICE, journal('Committed', { handoff_id: uuid(SEALED_ID) }));
  chmodSync(join(tree.journalsDir, SEALED_SERVICE), 0o700);
  tree.services = ['kv', 'web', SEALED_SERVICE];
}

/** The bytes on disk, read as root (undefined when there is no file). */
export async function readBytesAsRoot(path: string): Promise<Buffer | undefined> {
  return readFile(path).catch(() => undefined);
}

/** Owner name and permission bits of a path, e.g. `{ owner: 'root', mode: 0o644 }` (stat as root). */
export function ownerAndMode(path: string): { owner: string; uid: number; mode: number } {
  const st = statSync(path);
  // Asked each time (not a cached /etc/passwd): the suite's user may have been made meanwhile.
  const r = spawnSync('/usr/bin/getent', ['passwd', String(st.uid)], { encoding: 'utf8', timeout: 10_000 });
  const owner = r.status === 0 ? (r.stdout.split(':')[0] ?? '') : `uid ${st.uid}`;
  return { owner, uid: st.uid, mode: st.mode & 0o7777 };
}
