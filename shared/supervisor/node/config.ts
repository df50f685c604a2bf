/**
 * The reference supervisor's TOML config (`handoff-supervisor --config FILE`), parsed
 * with smol-toml and checked the way its serde `Config` (deny_unknown_fields) reads it:
 * `control_socket`, `binary`, `trigger_socket` required; `args`, `env` (pairs),
 * `listeners` (`{ name, addr }`), optional `journal`, `drain_grace_secs` (default 25),
 * `deadline_secs` (default 60), and since beyond-handoff 0.2 `allowed_uids` (u32s) and
 * `allowed_binaries` (paths), both default `[]`. 0.1 refuses a config that uses those two
 * (unknown fields: test/fixtures/supervisor-0.2/01-old-build-rejects-new-fields.stderr),
 * so a config that does is valid and says which version it needs. No I/O (paths only).
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { elementPosition, unexpected, where } from './serdeErrors';

export interface SupervisorConfig {
  /** The config file this came from. */
  path: string;
  controlSocket: string;
  binary: string;
  args: string[];
  env: [string, string][];
  listeners: { name: string; addr: string }[];
  triggerSocket: string;
  /** Absent: the supervisor keeps no journal ("journaling off"). */
  journal?: string;
  drainGraceSecs: number;
  deadlineSecs: number;
  /** uids besides root and the supervisor's own that may use the trigger socket (0.2). */
  allowedUids: number[];
  /** Binaries a trigger may name besides `binary` (0.2), as written (the supervisor canonicalizes them). */
  allowedBinaries: string[];
  /** The 0.2-only fields this config uses: it needs beyond-handoff 0.2 or later (0.1 refuses it). */
  newFields: string[];
  /** Relative paths in the file, resolved against the config's folder here. */
  relativePaths: string[];
}

/**
 * Why a config cannot be used, so callers act on the kind, never on the message's words:
 * `missing` (no such file), `unreadable` (permission, not a regular file, too large, an
 * I/O error), `invalid` (not UTF-8 text, not TOML, or TOML the supervisor refuses).
 */
export type ConfigFailureKind = 'missing' | 'unreadable' | 'invalid';

export type ConfigResult = { ok: true; config: SupervisorConfig } | { ok: false; kind: ConfigFailureKind; path: string; message: string };

/** The fields in the order serde lists them (0.2's `Config`). */
const KNOWN = [
  'control_socket',
  'binary',
  'args',
  'env',
  'listeners',
  'trigger_socket',
  'allowed_uids',
  'allowed_binaries',
  'journal',
  'drain_grace_secs',
  'deadline_secs',
];
/** Fields 0.1 does not know (it refuses them). */
export const FIELDS_SINCE_02 = ['allowed_uids', 'allowed_binaries'];

export const DEFAULT_DRAIN_GRACE_SECS = 25;
export const DEFAULT_DEADLINE_SECS = 60;

class ConfigError extends Error {}

function str(o: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const v = o[key];
  if (v === undefined) {
    if (required) throw new ConfigError(`missing field \`${key}\``);
    return undefined;
  }
  if (typeof v !== 'string') throw new ConfigError(`\`${key}\` must be a string (a path), found ${typeof v}`);
  return v;
}

function secs(o: Record<string, unknown>, key: string, dflt: number): number {
  const v = o[key];
  if (v === undefined) return dflt;
  if (typeof v !== 'bigint')
    throw new ConfigError(`\`${key}\` must be an integer number of seconds, found ${typeof v === 'number' ? 'a float' : typeof v}`);
  if (v < 0n || v > 18446744073709551615n) throw new ConfigError(`\`${key}\` must be a u64, found ${v}`);
  return Number(v);
}

