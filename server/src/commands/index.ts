/**
 * The repair commands (`workspace/executeCommand`). Arguments are validated here, the
 * work is done by shared/journal/node/repair.ts, and every outcome is a `CommandResult`. One
 * handler per command, in one table; every change first saves its undo record
 * (write-ahead), and a change refused for permission says which CLI arguments would do
 * it as root (`sudoArgs`, run by the client through sudo with its bundled CLI).
 */
import { isLogUri, LOG_SCHEME, ServerCommands, type CommandResult } from '../../../shared/protocol';
import { isPhase } from '../../../shared/journal';
import { deleteJournal, deleteTmp, realPathOf, resetJournal } from '../../../shared/journal/node';
import type { TrackedJournal } from '../journalStore';
import { uriToPath } from '../uris';
import { journalRule, type ChangeContext, type CommandContext } from './context';
import { bad, changeResult } from './results';
import { trigger } from './trigger';
import { sudoComplete, sudoPrepare, undo } from './undo';
import { livenessTable } from '../deps';

export type { CommandContext } from './context';

/** The phase the store just read: null when there is no journal (or it cannot be read), undefined when undecodable. */
function phaseOf(j: TrackedJournal | undefined): CommandResult['phase'] {
  const ins = j?.inspection;
  if (!ins || ins.file.state !== 'ok') return null;
  return ins.decoded?.ok ? ins.decoded.journal.phase : undefined;
}

async function reset(c: ChangeContext): Promise<CommandResult> {
  const { path, args: o, force, env } = c;
  if (typeof o.phase !== 'string' || !isPhase(o.phase))
    return bad(`${ServerCommands.reset}: \`phase\` must be one of the six phase names, got ${JSON.stringify(o.phase)}.`);
  const req = { phase: o.phase, newId: o.newId === true, now: o.now === true, force };
  const r = await resetJournal(path, req, {
    ...env,
    prepare: (before, after) => c.undo.writeAhead({ path, before, after, at: env.now, description: `reset to ${req.phase}` }),
    beforeWrite: (b) => c.store.expectOwnWrite(path, b, `reset to ${req.phase} by Handoff Journal${force ? ' (forced)' : ''}`),
  });
  const flags = [...(req.newId ? ['--new-id'] : []), ...(req.now ? ['--now'] : []), ...(force ? ['--force'] : [])];
  return changeResult(r, path, ['reset', path, '--phase', req.phase, ...flags, ...c.configArgs]);
}

async function remove(c: ChangeContext): Promise<CommandResult> {
  const { path, force, env } = c;
  const r = await deleteJournal(
    path,
    { force },
    {
      ...env,
      prepare: (before, after) => c.undo.writeAhead({ path, before, after, at: env.now, description: 'delete' }),
      beforeWrite: (b) => c.store.expectOwnWrite(path, b, `deleted by Handoff Journal${force ? ' (forced)' : ''}`),
    },
  );
  return changeResult(r, path, ['delete', path, ...(force ? ['--force'] : []), ...c.configArgs]);
}

async function removeTmp(c: ChangeContext): Promise<CommandResult> {
  return changeResult(await deleteTmp(c.path, c.env.rule), c.path, ['delete-tmp', c.path, ...c.configArgs]);
}

/** Handlers of the commands that change files (refused in an untrusted workspace). */
const CHANGES: Record<string, (c: ChangeContext) => Promise<CommandResult>> = {
  [ServerCommands.reset]: reset,
  [ServerCommands.delete]: remove,
  [ServerCommands.undo]: undo,
  [ServerCommands.deleteTmp]: removeTmp,
  [ServerCommands.sudoPrepare]: sudoPrepare,
  [ServerCommands.sudoComplete]: sudoComplete,
};

async function changeContext(ctx: CommandContext, path: string, args: Record<string, unknown>): Promise<ChangeContext> {
  const proc = livenessTable(ctx.deps, ctx.settings());
  await ctx.registry.settled();
  const config = ctx.registry.configPathOf(path);
  return {
    ...ctx,
    path,
    args,
    force: args.force === true,
    configArgs: config ? ['--config', config] : [],
    env: {
      rule: journalRule(ctx),
      now: ctx.deps.now(),
      random: ctx.deps.random,
      encoding: ctx.settings().encoding,
      ...(proc ? { process: proc } : {}),
    },
  };
}

export async function executeCommand(command: string, args: unknown[], ctx: CommandContext): Promise<CommandResult> {
  const a = args[0];
  if (typeof a !== 'object' || a === null) return bad(`${command} takes one argument object with a \`uri\`.`);
  const o = a as Record<string, unknown>;
  if (command === ServerCommands.trigger) return trigger(o, ctx);
  if (command === ServerCommands.joinLog) {
    if (typeof o.uri !== 'string' || !isLogUri(o.uri))
      return bad(`${command}: \`uri\` must be a ${LOG_SCHEME}: URI, got ${JSON.stringify(o.uri)}.`);
    return (await ctx.joinLog(o.uri))
      ? { ok: true, message: `joined the supervisor log into the history of ${uriToPath(o.uri) ?? o.uri}` }
      : { ok: false, reason: 'no-log', message: `no supervisor log was found for ${o.uri}; nothing joined.` };
  }
  if (command === ServerCommands.refresh && typeof o.uri === 'string' && isLogUri(o.uri)) {
    await ctx.refreshLog(o.uri);
    return { ok: true, message: `read the supervisor log again for ${o.uri}` };
  }
  const path = uriToPath(o.uri);
  if (!path) return bad(`${command}: \`uri\` must be a file: or handoff-journal: URI of a local journal, got ${JSON.stringify(o.uri)}.`);
  if (command === ServerCommands.refresh) {
    await ctx.store.track(path);
    const j = await ctx.store.refresh(path, true);
    return { ok: true, message: `re-read ${path}`, phase: phaseOf(j), ...(j?.realPath !== undefined ? { realPath: j.realPath } : {}) };
  }
  const handler = CHANGES[command];
  if (!handler) return bad(`unknown command ${command}`);
  if (!ctx.settings().trusted) {
    return {
      ok: false,
      reason: 'untrusted',
      message: `Handoff Journal changes no files in an untrusted workspace; trust the workspace to reset or delete ${path}.`,
    };
  }
  await ctx.store.track(path);
  const realPath = await realPathOf(path);
  const out = await handler(await changeContext(ctx, path, o));
  return { ...out, phase: phaseOf(await ctx.store.refresh(path, true)), ...(realPath !== undefined ? { realPath } : {}) };
}
