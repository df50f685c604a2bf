/**
 * What every command's argument handling shares: the exit codes, the usage error, and
 * parsing with the options of the command table (cli/commandTable.ts).
 */
import { parseArgs } from 'node:util';
import { ENCODING_CHOICES, type EncodingChoice, type ProcessInfo } from '../shared/journal';
import { expandGlobs } from '../shared/util/node';
import { procProcessTable } from '../shared/journal/node';
import { HOST_CONFIG_GLOBS } from '../shared/protocol';
import { parseOptions, type CommandName } from './commandTable';

/** Exit codes of every command; 6 only from `log` (no lines for the handoff), 7 and 8 only from `trigger`. */
export const EXIT = { ok: 0, usage: 2, undecodable: 3, io: 4, refused: 5, noLines: 6, aborted: 7, noAnswer: 8 } as const;

/** A mistake in the command line: exit 2 with the command's usage hint. */
export class UsageError extends Error {}

/** The clock and this host's process table, for commands that only look. */
/** What the CLI observes of this host: the clock and, where there is a /proc, its processes. */
export interface Observation {
  now: number;
  process?: (pid: number) => ProcessInfo;
}

export function observation(): Observation {
  const process_ = procProcessTable();
  return { now: Date.now(), ...(process_ ? { process: process_ } : {}) };
}

/** The supervisor configs of this host, found under the default config globs. */
export async function hostConfigs(): Promise<string[]> {
  return (await expandGlobs([...HOST_CONFIG_GLOBS], 1000)).paths;
}

export function configArgs(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
}

/** Parses a command's arguments with its options from the command table (cli/commandTable.ts). */
export function parse(
  args: string[],
  command: CommandName,
): { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] } {
  try {
    return parseArgs({ args, options: parseOptions(command), allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function onePath(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError(`expected one FILE, got ${positionals.length}`);
  return positionals[0] as string;
}

export function encodingChoice(v: unknown): EncodingChoice {
  const s = String(v ?? 'auto');
  if (!(ENCODING_CHOICES as readonly string[]).includes(s))
    throw new UsageError(`--encoding must be one of ${ENCODING_CHOICES.join(', ')}`);
  return s as EncodingChoice;
}

/** Parses `--bytes`/`--expect` hex (spaces allowed); undefined when it is not hex. */
export function parseHex(s: string): Uint8Array | undefined {
  const h = s.replace(/\s+/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(h)) return undefined;
  return new Uint8Array(Buffer.from(h, 'hex'));
}
