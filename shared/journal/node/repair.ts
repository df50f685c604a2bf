/**
 * Repairs shared by the CLI and the language server: reset a journal's phase, delete a
 * journal, delete a leftover temp file. Each re-reads and decodes the file first,
 * refuses anything that is not a journal, refuses protocol-illegal or live-handoff
 * changes unless forced, and writes only through the atomic-write module in the file's
 * own encoding. Outcomes are values; the previous bytes are returned for undo.
 */
import { decodeJournal, encodeJournal, type EncodingChoice } from '../codec';
import type { JournalRule } from '../rule';
import type { RefusalReason } from '../refusal';
import type { FileError } from '../../util/node';
import type { Journal, Phase } from '../model';
import { checkJournalPath } from './rule';
import { deleteJournalFile, lstatOrUndefined, readJournalFile, tmpPathFor, writeJournalAtomic } from './journalFile';
import { judgeReset } from '../transitions';
import { formatUuid, newV4 } from '../uuid';
import type { ProcessInfo } from '../model';
import { looksLive } from '../validate';

export type { RefusalReason };

export interface RepairEnv {
  /** Which files count as journals: nothing else is changed, forced or not. */
  rule: JournalRule;
  now: number;
  random: (n: number) => Uint8Array;
  process?: (pid: number) => ProcessInfo;
  encoding?: EncodingChoice;
  /** Called just before the file is written (bytes) or deleted (null), so a watcher can tell our change from another writer's. */
  beforeWrite?: (bytes: Uint8Array | null) => void;
  /**
   * Write-ahead undo: called with the bytes before and after (null: no journal) once the
   * change is decided and before anything is written. It saves the undo record and
   * returns how to take it back if the change then fails; when it throws, the change is
   * refused and nothing is touched.
   */
  prepare?: (before: Uint8Array | null, after: Uint8Array | null) => Promise<() => Promise<void>>;
}

export type RepairOutcome =
  | { ok: true; message: string; before?: Uint8Array; after?: Uint8Array }
  | { ok: false; reason: RefusalReason; message: string; fileError?: FileError; forceable: boolean };

export interface ResetRequest {
  phase: Phase;
  newId?: boolean;
  now?: boolean;
  force?: boolean;
}

const refuse = (reason: RefusalReason, message: string, forceable: boolean, fileError?: FileError): RepairOutcome => ({
  ok: false,
  reason,
  message,
  forceable,
  ...(fileError ? { fileError } : {}),
});

function describe(j: Journal): string {
  return `${j.phase} (handoff ${formatUuid(j.handoff_id)})`;
}

/** Runs the write-ahead hook; a refusal when the undo record cannot be saved. */
async function prepare(
  env: Pick<RepairEnv, 'prepare'>,
  before: Uint8Array | null,
  after: Uint8Array | null,
): Promise<{ rollback: () => Promise<void> } | { refused: RepairOutcome }> {
  if (!env.prepare) return { rollback: async () => undefined };
  try {
    return { rollback: await env.prepare(before, after) };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { refused: refuse('undo-unsaved', `nothing was changed: the undo record could not be saved first (${why}).`, false) };
  }
}

/** Refuses a path that is not a journal under the rule (`not-a-journal-file`, never forceable). */
async function outsideRule(path: string, rule: JournalRule): Promise<RepairOutcome | undefined> {
  const why = await checkJournalPath(path, rule);
  return why === undefined ? undefined : refuse('not-a-journal-file', `refusing: ${why}`, false);
}

