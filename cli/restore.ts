/**
 * `handoff-journal restore` and `delete-tmp`: the two changes the extension's Undo Last
 * Change and Delete Leftover Temp File make, for running them through sudo (Retry as
 * Sudo…). `restore` writes only bytes that decode as a journal (or removes the journal),
 * only to a journal under the rule, and only over the bytes it expects unless --force.
 */
import { decodeJournal, type JournalRule } from '../shared/journal';
import { readJournalFile, restoreBytes, type RepairOutcome } from '../shared/journal/node';

export interface RestoreRequest {
  path: string;
  /** The bytes to put back, or null to remove the journal (there was none before). */
  bytes: Uint8Array | null;
  /** What the journal must hold now (null: no journal); undefined with force. */
  expect: Uint8Array | null | undefined;
  force: boolean;
}

function hex(b: Uint8Array | null): string {
  return b === null ? 'no journal' : Buffer.from(b).toString('hex');
}

/** Parses `--bytes`/`--expect` hex (spaces allowed); undefined when it is not hex. */
export function parseHex(s: string): Uint8Array | undefined {
  const h = s.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(h)) return undefined;
  return new Uint8Array(Buffer.from(h, 'hex'));
}

export async function restore(r: RestoreRequest, rule: JournalRule): Promise<RepairOutcome> {
  if (r.bytes !== null) {
    const d = decodeJournal(r.bytes);
    if (!d.ok)
      return {
        ok: false,
        reason: 'not-a-journal',
        forceable: false,
        message: `refusing to write bytes that do not decode as a journal: ${d.message}`,
      };
  }
  const now = await readJournalFile(r.path);
  if (now.state === 'error') return { ok: false, reason: 'file-error', forceable: false, message: now.error.message, fileError: now.error };
  const current = now.state === 'ok' ? now.bytes : null;
  if (!r.force && r.expect !== undefined && hex(current) !== hex(r.expect)) {
    return {
      ok: false,
      reason: 'changed',
      forceable: true,
      message: `${r.path} changed since the change being undone (it holds ${hex(current)}, expected ${hex(r.expect)}); restoring now would overwrite that. Use --force to restore anyway.`,
    };
  }
  const o = await restoreBytes(r.path, r.bytes, rule);
  return o.ok ? { ...o, ...(current ? { before: current } : {}) } : o;
}
