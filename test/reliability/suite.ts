/**
 * The reliability checks as plain functions returning figures, shared by the node:test
 * wrapper (small counts, part of `npm test`) and the report (`npm run test:reliability -- --report`).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeJournal, encodeJournal } from '../../shared/journal';
import { readJournalFile } from '../../shared/journal/node';
import { TestClient } from '../support/lspClient';
import { CASES, canMount, canRunAsNobody, cleanup, prepare, runCli, snapshot, type CliRun, type HostileCase } from './hostile';

export interface HostileReport {
  tried: number;
  hangs: number;
  unclear: number;
  changed: number;
  skipped: string[];
  details: string[];
}

function note(r: HostileReport, kind: 'hangs' | 'unclear' | 'changed', detail: string): void {
  r[kind]++;
  r.details.push(detail);
}

function applicable(c: HostileCase, skipped: string[]): boolean {
  if (c.needsMount && !canMount) {
    skipped.push(`${c.name} (needs mount)`);
    return false;
  }
  if (c.asNobody && !canRunAsNobody) {
    skipped.push(`${c.name} (needs root and runuser)`);
    return false;
  }
  return true;
}

/** show, reset and delete through the CLI for every hostile case. */
export async function hostileCli(): Promise<HostileReport> {
  const r: HostileReport = { tried: 0, hangs: 0, unclear: 0, changed: 0, skipped: [], details: [] };
  for (const c of CASES) {
    if (!applicable(c, r.skipped)) continue;
    const { dir, path } = await prepare(c);
    try {
      const before = snapshot(dir);
      const show = runCli(['show', path], c.asNobody);
      r.tried++;
      if (show.timedOut) note(r, 'hangs', `${c.name}: show hung`);
      else if (show.code !== c.showExit || !c.expect.test(show.output))
        note(r, 'unclear', `${c.name}: show exited ${show.code}: ${show.output.slice(0, 300)}`);
      // reset and delete must refuse (any clear message), or for a readable journal in an
      // unwritable place fail with exit 4 and the expected message; nothing may change.
      if (c.showExit !== 0 || c.repairExpect) {
        const accepted = (x: CliRun): boolean =>
          c.repairExpect ? x.code === 4 && c.repairExpect.test(x.output) : x.code !== 0 && x.output.trim() !== '';
        for (const args of [
          ['reset', path, '--phase', 'AwaitingReady'],
          ['delete', path],
        ]) {
          const x = runCli(args, c.asNobody);
          r.tried++;
          if (x.timedOut) note(r, 'hangs', `${c.name}: ${args[0]} hung`);
          else if (!accepted(x)) note(r, 'unclear', `${c.name}: ${args[0]} exited ${x.code}: ${x.output.slice(0, 300)}`);
        }
        if (snapshot(dir) !== before) note(r, 'changed', `${c.name}: files changed`);
      }
    } finally {
      cleanup(dir);
    }
  }
  return r;
}

/** The decoded view and the delete command through the language server for every hostile case. */
export async function hostileServer(): Promise<HostileReport> {
  const r: HostileReport = { tried: 0, hangs: 0, unclear: 0, changed: 0, skipped: [], details: [] };
  const clients = new Map<string, TestClient>();
  const client = async (asNobody: boolean): Promise<TestClient> => {
    const key = asNobody ? 'nobody' : 'me';
    let c = clients.get(key);
    if (!c) {
      c = TestClient.spawn({}, asNobody ? 'nobody' : undefined);
      await c.initialize({ trusted: true, storagePath: `/tmp/hj-hostile-storage-${key}` });
      clients.set(key, c);
    }
    return c;
  };
  const bounded = <T>(p: Promise<T>, what: string): Promise<T> =>
    Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error(`${what} did not answer within 15 s`)), 15_000))]);
  try {
    for (const c of CASES) {
      if (!applicable(c, r.skipped)) continue;
      const { dir, path } = await prepare(c);
      try {
        const lsp = await client(c.asNobody === true);
        const before = snapshot(dir);
        const uri = pathToFileURL(path).href;
        r.tried += 2;
        try {
          const { text } = await bounded(lsp.content(uri.replace(/^file:/, 'handoff-journal:')), 'content');
          if (!c.expect.test(text)) note(r, 'unclear', `${c.name}: view says ${text.slice(0, 300)}`);
          const del = await bounded(lsp.command('handoffJournal.delete', { uri }), 'delete');
          if (c.showExit !== 0 && (del.ok || !del.message)) note(r, 'unclear', `${c.name}: delete answered ${JSON.stringify(del)}`);
        } catch (e) {
          r.hangs++;
          r.details.push(`${c.name}: ${(e as Error).message}`);
        }
        if (c.showExit !== 0 && snapshot(dir) !== before) note(r, 'changed', `${c.name}: files changed`);
      } finally {
        cleanup(dir);
      }
    }
  } finally {
    for (const c of clients.values()) await c.close();
  }
  return r;
}

/**
 * Files deleted or replaced between stat and read: a loop swaps the journal (rename of a
 * new one over it, unlink, a directory, a FIFO) while reads run; every read must be a
 * decoded journal, "missing", or a specific error, and never throw or block.
 */
export async function vanishingRace(iterations: number): Promise<{ reads: number; bad: number; details: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'hj-vanish-'));
  const path = join(dir, 'state.bin');
  const bytes = encodeJournal(
    { handoff_id: new Uint8Array(16).fill(7), phase: 'Sealing', incumbent_pid: 1, successor_pid: 2, started_at_unix_ms: 1n },
    'postcard',
  );
  const out = { reads: 0, bad: 0, details: [] as string[] };
  try {
    for (let i = 0; i < iterations; i++) {
      const mode = i % 4;
      const reads = Array.from({ length: 4 }, () => readJournalFile(path));
      if (mode === 0) {
        writeFileSync(`${path}.new`, bytes);
        renameSync(`${path}.new`, path);
      } else if (mode === 1) {
        unlinkSync(path);
      } else if (mode === 2) {
        mkdirSync(path);
        rmdirSync(path);
      } else {
        execFileSync('mkfifo', [path]);
        unlinkSync(path);
      }
      for (const r of await Promise.all(reads)) {
        out.reads++;
        const fine =
          r.state === 'missing' ||
          (r.state === 'ok' && decodeJournal(r.bytes).ok) ||
          (r.state === 'error' && r.error.kind === 'not-regular');
        if (!fine) {
          out.bad++;
          out.details.push(JSON.stringify(r).slice(0, 200));
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
