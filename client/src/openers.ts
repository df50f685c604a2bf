/**
 * Opening journals decoded. A read-only custom editor registered for `state.bin` opens
 * the decoded `handoff-journal:` document in its place and disposes its own webview at
 * once (the pattern vscode-java uses for class files), so Explorer double-click, Quick
 * Open and `code state.bin` never show the "binary file" prompt. Journals that VS Code
 * opened as text before the extension was active (or that match an extra pattern) are
 * reopened decoded.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { isJournalName as ruleSaysJournal, JOURNAL_FILE_NAME } from '../../shared/journal';
import * as notify from './notify';
import { LANGUAGE_ID, LOG_LANGUAGE_ID, LOG_SCHEME, SCHEME, ServerCommands } from '../../shared/protocol';
import { readConfig } from './config';
import type { Ctx } from './ctx';
import { toLog, toVirtual } from './uris';

export const VIEW_TYPE = 'handoffJournal.decoded';
/** The same editor for any file, offered only under "Open With…". */
export const VIEW_TYPE_ANY = 'handoffJournal.decodedAny';

/** Opens the supervisor's log lines of a journal's handoff beside the decoded view. */
export async function openLog(ctx: Ctx, file: vscode.Uri, handoffId?: string): Promise<vscode.TextEditor> {
  ctx.log.info(`supervisor log of ${file.fsPath}${handoffId ? `, handoff ${handoffId}` : ''}`);
  await ctx.client();
  const doc = await vscode.workspace.openTextDocument(toLog(file, handoffId));
  const typed = doc.languageId === LOG_LANGUAGE_ID ? doc : await vscode.languages.setTextDocumentLanguage(doc, LOG_LANGUAGE_ID);
  const editor = await vscode.window.showTextDocument(typed, {
    preview: false,
    viewColumn: vscode.ViewColumn.Beside,
    preserveFocus: false,
  });
  // Reading the view changed nothing; joining its events into the journal's history is this explicit step.
  await ctx.serverCommand(ServerCommands.joinLog, { uri: doc.uri.toString() });
  return editor;
}

/** Opens the decoded view of a journal file. */
export async function openDecoded(ctx: Ctx, file: vscode.Uri, options: vscode.TextDocumentShowOptions = {}): Promise<vscode.TextEditor> {
  const t0 = Date.now();
  await ctx.client();
  const t1 = Date.now();
  const doc = await vscode.workspace.openTextDocument(toVirtual(file));
  const t2 = Date.now();
  const typed = doc.languageId === LANGUAGE_ID ? doc : await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
  const t3 = Date.now();
  const editor = await vscode.window.showTextDocument(typed, { preview: false, ...options });
  // Where opening time goes (README, Performance): the server, the text, the language, the editor.
  ctx.log.info(
    `opened ${file.fsPath} decoded in ${Date.now() - t0} ms (server ready ${t1 - t0}, text ${t2 - t1}, language ${t3 - t2}, editor ${Date.now() - t3})`,
  );
  return editor;
}

class RedirectingEditor implements vscode.CustomReadonlyEditorProvider {
  constructor(private readonly ctx: Ctx) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    // Resolve first, redirect after: the workbench finishes setting up the panel's webview
    // once this returns, and a panel disposed before then makes VS Code show "Unable to
    // open 'state.bin': OverlayWebview has been disposed" (seen on a loaded machine).
    void redirect(this.ctx, document.uri, panel);
  }
}

/**
 * Opens the decoded view, then closes the custom editor's own tab through the workbench
 * (ordered after the workbench opened it), or disposes its panel when no tab shows it.
 * No HTML is ever set: a webview given no content loads nothing.
 */
async function redirect(ctx: Ctx, uri: vscode.Uri, panel: vscode.WebviewPanel): Promise<void> {
  let disposed = false;
  panel.onDidDispose(() => (disposed = true));
  const column = panel.viewColumn ?? vscode.ViewColumn.Active;
  try {
    await openDecoded(ctx, uri, { viewColumn: column });
  } catch (e) {
    void notify.error(`cannot open ${uri.fsPath} decoded: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (disposed) return;
  const tab = vscode.window.tabGroups.all
    .filter((g) => g.viewColumn === column)
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputCustom && isOurs(t.input.viewType) && t.input.uri.toString() === uri.toString());
  if (tab) await vscode.window.tabGroups.close(tab, true).then(undefined, () => panel.dispose());
  else panel.dispose();
}

const isOurs = (viewType: string): boolean => viewType === VIEW_TYPE || viewType === VIEW_TYPE_ANY;

function isJournalName(uri: vscode.Uri, includeStateBin: boolean): boolean {
  const name = basename(uri.path);
  if (name === JOURNAL_FILE_NAME) return includeStateBin;
  return ruleSaysJournal(name, { patterns: readConfig().patterns, configJournals: [] });
}

/** Replaces text tabs that show a journal's raw bytes with the decoded view. */
async function reopenTextTabs(ctx: Ctx, tabs: readonly vscode.Tab[], includeStateBin: boolean): Promise<void> {
  for (const tab of tabs) {
    const input = tab.input;
    if (!(input instanceof vscode.TabInputText) || input.uri.scheme !== 'file' || !isJournalName(input.uri, includeStateBin)) continue;
    const column = tab.group.viewColumn;
    ctx.log.info(`reopening ${input.uri.fsPath} decoded (it was shown as text)`);
    await vscode.window.tabGroups.close(tab);
    await openDecoded(ctx, input.uri, { viewColumn: column });
  }
}

export function registerOpeners(ctx: Ctx): void {
  const options = { supportsMultipleEditorsPerDocument: true, webviewOptions: { retainContextWhenHidden: false } };
  ctx.push(
    vscode.window.registerCustomEditorProvider(VIEW_TYPE, new RedirectingEditor(ctx), options),
    vscode.window.registerCustomEditorProvider(VIEW_TYPE_ANY, new RedirectingEditor(ctx), options),
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (doc.uri.scheme === SCHEME && doc.languageId !== LANGUAGE_ID) void vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
      if (doc.uri.scheme === LOG_SCHEME && doc.languageId !== LOG_LANGUAGE_ID)
        void vscode.languages.setTextDocumentLanguage(doc, LOG_LANGUAGE_ID);
    }),
    // After activation the custom editor catches state.bin; a text tab of it is then the
    // user's explicit choice ("Reopen Editor With… Text Editor"), so only extra patterns
    // are redirected here.
    vscode.window.tabGroups.onDidChangeTabs((e) => void reopenTextTabs(ctx, e.opened, false)),
  );
  void reopenTextTabs(
    ctx,
    vscode.window.tabGroups.all.flatMap((g) => g.tabs),
    true,
  );
}
