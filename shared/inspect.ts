/**
 * One inspection of a journal path: read it safely, decode it, validate it. Shared by
 * the CLI and the language server so both say the same thing about the same file.
 */
import { decodeJournal, type DecodeResult, type EncodingChoice } from './codec';
import { lstatOrUndefined, readJournalFile, tmpPathFor, type FileInfo } from './journalFile';
import type { FileError } from './fileErrors';
import type { FileState } from './render';
import { tmpFinding, validate, type Finding, type ProcessInfo, type ValidationContext } from './validate';

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

export interface InspectOptions {
  encoding: EncodingChoice;
  now: number;
  deadlineMs: number;
  deadlineSource?: string;
  drainGraceMs?: number;
  skewMs: number;
  process?: (pid: number) => ProcessInfo;
}

export async function inspect(path: string, opts: InspectOptions): Promise<Inspection> {
  const [read, tmp] = await Promise.all([readJournalFile(path), lstatOrUndefined(tmpPathFor(path)).catch(() => undefined)]);
  const tmpExists = tmp !== undefined && tmpPathFor(path) !== path;
  const ctx: ValidationContext = {
    now: opts.now,
    deadlineMs: opts.deadlineMs,
    skewMs: opts.skewMs,
    tmpExists,
    ...(opts.deadlineSource ? { deadlineSource: opts.deadlineSource } : {}),
    ...(opts.drainGraceMs !== undefined ? { drainGraceMs: opts.drainGraceMs } : {}),
    ...(opts.process ? { process: opts.process } : {}),
  };
  if (read.state === 'missing') {
    return { path, file: { state: 'missing', ...(read.note ? { note: read.note } : {}) }, findings: tmpFinding(ctx), tmpExists };
  }
  if (read.state === 'error') {
    const findings: Finding[] = [{ severity: 'error', code: 'HJ080', field: 'file', message: read.error.message }];
    return { path, file: { state: 'error', message: read.error.message }, fileError: read.error, findings, tmpExists };
  }
  const decoded = decodeJournal(read.bytes, opts.encoding);
  return { path, file: { state: 'ok', bytes: read.bytes }, info: read.info, decoded, findings: validate(decoded, ctx), tmpExists };
}
