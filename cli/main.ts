/**
 * `handoff-journal`: the same decoding, validation and repairs as the extension, for
 * plain SSH sessions. Data on stdout, errors on stderr. Exit codes: 0 ok, 2 usage,
 * 3 the bytes do not decode as a journal, 4 the file cannot be read or written,
 * 5 refused (protocol-illegal or live handoff; use --force), 6 (`log`) the log has no
 * lines for the handoff.
 */
import { encodeJournal } from '../shared/codec';
import { ENCODINGS, parsePhaseName, PHASES, U64_MAX, type Encoding, type Journal } from '../shared/journal';
import { writeJournalAtomic } from '../shared/node/journalFile';
import { deleteJournal, resetJournal, type RepairOutcome } from '../shared/node/repair';
import { parseUuid } from '../shared/uuid';
import { decodeJournal } from '../shared/codec';
import { readJournalFile } from '../shared/node/journalFile';
import { version } from '../package.json';
import { configArgs, encodingChoice, EXIT, onePath, parse, parseU32, UsageError } from './args';
import { COMMAND_NAMES, isCommandName, SHELLS, type CommandName, type Shell } from './commandTable';
import { completionScript } from './completion';
import { env, observation } from './env';
import { HELP } from './help';
import { status } from './status';
import { logCommand } from './log';
import { sudoLine, type Output } from './output';
import { parseHex, removeTmp, restore } from './restore';
import { cleanText } from '../shared/text';
import { refuseDirectory, show } from './show';

async function cmdShow(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse(args, 'show');
  if (values.help) return (out.stdout(HELP.show), EXIT.ok);
  const path = onePath(positionals);
  const o = { json: values.json === true, svg: values.svg === true, raw: values.raw === true, encoding: encodingChoice(values.encoding) };
  return show(path, o, ['show', ...args], observation(), out);
}

/**
 * Prints a repair's outcome. On success the bytes before and after are printed as hex
 * (`previous bytes (N): …`, `written bytes (N): …`): the extension reads them from a
 * sudo run to keep its undo record in the user's own storage.
 */
function report(o: RepairOutcome, argv: string[], out: Output): number {
  if (o.ok) {
    out.stdout(`${cleanText(o.message)}\n`);
    if (o.before) out.stdout(`previous bytes (${o.before.length}): ${Buffer.from(o.before).toString('hex')}\n`);
    if (o.after) out.stdout(`written bytes (${o.after.length}): ${Buffer.from(o.after).toString('hex')}\n`);
    return EXIT.ok;
  }
  out.error(o.message);
  if (o.fileError?.kind === 'permission') out.error(`to do it as root: ${sudoLine(argv)}`);
  switch (o.reason) {
    case 'not-a-journal':
    case 'not-a-journal-file':
      return EXIT.undecodable;
    case 'illegal-transition':
    case 'live-handoff':
    case 'changed':
      return EXIT.refused;
    default:
      return EXIT.io;
  }
}

async function cmdReset(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse(args, 'reset');
  if (values.help) return (out.stdout(HELP.reset), EXIT.ok);
  const path = onePath(positionals);
  if (values.phase === undefined) throw new UsageError('reset needs --phase NAME');
  const phase = parsePhaseName(String(values.phase));
  if (!phase) throw new UsageError(`unknown phase '${String(values.phase)}'; one of ${PHASES.join(', ')}`);
  const dir = await refuseDirectory(path, ['reset', ...args], out);
  if (dir !== undefined) return dir;
  const o = await resetJournal(
    path,
    { phase, newId: values['new-id'] === true, now: values.now === true, force: values.force === true },
    { ...(await env(configArgs(values.config))), encoding: encodingChoice(values.encoding) },
  );
  return report(o, ['reset', ...args], out);
}

async function cmdDelete(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse(args, 'delete');
  if (values.help) return (out.stdout(HELP.delete), EXIT.ok);
  const path = onePath(positionals);
  const dir = await refuseDirectory(path, ['delete', ...args], out);
  if (dir !== undefined) return dir;
  const e = await env(configArgs(values.config));
  return report(await deleteJournal(path, { force: values.force === true }, e), ['delete', ...args], out);
}

