/**
 * The server's view of every journal it tracks: the last inspection, the phase history
 * observed since the server started, and the transition check of each change. Changes
 * arrive from directory watches and `workspace/didChangeWatchedFiles`; bursts are
 * debounced, then the file is re-read and the listener is told.
 */
import { type ServerSettings } from '../../shared/protocol';
import { dirname, join } from 'node:path';
import { inspect, inspectOptions, type Inspection, realPathOf, tmpPathFor } from '../../shared/journal/node';
import {
  type HistoryEntry,
  checkTransition,
  type ObservedState,
  formatUuid,
  mergeEntries,
  pushEntry,
  recordQuickHandoff,
  isQuickSummary,
  type Finding,
  withSeverity,
} from '../../shared/journal';
import { livenessTable, type Disposable, type ServerDeps } from './deps';
import { pathToVirtualUri } from './uris';
import { folderStamp, stateKey, type TrackedJournal, type UpdateListener } from './trackedJournal';

const DEBOUNCE_MS = 25;

export type { TrackedJournal, UpdateListener } from './trackedJournal';

export class JournalStore {
  private readonly journals = new Map<string, TrackedJournal>();
  private readonly pending = new Map<string, Promise<TrackedJournal>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly dirWatches = new Map<string, { watch: Disposable; paths: Set<string> }>();

  constructor(
    private readonly deps: ServerDeps,
    private readonly settings: () => ServerSettings,
    private readonly listener: UpdateListener,
    /** Staleness limits from the journal's supervisor config, when known. */
    private readonly limits: (path: string) => { deadlineMs: number; drainGraceMs: number; deadlineSource: string } | undefined = () =>
      undefined,
  ) {}

  get(path: string): TrackedJournal | undefined {
    return this.journals.get(path);
  }

  all(): TrackedJournal[] {
    return [...this.journals.values()];
  }

  /** Starts tracking (and watching) a journal; resolves once it has been read. */
  track(path: string, virtualUri?: string): Promise<TrackedJournal> {
    const known = this.journals.get(path);
    if (known) {
      if (virtualUri) known.virtualUri = virtualUri;
      return Promise.resolve(known);
    }
    const inflight = this.pending.get(path);
    if (inflight) return inflight;
    const p = Promise.all([this.inspect(path), folderStamp(path), realPathOf(path)]).then(([inspection, dirStamp, realPath]) => {
      const j: TrackedJournal = {
        path,
        virtualUri: virtualUri ?? pathToVirtualUri(path),
        inspection,
        observed: undefined,
        history: [],
        key: stateKey(inspection),
        dirStamp,
        ...(realPath !== undefined ? { realPath } : {}),
      };
      this.observe(j, inspection, true);
      this.journals.set(path, j);
      this.pending.delete(path);
      this.watch(path);
      return j;
    });
    this.pending.set(path, p);
    return p;
  }

  untrack(path: string): void {
    this.journals.delete(path);
    const t = this.timers.get(path);
    if (t) clearTimeout(t);
    this.timers.delete(path);
    const dir = dirname(path);
    const w = this.dirWatches.get(dir);
    if (w) {
      w.paths.delete(path);
      if (w.paths.size === 0) {
        w.watch.dispose();
        this.dirWatches.delete(dir);
      }
    }
  }

  /** Marks the next observed state with these bytes (hex, or 'missing') as our own write. */
  expectOwnWrite(path: string, bytes: Uint8Array | null, message: string): void {
    const j = this.journals.get(path);
    if (j) j.ownWrite = { key: bytes ? Buffer.from(bytes).toString('hex') : 'missing', message };
  }

  /** Records what the supervisor's log says about handoff `handoffId` of a journal. */
  setLogFindings(path: string, handoffId: string, findings: Finding[]): void {
    const j = this.journals.get(path);
    if (j) j.logFindings = { handoffId, findings };
  }

  /** Adds what the supervisor's log or a trigger reply says happened to a journal's history. */
  addHistory(path: string, entries: readonly HistoryEntry[]): void {
    const j = this.journals.get(path);
    if (j && entries.length > 0) mergeEntries(j.history, entries);
  }

  /**
   * Re-reads after a short quiet period; coalesces bursts of events. `named`: the event
   * named the journal itself (a create, rename or delete of it, not of its temp file).
   */
  schedule(path: string, named = false): void {
    const j = this.journals.get(path);
    if (!j) return;
    if (named) j.changedSince ??= this.deps.now();
    const t = this.timers.get(path);
    if (t) clearTimeout(t);
    this.timers.set(
      path,
      setTimeout(() => {
        this.timers.delete(path);
        void this.refresh(path);
      }, DEBOUNCE_MS),
    );
  }

  /** A file changed: re-reads the tracked journals it is, or is the temp file of. */
  scheduleChanged(changedPath: string): void {
    for (const p of this.journals.keys()) {
      if (p === changedPath) this.schedule(p, true);
      else if (tmpPathFor(p) === changedPath) this.schedule(p);
    }
  }

