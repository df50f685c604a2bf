/**
 * The one table of the CLI's commands and options. `parseArgs` (cli/main.ts) and the
 * shell completion scripts (cli/completion.ts) both read it, so an option added here is
 * parsed and completed, and one that is not here is neither. Pure data.
 */
import type { ParseArgsConfig } from 'node:util';
import { ENCODING_CHOICES, ENCODINGS, PHASES } from '../shared/journal';

/** What a value (of an option or an operand) completes to: files, folders, one of these words, or nothing. */
export type ValueKind = 'file' | 'dir' | 'none' | readonly string[];

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** For string options: what its value completes to. */
  value?: ValueKind;
}

export interface CommandSpec {
  options: Readonly<Record<string, OptionSpec>>;
  /** What the operands complete to. */
  operands: ValueKind;
}

export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

/** Where the supervisor's log is read from, the same for `history`, `metrics` and `exporter` (as for `log`). */
const LOG_SOURCE_OPTIONS = {
  'log-file': { type: 'string', multiple: true, value: 'file' },
  'journal-file': { type: 'string', value: 'file' },
  'journal-dir': { type: 'string', value: 'dir' },
} as const satisfies Record<string, OptionSpec>;

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const satisfies Record<string, OptionSpec>;

const COMMANDS = {
  show: {
    operands: 'file',
    options: {
      json: { type: 'boolean' },
      raw: { type: 'boolean' },
      svg: { type: 'boolean' },
      encoding: { type: 'string', value: ENCODING_CHOICES },
    },
  },
  reset: {
    operands: 'file',
    options: {
      phase: { type: 'string', value: PHASES },
      'new-id': { type: 'boolean' },
      now: { type: 'boolean' },
      force: { type: 'boolean' },
      encoding: { type: 'string', value: ENCODING_CHOICES },
      config: { type: 'string', multiple: true, value: 'file' },
      json: { type: 'boolean' },
    },
  },
  delete: {
    operands: 'file',
    options: { force: { type: 'boolean' }, config: { type: 'string', multiple: true, value: 'file' }, json: { type: 'boolean' } },
  },
  restore: {
    operands: 'file',
    options: {
      bytes: { type: 'string', value: 'none' },
      absent: { type: 'boolean' },
      expect: { type: 'string', value: 'none' },
      'expect-absent': { type: 'boolean' },
      force: { type: 'boolean' },
      config: { type: 'string', multiple: true, value: 'file' },
      json: { type: 'boolean' },
    },
  },
  'delete-tmp': { operands: 'file', options: { config: { type: 'string', multiple: true, value: 'file' }, json: { type: 'boolean' } } },
  encode: {
    operands: 'none',
    options: {
      phase: { type: 'string', value: PHASES },
      id: { type: 'string', value: 'none' },
      incumbent: { type: 'string', value: 'none' },
      successor: { type: 'string', value: 'none' },
      started: { type: 'string', value: 'none' },
      encoding: { type: 'string', value: ENCODINGS },
      output: { type: 'string', short: 'o', value: 'file' },
    },
  },
  status: { operands: 'file', options: { json: { type: 'boolean' } } },
  metrics: {
    operands: 'file',
    options: {
      journal: { type: 'string', multiple: true, value: 'file' },
      textfile: { type: 'string', value: 'dir' },
      'state-dir': { type: 'string', value: 'dir' },
      ...LOG_SOURCE_OPTIONS,
    },
  },
  exporter: {
    operands: 'file',
    options: {
      listen: { type: 'string', value: 'none' },
      journal: { type: 'string', multiple: true, value: 'file' },
      'state-dir': { type: 'string', value: 'dir' },
      ...LOG_SOURCE_OPTIONS,
    },
  },
  history: {
    operands: 'file',
    options: {
      since: { type: 'string', value: 'none' },
      until: { type: 'string', value: 'none' },
      json: { type: 'boolean' },
      ...LOG_SOURCE_OPTIONS,
    },
  },
  log: {
    operands: 'file',
    options: {
      id: { type: 'string', value: 'none' },
      'log-file': { type: 'string', value: 'file' },
      'journal-file': { type: 'string', value: 'file' },
      'journal-dir': { type: 'string', value: 'dir' },
      json: { type: 'boolean' },
    },
  },
  trigger: {
    operands: 'file',
    options: { binary: { type: 'string', value: 'file' }, json: { type: 'boolean' }, timeout: { type: 'string', value: 'none' } },
  },
  completion: { operands: SHELLS, options: {} },
  help: { operands: 'commands', options: {} },
} as const satisfies Record<string, { operands: ValueKind | 'commands'; options: Record<string, OptionSpec> }>;

export type CommandName = keyof typeof COMMANDS;

export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

export function isCommandName(s: string): s is CommandName {
  return Object.hasOwn(COMMANDS, s);
}

/** A command's spec, `--help` included; `help`'s operands are the command names. */
export function commandSpec(name: CommandName): CommandSpec {
  const c = COMMANDS[name];
  return { operands: c.operands === 'commands' ? COMMAND_NAMES : c.operands, options: { ...c.options, ...HELP_OPTION } };
}

/** The options object handed to `parseArgs` for a command: the table without the completion hints. */
export function parseOptions(name: CommandName): NonNullable<ParseArgsConfig['options']> {
  const out: NonNullable<ParseArgsConfig['options']> = {};
  for (const [k, o] of Object.entries(commandSpec(name).options)) {
    out[k] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  return out;
}

/** Options of the program itself (before a command). */
export const GLOBAL_OPTIONS = ['--help', '-h', '--version'] as const;
