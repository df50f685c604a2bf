/**
 * Command results: a refusal for bad arguments, and a repair outcome as a result. A
 * change refused for permission carries the CLI arguments that do it as root
 * (`sudoArgs`), but only after checking them against the journal rule as root applies
 * it (only configs installed on the host widen it): an argv root would refuse is never
 * offered, and the message says why.
 */
import type { RepairOutcome } from '../../../shared/journal/node';
import { checkJournalPath } from '../../../shared/journal/node';
import { configJournalRule, ruleConfigs } from '../../../shared/supervisor/node';
import { HOST_CONFIG_GLOBS, type CommandResult } from '../../../shared/protocol';
import { sudoCliLine } from '../../../shared/util';

export const bad = (message: string): CommandResult => ({ ok: false, reason: 'bad-arguments', message });

/** A repair outcome as a result (no sudo offered). */
export function result(o: RepairOutcome): CommandResult {
  if (o.ok) return { ok: true, message: o.message };
  return { ok: false, reason: o.reason, message: o.message, forceable: o.forceable };
}

/** The `--config FILE` values of a CLI argv. */
function configsOf(argv: readonly string[]): string[] {
  return argv.flatMap((a, i) => (a === '--config' && argv[i + 1] !== undefined ? [argv[i + 1] as string] : []));
}

/**
 * Why the CLI run as root with `sudoArgs` would refuse to touch `path`, or undefined when
 * it would not: the same configs (the host's default globs and `--config`), the same
 * rule (shared/supervisor/node/journalRule.ts with `asRoot`), the same check.
 */
export async function rootRefusal(path: string, sudoArgs: readonly string[]): Promise<string | undefined> {
  const { configs, failures } = await ruleConfigs(HOST_CONFIG_GLOBS, configsOf(sudoArgs));
  if (failures[0]) return `as root, the CLI could not read the config: ${failures[0].message}`;
  return checkJournalPath(path, await configJournalRule(configs, { asRoot: true }));
}

/** A repair outcome as a result; a permission failure offers `sudoArgs` when root would accept them. */
export async function changeResult(o: RepairOutcome, path: string, sudoArgs: string[]): Promise<CommandResult> {
  const r = result(o);
  if (o.ok || o.fileError?.kind !== 'permission') return r;
  const refused = await rootRefusal(path, sudoArgs);
  if (refused !== undefined)
    return { ...r, message: `${o.message} Retry as Sudo… is not offered: the CLI run as root would refuse it too. ${refused}` };
  return { ...r, sudoArgs, sudoCommand: sudoCliLine(sudoArgs) };
}
