/**
 * Trigger Handoff…: sends the reference supervisor's trigger line (`handoff [<binary>]`)
 * to the trigger socket of a config the server discovered, and reads its reply as the
 * real supervisor writes it (committed, aborted with a reason, `err:`, or nothing when it
 * died). The reply joins the journal's history, so a handoff too quick to see on disk
 * is still recorded.
 */
import type { HistoryEntry } from '../../../shared/journal';
import { ServerCommands, type CommandResult } from '../../../shared/protocol';
import { describeTriggerReply, parseTriggerReply, type ParsedTriggerReply } from '../../../shared/supervisor';
import type { CommandContext } from './context';
import { bad } from './results';
import { sendTrigger } from '../../../shared/supervisor/node';

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
  const binary = o.binary === undefined ? undefined : o.binary;
  if (binary !== undefined && (typeof binary !== 'string' || binary === '' || /\s/.test(binary))) {
    return bad('`binary` must be a path without spaces (the trigger line is split on white space).');
  }
  const line = binary ? `handoff ${binary}` : 'handoff';
  const r = await sendTrigger(config.triggerSocket, line, (config.deadlineSecs + 30) * 1000);
  if (!r.ok && r.reason !== 'closed') return { ok: false, reason: 'trigger-failed', message: r.message };
  const reply = parseTriggerReply(r.ok ? r.reply : '');
  const id = reply.kind === 'committed' || reply.kind === 'aborted' ? reply.id : undefined;
  if (config.journal) {
    await ctx.store.track(config.journal);
    // The reply names the handoff and its outcome: the history records it even when the
    // journal came and went between two reads.
    ctx.store.addHistory(config.journal, [replyEntry(reply, ctx.deps.now())]);
    await ctx.store.refresh(config.journal, true);
  }
  const sentence = describeTriggerReply(reply);
  return {
    ok: reply.kind === 'committed',
    message: id ? `handoff ${id} ${sentence}` : sentence,
    outcome: reply.kind,
    ...(id ? { handoffId: id } : {}),
    ...(reply.kind === 'committed' ? {} : { reason: 'supervisor-error' as const }),
  };
}

function replyEntry(reply: ParsedTriggerReply, at: number): HistoryEntry {
  const id = reply.kind === 'committed' || reply.kind === 'aborted' ? reply.id : undefined;
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
