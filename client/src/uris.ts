/** Converting between a journal's file URI and its decoded view's URI, and finding a command's target. */
import * as vscode from 'vscode';
import { LOG_SCHEME, SCHEME } from '../../shared/protocol';

export function toVirtual(file: vscode.Uri): vscode.Uri {
  return file.with({ scheme: SCHEME });
}

export function toFile(uri: vscode.Uri): vscode.Uri {
  return uri.scheme === SCHEME || uri.scheme === LOG_SCHEME ? uri.with({ scheme: 'file', query: '', fragment: '' }) : uri;
}

/** The supervisor-log view of a journal's handoff (`handoffId`, default: the journal's own). */
export function toLog(file: vscode.Uri, handoffId?: string): vscode.Uri {
  return file.with({ scheme: LOG_SCHEME, query: handoffId ? `id=${encodeURIComponent(handoffId)}` : '' });
}

/**
 * The URI a command is about, as given: its argument (a Uri, a URI string, a tree item
 * with a `uri`), else the active decoded view, log view or journal file.
 */
export function commandUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') {
    try {
      return vscode.Uri.parse(arg, true);
    } catch {
      return undefined;
    }
  }
  if (typeof arg === 'object' && arg !== null && 'uri' in arg) return commandUri(arg.uri);
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && (active.scheme === SCHEME || active.scheme === LOG_SCHEME || active.scheme === 'file')) return active;
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (tab instanceof vscode.TabInputCustom || tab instanceof vscode.TabInputText) return tab.uri;
  return undefined;
}

/** The journal file a command is about (see `commandUri`). */
export function commandTarget(arg: unknown): vscode.Uri | undefined {
  const uri = commandUri(arg);
  return uri && toFile(uri);
}
