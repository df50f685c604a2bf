/**
 * `handoff-journal`: the same decoding, validation and repairs as the extension, for
 * plain SSH sessions. Data on stdout, errors on stderr. Exit codes: 0 ok, 2 usage,
 * 3 the bytes do not decode as a journal, 4 the file cannot be read or written,
 * 5 refused (protocol-illegal or live handoff; use --force; `trigger`: by the
 * supervisor), 6 (`log`) the log has no lines for the handoff, 7 (`trigger`) aborted or
 * failed, 8 (`trigger`) no answer in time.
 */
import { version } from '../package.json';
import { parseUuid } from '../shared/journal';
import { EXIT, UsageError, encodingChoice, observation, onePath, parse } from './args';
import { cmdDelete, cmdDeleteTmp, cmdEncode, cmdReset, cmdRestore } from './changes';
import { COMMAND_NAMES, isCommandName, SHELLS, type CommandName, type Shell } from './commandTable';
import { completionScript } from './completion';
import { HELP } from './help';
import { logCommand } from './log';
import { resolveOperands, sourceOptions, stateDir, timeOption } from './logOptions';
import type { Output } from './output';
import { show } from './show';
import { status } from './status';
import { triggerCommand } from './trigger';

export { EXIT };

async function cmdShow(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse(args, 'show');
  if (values.help) return (out.stdout(HELP.show), EXIT.ok);
  const path = onePath(positionals);
  const o = { json: values.json === true, svg: values.svg === true, raw: values.raw === true, encoding: encodingChoice(values.encoding) };
  return show(path, o, ['show', ...args], observation(), out);
}

async function cmdStatus(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse(args, 'status');
  if (values.help) return (out.stdout(HELP.status), EXIT.ok);
  return status(positionals, values.json === true, observation(), out);
}

async function cmdMetrics(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse(args, 'metrics');
  if (values.help) return (out.stdout(HELP.metrics), EXIT.ok);
  const journals = (values.journal ?? []) as string[];
  const textfile = values.textfile as string | undefined;
  if (textfile === '') throw new UsageError('--textfile needs a directory');
  const operands = await resolveOperands(positionals);
  const sources = sourceOptions(values, operands.refs);
  const e = observation();
  // Loaded on use: prom-client costs every other command ~20 ms of start-up otherwise.
  const { metrics } = await import('./metrics');
  const o = { configs: positionals.length ? operands.configs : [], journals, refs: operands.refs, sources, stateDir: stateDir(values) };
  return metrics({ ...o, ...(textfile !== undefined ? { textfile } : {}) }, e, out);
}

async function cmdExporter(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse(args, 'exporter');
  if (values.help) return (out.stdout(HELP.exporter), EXIT.ok);
  const operands = await resolveOperands(positionals);
  const { exporterCommand, DEFAULT_LISTEN } = await import('./exporter');
  return exporterCommand(
    {
      listen: values.listen === undefined ? DEFAULT_LISTEN : String(values.listen),
      configs: positionals.length ? operands.configs : [],
      journals: (values.journal ?? []) as string[],
      refs: operands.refs,
      sources: sourceOptions(values, operands.refs),
      stateDir: stateDir(values),
      observation,
    },
    out,
  );
}

async function cmdHistory(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse(args, 'history');
  if (values.help) return (out.stdout(HELP.history), EXIT.ok);
  const now = Date.now();
  const operands = await resolveOperands(positionals);
  const { historyCommand, DEFAULT_WINDOW_MS } = await import('./history');
  return historyCommand(
    {
      refs: operands.refs,
      problems: operands.problems,
      sources: sourceOptions(values, operands.refs),
      sinceMs: timeOption(values, 'since', now) ?? now - DEFAULT_WINDOW_MS,
      ...(values.until !== undefined ? { untilMs: timeOption(values, 'until', now) as number } : {}),
      json: values.json === true,
      argv: ['history', ...args],
    },
    out,
  );
}

