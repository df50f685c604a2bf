/**
 * One inspection of a journal path: read it safely, decode it, validate it. Shared by
 * the CLI and the language server so both say the same thing about the same file.
 */
import { decodeJournal, type DecodeResult, type EncodingChoice } from '../codec';
import { lstatOrUndefined, readJournalFile, tmpPathFor, type FileInfo } from './journalFile';
import type { FileError } from '../../util/node';
import type { FileState } from '../history';
import type { ProcessInfo } from '../model';
import {
  DEFAULT_DEADLINE_MS,
  DEFAULT_SKEW_MS,
  leftByFailedHandoff,
  SETTLE_MS,
  tmpFinding,
  validate,
  type ValidationContext,
} from '../validate';
import { withSeverity, type Finding } from '../findings';

export interface Inspection {
  path: string;
  file: FileState;
  /** Present when the file was read. */
  info?: FileInfo;
  fileError?: FileError;
  decoded?: DecodeResult;
  findings: Finding[];
  tmpExists: boolean;
}

/** Validation limits and look-ups (everything but the temp-file check, done here) plus the encoding. */
export type InspectOptions = Omit<ValidationContext, 'tmpExists'> & { encoding: EncodingChoice };

/** What a caller knows: the clock, and optionally the process table, the encoding, a deadline and a config's limits. */
export interface Observation {
  now: number;
  process?: (pid: number) => ProcessInfo;
  encoding?: EncodingChoice;
  /** The stale deadline when no supervisor config gives one (default: the library's 300 s). */
  deadlineMs?: number;
  /** A supervisor config's limits (limitsOf), which win over `deadlineMs`. */
  limits?: Pick<ValidationContext, 'deadlineMs' | 'drainGraceMs' | 'deadlineSource'>;
}

/** The one place inspect options are built (CLI, server, metrics): defaults for what is not given. */
export function inspectOptions(o: Observation): InspectOptions {
  return {
    encoding: o.encoding ?? 'auto',
    now: o.now,
    deadlineMs: o.deadlineMs ?? DEFAULT_DEADLINE_MS,
    skewMs: DEFAULT_SKEW_MS,
    ...o.limits,
    ...(o.process ? { process: o.process } : {}),
  };
}

/**
 * Reads, decodes and validates. A journal whose supervisor runs and whose successor is
 * dead, written less than SETTLE_MS ago, is read again once it has had that long to
 * change: a failed handoff's journal stays, an abort's is deleted within milliseconds.
 */
export async function inspect(path: string, opts: InspectOptions): Promise<Inspection> {
  const first = await inspectOnce(path, opts);
  const d = first.decoded;
  if (!d?.ok || first.info === undefined) return first;
  const ctx = { ...opts, changedAtMs: first.info.mtimeMs };
  if (leftByFailedHandoff(d.journal, ctx) !== 'settling') return first;
  const wait = Math.max(0, Math.min(SETTLE_MS, first.info.mtimeMs + SETTLE_MS - opts.now)) + 5;
  await new Promise((r) => setTimeout(r, wait));
  return inspectOnce(path, { ...opts, now: opts.now + wait });
}

async function inspectOnce(path: string, opts: InspectOptions): Promise<Inspection> {
  const [read, tmp] = await Promise.all([readJournalFile(path), lstatOrUndefined(tmpPathFor(path)).catch(() => undefined)]);
  const tmpExists = tmp !== undefined && tmpPathFor(path) !== path;
  const { encoding, ...limits } = opts;
  const ctx: ValidationContext = { ...limits, tmpExists };
  if (read.state === 'missing') {
    return { path, file: { state: 'missing', ...(read.note ? { note: read.note } : {}) }, findings: tmpFinding(ctx), tmpExists };
  }
  if (read.state === 'error') {
    const findings: Finding[] = [withSeverity({ code: 'HJ080', field: 'file', message: read.error.message })];
    return { path, file: { state: 'error', message: read.error.message }, fileError: read.error, findings, tmpExists };
  }
  const decoded = decodeJournal(read.bytes, encoding);
  const findings = validate(decoded, { ...ctx, changedAtMs: read.info.mtimeMs });
  return { path, file: { state: 'ok', bytes: read.bytes }, info: read.info, decoded, findings, tmpExists };
}
