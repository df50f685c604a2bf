/**
 * "Trigger Handoff…": after a modal confirmation naming the service, the binary and who
 * may trigger (allowed_uids, allowed_binaries), asks the server to send `handoff
 * [<binary>]` to the supervisor's trigger socket, follows the journal in the decoded view
 * and diagram, and shows what came of it. A trigger refused for who we are (the 0600 root
 * socket, `err: not permitted`) offers Retry as Sudo…, which sends it as root through the
 * CLI in the "Handoff Journal (sudo)" terminal and reads its `--json` report back.
 */
import * as vscode from 'vscode';
import { ListJournalsRequest, ServerCommands, type CommandResult, type ServiceInfo } from '../../shared/protocol';
import { allowedBinariesText, allowedUidsText, slowReplyNote } from '../../shared/supervisor';

/** After this long without a reply, the progress says why the wait may not be the handoff's. */
const SLOW_MS = 2000;
import { expandSearchPaths, readConfig } from './config';
import type { Ctx } from './ctx';
import { showDiagram } from './diagram';
import { openDecoded } from './openers';
import * as notify from './notify';
import { cleanText } from '../../shared/util';
import { RETRY_AS_SUDO, retryTriggerAsSudo } from './retry';
import { showTriggerOutcome } from './triggerResult';
import { sudoCliCommand } from './sudo';

/** Where a config came from: a workspace folder (a repository's file) or the host (`/etc`). */
function origin(config: string): string {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(config));
  return folder ? `from the workspace folder ${folder.name}, not installed on the host` : 'installed on the host';
}

async function pickService(ctx: Ctx, arg: unknown): Promise<ServiceInfo | undefined> {
  if (typeof arg === 'object' && arg !== null && 'service' in arg) return (arg as { service: ServiceInfo }).service;
  const client = await ctx.client();
  const r = await client.sendRequest(ListJournalsRequest, { patterns: [], configGlobs: expandSearchPaths(readConfig().configGlobs) });
  const usable = r.services.filter((s) => !s.error);
  if (usable.length === 0) {
    void notify.warn('no supervisor configs found; set handoffJournal.supervisor.configGlobs.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    usable.map((s) => ({
      label: cleanText(s.name),
      description: cleanText(s.config),
      detail: cleanText(`${origin(s.config)}; trigger ${s.trigger.summary}`),
      s,
    })),
    { title: 'Trigger a handoff', placeHolder: 'Which service?' },
  );
  return pick?.s;
}

export async function triggerHandoff(ctx: Ctx, arg: unknown): Promise<void> {
  const s = await pickService(ctx, arg);
  if (!s) return;
  const binary = await vscode.window.showInputBox({
    title: `Trigger a handoff of ${cleanText(s.name)}`,
    prompt: 'Binary of the new process (the trigger line is `handoff <binary>`)',
    value: s.binary,
    validateInput: (v) => (v.trim() === '' || /\s/.test(v.trim()) ? 'A path without spaces' : undefined),
  });
  if (binary === undefined) return;
  const inWorkspace = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(s.config)) !== undefined;
  const go = await notify.confirmModal(
    `Swap ${s.name} to ${binary.trim()}?`,
    `The supervisor (${s.config}) will start ${binary.trim()} and hand the listeners over from the running process. Trigger socket: ${s.trigger.path} (${s.trigger.summary}).` +
      `\n\nWho may trigger: root, the supervisor's own user, and allowed_uids: ${allowedUidsText(s.allowedUids)}. Binaries it may start: binary (${s.binary}) and allowed_binaries: ${allowedBinariesText(s.allowedBinaries)}.` +
      (s.versionNote ? `\nThis config ${s.versionNote}.` : '') +
      (inWorkspace
        ? `\n\nThis config is a file ${origin(s.config)} (not under /etc): check that it is the supervisor you mean before sending it a line.`
        : `\n\nConfig ${origin(s.config)}.`),
    'Trigger Handoff',
  );
  if (!go) return;
  if (s.journal) {
    const file = vscode.Uri.file(s.journal);
    await openDecoded(ctx, file);
    await showDiagram(ctx, file);
  }
  const r = await notify.withProgress(`Handoff of ${s.name} in progress…`, (say) => {
    // A slow reply may be a slow handoff, or another trigger client holding the supervisor.
    const slow = setTimeout(() => say(slowReplyNote(SLOW_MS)), SLOW_MS);
    const args = { config: s.config, ...(binary.trim() !== s.binary ? { binary: binary.trim() } : {}) };
    return ctx.serverCommand(ServerCommands.trigger, args).finally(() => clearTimeout(slow));
  });
  ctx.log.info(`trigger ${s.name}: ${r.message}`);
  if (r.sudoArgs) return offerTriggerSudo(ctx, s, r);
  await showTriggerOutcome(ctx, s, r);
}

/** Refused for who we are: Retry as Sudo… (the same terminal as the repairs), or copy the command. */
async function offerTriggerSudo(ctx: Ctx, s: ServiceInfo, r: CommandResult): Promise<void> {
  const args = r.sudoArgs as string[];
  const pick = await notify.error(`${s.name}: ${r.message}`, RETRY_AS_SUDO, 'Copy Command');
  if (pick === RETRY_AS_SUDO) await retryTriggerAsSudo(ctx, s, args);
  if (pick === 'Copy Command') await vscode.env.clipboard.writeText(sudoCliCommand(ctx, args));
}
