/**
 * Each service's handoffs from its supervisor's log, for the Journals view's History and
 * the decoded view's history section: the same incremental reader as the CLI's history and
 * the exporter (shared/supervisorLog/records.ts), one per service, reading on from where it
 * stopped (journald by cursor, a log file by offset), so a burst of handoffs costs one read
 * of the new lines, never the whole log again. At most one read per service runs at a time
 * and reads asked for meanwhile are folded into the next, so the server's file
 * descriptors and memory stay flat; the last MAX_RECORDS records are kept.
 *
 * Joining the records into a journal's history is an explicit step (`join`), taken when
 * the client asks for a service's history, opens a journal, or the journal changed on
 * disk; content requests only read (docs/architecture.md).
 */
import { HandoffReader, recordHistoryEntry, type HandoffRecord } from '../../shared/supervisorLog';
import { readFrom, readWindow, sourceName, type RecordSource, type SourcePosition, type SourceSink } from '../../shared/supervisorLog/node';
import { resolveLogSources } from '../../shared/fleet/node';
import type { HandoffHistoryItem, HandoffHistoryResult, ServerSettings } from '../../shared/protocol';
import type { ProcessInfo } from '../../shared/journal';
import type { SupervisorConfig } from '../../shared/supervisor/node';
import type { JournalStore } from './journalStore';
import type { SupervisorRegistry } from './supervisors';

export const MAX_RECORDS = 200;
/** The first read of a service's journald goes back this far. */
const FIRST_WINDOW_MS = 24 * 3_600_000;
/** A log that could not be found is looked for again after this long. */
const RETRY_MS = 60_000;
/** Changes on disk within this long are one read. */
const DEBOUNCE_MS = 250;

interface ServiceLog {
  service: string;
  config: SupervisorConfig;
  source?: RecordSource;
  problem?: string;
  resolvedAt: number;
  position?: SourcePosition;
  reader: HandoffReader;
  records: HandoffRecord[];
  reading?: Promise<void>;
  again: boolean;
}

function item(r: HandoffRecord): HandoffHistoryItem {
  return {
    id: r.id,
    start: r.start,
    end: r.end,
    outcome: r.outcome,
    reason: r.reason,
    sealFailure: r.sealFailure,
    rolledBack: r.rolledBack,
    totalSeconds: r.totalSeconds,
    drainSeconds: r.drainSeconds,
    sealSeconds: r.sealSeconds,
    beginToReadySeconds: r.beginToReadySeconds,
  };
}

export class HandoffHistories {
  private readonly logs = new Map<string, ServiceLog>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly registry: SupervisorRegistry,
    private readonly store: JournalStore,
    private readonly settings: () => ServerSettings,
    private readonly now: () => number,
    /** The host's process table, when liveness checks are on (a handoff whose supervisor is gone ends as unknown). */
    private readonly processTable: () => ((pid: number) => ProcessInfo) | undefined,
    /** Called after records joined a journal's history (republish its view). */
    private readonly joined: (journal: string) => void,
  ) {}

  /** The client asks for a service's handoffs: read on, join them into its journal's history, answer newest first. */
  async history(configPath: string, limit = 50): Promise<HandoffHistoryResult> {
    const config = this.registry.get(configPath);
    if (!config)
      return {
        service: '',
        journal: null,
        handoffs: [],
        source: null,
        error: `${configPath} is not a supervisor config found under the configured globs.`,
      };
    const log = this.logOf(config);
    await this.read(log);
    this.join(log);
    const n = Math.max(1, Math.min(MAX_RECORDS, Math.floor(limit)));
    return {
      service: log.service,
      journal: config.journal ?? null,
      handoffs: log.records.slice(-n).reverse().map(item),
      source: log.source ? sourceName(log.source) : null,
      ...(log.problem !== undefined ? { error: log.problem } : {}),
    };
  }

  /** A journal changed on disk (or was opened): read its service's log soon, then join. */
  schedule(journal: string): void {
    const configPath = this.registry.configPathOf(journal);
    const config = configPath ? this.registry.get(configPath) : undefined;
    if (!config) return;
    clearTimeout(this.timers.get(journal));
    this.timers.set(
      journal,
      setTimeout(() => {
        this.timers.delete(journal);
        const log = this.logOf(config);
        void this.read(log).then(() => this.join(log));
      }, DEBOUNCE_MS),
    );
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private logOf(config: SupervisorConfig): ServiceLog {
    let log = this.logs.get(config.path);
    if (!log || log.config !== config) {
      const service = this.registry.serviceOf(config.journal ?? config.path);
      log = { service, config, resolvedAt: 0, reader: new HandoffReader(service), records: [], again: false };
      this.logs.set(config.path, log);
    }
    return log;
  }

  /** One read at a time per service; a read asked for while one runs happens once after it. */
  private read(log: ServiceLog): Promise<void> {
    if (log.reading) {
      log.again = true;
      return log.reading;
    }
    log.reading = (async () => {
      do {
        log.again = false;
        await this.readOnce(log);
      } while (log.again);
    })().finally(() => (log.reading = undefined));
    return log.reading;
  }

  private async resolve(log: ServiceLog): Promise<void> {
    if (log.source || this.now() - log.resolvedAt < RETRY_MS) return;
    log.resolvedAt = this.now();
    const files = this.settings().logFiles;
    const file = Object.hasOwn(files, log.service) ? files[log.service] : undefined;
    const r = await resolveLogSources(
      [{ service: log.service, config: log.config }],
      file ? { logFiles: [{ service: log.service, path: file }] } : {},
    );
    log.source = r.sources[0];
    log.problem = log.source ? undefined : (r.problems[0]?.message ?? 'no log source for this service');
  }

  private async readOnce(log: ServiceLog): Promise<void> {
    await this.resolve(log);
    const source = log.source;
    if (!source) return;
    let failed: string | undefined;
    const sink: SourceSink = {
      lines: (_service, lines) => this.keep(log, log.reader.pushAll(lines)),
      position: (p) => void (log.position = p),
      event: (e) => void (e.kind === 'unreadable' && (failed = e.message)),
    };
    if (log.position) await readFrom(source, log.position, sink);
    else if (source.kind === 'journald') await readWindow(source, { sinceMs: this.now() - FIRST_WINDOW_MS }, sink);
    else await readWindow(source, {}, sink, { maxBytes: 8 * 1024 * 1024 });
    this.keep(log, log.reader.settle(this.now(), this.processTable()));
    log.problem = failed;
  }

  private keep(log: ServiceLog, records: readonly HandoffRecord[]): void {
    if (records.length === 0) return;
    log.records.push(...records);
    if (log.records.length > MAX_RECORDS) log.records.splice(0, log.records.length - MAX_RECORDS);
  }

  /** Joins the records into the journal's history; the watcher's "at least N handoffs ran" entries they cover go. */
  private join(log: ServiceLog): void {
    const journal = log.config.journal;
    if (!journal || log.records.length === 0 || !this.store.get(journal)) return;
    const now = this.now();
    this.store.addHistory(
      journal,
      log.records.map((r) => recordHistoryEntry(r, now)),
    );
    const first = log.records[0];
    const last = log.records[log.records.length - 1];
    this.store.dropQuickSummaries(journal, (first?.start ?? now) - 1000, (last?.end ?? last?.start ?? now) + 1000);
    this.joined(journal);
  }
}
