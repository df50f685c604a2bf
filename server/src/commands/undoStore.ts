/**
 * Undo records: the bytes a journal had before the last change the server made to it,
 * kept in the server's storage folder (never next to the journal). One record per
 * journal path; the record names its path, and undo restores only into that path.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJournalAtomic } from '../../../shared/journal/node';

export interface UndoRecord {
  path: string;
  /** Bytes before the change, or null when there was no journal. */
  before: Uint8Array | null;
  /**
   * Bytes the change left, or null when it deleted the journal; undefined while a change
   * made elsewhere (through sudo) has not reported them yet.
   */
  after: Uint8Array | null | undefined;
  at: number;
  description: string;
}

interface Stored {
  path: string;
  before: string | null;
  after?: string | null;
  at: number;
  description: string;
}

export class UndoStore {
  /** Take-backs of records written ahead of changes now running through sudo, by path. */
  readonly pending = new Map<string, () => Promise<void>>();

  constructor(private readonly dir: () => string) {}

  private file(path: string): string {
    return join(this.dir(), `undo-${createHash('sha256').update(path).digest('hex').slice(0, 24)}.json`);
  }

  async save(r: UndoRecord): Promise<void> {
    await mkdir(this.dir(), { recursive: true, mode: 0o700 });
    const s: Stored = {
      path: r.path,
      at: r.at,
      description: r.description,
      before: r.before ? Buffer.from(r.before).toString('hex') : null,
      ...(r.after !== undefined ? { after: r.after ? Buffer.from(r.after).toString('hex') : null } : {}),
    };
    const w = await writeJournalAtomic(this.file(r.path), new TextEncoder().encode(JSON.stringify(s)));
    if (!w.ok) throw new Error(w.error.message);
  }

  async load(path: string): Promise<UndoRecord | undefined> {
    let s: Stored;
    try {
      s = JSON.parse(await readFile(this.file(path), 'utf8')) as Stored;
    } catch {
      return undefined;
    }
    // The record must name this very path: bytes never go anywhere else.
    if (s.path !== path) return undefined;
    const bytes = (h: string | null): Uint8Array | null => (h === null ? null : new Uint8Array(Buffer.from(h, 'hex')));
    return {
      path: s.path,
      before: bytes(s.before),
      after: s.after === undefined ? undefined : bytes(s.after),
      at: s.at,
      description: s.description,
    };
  }

  /**
   * Write-ahead: saves `r` before the change it describes is made, and returns how to put
   * back the record it replaced (for when the change then fails). Throws when it cannot
   * save, so the change is refused.
   */
  async writeAhead(r: UndoRecord): Promise<() => Promise<void>> {
    const previous = await this.load(r.path);
    await this.save(r);
    return async () => {
      if (previous) await this.save(previous).catch(() => undefined);
      else await this.clear(r.path);
    };
  }

  async clear(path: string): Promise<void> {
    await unlink(this.file(path)).catch(() => undefined);
  }
}
