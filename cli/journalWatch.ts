/**
 * Follows one journal while a triggered handoff runs, the way the language server's
 * watch does (server/src/watch.ts): a directory watch on the journal's folder (the
 * supervisor's atomic rename is a create there, which a watch on the file would miss),
 * re-reading the journal on every event. The folder may not exist before the first
 * handoff (0.2 creates /var/lib/beyond/handoff/<service>/ then), so until it does the
 * nearest existing folder above is watched. Each state that differs from the last is
 * reported with the time since `start`. A real handoff takes about 5 ms: its phases come
 * and go faster than events arrive, so usually few are seen.
 */
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import { decodeJournal, formatUuid, type Phase } from '../shared/journal';
import { lstatOrUndefined, readJournalFile } from '../shared/journal/node';

export interface SeenState {
  /** The phase on disk, null for no journal. */
  phase: Phase | null;
  handoffId: string | null;
  /** Milliseconds since the follower's start. */
  atMs: number;
}

/** What the journal holds now: a phase and its handoff, none (null), or undefined when it cannot be read or decoded. */
async function readState(path: string): Promise<{ phase: Phase | null; handoffId: string | null } | undefined> {
  const r = await readJournalFile(path);
  if (r.state === 'missing') return { phase: null, handoffId: null };
  if (r.state === 'error') return undefined;
  const d = decodeJournal(r.bytes);
  return d.ok ? { phase: d.journal.phase, handoffId: formatUuid(d.journal.handoff_id) } : undefined;
}

export class JournalFollower {
  private watcher: FSWatcher | undefined;
  private watched: string | undefined;
  private last = '';
  private started = performance.now();
  private reading: Promise<void> = Promise.resolve();
  private stopped = false;
  readonly seen: SeenState[] = [];

  constructor(
    private readonly journal: string,
    private readonly onSeen: (s: SeenState) => void,
  ) {}

  /** Reads the state before the trigger (not reported) and starts watching. */
  async begin(): Promise<void> {
    const s = await readState(this.journal);
    this.last = JSON.stringify(s ?? null);
    await this.arm();
  }

  /** The clock for `atMs` starts now (when the line is sent). */
  markStart(): void {
    this.started = performance.now();
  }

  /** One last read after the reply, then no more events. */
  async end(): Promise<void> {
    this.check();
    await this.reading;
    this.stopped = true;
    this.watcher?.close();
  }

  /** The journal's folder, or the nearest folder above it that exists. */
  private async deepest(): Promise<string> {
    let dir = dirname(this.journal);
    while ((await lstatOrUndefined(dir).catch(() => undefined)) === undefined && dirname(dir) !== dir) dir = dirname(dir);
    return dir;
  }

  /**
   * Watch the deepest existing folder. Looked for again once the watch is on: a folder
   * created between the look and the watch (mkdir -p makes them one by one) would send its
   * event to no one, and every later write happens inside it.
   */
  private async arm(): Promise<void> {
    for (let dir = await this.deepest(); dir !== this.watched && !this.stopped; dir = await this.deepest()) {
      this.watcher?.close();
      this.watched = undefined;
      try {
        this.watcher = watch(dir, { persistent: false }, () => this.check());
        this.watcher.on('error', () => this.check());
        this.watched = dir;
      } catch {
        return;
      }
    }
  }

  /** Re-reads (one read at a time, in order) and reports a changed state. */
  private check(): void {
    this.reading = this.reading.then(async () => {
      if (this.stopped) return;
      // Arm first: a folder just created gets its watch before the read, so no write falls between.
      if (this.watched !== dirname(this.journal)) await this.arm();
      const s = await readState(this.journal);
      const key = JSON.stringify(s ?? null);
      if (s === undefined || key === this.last) return;
      this.last = key;
      const seen = { ...s, atMs: Math.round(performance.now() - this.started) };
      this.seen.push(seen);
      this.onSeen(seen);
    });
  }
}