async function cmdEncode(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse(args, 'encode');
  if (values.help) return (out.stdout(HELP.encode), EXIT.ok);
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const phase = parsePhaseName(String(values.phase ?? ''));
  if (!phase) throw new UsageError(`--phase must be one of ${PHASES.join(', ')}`);
  const id = parseUuid(String(values.id ?? ''));
  if (!id) throw new UsageError('--id must be a UUID');
  const started = String(values.started ?? '');
  if (!/^\d+$/.test(started) || BigInt(started) > U64_MAX)
    throw new UsageError('--started must be an integer 0..18446744073709551615 (unix ms)');
  const encoding = String(values.encoding ?? 'postcard');
  if (!(ENCODINGS as readonly string[]).includes(encoding)) throw new UsageError(`--encoding must be one of ${ENCODINGS.join(', ')}`);
  if (values.output === undefined) throw new UsageError('encode needs -o FILE (or -o - for stdout)');
  const j: Journal = {
    handoff_id: id,
    phase,
    incumbent_pid: parseU32('--incumbent', values.incumbent),
    successor_pid: values.successor === undefined ? null : parseU32('--successor', values.successor),
    started_at_unix_ms: BigInt(started),
  };
  const bytes = encodeJournal(j, encoding as Encoding);
  if (values.output === '-') return (out.stdoutBytes(bytes), EXIT.ok);
  const existing = await readJournalFile(String(values.output));
  if (existing.state === 'error' || (existing.state === 'ok' && !decodeJournal(existing.bytes).ok)) {
    const why = existing.state === 'error' ? existing.error.message : 'it does not decode as a journal';
    out.error(`refusing to replace ${String(values.output)}: ${why}. encode writes journals only over journals or nothing.`);
    return existing.state === 'error' ? EXIT.io : EXIT.undecodable;
  }
  const w = await writeJournalAtomic(String(values.output), bytes);
  if (!w.ok) {
    out.error(w.error.message);
    return EXIT.io;
  }
  out.stdout(`wrote ${values.output} (${encoding}, ${bytes.length} bytes)\n`);
  return EXIT.ok;
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
  const e = observation();
  // Loaded on use: prom-client costs every other command ~20 ms of start-up otherwise.
  const { metrics } = await import('./metrics');
  return metrics(positionals, journals, textfile, e, out);
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

async function cmdRestore(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse(args, 'restore');
  if (values.help) return (out.stdout(HELP.restore), EXIT.ok);
  const path = onePath(positionals);
  if ((values.bytes === undefined) === (values.absent !== true)) throw new UsageError('give exactly one of --bytes HEX or --absent');
  const bytes = values.bytes === undefined ? null : parseHex(String(values.bytes));
  if (bytes === undefined) throw new UsageError('--bytes must be hex');
  if (values.expect !== undefined && values['expect-absent'] === true)
    throw new UsageError('give at most one of --expect and --expect-absent');
  const expect = values['expect-absent'] === true ? null : values.expect === undefined ? undefined : parseHex(String(values.expect));
  if (values.expect !== undefined && expect === undefined) throw new UsageError('--expect must be hex');
  if (expect === undefined && values.force !== true)
    throw new UsageError('give --expect HEX or --expect-absent (what the journal holds now), or --force');
  const e = await env(configArgs(values.config));
  return report(await restore({ path, bytes, expect, force: values.force === true }, e.rule), ['restore', ...args], out);
}

async function cmdDeleteTmp(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse(args, 'delete-tmp');
  if (values.help) return (out.stdout(HELP['delete-tmp']), EXIT.ok);
  const path = onePath(positionals);
  const e = await env(configArgs(values.config));
  return report(await removeTmp(path, e.rule), ['delete-tmp', ...args], out);
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
  log: cmdLog,
  show: cmdShow,
  reset: cmdReset,
  delete: cmdDelete,
  encode: cmdEncode,
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
