/**
 * "Trigger Handoff…": after a modal confirmation naming the service and binary, asks the
 * server to send `handoff [<binary>]` to the supervisor's trigger socket, follows the
 * journal in the decoded view and diagram, and shows the supervisor's one-line reply.
 */
import * as vscode from 'vscode';
import { ListJournalsRequest, ServerCommands, type ServiceInfo } from '../../shared/protocol';
import { expandSearchPaths, readConfig } from './config';
import type { Ctx } from './ctx';
import { showDiagram } from './diagram';
import { openDecoded, openLog } from './openers';
import * as notify from './notify';
import { cleanText } from '../../shared/util';

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
  const r = await notify.withProgress(`Handoff of ${s.name} in progress…`, () =>
    ctx.serverCommand(ServerCommands.trigger, { config: s.config, ...(binary.trim() !== s.binary ? { binary: binary.trim() } : {}) }),
  );
  ctx.log.info(`trigger ${s.name}: ${r.message}`);
  // The supervisor's log says why: offer it for the handoff the reply names (or the journal's).
  const canShowLog = s.journal !== null && r.outcome !== undefined;
  const buttons = canShowLog ? ['Show Log'] : [];
  const pick = await (r.ok ? notify.info(`${s.name}: ${r.message}`, ...buttons) : notify.error(`${s.name}: ${r.message}`, ...buttons));
  if (pick === 'Show Log' && s.journal) await openLog(ctx, vscode.Uri.file(s.journal), r.handoffId);
}