  /** Re-reads a tracked journal now and tells the listener. */
  async refresh(path: string, force = false): Promise<TrackedJournal | undefined> {
    const j = this.journals.get(path);
    if (!j) return undefined;
    const [inspection, dirStamp, realPath] = await Promise.all([this.inspect(path), folderStamp(path), realPathOf(path)]);
    if (!this.journals.has(path)) return undefined;
    const moved = realPath !== j.realPath;
    j.realPath = realPath;
    const key = stateKey(inspection);
    const changed = key !== j.key;
    // No journal before, none now, yet the directory saw its name change and the folder
    // itself changed since the last read: a handoff wrote and deleted it between the two
    // reads (the real supervisor's take about 5 ms). A late event for a change already
    // read (the folder as it was) is not one.
    const dirChanged = dirStamp !== j.dirStamp;
    const quick = !changed && key === 'missing' && j.changedSince !== undefined && dirChanged;
    j.dirStamp = dirStamp;
    if (quick) recordQuickHandoff(j.history, j.changedSince as number, this.deps.now() - (j.changedSince as number));
    j.changedSince = undefined;
    j.inspection = inspection;
    j.key = key;
    if (changed) this.observe(j, inspection, false);
    // The folder changed even when no event named the journal (a folder that appeared while
    // polled): the supervisor's log may tell what ran there.
    if (changed || force || quick || moved || dirChanged) this.listener(j, changed, changed || quick || dirChanged);
    return j;
  }

  /** Tells the listener about a tracked journal again without re-reading it (its history grew). */
  notify(path: string): void {
    const j = this.journals.get(path);
    if (j) this.listener(j, false, false);
  }

  /** The directory watch's quick-handoff summaries between two times go: the supervisor's log counted those handoffs. */
  dropQuickSummaries(path: string, fromMs: number, toMs: number): void {
    const j = this.journals.get(path);
    if (!j) return;
    const kept = j.history.filter((h) => !isQuickSummary(h) || h.at < fromMs || h.at > toMs);
    if (kept.length !== j.history.length) j.history.splice(0, j.history.length, ...kept);
  }

  /** Re-validates every tracked journal (settings changed). */
  async revalidateAll(): Promise<void> {
    await Promise.all(this.all().map((j) => this.refresh(j.path, true)));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const w of this.dirWatches.values()) w.watch.dispose();
    this.timers.clear();
    this.dirWatches.clear();
    this.journals.clear();
  }

  private inspect(path: string): Promise<Inspection> {
    const s = this.settings();
    const proc = livenessTable(this.deps, s);
    const limits = this.limits(path);
    return inspect(
      path,
      inspectOptions({
        encoding: s.encoding,
        now: this.deps.now(),
        deadlineMs: s.staleDeadlineSeconds * 1000,
        ...(limits ? { limits } : {}),
        ...(proc ? { process: proc } : {}),
      }),
    );
  }

  private watch(path: string): void {
    const dir = dirname(path);
    let w = this.dirWatches.get(dir);
    if (!w) {
      const entry = { paths: new Set<string>(), watch: { dispose: () => undefined } as Disposable };
      entry.watch = this.deps.watchDir(dir, (name) => {
        if (name !== undefined) return this.scheduleChanged(join(dir, name));
        for (const p of entry.paths) this.schedule(p);
      });
      this.dirWatches.set(dir, entry);
      w = entry;
    }
    w.paths.add(path);
  }

  /** Records one observed state in the history and judges the change. */
  private observe(j: TrackedJournal, ins: Inspection, first: boolean): void {
    const at = this.deps.now();
    const d = ins.decoded;
    let next: ObservedState | undefined;
    if (ins.file.state === 'missing') next = null;
    else if (d?.ok) next = d.journal;
    const entry = (
      phase: HistoryEntry['phase'],
      verdict: HistoryEntry['verdict'],
      message: string,
      id?: Uint8Array,
      label?: string,
    ): void => {
      pushEntry(j.history, { at, phase, verdict, message, ...(id ? { handoffId: formatUuid(id) } : {}), ...(label ? { label } : {}) });
    };
    const own = j.ownWrite && j.ownWrite.key === j.key ? j.ownWrite : undefined;
    j.ownWrite = undefined;
    if (next === undefined) {
      const label = ins.file.state === 'error' ? 'unreadable' : 'undecodable';
      entry(null, 'error', `${label}: ${ins.file.state === 'error' ? ins.file.message : d && !d.ok ? d.message : ''}`, undefined, label);
      j.transitionFinding = undefined;
      return;
    }
    if (first || j.observed === undefined || own) {
      entry(
        next?.phase ?? null,
        'none',
        own ? own.message : first ? (next ? 'first observed' : 'no journal when first observed') : 'decodable again',
        next?.handoff_id,
      );
      j.observed = next;
      j.transitionFinding = undefined;
      return;
    }
    const t = checkTransition(j.observed, next);
    entry(next?.phase ?? null, t.verdict, t.message, next?.handoff_id);
    j.observed = next;
    j.transitionFinding = t.code ? withSeverity({ code: t.code, field: 'history', message: t.message }) : undefined;
  }
}
