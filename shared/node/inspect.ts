/**
 * One inspection of a journal path: read it safely, decode it, validate it. Shared by
 * the CLI and the language server so both say the same thing about the same file.
 */
import { decodeJournal, type DecodeResult, type EncodingChoice } from '../codec';
import { lstatOrUndefined, readJournalFile, tmpPathFor, type FileInfo } from './journalFile';
import type { FileError } from './fileErrors';
import type { FileState } from '../render';
import { withSeverity } from '../codes';
import { tmpFinding, validate, type Finding, type ValidationContext } from '../validate';

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

export async function inspect(path: string, opts: InspectOptions): Promise<Inspection> {
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
  return { path, file: { state: 'ok', bytes: read.bytes }, info: read.info, decoded, findings: validate(decoded, ctx), tmpExists };
}
