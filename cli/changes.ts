/**
 * The commands that change files: reset, delete, restore, delete-tmp, encode. Each goes
 * through the shared repair module with the CLI's journal rule (`state.bin`, plus the
 * journals of the supervisor configs under the default globs and `--config`), and prints
 * the outcome with the bytes before and after: as text, or with `--json` as one object
 * (the change report that the extension reads back from a sudo run).
 */
import { randomBytes } from 'node:crypto';
import {
  decodeJournal,
  encodeJournal,
  ENCODINGS,
  isU32,
  parsePhaseName,
  PHASES,
  U64_MAX,
  type Encoding,
  type Journal,
  type JournalRule,
  changedBytesLines,
  changeReport,
  parseUuid,
} from '../shared/journal';
import {
  readJournalFile,
  writeJournalAtomic,
  deleteJournal,
  deleteTmp,
  resetJournal,
  compareAndRestore,
  type RepairEnv,
  type RepairOutcome,
} from '../shared/journal/node';
import { configJournalRule, ruleConfigs } from '../shared/supervisor/node';
import { HOST_CONFIG_GLOBS } from '../shared/protocol';
import { cleanText, jsonText, sudoCliLine } from '../shared/util';
import { configArgs, encodingChoice, EXIT, observation, onePath, parse, parseHex, UsageError } from './args';
import { HELP } from './help';
import type { Output } from './output';
import { refuseDirectory } from './show';

/**
 * The journal rule of the CLI: `state.bin`, plus the journals named by the supervisor
 * configs under the default config globs and those given with `--config`. As root
 * (euid 0: under sudo, or root itself) only configs installed on the host, or naming
 * their service's standard journal, count: a `--config` from a workspace never widens
 * what root may touch.
 */
async function cliRule(configs: string[]): Promise<JournalRule> {
  const { configs: loaded, failures } = await ruleConfigs(HOST_CONFIG_GLOBS, configs);
  if (failures[0]) throw new UsageError(failures[0].message);
  return configJournalRule(loaded, { asRoot: process.geteuid?.() === 0 });
}

/** What a repair needs: the journal rule, the clock, randomness and the process table. */
async function env(configs: string[] = []): Promise<RepairEnv> {
  return { rule: await cliRule(configs), random: (n) => new Uint8Array(randomBytes(n)), ...observation() };
}

/**
 * Prints a repair's outcome: the message and the bytes before and after as hex lines,
 * or with `json` the change report as one line on stdout (errors still go to stderr too).
 */
function report(o: RepairOutcome, path: string, argv: string[], out: Output, json: boolean): number {
  if (json) {
    const common = { command: argv[0] as string, path, message: o.message };
    const r = o.ok
      ? { ok: true, ...common, before: o.before, after: o.after }
      : { ok: false, reason: o.reason, forceable: o.forceable, ...common };
    out.stdout(`${jsonText(changeReport(r))}\n`);
  }
  if (o.ok) {
    if (!json) {
      out.stdout(`${cleanText(o.message)}\n`);
      for (const line of changedBytesLines(o.before, o.after)) out.stdout(`${line}\n`);
    }
    return EXIT.ok;
  }
  out.error(o.message);
  if (o.fileError?.kind === 'permission') out.error(`to do it as root: ${sudoCliLine(argv.filter((a) => a !== '--json'))}`);
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

export async function cmdReset(args: string[], out: Output): Promise<number> {
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
  return report(o, path, ['reset', ...args], out, values.json === true);
}

export async function cmdDelete(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse(args, 'delete');
  if (values.help) return (out.stdout(HELP.delete), EXIT.ok);
  const path = onePath(positionals);
  const dir = await refuseDirectory(path, ['delete', ...args], out);
  if (dir !== undefined) return dir;
  const e = await env(configArgs(values.config));
  return report(await deleteJournal(path, { force: values.force === true }, e), path, ['delete', ...args], out, values.json === true);
}

function parseU32(name: string, v: unknown): number {
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || !isU32(n)) throw new UsageError(`${name} must be an integer 0..4294967295`);
  return n;
}

export async function cmdEncode(args: string[], out: Output): Promise<number> {
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

export async function cmdRestore(args: string[], out: Output): Promise<number> {
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
  const rule = await cliRule(configArgs(values.config));
  const o = await compareAndRestore(path, { bytes, expect, force: values.force === true, requireJournal: true }, rule);
  return report(o, path, ['restore', ...args], out, values.json === true);
}

export async function cmdDeleteTmp(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse(args, 'delete-tmp');
  if (values.help) return (out.stdout(HELP['delete-tmp']), EXIT.ok);
  const path = onePath(positionals);
  const o = await deleteTmp(path, await cliRule(configArgs(values.config)));
  return report(o, path, ['delete-tmp', ...args], out, values.json === true);
}
