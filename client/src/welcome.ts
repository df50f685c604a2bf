/**
 * The first five minutes: the Getting Started walkthrough (package.json
 * `contributes.walkthroughs`) opens on the first start, with the Handoff Journals view
 * shown; each step's button does the step on a journal of this workspace (the demo's
 * `live` one, or the user's own); and `handoffJournal.welcome.openOnStart` opens given
 * journals decoded when a workspace opens (the demo uses it).
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ListJournalsRequest } from '../../shared/protocol';
import { expandSearchPaths, readConfig } from './config';
import type { Ctx } from './ctx';
import { openDecoded, openLog } from './openers';
import { showDiagram } from './diagram';
import { triggerHandoff } from './trigger';
import { commandTarget } from './uris';

export const WALKTHROUGH = 'handoff-journal.handoff-journal#gettingStarted';
const SHOWN_KEY = 'handoffJournal.walkthroughShown';

/** A journal to show a step on: the active one, else one in the search paths (the demo's `live` first). */
async function someJournal(ctx: Ctx): Promise<vscode.Uri | undefined> {
  const active = commandTarget(undefined);
  if (active && active.scheme === 'file' && ctx.stateOf(active)) return active;
  const client = await ctx.client();
  const r = await client.sendRequest(ListJournalsRequest, { patterns: expandSearchPaths(readConfig().searchPaths), limit: 200 });
  const decoded = r.journals.filter((j) => j.state === 'decoded');
  const pick = decoded.find((j) => /\/live\/state\.bin$/.test(j.uri)) ?? decoded[0] ?? r.journals[0];
  if (pick) return vscode.Uri.parse(pick.uri);
  await vscode.commands.executeCommand('handoffJournal.openAtPath');
  return commandTarget(undefined);
}

/** What each walkthrough step's button does. */
const STEPS: Record<string, (ctx: Ctx, file: vscode.Uri) => Promise<unknown>> = {
  open: (ctx, file) => openDecoded(ctx, file),
  finding: async (ctx, file) => {
    await openDecoded(ctx, file);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
  },
  reset: async (ctx, file) => {
    await openDecoded(ctx, file);
    await vscode.commands.executeCommand('handoffJournal.resetPhase', file);
  },
  diagram: async (ctx, file) => {
    await openDecoded(ctx, file);
    await showDiagram(ctx, file);
  },
  log: (ctx, file) => openLog(ctx, file),
};

async function runStep(ctx: Ctx, step: unknown): Promise<void> {
  if (step === 'trigger') return triggerHandoff(ctx, undefined);
  if (step === 'fleet') {
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(join(ctx.extension.extensionPath, 'README.md')));
    return;
  }
  const run = typeof step === 'string' ? STEPS[step] : undefined;
  const file = run ? await someJournal(ctx) : undefined;
  if (run && file) await run(ctx, file);
}

/** Journals the workspace asks to open on start (`handoffJournal.welcome.openOnStart`, relative to the folder). */
async function openOnStart(ctx: Ctx, column: vscode.ViewColumn): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const paths = vscode.workspace.getConfiguration('handoffJournal').get<unknown>('welcome.openOnStart');
  if (!folder || folder.uri.scheme !== 'file' || !Array.isArray(paths) || paths.length === 0) return;
  for (const p of paths) {
    if (typeof p !== 'string' || p.startsWith('/') || p.split('/').includes('..')) continue;
    await openDecoded(ctx, vscode.Uri.joinPath(folder.uri, p), { preview: false, viewColumn: column }).catch(() => undefined);
  }
  // Show the Handoff Journals view too, then give the focus back to the journal.
  await vscode.commands.executeCommand('handoffJournal.journals.focus');
  await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
}

export function registerWelcome(ctx: Ctx): void {
  ctx.push(vscode.commands.registerCommand('handoffJournal.walkthroughStep', (step: unknown) => runStep(ctx, step)));
  void (async () => {
    const first = !ctx.extension.globalState.get<boolean>(SHOWN_KEY);
    const wanted = vscode.workspace.getConfiguration('handoffJournal').get<boolean>('welcome.openWalkthrough') !== false;
    if (first && wanted) {
      await ctx.extension.globalState.update(SHOWN_KEY, true);
      await vscode.commands.executeCommand('handoffJournal.journals.focus');
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
    }
    // Beside the walkthrough when it opened, so both show (and the journal's status bar item).
    await openOnStart(ctx, first && wanted ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active);
  })().catch((e: unknown) => ctx.log.warn(`welcome: ${e instanceof Error ? e.message : String(e)}`));
}
