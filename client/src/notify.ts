/**
 * Every notification and confirmation of the extension goes through here. Their texts
 * name paths, symlink targets, service names and socket replies, which are data: VS Code
 * renders `[label](command:…)` in a notification as a live link, so the text is passed
 * through `notificationText` (control characters escaped, link syntax broken) first.
 */
import * as vscode from 'vscode';
import { notificationText } from '../../shared/util';

const PREFIX = 'Handoff Journal: ';

export function info<T extends string>(message: string, ...items: T[]): Thenable<T | undefined> {
  return vscode.window.showInformationMessage(notificationText(PREFIX + message), ...items);
}

export function warn<T extends string>(message: string, ...items: T[]): Thenable<T | undefined> {
  return vscode.window.showWarningMessage(notificationText(PREFIX + message), ...items);
}

export function error<T extends string>(message: string, ...items: T[]): Thenable<T | undefined> {
  return vscode.window.showErrorMessage(notificationText(PREFIX + message), ...items);
}

/** A modal question; true when the user picked `action`. */
export async function confirmModal(message: string, detail: string, action: string): Promise<boolean> {
  const pick = await vscode.window.showWarningMessage(notificationText(message), { modal: true, detail: notificationText(detail) }, action);
  return pick === action;
}

/** A progress notification whose title names a service or a path; `say` updates its message. */
export function withProgress<R>(title: string, task: (say: (message: string) => void) => Thenable<R>): Thenable<R> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: notificationText(title) }, (progress) =>
    task((message) => progress.report({ message: notificationText(message) })),
  );
}
