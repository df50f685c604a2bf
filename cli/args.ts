/**
 * Argument helpers shared by the CLI's commands: exit codes, usage errors, and parsing with
 * the options of the command table (cli/commandTable.ts).
 */
import { parseArgs } from 'node:util';
import { ENCODING_CHOICES, type EncodingChoice } from '../shared/codec';
import { isU32 } from '../shared/journal';
import { parseOptions, type CommandName } from './commandTable';

export const EXIT = { ok: 0, usage: 2, undecodable: 3, io: 4, refused: 5 } as const;

/** Wrong arguments: reported with the command's help pointer and exit 2. */
export class UsageError extends Error {}

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

export function parseU32(name: string, v: unknown): number {
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || !isU32(n)) throw new UsageError(`${name} must be an integer 0..4294967295`);
  return n;
}
