/**
 * "Trigger Handoff…": after a modal confirmation naming the service and binary, asks the
 * server to send `handoff [<binary>]` to the supervisor's trigger socket, follows the
 * journal in the decoded view and diagram, and shows the supervisor's one-line reply.
 */
import * as vscode from 'vscode';
import { ListJournalsRequest, ServerCommands, type ListJournalsResult, type ServiceInfo } from '../../shared/protocol';
import { expandSearchPaths, readConfig } from './config';
import type { Ctx } from './ctx';
import { showDiagram } from './diagram';
import { openDecoded } from './openers';

async function pickService(ctx: Ctx, arg: unknown): Promise<ServiceInfo | undefined> {
  if (typeof arg === 'object' && arg !== null && 'service' in arg) return (arg as { service: ServiceInfo }).service;
  const client = await ctx.client();
  const r = (await client.sendRequest(ListJournalsRequest, {
    patterns: [],
    configGlobs: expandSearchPaths(readConfig().configGlobs),
  })) as ListJournalsResult;
  const usable = r.services.filter((s) => !s.error);
  if (usable.length === 0) {
    void vscode.window.showWarningMessage('Handoff Journal: no supervisor configs found; set handoffJournal.supervisor.configGlobs.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    usable.map((s) => ({ label: s.name, description: s.config, detail: `trigger ${s.trigger.summary}`, s })),
    { title: 'Trigger a handoff', placeHolder: 'Which service?' },
  );
  return pick?.s;
}

export async function triggerHandoff(ctx: Ctx, arg: unknown): Promise<void> {
  const s = await pickService(ctx, arg);
  if (!s) return;
  const binary = await vscode.window.showInputBox({
    title: `Trigger a handoff of ${s.name}`,
    prompt: 'Binary of the new process (the trigger line is `handoff <binary>`)',
    value: s.binary,
    validateInput: (v) => (v.trim() === '' || /\s/.test(v.trim()) ? 'A path without spaces' : undefined),
  });
  if (binary === undefined) return;
  const go = await vscode.window.showWarningMessage(
    `Swap ${s.name} to ${binary.trim()}?`,
    {
      modal: true,
      detail: `The supervisor (${s.config}) will start ${binary.trim()} and hand the listeners over from the running process. Trigger socket: ${s.trigger.path} (${s.trigger.summary}).`,
    },
    'Trigger Handoff',
  );
  if (go !== 'Trigger Handoff') return;
  if (s.journal) {
    const file = vscode.Uri.file(s.journal);
    await openDecoded(ctx, file);
    await showDiagram(ctx, file);
  }
  const r = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Handoff of ${s.name} in progress…` },
    () => ctx.serverCommand(ServerCommands.trigger, { config: s.config, ...(binary.trim() !== s.binary ? { binary: binary.trim() } : {}) }),
  );
  ctx.log.info(`trigger ${s.name}: ${r.message}`);
  if (r.ok) void vscode.window.showInformationMessage(`Handoff Journal: ${s.name}: ${r.message}`);
  else void vscode.window.showErrorMessage(`Handoff Journal: ${s.name}: ${r.message}`);
}
