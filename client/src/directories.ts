/**
 * A directory is not a missing journal: a command given a folder (Open Journal at Path…
 * with `/var/lib/beyond/handoff/`, Reset or Delete on a folder) says it is a directory
 * and offers the journals in it (FOLDER/state.bin, FOLDER/<service>/state.bin).
 */
import * as vscode from 'vscode';
import { directoryMessage, isDirectory, journalsUnder } from '../../shared/journal/node';
import { serviceName } from '../../shared/supervisor';
import { cleanText } from '../../shared/util';
import * as notify from './notify';

/** The journal to act on: `uri` itself, or, when it is a folder, the one picked among those in it. */
export async function journalAt(uri: vscode.Uri, action: string): Promise<vscode.Uri | undefined> {
  if (uri.scheme !== 'file' || !(await isDirectory(uri.fsPath))) return uri;
  const found = await journalsUnder(uri.fsPath, 500);
  if (found.journals.length === 0) {
    void notify.info(directoryMessage(found));
    return undefined;
  }
  const items = found.journals.map((path) => ({ label: cleanText(serviceName({ journal: path })), description: cleanText(path), path }));
  const pick = await vscode.window.showQuickPick(items, {
    title: cleanText(`${uri.fsPath} is a directory, not a journal`),
    placeHolder: `${found.truncated ? 'Some of the' : 'The'} ${items.length} journal${items.length === 1 ? '' : 's'} in it: which one to ${action}?`,
  });
  return pick ? vscode.Uri.file(pick.path) : undefined;
}