function strings(o: Record<string, unknown>, key: string): string[] {
  const v = o[key] ?? [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new ConfigError(`\`${key}\` must be an array of strings`);
  return v as string[];
}

/** `allowed_uids`: a sequence of u32, as serde words a mistake. */
function uids(o: Record<string, unknown>, text: string): number[] {
  const v = o.allowed_uids ?? [];
  const key = 'allowed_uids';
  if (!Array.isArray(v))
    throw new ConfigError(`invalid type: ${unexpected(v)}, expected a sequence for key \`${key}\`${where(elementPosition(text, key, v))}`);
  return v.map((x: unknown) => {
    if (typeof x !== 'bigint')
      throw new ConfigError(`invalid type: ${unexpected(x)}, expected u32 for key \`${key}\`${where(elementPosition(text, key, x))}`);
    if (x < 0n || x > 0xffffffffn)
      throw new ConfigError(`invalid value: ${unexpected(x)}, expected u32 for key \`${key}\`${where(elementPosition(text, key, x))}`);
    return Number(x);
  });
}

/** `allowed_binaries`: a sequence of paths (serde's PathBuf expects a "path string"). */
function paths(o: Record<string, unknown>, text: string): string[] {
  const v = o.allowed_binaries ?? [];
  const key = 'allowed_binaries';
  if (!Array.isArray(v))
    throw new ConfigError(`invalid type: ${unexpected(v)}, expected a sequence for key \`${key}\`${where(elementPosition(text, key, v))}`);
  return v.map((x: unknown) => {
    if (typeof x !== 'string')
      throw new ConfigError(
        `invalid type: ${unexpected(x)}, expected path string for key \`${key}\`${where(elementPosition(text, key, x))}`,
      );
    return x;
  });
}

/** The nearest known field to a misspelt one (one or two edits), for a hint. */
function nearest(key: string): string | undefined {
  const dist = (a: string, b: string): number => {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const cur = [i];
      for (let j = 1; j <= b.length; j++)
        cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
    return prev[b.length] as number;
  };
  return key.length > 64 ? undefined : KNOWN.find((k) => dist(key, k) <= 2);
}

function envPairs(o: Record<string, unknown>): [string, string][] {
  const v = o.env ?? [];
  const ok = Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'string');
  if (!ok) throw new ConfigError('`env` must be an array of ["NAME", "value"] pairs');
  return v as [string, string][];
}

function listeners(o: Record<string, unknown>): { name: string; addr: string }[] {
  const v = o.listeners ?? [];
  if (!Array.isArray(v)) throw new ConfigError('`listeners` must be an array of tables ([[listeners]] name = "...", addr = "...")');
  return v.map((l, i) => {
    if (typeof l !== 'object' || l === null || Array.isArray(l)) throw new ConfigError(`listeners[${i}] must be a table`);
    const t = l as Record<string, unknown>;
    const extra = Object.keys(t).filter((k) => k !== 'name' && k !== 'addr');
    if (extra.length) throw new ConfigError(`listeners[${i}]: unknown field \`${extra[0]}\`, expected \`name\` or \`addr\``);
    const name = str(t, 'name', true) as string;
    return { name, addr: str(t, 'addr', true) as string };
  });
}

export function parseSupervisorConfig(text: string, path: string): ConfigResult {
  let o: Record<string, unknown>;
  try {
    o = parse(text, { integersAsBigInt: true }) as Record<string, unknown>;
  } catch (e) {
    const where = e instanceof TomlError ? ` at line ${e.line}, column ${e.column}` : '';
    const first = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    return { ok: false, kind: 'invalid', path, message: `${path} is not valid TOML${where}: ${first}` };
  }
  try {
    const unknown = Object.keys(o).filter((k) => !KNOWN.includes(k));
    if (unknown.length) {
      const hint = nearest(unknown[0] as string);
      throw new ConfigError(
        `unknown field \`${unknown[0]}\`, expected one of ${KNOWN.map((k) => `\`${k}\``).join(', ')} at line 1 column 1${hint ? ` (did you mean \`${hint}\`?)` : ''}`,
      );
    }
    const base = dirname(path);
    const relativePaths: string[] = [];
    const abs = (p: string | undefined): string | undefined => {
      if (p === undefined || isAbsolute(p)) return p;
      relativePaths.push(p);
      return resolve(base, p);
    };
    const journal = abs(str(o, 'journal', false));
    return {
      ok: true,
      config: {
        path,
        controlSocket: abs(str(o, 'control_socket', true)) as string,
        binary: str(o, 'binary', true) as string,
        args: strings(o, 'args'),
        env: envPairs(o),
        listeners: listeners(o),
        triggerSocket: abs(str(o, 'trigger_socket', true)) as string,
        ...(journal !== undefined ? { journal } : {}),
        drainGraceSecs: secs(o, 'drain_grace_secs', DEFAULT_DRAIN_GRACE_SECS),
        deadlineSecs: secs(o, 'deadline_secs', DEFAULT_DEADLINE_SECS),
        allowedUids: uids(o, text),
        allowedBinaries: paths(o, text),
        newFields: FIELDS_SINCE_02.filter((k) => o[k] !== undefined),
        relativePaths,
      },
    };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return { ok: false, kind: 'invalid', path, message: `${path}: ${e.message} (the supervisor refuses this config too)` };
  }
}
