/**
 * The documents the server serves: the decoded view (`handoff-journal:`) and the
 * supervisor-log view (`handoff-journal-log:`) through LSP 3.18's
 * `workspace/textDocumentContent`, their pulled or pushed diagnostics, open and close,
 * and the client's file-watcher events.
 */
import type { Connection } from 'vscode-languageserver';
import { isLogUri, SCHEME } from '../../shared/protocol';
import type { ServerState } from './state';
import { uriToPath } from './uris';

export function registerDocuments(connection: Connection, s: ServerState): void {
  connection.workspace.textDocumentContent.on(async ({ uri }) => {
    if (isLogUri(uri)) return { text: (await s.logView(uri))?.text ?? `Not a local file: ${uri}\n` };
    const v = await s.viewFor(uri);
    return { text: v ? v.view.rendered.text : `Not a local file: ${uri}\n` };
  });

  connection.languages.diagnostics.on(async ({ textDocument: { uri } }) => {
    if (isLogUri(uri)) return { kind: 'full', items: s.logDocs.get(uri)?.diagnostics ?? [] };
    const v = await s.viewFor(uri);
    return { kind: 'full', items: v ? v.view.diagnostics : [] };
  });

  connection.onDidOpenTextDocument(async ({ textDocument: { uri } }) => {
    if (isLogUri(uri)) {
      const v = s.logDocs.get(uri);
      if (v) s.pushDiagnostics(uri, v);
      return;
    }
    if (!uri.startsWith(`${SCHEME}:`)) return;
    s.openDocs.add(uri);
    // viewFor rendered the view if it had none; push clients get its diagnostics under
    // the URI this document was opened with (pull clients ask on open).
    const v = await s.viewFor(uri);
    if (v) s.pushDiagnostics(uri, v.view);
    // Opening a journal is the client's explicit step that joins its service's log into its history.
    if (v) s.histories.schedule(v.j.path);
  });

  connection.onDidCloseTextDocument(({ textDocument: { uri } }) => {
    void connection.sendDiagnostics({ uri, diagnostics: [] });
    if (isLogUri(uri)) {
      s.logDocs.delete(uri);
      return;
    }
    s.openDocs.delete(uri);
    const path = uriToPath(uri);
    if (!path || [...s.openDocs].some((u) => uriToPath(u) === path)) return;
    s.store.untrack(path);
    s.views.delete(path);
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    for (const c of changes) {
      const path = uriToPath(c.uri);
      if (!path) continue;
      s.store.scheduleChanged(path);
    }
  });
}
