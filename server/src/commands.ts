/**
 * The repair commands (`workspace/executeCommand`). Arguments are validated here, the
 * work is done by shared/repair.ts, and every outcome is a `CommandResult`.
 */
import { isPhase } from '../../shared/journal';
import { readJournalFile, tmpPathFor } from '../../shared/node/journalFile';
import { LOG_SCHEME, ServerCommands, type CommandResult, type ServerSettings } from '../../shared/protocol';
import { deleteJournal, deleteTmp, resetJournal, restoreBytes, type RepairEnv, type RepairOutcome } from '../../shared/node/repair';
import type { ServerDeps } from './deps';
import type { JournalStore, TrackedJournal } from './journalStore';
import type { SupervisorRegistry } from './supervisors';
import { sendTrigger } from './trigger';
import { describeTriggerReply, parseTriggerReply, type ParsedTriggerReply } from '../../shared/triggerReply';
import type { HistoryEntry } from '../../shared/render';
import type { UndoStore } from './undo';
import { uriToPath } from './uris';
import { shellQuote } from '../../shared/text';
import type { JournalRule } from '../../shared/journalRule';

/** The journal rule from the client's name patterns and the configs the server discovered. */
export function journalRule(ctx: Pick<CommandContext, 'registry' | 'settings'>): JournalRule {
  return { patterns: ctx.settings().patterns, configJournals: ctx.registry.journals() };
}

export interface CommandContext {
  store: JournalStore;
  registry: SupervisorRegistry;
  undo: UndoStore;
  deps: ServerDeps;
  settings: () => ServerSettings;
  /** Asks the client to fetch a supervisor-log view again (it then reads the log again). */
  refreshLog: (uri: string) => Promise<void>;
}

const bad = (message: string): CommandResult => ({ ok: false, reason: 'bad-arguments', message });

function result(o: RepairOutcome, sudo: string | undefined): CommandResult {
  if (o.ok) return { ok: true, message: o.message };
  return {
    ok: false,
    reason: o.reason,
    message: o.message,
    forceable: o.forceable,
    ...(o.fileError?.kind === 'permission' && sudo ? { sudoCommand: sudo } : {}),
  };
}

/** The phase the store just read: null when there is no journal (or it cannot be read), undefined when undecodable. */
function phaseOf(j: TrackedJournal | undefined): CommandResult['phase'] {
  const ins = j?.inspection;
  if (!ins || ins.file.state !== 'ok') return null;
  return ins.decoded?.ok ? ins.decoded.journal.phase : undefined;
}

export async function executeCommand(command: string, args: unknown[], ctx: CommandContext): Promise<CommandResult> {
  const a = args[0];
  if (typeof a !== 'object' || a === null) return bad(`${command} takes one argument object with a \`uri\`.`);
  const o = a as Record<string, unknown>;
  if (command === ServerCommands.trigger) return trigger(o, ctx);
  if (command === ServerCommands.refresh && typeof o.uri === 'string' && o.uri.startsWith(`${LOG_SCHEME}:`)) {
    await ctx.refreshLog(o.uri);
    return { ok: true, message: `read the supervisor log again for ${o.uri}` };
  }
  const path = uriToPath(o.uri);
  if (!path) return bad(`${command}: \`uri\` must be a file: or handoff-journal: URI of a local journal, got ${JSON.stringify(o.uri)}.`);
  if (command === ServerCommands.refresh) {
    await ctx.store.track(path);
    return { ok: true, message: `re-read ${path}`, phase: phaseOf(await ctx.store.refresh(path, true)) };
  }
  if (!ctx.settings().trusted) {
    return {
      ok: false,
      reason: 'untrusted',
      message: `Handoff Journal changes no files in an untrusted workspace; trust the workspace to reset or delete ${path}.`,
    };
  }
  const force = o.force === true;
  const proc = ctx.settings().livenessChecks ? ctx.deps.processTable() : undefined;
  await ctx.registry.settled();
  const env: RepairEnv = {
    rule: journalRule(ctx),
    now: ctx.deps.now(),
    random: ctx.deps.random,
    encoding: ctx.settings().encoding,
    ...(proc ? { process: proc } : {}),
  };
  await ctx.store.track(path);
  let out: CommandResult;
  switch (command) {
    case ServerCommands.reset: {
      if (typeof o.phase !== 'string' || !isPhase(o.phase))
        return bad(`${command}: \`phase\` must be one of the six phase names, got ${JSON.stringify(o.phase)}.`);
      const req = { phase: o.phase, newId: o.newId === true, now: o.now === true, force };
      const r = await resetJournal(path, req, {
        ...env,
        beforeWrite: (b) => ctx.store.expectOwnWrite(path, b, `reset to ${req.phase} by Handoff Journal${force ? ' (forced)' : ''}`),
      });
      const sudo = `sudo handoff-journal reset ${shellQuote(path)} --phase ${o.phase}${req.newId ? ' --new-id' : ''}${req.now ? ' --now' : ''}${force ? ' --force' : ''}`;
      if (r.ok && r.before && r.after) {
        await ctx.undo.save({ path, before: r.before, after: r.after, at: env.now, description: r.message });
      }
      out = result(r, sudo);
      break;
    }
    case ServerCommands.delete: {
      const r = await deleteJournal(
        path,
        { force },
        { ...env, beforeWrite: (b) => ctx.store.expectOwnWrite(path, b, `deleted by Handoff Journal${force ? ' (forced)' : ''}`) },
      );
      if (r.ok && r.before) {
        await ctx.undo.save({ path, before: r.before, after: null, at: env.now, description: r.message });
      }
      out = result(r, `sudo handoff-journal delete ${shellQuote(path)}${force ? ' --force' : ''}`);
      break;
    }
    case ServerCommands.undo:
      out = await undo(path, force, env.rule, ctx);
      break;
    case ServerCommands.deleteTmp:
      out = result(await deleteTmp(path, env.rule), `sudo rm -- ${shellQuote(tmpPathFor(path))}`);
      break;
    default:
      return bad(`unknown command ${command}`);
  }
  return { ...out, phase: phaseOf(await ctx.store.refresh(path, true)) };
}

async function undo(path: string, force: boolean, rule: JournalRule, ctx: CommandContext): Promise<CommandResult> {
  const rec = await ctx.undo.load(path);
  if (!rec)
    return {
      ok: false,
      reason: 'nothing-to-undo',
      message: `nothing to undo for ${path}: no change was made to it through Handoff Journal (or it was already undone).`,
    };
  const now = await readJournalFile(path);
  const current = now.state === 'ok' ? Buffer.from(now.bytes).toString('hex') : now.state === 'missing' ? null : 'unreadable';
  const expected = rec.after ? Buffer.from(rec.after).toString('hex') : null;
  if (current !== expected && !force) {
    return {
      ok: false,
      reason: 'changed',
      forceable: true,
      message: `${path} changed after the last change made here (probably by the supervisor); undoing now would overwrite that. Use force to restore the earlier bytes anyway.`,
    };
  }
  const r = await restoreBytes(path, rec.before, rule, (b) => ctx.store.expectOwnWrite(path, b, 'undo by Handoff Journal'));
  if (r.ok) await ctx.undo.clear(path);
  return result(r, undefined);
}

/** Sends `handoff [<binary>]` to the trigger socket of a config the server discovered. */
async function trigger(o: Record<string, unknown>, ctx: CommandContext): Promise<CommandResult> {
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
