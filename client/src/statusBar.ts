/** Status bar item for the active decoded view: phase and age, coloured when stale or invalid. */
import * as vscode from 'vscode';
import { SCHEME } from '../../shared/protocol';
import type { Ctx } from './ctx';
import { shortAge, cleanText } from '../../shared/util';
import { toFile } from './uris';

export function registerStatusBar(ctx: Ctx): void {
  const item = vscode.window.createStatusBarItem('handoffJournal.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Handoff Journal';
  item.command = 'handoffJournal.quickActions';
  const update = (): void => {
    const uri = vscode.window.activeTextEditor?.document.uri;
    if (!uri || uri.scheme !== SCHEME) {
      item.hide();
      return;
    }
    const s = ctx.stateOf(toFile(uri));
    if (!s) {
      item.text = '$(loading~spin) Handoff Journal';
      item.show();
      return;
    }
    const what = s.state === 'decoded' ? s.phase : s.state === 'missing' ? 'no journal' : s.state;
    item.text = `$(history) ${what}${s.startedAt !== undefined ? ` · ${shortAge(s.startedAt, Date.now())}` : ''}`;
    item.tooltip = `${cleanText(toFile(uri).fsPath)}: ${s.errors} errors, ${s.warnings} warnings. Click for actions.`;
    item.backgroundColor =
      s.errors > 0 || s.state === 'undecodable' || s.state === 'unreadable'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : s.warnings > 0
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    item.show();
  };
  ctx.push(item, vscode.window.onDidChangeActiveTextEditor(update), ctx.onDidChangeState(update));
  update();
}
