/**
 * Trigger Handoff…: sends the reference supervisor's trigger line (`handoff [<binary>]`)
 * to the trigger socket of a config the server discovered, through the one trigger client
 * the CLI uses too (shared/supervisor/node/trigger.ts), and says what came of it: the
 * outcome, the handoff id, and a sentence that says what to do. A trigger refused for
 * who we are (the 0600 root socket, or `err: not permitted`) carries the CLI arguments
 * that send it as root (`sudoArgs`), as a repair refused for permission does. The reply
 * joins the journal's history, so a handoff too quick to see on disk is still recorded.
 */
import type { HistoryEntry } from '../../../shared/journal';
import { ServerCommands, type CommandResult } from '../../../shared/protocol';
import {
  describeTriggerReply,
  outcomeHandoffId,
  refusedForPermission,
  triggerClass,
  type ParsedTriggerReply,
  type TriggerOutcome,
} from '../../../shared/supervisor';
import { triggerSupervisor } from '../../../shared/supervisor/node';
import { sudoCliLine } from '../../../shared/util';
import type { CommandContext } from './context';
import { bad } from './results';

/** What the editor offers to get past a refusal for permission. */
export const AS_ROOT = 'Retry as Sudo…';

/** Sends `handoff [<binary>]` to the trigger socket of a config the server discovered. */
export async function trigger(o: Record<string, unknown>, ctx: CommandContext): Promise<CommandResult> {
  // Right after start-up the configs may still be being discovered.
  await ctx.registry.settled();
  const config = typeof o.config === 'string' ? ctx.registry.get(o.config) : undefined;
  if (!config)
    return bad(
      `${ServerCommands.trigger}: \`config\` must be the path of a supervisor config found under the configured globs, got ${JSON.stringify(o.config)}.`,
    );
  if (!ctx.settings().trusted)
    return {
      ok: false,
      reason: 'untrusted',
      message: `Handoff Journal triggers no handoff in an untrusted workspace; trust the workspace to trigger ${config.path}.`,
    };
  if (o.binary !== undefined && typeof o.binary !== 'string') return bad('`binary` must be a string (a path).');
  const binary = o.binary;
  const r = await triggerSupervisor(config, { ...(binary !== undefined ? { binary } : {}), asRoot: AS_ROOT });
  if ('refused' in r) return bad(`\`binary\`: ${r.refused}.`);
  const id = outcomeHandoffId(r.outcome);
  if (config.journal && isReply(r.outcome)) {
    await ctx.store.track(config.journal);
    // The reply names the handoff and its outcome: the history records it even when the
    // journal came and went between two reads.
    ctx.store.addHistory(config.journal, [replyEntry(r.outcome, ctx.deps.now())]);
    await ctx.store.refresh(config.journal, true);
  }
  const klass = triggerClass(r.outcome);
  const sudoArgs = refusedForPermission(r.outcome) && process.getuid?.() !== 0 ? sudoTriggerArgs(config.path, binary) : undefined;
  return {
    ok: klass === 'committed',
    message: r.message,
    outcome: r.outcome.kind,
    triggerClass: klass,
    ...(id ? { handoffId: id } : {}),
    ...(klass === 'committed' ? {} : { reason: klass === 'unreachable' ? ('trigger-failed' as const) : ('supervisor-error' as const) }),
    ...(sudoArgs ? { sudoArgs, sudoCommand: sudoCliLine(sudoArgs) } : {}),
  };
}

/** The CLI arguments that send the same trigger as root (the client adds --json and runs them through sudo). */
export function sudoTriggerArgs(config: string, binary: string | undefined): string[] {
  return ['trigger', config, ...(binary !== undefined ? ['--binary', binary] : [])];
}

/** The supervisor answered (or closed the connection it accepted): something for the history. */
function isReply(o: TriggerOutcome): o is ParsedTriggerReply {
  return !['timeout', 'permission-denied', 'no-socket', 'not-listening', 'unreachable'].includes(o.kind);
}

function replyEntry(reply: ParsedTriggerReply, at: number): HistoryEntry {
  const id = outcomeHandoffId(reply);
  return {
    at,
    phase: null,
    label: `reply: ${reply.kind}`,
    verdict: reply.kind === 'committed' ? 'none' : reply.kind === 'aborted' ? 'info' : 'error',
    message: `the supervisor replied: ${describeTriggerReply(reply)}`,
    source: 'reply',
    ...(id ? { handoffId: id } : {}),
  };
}
