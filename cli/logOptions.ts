/**
 * What `history`, `metrics` and `exporter` share about the supervisor's log: the operands
 * (CONFIG files, service names as `status` names them, or systemd units), the source
 * options (`--log-file [SERVICE=]PATH`, `--journal-file`, `--journal-dir`, with the same
 * meaning as for `log`), `--since`/`--until`, and `--state-dir`.
 */
import { basename, resolve } from 'node:path';
import { serviceName } from '../shared/supervisor';
import { loadSupervisorConfig } from '../shared/supervisor/node';
import type { ServiceRef, SourceOptions } from '../shared/fleet/node';
import { parseTimeArg } from '../shared/util';
import { hostConfigs, UsageError } from './args';

/** Where the exporter and the textfile mode keep their position in the log and their totals (systemd's StateDirectory). */
export const DEFAULT_STATE_DIR = '/var/lib/handoff-journal';

export interface Operands {
  /** Config files (named, or found by service name; default: this host's). */
  configs: string[];
  /** The services whose logs are read. */
  refs: ServiceRef[];
  /** Configs that could not be read (the journal gauges say so too). */
  problems: string[];
}

const isUnit = (s: string): boolean => /^[^/]+\.service$/.test(s);
const isPath = (s: string): boolean => s.includes('/') || s.endsWith('.toml');

/** A service named by its unit: the unit's name without `.service`. */
export function unitService(unit: string): string {
  return unit.replace(/\.service$/, '');
}

/** CONFIG | SERVICE... : configs by path, services by name (among this host's configs) or by systemd unit. */
export async function resolveOperands(positionals: readonly string[]): Promise<Operands> {
  const named = positionals.filter((p) => !isPath(p) && !isUnit(p));
  const host = positionals.length === 0 || named.length > 0 ? await hostConfigs() : [];
  const paths = positionals.length === 0 ? host : positionals.filter(isPath);
  const byName = new Map<string, string>();
  if (named.length > 0)
    for (const p of host) {
      const r = await loadSupervisorConfig(p);
      byName.set(serviceName({ config: p, ...(r.ok && r.config.journal ? { journal: r.config.journal } : {}) }), p);
    }
  const missing: string[] = [];
  for (const n of named) {
    const p = byName.get(n);
    if (p === undefined)
      missing.push(`no supervisor config names service '${n}' on this host: give its CONFIG file, or its systemd unit (${n}.service)`);
    else paths.push(p);
  }
  const o: Operands = { configs: [...new Set(paths.map((p) => resolve(p)))], refs: [], problems: missing };
  for (const path of o.configs) {
    const r = await loadSupervisorConfig(path);
    if (!r.ok) o.problems.push(r.message);
    else
      o.refs.push({ service: serviceName({ config: path, ...(r.config.journal ? { journal: r.config.journal } : {}) }), config: r.config });
  }
  for (const unit of positionals.filter(isUnit)) o.refs.push({ service: unitService(unit), unit });
  return o;
}

/** `--log-file [SERVICE=]PATH`: SERVICE defaults to the one service given (or, with none, the file's name). */
export function logFileArgs(values: readonly string[], refs: readonly ServiceRef[]): { service: string; path: string }[] {
  return values.map((v) => {
    const eq = v.indexOf('=');
    const head = eq > 0 ? v.slice(0, eq) : '';
    if (head !== '' && !head.includes('/')) return { service: head, path: resolve(v.slice(eq + 1)) };
    if (v === '') throw new UsageError('--log-file needs a path');
    if (refs.length > 1)
      throw new UsageError(
        `--log-file ${v}: ${refs.length} services were given, so name the one this file belongs to: --log-file SERVICE=${v}`,
      );
    return { service: refs[0]?.service ?? basename(v).replace(/\.log$/, ''), path: resolve(v) };
  });
}

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

const str = (values: Values, k: string): string | undefined => (values[k] === undefined ? undefined : String(values[k]));

/** The source options of a command's parsed values. */
export function sourceOptions(values: Values, refs: readonly ServiceRef[]): SourceOptions {
  const files = ((values['log-file'] ?? []) as string[]).map(String);
  const given = (['log-file', 'journal-file', 'journal-dir'] as const).filter((k) => values[k] !== undefined);
  if (given.length > 1) throw new UsageError(`give at most one of --${given.join(', --')}`);
  const journalFile = str(values, 'journal-file');
  const journalDir = str(values, 'journal-dir');
  return {
    ...(files.length > 0 ? { logFiles: logFileArgs(files, refs) } : {}),
    ...(journalFile !== undefined ? { journalFile: resolve(journalFile) } : {}),
    ...(journalDir !== undefined ? { journalDir: resolve(journalDir) } : {}),
  };
}

/** `--since` / `--until` as unix ms. */
export function timeOption(values: Values, k: 'since' | 'until', now: number): number | undefined {
  const v = str(values, k);
  if (v === undefined) return undefined;
  const ms = parseTimeArg(v, now);
  if (ms === undefined)
    throw new UsageError(
      `--${k} ${v}: give a time such as 2026-12-02, '2026-12-02 18:48', 2026-12-02T18:48:14Z, @1764701294, '2h ago', --since=-2h, today or yesterday`,
    );
  return ms;
}

/** `--state-dir`, absolute. */
export function stateDir(values: Values): string {
  const v = str(values, 'state-dir');
  if (v === '') throw new UsageError('--state-dir needs a directory');
  return resolve(v ?? DEFAULT_STATE_DIR);
}
