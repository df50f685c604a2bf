/**
 * The e2e fixture workspace: a copy of workspace-template/ plus journals written at run
 * time with the shared encoder and atomic-write module (no committed binaries).
 */
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeJournal, encodeJournal, type DecodeResult, type Encoding, type Journal, type Phase, parseUuid } from '../../shared/journal';
import { writeJournalAtomic } from '../../shared/journal/node';

export const TEMPLATE = join(__dirname, 'workspace-template');

/**
 * Pids above Linux's largest possible pid_max (2^22): never a running process, so the
 * views are the same on every machine.
 */
export const DEAD_INCUMBENT = 4_242_424;
export const DEAD_SUCCESSOR = 4_242_425;

export function uuid(text: string): Uint8Array {
  const b = parseUuid(text);
  if (b === null) throw new Error(`bad uuid ${text}`);
  return b;
}

/** A journal with sensible defaults for the fields not given. */
export function journal(phase: Phase, fields: Partial<Omit<Journal, 'phase'>> = {}): Journal {
  return {
    handoff_id: uuid('5b850ada-a2d1-473b-b929-a2cf15fd872c'),
    incumbent_pid: DEAD_INCUMBENT,
    successor_pid: DEAD_SUCCESSOR,
    started_at_unix_ms: BigInt(Date.now()),
    ...fields,
    phase,
  };
}

/** The fixture journals, by service (computed when the workspace is prepared). */
export function fixtureJournals(now = Date.now()): Record<'kv' | 'web', Journal> {
  return {
    kv: journal('Sealing', { handoff_id: uuid('5b850ada-a2d1-473b-b929-a2cf15fd872c'), started_at_unix_ms: BigInt(now - 10 * 60_000) }),
    web: journal('Committed', { handoff_id: uuid('9c1e4f27-0d3b-4a8e-b6f1-2a7c5d9e0b13'), started_at_unix_ms: BigInt(now - 30_000) }),
  };
}

/** `<dir>/<service>/state.bin`; `dir` holds the services (`<workspace>/services`, or a host tree's handoff folder). */
export function journalPath(dir: string, service: string): string {
  return join(dir, service, 'state.bin');
}

/** Writes a journal (or raw bytes) atomically, as the supervisor would. */
export async function writeJournal(
  dir: string,
  service: string,
  j: Journal | Uint8Array,
  encoding: Encoding = 'postcard',
): Promise<string> {
  const path = journalPath(dir, service);
  const bytes = j instanceof Uint8Array ? j : encodeJournal(j, encoding);
  const r = await writeJournalAtomic(path, bytes);
  if (!r.ok) throw new Error(r.error.message);
  return path;
}

/** Decodes the journal on disk; undefined when there is no file. */
export async function readJournal(dir: string, service: string): Promise<DecodeResult | undefined> {
  const bytes = await readFile(journalPath(dir, service)).catch(() => undefined);
  return bytes === undefined ? undefined : decodeJournal(new Uint8Array(bytes));
}

/**
 * Makes `dest` a fresh copy of the template with the fixture journals. Safe to call
 * again on the same folder (between scenarios): `services/` is rebuilt.
 */
export async function prepareWorkspace(dest: string): Promise<void> {
  rmSync(join(dest, 'services'), { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  cpSync(TEMPLATE, dest, { recursive: true });
  const j = fixtureJournals();
  const services = join(dest, 'services');
  await writeJournal(services, 'kv', j.kv);
  await writeJournal(services, 'web', j.web);
  await writeJournal(services, 'broken', encodeJournal(j.kv, 'postcard').subarray(0, 20));
}
