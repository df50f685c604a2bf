/**
 * One journal as the server tracks it (`TrackedJournal`), what the store tells its
 * listener, and the two small readings a re-read compares: the file's state key and its
 * folder's stamp.
 */
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Finding, HistoryEntry, ObservedState } from '../../shared/journal';
import type { Inspection } from '../../shared/journal/node';

/** A folder's inode and modification time (ns): it changes with every file created, renamed or deleted in it. */
export async function folderStamp(path: string): Promise<string> {
  const st = await stat(dirname(path), { bigint: true }).catch(() => undefined);
  return st ? `${st.ino}:${st.mtimeNs}` : 'missing';
}

export interface TrackedJournal {
  path: string;
  virtualUri: string;
  inspection: Inspection;
  /** Last decoded state (null = no journal), undefined before the first decode. */
  observed: ObservedState | undefined;
  history: HistoryEntry[];
  /** The finding raised by the most recent change, if it was odd or illegal. */
  transitionFinding?: Finding;
  /** A write of our own that the next observed change is expected to be. */
  ownWrite?: { key: string; message: string };
  key: string;
  /** When the directory first reported a change of the journal's name since the last read. */
  changedSince?: number;
  /** The journal's folder (inode and modification time) at the last read. */
  dirStamp: string;
  /** The file a change would really touch (symlinks resolved), when that is another path; prompts show it. */
  realPath?: string;
  /** What the supervisor's log said about a handoff (shown while the journal is that handoff's or gone). */
  logFindings?: { handoffId: string; findings: Finding[] };
}

/** `changed`: the journal's bytes changed; `disk`: a read found a change on disk (a changed journal, or a quick handoff between two reads). */
export type UpdateListener = (j: TrackedJournal, changed: boolean, disk: boolean) => void;

export function stateKey(ins: Inspection): string {
  if (ins.file.state === 'ok') return Buffer.from(ins.file.bytes).toString('hex');
  if (ins.file.state === 'missing') return 'missing';
  return `error:${ins.file.message}`;
}
