/** Converting between a journal's file URI and its decoded view's URI, and finding a command's target. */
import * as vscode from 'vscode';
import { SCHEME } from '../../shared/protocol';

export function toVirtual(file: vscode.Uri): vscode.Uri {
  return file.with({ scheme: SCHEME });
}

export function toFile(uri: vscode.Uri): vscode.Uri {
  return uri.scheme === SCHEME ? uri.with({ scheme: 'file' }) : uri;
}

/**
 * The journal a command is about: its argument (a Uri, a URI string, a tree item with a
 * `uri`), else the active decoded view or journal file.
 */
export function commandTarget(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return toFile(arg);
  if (typeof arg === 'string') {
    try {
      return toFile(vscode.Uri.parse(arg, true));
    } catch {
      return undefined;
    }
  }
  if (typeof arg === 'object' && arg !== null && 'uri' in arg) return commandTarget((arg as { uri: unknown }).uri);
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && (active.scheme === SCHEME || active.scheme === 'file')) return toFile(active);
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (tab instanceof vscode.TabInputCustom || tab instanceof vscode.TabInputText) return toFile(tab.uri);
  return undefined;
}
