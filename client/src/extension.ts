/** Activation and deactivation only: everything else hangs off the `Ctx`. */
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Ctx } from './ctx';
import { registerJournalsView } from './journalsView';
import { registerOpeners } from './openers';
import { registerStatusBar } from './statusBar';
import * as notify from './notify';
import { registerLauncherCommands } from './launcher';
import { registerWelcome } from './welcome';
import { registerUriHandler } from './uriHandler';

let ctx: Ctx | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  ctx = new Ctx(context);
  try {
    registerOpeners(ctx);
    registerCommands(ctx);
    registerJournalsView(ctx);
    registerStatusBar(ctx);
    registerLauncherCommands(ctx);
    registerWelcome(ctx);
    registerUriHandler(ctx);
    ctx.push(
      vscode.workspace.onDidGrantWorkspaceTrust(() => void ctx?.pushSettings()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('handoffJournal') && void ctx?.pushSettings()),
    );
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    void notify.error(`failed to start: ${message}`);
    throw e;
  }
  // A server that does not start is reported by ctx.client (with a Restart button); the commands stay.
  await ctx.client().catch(() => undefined);
}

export async function deactivate(): Promise<void> {
  await ctx?.dispose();
  ctx = undefined;
}
