/**
 * The supervisor configs the server knows: discovered under the configured globs,
 * parsed, and indexed by journal path so each journal is judged against its own
 * supervisor's deadlines.
 */
import {
  serviceStatus,
  limitsOf,
  loadSupervisorConfig,
  type ServiceStatus,
  type SupervisorConfig,
  type SocketState,
  configStanding,
  type ConfigStanding,
} from '../../shared/supervisor/node';
import { serviceName, versionNote } from '../../shared/supervisor';
import type { ServiceInfo } from '../../shared/protocol';
import type { Finding } from '../../shared/journal';
import { expandGlobs } from '../../shared/util/node';
import { journalState } from './view';

export class SupervisorRegistry {
  private configs = new Map<string, SupervisorConfig>();
  private errors = new Map<string, string>();
  private byJournal = new Map<string, SupervisorConfig>();
  /** Whether each config is installed on the host (its journal's real path counts) or not (only the path itself). */
  private standing = new Map<string, ConfigStanding>();

  private latest: Promise<void> = Promise.resolve();

  /** Resolves once the latest discovery has finished. */
  settled(): Promise<void> {
    return this.latest;
  }

  /** Finds and parses configs; replaces what was known. */
  discover(globs: string[]): Promise<void> {
    this.latest = this.load(globs);
    return this.latest;
  }

  private async load(globs: string[]): Promise<void> {
    const { paths } = await expandGlobs(globs, 1000);
    const configs = new Map<string, SupervisorConfig>();
    const errors = new Map<string, string>();
    for (const p of paths) {
      const r = await loadSupervisorConfig(p);
      if (r.ok) configs.set(p, r.config);
      // A config that vanished between the walk and the read is simply gone; the others are listed with their error.
      else if (r.kind !== 'missing') errors.set(p, r.message);
    }
    const standing = new Map<string, ConfigStanding>();
    for (const c of configs.values()) standing.set(c.path, await configStanding(c));
    this.configs = configs;
    this.errors = errors;
    this.standing = standing;
    this.byJournal = new Map([...configs.values()].filter((c) => c.journal).map((c) => [c.journal as string, c]));
  }

  /** The journals the discovered configs name (they count as journals for repairs). */
  journals(): string[] {
    return [...this.byJournal.keys()];
  }

  /** Those journals split by their config's standing: installed configs' journals count by their real path too. */
  journalLists(): { configJournals: string[]; installedJournals: string[] } {
    const installed = (p: string): boolean => this.standing.get(this.byJournal.get(p)?.path ?? '')?.kind === 'installed';
    const all = this.journals();
    return { configJournals: all.filter((p) => !installed(p)), installedJournals: all.filter(installed) };
  }

  /** The service a journal belongs to (as `status` names it). */
  serviceOf(journalPath: string): string {
    return serviceName({ journal: journalPath, config: this.byJournal.get(journalPath)?.path });
  }

  /** The config that names this journal, if any. */
  configPathOf(journalPath: string): string | undefined {
    return this.byJournal.get(journalPath)?.path;
  }

  get(configPath: string): SupervisorConfig | undefined {
    return this.configs.get(configPath);
  }

  /** The staleness limits for a journal whose supervisor config is known. */
  limitsFor(journalPath: string): ReturnType<typeof limitsOf> | undefined {
    const c = this.byJournal.get(journalPath);
    return c ? limitsOf(c) : undefined;
  }

  async services(opts: Parameters<typeof serviceStatus>[1]): Promise<ServiceInfo[]> {
    const out: ServiceInfo[] = [];
    for (const c of this.configs.values()) out.push(toInfo(await serviceStatus(c, opts)));
    for (const [path, error] of this.errors) {
      const none = { path: '', exists: false, summary: 'unknown' };
      out.push({
        config: path,
        name: serviceName({ config: path }),
        journal: null,
        binary: '',
        listeners: [],
        deadlineSecs: 0,
        drainGraceSecs: 0,
        control: none,
        trigger: none,
        allowedUids: [],
        allowedBinaries: [],
        error,
      });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }
}

function sock(s: SocketState): ServiceInfo['control'] {
  return { path: s.path, exists: s.exists, ...(s.bound !== undefined ? { bound: s.bound } : {}), summary: s.summary };
}

function toInfo(s: ServiceStatus): ServiceInfo {
  const c = s.config;
  const findings: Finding[] = s.journal?.findings ?? [];
  return {
    config: c.path,
    name: s.name,
    journal: c.journal ?? null,
    binary: c.binary,
    listeners: c.listeners,
    deadlineSecs: c.deadlineSecs,
    drainGraceSecs: c.drainGraceSecs,
    control: sock(s.control),
    trigger: sock(s.trigger),
    allowedUids: s.allowedUsers,
    allowedBinaries: c.allowedBinaries,
    ...(c.newFields.length ? { versionNote: versionNote(c.newFields) as string } : {}),
    ...(s.journal && c.journal ? { state: journalState(c.journal, s.journal, findings) } : {}),
  };
}