/** Changes the phase of the journal at `path` (optionally a new id / start time). */
export async function resetJournal(path: string, req: ResetRequest, env: RepairEnv): Promise<RepairOutcome> {
  const outside = await outsideRule(path, env.rule);
  if (outside) return outside;
  const link = await lstatOrUndefined(path).catch(() => undefined);
  if (link?.isSymbolicLink()) {
    return refuse(
      'symlink',
      `${path} is a symbolic link; a reset would replace the link itself with a file, as the supervisor's rename does. Reset the file it points to instead.`,
      false,
    );
  }
  const read = await readJournalFile(path);
  if (read.state === 'missing') return refuse('missing', `no journal at ${path}: no handoff in flight, nothing to reset.`, false);
  if (read.state === 'error') return refuse('file-error', read.error.message, false, read.error);
  const d = decodeJournal(read.bytes, env.encoding ?? 'auto');
  if (!d.ok) return refuse('not-a-journal', `refusing to reset ${path}: it does not decode as a journal (${d.message})`, false);
  const cur = d.journal;
  const next: Journal = {
    ...cur,
    phase: req.phase,
    handoff_id: req.newId ? newV4(env.random) : cur.handoff_id,
    started_at_unix_ms: req.now ? BigInt(env.now) : cur.started_at_unix_ms,
  };
  const judgement = judgeReset(cur.phase, next.phase, req.newId === true);
  if (!judgement.legal && !req.force) {
    return refuse(
      'illegal-transition',
      `refusing ${cur.phase} -> ${next.phase} (${judgement.label}): ${judgement.reason} Use force to do it anyway.`,
      true,
    );
  }
  if (looksLive(cur, env.process, { now: env.now, changedAtMs: read.info.mtimeMs }) && !req.force) {
    return refuse(
      'live-handoff',
      `refusing: a handoff looks live (phase ${cur.phase}, supervisor pid ${cur.incumbent_pid} is running). Changing the journal under a running supervisor can confuse its recovery. Use force if that supervisor is stuck.`,
      true,
    );
  }
  const after = encodeJournal(next, d.encoding);
  const undo = await prepare(env, read.bytes, after);
  if ('refused' in undo) return undo.refused;
  env.beforeWrite?.(after);
  const w = await writeJournalAtomic(path, after);
  if (!w.ok) {
    await undo.rollback();
    return refuse('file-error', w.error.message, false, w.error);
  }
  const dropped = d.trailing.length > 0 ? ` (${d.trailing.length} trailing bytes dropped)` : '';
  return {
    ok: true,
    message: `${path}: ${describe(cur)} -> ${describe(next)}, written as ${d.encoding}${dropped}.`,
    before: read.bytes,
    after,
  };
}

export interface DeleteRequest {
  force?: boolean;
}

/** Deletes the journal at `path` (idempotent) and a leftover temp file next to it. */
export async function deleteJournal(path: string, req: DeleteRequest, env: RepairEnv): Promise<RepairOutcome> {
  const outside = await outsideRule(path, env.rule);
  if (outside) return outside;
  const read = await readJournalFile(path);
  if (read.state === 'error') return refuse('file-error', `refusing to delete: ${read.error.message}`, false, read.error);
  if (read.state === 'missing' && read.note && !req.force) {
    // Something is there (a dangling symlink), but it is not a journal.
    return refuse('not-a-journal', `refusing to delete ${path}: ${read.note}, not a journal. Use force to remove the link.`, true);
  }
  if (read.state === 'ok') {
    const d = decodeJournal(read.bytes, env.encoding ?? 'auto');
    if (!d.ok && !req.force) {
      return refuse(
        'not-a-journal',
        `refusing to delete ${path}: it does not decode as a journal (${d.message}). Use force if you are sure this is a damaged journal.`,
        true,
      );
    }
    if (d.ok && looksLive(d.journal, env.process, { now: env.now, changedAtMs: read.info.mtimeMs }) && !req.force) {
      return refuse(
        'live-handoff',
        `refusing: a handoff looks live (phase ${d.journal.phase}, supervisor pid ${d.journal.incumbent_pid} is running). Use force if that supervisor is stuck.`,
        true,
      );
    }
  }
  let rollback = async (): Promise<void> => undefined;
  if (read.state === 'ok') {
    const undo = await prepare(env, read.bytes, null);
    if ('refused' in undo) return undo.refused;
    rollback = undo.rollback;
    env.beforeWrite?.(null);
  }
  const del = await deleteJournalFile(path);
  if (!del.ok) {
    await rollback();
    return refuse('file-error', del.error.message, false, del.error);
  }
  const tmp = await removeTmp(path);
  const tmpNote = tmp.deleted ? ` Also ${tmp.outcome.message}` : '';
  const what = del.existed ? `deleted ${path}.` : `no journal at ${path} (already absent).`;
  return { ok: true, message: what + tmpNote, ...(read.state === 'ok' ? { before: read.bytes } : {}) };
}

/** Deletes `<journal>.tmp` if it is a regular file (a leftover of a writer that died). */
export async function deleteTmp(path: string, rule: JournalRule): Promise<RepairOutcome> {
  const outside = await outsideRule(path, rule);
  if (outside) return outside;
  return (await removeTmp(path)).outcome;
}

