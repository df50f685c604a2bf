/**
 * Where each service's supervisor log is, for `history`, `metrics`, the exporter and the
 * editor: journald by default (the supervisor's systemd unit), or given journald files,
 * or plain log files named per service (`--log-file kv=/var/log/kv.log`). The unit of a
 * config's supervisor is found the way an operator would: the unit of the live process
 * bound to its trigger socket, else of the journal's writer (`incumbent_pid`), else of the
 * latest journald line naming its trigger socket (the `supervisor running` line). Every
 * service whose log cannot be found gets a sentence saying why and what to give instead.
 */
import { decodeJournal } from '../../journal';
import { readJournalFile } from '../../journal/node';
import { socketState, type SupervisorConfig } from '../../supervisor/node';
import { latestUnitMentioning, systemJournalPresent, unitOfPid, type RecordSource } from '../../supervisorLog/node';

/** A service to read: named by a config, or by its systemd unit alone. */
export interface ServiceRef {
  service: string;
  config?: SupervisorConfig;
  unit?: string;
}

export interface SourceOptions {
  /** `--log-file [SERVICE=]PATH`: read these files instead of journald. */
  logFiles?: readonly { service: string; path: string }[];
  /** `--journal-file PATH` / `--journal-dir DIR`: read these journald files instead of the system journal. */
  journalFile?: string;
  journalDir?: string;
  journalctl?: string;
}

export interface ResolvedSources {
  sources: RecordSource[];
  /** Per service whose log cannot be read: why, and what to give instead. */
  problems: { service: string; message: string }[];
}

/** Whether options name a log source (otherwise journald is read only where the host has one). */
export function namesSource(o: SourceOptions): boolean {
  return (o.logFiles?.length ?? 0) > 0 || o.journalFile !== undefined || o.journalDir !== undefined;
}

async function unitOfJournalWriter(journal: string | undefined): Promise<string | undefined> {
  if (journal === undefined) return undefined;
  const r = await readJournalFile(journal);
  if (r.state !== 'ok') return undefined;
  const d = decodeJournal(r.bytes);
  return d.ok ? unitOfPid(d.journal.incumbent_pid) : undefined;
}

/** The systemd unit a config's supervisor runs in; a string explains why none was found. */
export async function unitForConfig(c: SupervisorConfig, o: SourceOptions): Promise<{ unit: string } | { problem: string }> {
  const local = o.journalFile === undefined && o.journalDir === undefined;
  if (local) {
    for (const owner of socketState(c.triggerSocket).owners) {
      const unit = await unitOfPid(owner.pid);
      if (unit) return { unit };
    }
    const unit = await unitOfJournalWriter(c.journal);
    if (unit) return { unit };
  }
  const q = {
    ...(o.journalFile !== undefined ? { file: o.journalFile } : {}),
    ...(o.journalDir !== undefined ? { directory: o.journalDir } : {}),
  };
  const found = await latestUnitMentioning({ ...q, ...(o.journalctl !== undefined ? { journalctl: o.journalctl } : {}) }, c.triggerSocket);
  if (typeof found === 'string') return { unit: found };
  if (found !== undefined) return { problem: found.message };
  const where = local ? 'no process bound to its trigger socket runs under a systemd unit, and journald' : 'the given journal';
  return {
    problem: `cannot tell which systemd unit runs the supervisor of ${c.path}: ${where} has no line naming its trigger socket ${c.triggerSocket} (its 'supervisor running' line). Name the unit (handoff-journal history NAME.service) or give its log file (--log-file SERVICE=PATH).`,
  };
}

function fileSources(services: readonly ServiceRef[], files: NonNullable<SourceOptions['logFiles']>): ResolvedSources {
  const sources: RecordSource[] = files.map((f) => ({ kind: 'file', path: f.path, service: f.service }));
  const covered = new Set(files.map((f) => f.service));
  const problems = services
    .filter((s) => !covered.has(s.service))
    .map((s) => ({ service: s.service, message: `no --log-file for service ${s.service}: its log is not read (give ${s.service}=PATH).` }));
  return { sources, problems };
}

/**
 * The log sources of the services. `optional`: no source was named, so journald is read
 * only on a host that keeps one, and its absence is no problem (the journal gauges still work).
 */
export async function resolveLogSources(services: readonly ServiceRef[], o: SourceOptions, optional = false): Promise<ResolvedSources> {
  if (o.logFiles && o.logFiles.length > 0) return fileSources(services, o.logFiles);
  if (optional && !namesSource(o) && !(await systemJournalPresent())) return { sources: [], problems: [] };
  const units: Record<string, string> = {};
  const problems: ResolvedSources['problems'] = [];
  for (const s of services) {
    const r =
      s.unit !== undefined
        ? { unit: s.unit }
        : s.config
          ? await unitForConfig(s.config, o)
          : { problem: `no config or unit for ${s.service}` };
    if ('unit' in r) units[r.unit] = s.service;
    else problems.push({ service: s.service, message: r.problem });
  }
  if (Object.keys(units).length === 0) return { sources: [], problems };
  const source: RecordSource = {
    kind: 'journald',
    units,
    ...(o.journalFile !== undefined ? { file: o.journalFile } : {}),
    ...(o.journalDir !== undefined ? { directory: o.journalDir } : {}),
    ...(o.journalctl !== undefined ? { journalctl: o.journalctl } : {}),
  };
  return { sources: [source], problems };
}