async function cmdLog(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse(args, 'log');
  if (values.help) return (out.stdout(HELP.log), EXIT.ok);
  const id = values.id === undefined ? undefined : String(values.id);
  if ((positionals.length === 1) === (id !== undefined)) throw new UsageError('give either a journal FILE or --id UUID');
  if (positionals.length > 1) throw new UsageError(`expected one FILE, got ${positionals.length}`);
  if (id !== undefined && !parseUuid(id)) throw new UsageError('--id must be a UUID');
  const from = (['log-file', 'journal-file', 'journal-dir'] as const).filter((k) => values[k] !== undefined);
  if (from.length > 1) throw new UsageError(`give at most one of --${from.join(', --')}`);
  const str = (k: string): string | undefined => (values[k] === undefined ? undefined : String(values[k]));
  return logCommand(
    {
      ...(positionals[0] !== undefined ? { file: positionals[0] } : {}),
      ...(id !== undefined ? { id } : {}),
      ...(str('log-file') !== undefined ? { logFile: str('log-file') } : {}),
      ...(str('journal-file') !== undefined ? { journalFile: str('journal-file') } : {}),
      ...(str('journal-dir') !== undefined ? { journalDir: str('journal-dir') } : {}),
      json: values.json === true,
    },
    ['log', ...args],
    out,
  );
}

async function cmdTrigger(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse(args, 'trigger');
  if (values.help) return (out.stdout(HELP.trigger), EXIT.ok);
  if (positionals.length !== 1) throw new UsageError(`expected one CONFIG or SERVICE, got ${positionals.length}`);
  let timeoutS: number | undefined;
  if (values.timeout !== undefined) {
    timeoutS = Number(values.timeout);
    if (!(timeoutS > 0) || !Number.isFinite(timeoutS)) throw new UsageError('--timeout must be a number of seconds above 0');
  }
  return triggerCommand(
    {
      target: positionals[0] as string,
      json: values.json === true,
      ...(values.binary !== undefined ? { binary: String(values.binary) } : {}),
      ...(timeoutS !== undefined ? { timeoutS } : {}),
    },
    out,
  );
}

async function cmdCompletion(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse(args, 'completion');
  if (values.help) return (out.stdout(HELP.completion), EXIT.ok);
  const shell = positionals[0];
  if (positionals.length !== 1 || !(SHELLS as readonly string[]).includes(shell as string))
    throw new UsageError(`name one shell: ${SHELLS.join(' or ')}`);
  out.stdout(completionScript(shell as Shell));
  return EXIT.ok;
}

async function cmdHelp(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse(args, 'help');
  if (values.help) return (out.stdout(HELP.help), EXIT.ok);
  if (positionals.length > 1) throw new UsageError(`expected one COMMAND, got ${positionals.length}`);
  const name = positionals[0];
  if (name === undefined) return (out.stdout(HELP.main), EXIT.ok);
  if (!isCommandName(name)) throw new UsageError(`unknown command '${name}'; one of ${COMMAND_NAMES.join(', ')}`);
  out.stdout(HELP[name]);
  return EXIT.ok;
}

const COMMANDS: Readonly<Record<CommandName, (args: string[], out: Output) => Promise<number>>> = {
  restore: cmdRestore,
  'delete-tmp': cmdDeleteTmp,
  status: cmdStatus,
  metrics: cmdMetrics,
  exporter: cmdExporter,
  history: cmdHistory,
  log: cmdLog,
  show: cmdShow,
  reset: cmdReset,
  delete: cmdDelete,
  encode: cmdEncode,
  trigger: cmdTrigger,
  completion: cmdCompletion,
  help: cmdHelp,
};

export async function run(argv: string[], out: Output): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h') {
    out.stdout(HELP.main);
    return cmd === undefined ? EXIT.usage : EXIT.ok;
  }
  // From package.json, inlined by the bundler: the version npm installed.
  if (cmd === '--version') return (out.stdout(`${version}\n`), EXIT.ok);
  if (!isCommandName(cmd)) {
    out.error(`unknown command '${cmd}'`);
    out.stderr(`\n${HELP.main}`);
    return EXIT.usage;
  }
  try {
    return await COMMANDS[cmd](rest, out);
  } catch (e) {
    if (e instanceof UsageError) {
      out.error(`${cmd}: ${e.message} (see 'handoff-journal ${cmd} --help')`);
      return EXIT.usage;
    }
    throw e;
  }
}
