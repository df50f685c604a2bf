/** Hovers, code lenses, quick fixes and document symbols, routed to features.ts (decoded view) and logViews.ts (log view). */
import type { Connection } from 'vscode-languageserver';
import { isLogUri } from '../../shared/protocol';
import { codeActions, codeLenses, documentSymbols, hover } from './features';
import { logLenses } from './logViews';
import type { ServerState } from './state';

export function registerLanguageFeatures(connection: Connection, s: ServerState): void {
  connection.onHover(async ({ textDocument, position }) => {
    const v = await s.viewFor(textDocument.uri);
    return v ? hover(v.j, v.view, position) : null;
  });
  connection.onCodeLens(async ({ textDocument: { uri } }) => {
    if (isLogUri(uri)) return logLenses(uri, s.logDocs.get(uri));
    const v = await s.viewFor(uri);
    return v ? codeLenses(v.j, v.view, s.settings.trusted) : [];
  });
  connection.onCodeAction(async ({ textDocument, context }) => {
    const v = await s.viewFor(textDocument.uri);
    return v && s.settings.trusted ? codeActions(v.j, context.diagnostics) : [];
  });
  connection.onDocumentSymbol(async ({ textDocument }) => {
    const v = await s.viewFor(textDocument.uri);
    return v ? documentSymbols(v.view) : [];
  });
}
