/**
 * Real files for the repair tests: a fresh folder per journal (all removed after the test
 * file), what a path holds, the hooks of a repair recorded in order, and outcome checks.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { DEFAULT_JOURNAL_RULE } from '../../shared/journal';
import type { RepairEnv, RepairOutcome } from '../../shared/journal/node';

const root = mkdtempSync(join(tmpdir(), 'hj-repair-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A fresh folder holding `name` with `bytes` (nothing when null); returns the file's path. */
export function put(bytes: Uint8Array | null, name = 'state.bin'): string {
  const d = join(root, `t${n++}`);
  mkdirSync(d);
  if (bytes) writeFileSync(join(d, name), bytes);
  return join(d, name);
}

/** The bytes at `path`, or null when there is no file. */
export const held = (path: string): Uint8Array | null => (existsSync(path) ? new Uint8Array(readFileSync(path)) : null);

/** The names in the folder of `path`, sorted. */
export const names = (path: string): string[] => readdirSync(dirname(path)).sort();

const hexOf = (b: Uint8Array | null): string => (b ? Buffer.from(b).toString('hex') : 'null');

/** The clock of the repair environment. */
export const NOW = 1_750_000_000_000;

/** A repair environment whose prepare, rollback and beforeWrite calls are recorded in order. */
export function recorder(now = NOW): { env: RepairEnv; calls: string[] } {
  const calls: string[] = [];
  const env: RepairEnv = {
    rule: DEFAULT_JOURNAL_RULE,
    now,
    random: (k) => new Uint8Array(k).fill(0xab),
    prepare: async (b, a) => {
      calls.push(`prepare ${hexOf(b)} -> ${hexOf(a)}`);
      return async () => void calls.push('rollback');
    },
    beforeWrite: (b) => void calls.push(`beforeWrite ${hexOf(b)}`),
  };
  return { env, calls };
}

export function isOk(o: RepairOutcome): asserts o is Extract<RepairOutcome, { ok: true }> {
  assert.equal(o.ok, true, o.message);
}

/** Asserts a refusal with this reason and forceability. */
export function refused(o: RepairOutcome, reason: string, forceable: boolean): void {
  assert.equal(o.ok, false, o.message);
  if (!o.ok) assert.deepEqual([o.reason, o.forceable], [reason, forceable], o.message);
}
