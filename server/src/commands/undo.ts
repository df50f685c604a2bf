/**
 * Undo Last Change, and the undo bookkeeping of a change made through sudo (Retry as
 * Sudo…). The undo record always lives in the user's own storage and is written before
 * the change (write-ahead): for a sudo run, `sudoPrepare` saves it from the bytes the
 * user can read, and `sudoComplete` completes it from what the CLI printed (the bytes
 * before and after, as hex), or takes it back when the run failed.
 */
import { compareAndRestore, readJournalFile } from '../../../shared/journal/node';
import type { CommandResult } from '../../../shared/protocol';
import type { ChangeContext } from './context';
import { changeResult } from './results';
import type { UndoRecord } from './undoStore';

const hex = (b: Uint8Array | null | undefined): string | null | undefined => (b ? Buffer.from(b).toString('hex') : b);

function fromHex(v: unknown): Uint8Array | null | undefined {
  if (v === null) return null;
  if (typeof v !== 'string' || !/^([0-9a-f]{2})*$/i.test(v)) return undefined;
  return new Uint8Array(Buffer.from(v, 'hex'));
}

/** The CLI arguments that undo `rec` as root: restore its bytes, over what the change left. */
function restoreArgs(c: ChangeContext, rec: UndoRecord): string[] {
  const to = rec.before ? ['--bytes', hex(rec.before) as string] : ['--absent'];
  const over =
    c.force || rec.after === undefined ? ['--force'] : rec.after === null ? ['--expect-absent'] : ['--expect', hex(rec.after) as string];
  return ['restore', c.path, ...to, ...over, ...c.configArgs];
}

export async function undo(c: ChangeContext): Promise<CommandResult> {
  const { path } = c;
  const rec = await c.undo.load(path);
  if (!rec)
    return {
      ok: false,
      reason: 'nothing-to-undo',
      message: `nothing to undo for ${path}: no change was made to it through Handoff Journal (or it was already undone).`,
    };
  // The server restores exactly the bytes the user had, decodable or not (a forced
  // delete of a corrupt journal is undone too); the CLI under sudo refuses non-journals.
  const r = await compareAndRestore(
    path,
    { bytes: rec.before, expect: rec.after, force: c.force, requireJournal: false },
    c.env.rule,
    (b) => c.store.expectOwnWrite(path, b, 'undo by Handoff Journal'),
  );
  // Written ahead but never made (the change failed, or the server stopped): the record goes.
  if (r.ok) await c.undo.clear(path);
  return changeResult(r, path, restoreArgs(c, rec));
}

/** Before a change runs through sudo: save the undo record from the bytes the user can read. */
export async function sudoPrepare(c: ChangeContext): Promise<CommandResult> {
  if (c.args.undo === true) return { ok: true, message: 'an undo through sudo keeps its record until it succeeds' };
  const read = await readJournalFile(c.path);
  if (read.state === 'error')
    return {
      ok: false,
      reason: 'file-error',
      message: `${read.error.message} The undo record will be taken from what the sudo command prints.`,
    };
  const description = typeof c.args.description === 'string' ? c.args.description : 'change through sudo';
  try {
    const rollback = await c.undo.writeAhead({
      path: c.path,
      before: read.state === 'ok' ? read.bytes : null,
      after: undefined,
      at: c.env.now,
      description,
    });
    c.undo.pending.set(c.path, rollback);
  } catch (e) {
    return {
      ok: false,
      reason: 'undo-unsaved',
      message: `the undo record could not be saved first (${e instanceof Error ? e.message : String(e)}); nothing was run.`,
    };
  }
  return { ok: true, message: `undo record saved for ${c.path}` };
}

/**
 * After a sudo run: `ok` false takes the written-ahead record back; an undo that
 * succeeded clears it; a change that succeeded records the bytes of the CLI's change
 * report (`--json`).
 */
export async function sudoComplete(c: ChangeContext): Promise<CommandResult> {
  const rollback = c.undo.pending.get(c.path);
  c.undo.pending.delete(c.path);
  if (c.args.ok !== true) {
    await rollback?.();
    return { ok: true, message: `nothing changed: the undo record of ${c.path} is as before` };
  }
  if (c.args.undo === true) {
    await c.undo.clear(c.path);
    return { ok: true, message: `undone through sudo: ${c.path}` };
  }
  // No report (the output was lost): the record written ahead stays, its `after` unknown.
  if (c.args.before === undefined && c.args.after === undefined)
    return { ok: true, message: `the undo record of ${c.path} stays as written ahead (the run reported no bytes)` };
  const before = fromHex(c.args.before ?? null);
  const after = fromHex(c.args.after ?? null);
  if (before === undefined || after === undefined)
    return { ok: false, reason: 'bad-arguments', message: '`before` and `after` must be hex or null.' };
  const description = typeof c.args.description === 'string' ? c.args.description : 'change through sudo';
  await c.undo.save({ path: c.path, before, after, at: c.env.now, description });
  return { ok: true, message: `undo record of ${c.path} completed` };
}