/** Removes `<journal>.tmp` next to a journal already checked against the rule. */
async function removeTmp(path: string): Promise<{ outcome: RepairOutcome; deleted: boolean }> {
  const tmp = tmpPathFor(path);
  const kept = (outcome: RepairOutcome): { outcome: RepairOutcome; deleted: boolean } => ({ outcome, deleted: false });
  if (tmp === path) return kept(refuse('file-error', `${path} does not name a file.`, false));
  const st = await lstatOrUndefined(tmp).catch(() => undefined);
  if (!st) return kept({ ok: true, message: `no leftover temp file ${tmp}.` });
  if (!st.isFile()) return kept(refuse('file-error', `${tmp} is not a regular file; left alone.`, false));
  const del = await deleteJournalFile(tmp);
  if (!del.ok) return kept(refuse('file-error', del.error.message, false, del.error));
  return { outcome: { ok: true, message: `deleted the leftover temp file ${tmp}.` }, deleted: true };
}

/** Restores bytes previously taken from `path` (undo), through the atomic writer. */
export async function restoreBytes(
  path: string,
  bytes: Uint8Array | null,
  rule: JournalRule,
  beforeWrite?: RepairEnv['beforeWrite'],
): Promise<RepairOutcome> {
  const outside = await outsideRule(path, rule);
  if (outside) return outside;
  beforeWrite?.(bytes);
  if (bytes === null) {
    const del = await deleteJournalFile(path);
    return del.ok
      ? { ok: true, message: `undo: removed ${path} again (there was no journal before).` }
      : refuse('file-error', del.error.message, false, del.error);
  }
  const w = await writeJournalAtomic(path, bytes);
  return w.ok
    ? { ok: true, message: `undo: restored the previous ${bytes.length} bytes of ${path}.`, after: bytes }
    : refuse('file-error', w.error.message, false, w.error);
}

export interface RestoreRequest {
  /** The bytes to put back, or null to remove the journal (there was none before). */
  bytes: Uint8Array | null;
  /**
   * What the journal must hold now for the restore to go ahead (null: no journal), so a
   * later change (the supervisor's) is never overwritten; undefined when it is not known,
   * which refuses unless forced.
   */
  expect: Uint8Array | null | undefined;
  force: boolean;
  /** Refuse bytes that do not decode as a journal (the CLI, which may run as root). */
  requireJournal: boolean;
}

const hexOf = (b: Uint8Array | null): string => (b === null ? 'no journal' : Buffer.from(b).toString('hex'));

/**
 * The one compare-and-restore, for the server's Undo Last Change and the CLI's
 * `restore`: puts `bytes` back only if the journal still holds what the undone change
 * left (`expect`), unless forced. When it already holds `bytes`, nothing is written and
 * the outcome says `already`. `before` is what the journal held.
 */
export async function compareAndRestore(
  path: string,
  req: RestoreRequest,
  rule: JournalRule,
  beforeWrite?: RepairEnv['beforeWrite'],
): Promise<RepairOutcome & { already?: true }> {
  if (req.bytes !== null && req.requireJournal) {
    const d = decodeJournal(req.bytes);
    if (!d.ok) return refuse('not-a-journal', `refusing to write bytes that do not decode as a journal: ${d.message}`, false);
  }
  const outside = await outsideRule(path, rule);
  if (outside) return outside;
  const now = await readJournalFile(path);
  if (now.state === 'error') return refuse('file-error', now.error.message, false, now.error);
  const current = now.state === 'ok' ? now.bytes : null;
  const keep = current ? { before: current } : {};
  if (hexOf(current) === hexOf(req.bytes))
    return { ok: true, already: true, message: `nothing to restore: ${path} already holds the bytes from before the change.`, ...keep };
  if (!req.force && req.expect === undefined)
    return refuse(
      'changed',
      `cannot tell whether ${path} changed after the change being undone (it ran through sudo and did not report what it wrote). Use force to restore the earlier bytes anyway.`,
      true,
    );
  if (!req.force && req.expect !== undefined && hexOf(current) !== hexOf(req.expect))
    return refuse(
      'changed',
      `${path} changed after the change being undone (it holds ${hexOf(current)}, expected ${hexOf(req.expect)}; probably the supervisor); restoring now would overwrite that. Use force to restore anyway.`,
      true,
    );
  const o = await restoreBytes(path, req.bytes, rule, beforeWrite);
  return o.ok ? { ...o, ...keep } : o;
}
