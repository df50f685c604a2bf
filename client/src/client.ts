/** Creates the language client for the bundled server (`dist/server.js`, node IPC). */
import {
  ExecuteCommandRequest,
  LanguageClient,
  TextDocumentContentRequest,
  TransportKind,
  type DynamicFeature,
  type LanguageClientOptions,
  type ServerOptions,
  type StaticFeature,
} from 'vscode-languageclient/node';
import { LOG_SCHEME, SCHEME, SERVER_NODE_FLAGS } from '../../shared/protocol';
import { serverSettings } from './config';
import { TextDocumentContentFileSystemFeature } from './contentFs';
import type { LogOutputChannel } from 'vscode';

/** Plain values in: `serverModule` is the bundled server's path, `storagePath` the folder for undo records. */
export function createClient(serverModule: string, log: LogOutputChannel, storagePath: string): LanguageClient {
  const module = serverModule;
  // The server runs on the extension host's own Node (the VS Code server's, under Remote-SSH).
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: SERVER_NODE_FLAGS } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6029'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: SCHEME }, { scheme: LOG_SCHEME }],
    outputChannel: log,
    initializationOptions: serverSettings(storagePath),
    // Pull diagnostics after VS Code applied each refreshed view, so they match its lines.
    diagnosticPullOptions: { onChange: true, onSave: false },
  };
  return new HandoffLanguageClient('handoffJournal', 'Handoff Journal', serverOptions, clientOptions);
}

/**
 * The standard client with two built-in features changed:
 * - `workspace/textDocumentContent` is served through a read-only file system (see
 *   contentFs.ts) instead of a TextDocumentContentProvider, so typing into a view can say
 *   why it is read-only;
 * - the server's `executeCommandProvider` commands are NOT registered as VS Code
 *   commands. They change files without asking (the client's own commands confirm, then
 *   send `workspace/executeCommand` themselves), so no `command:` link in a notification,
 *   a Markdown string or another extension can reach them.
 */
class HandoffLanguageClient extends LanguageClient {
  override registerFeature(feature: StaticFeature | DynamicFeature<unknown>): void {
    const method = 'registrationType' in feature ? feature.registrationType.method : undefined;
    if (method === ExecuteCommandRequest.method) return;
    const isContentFeature = method === TextDocumentContentRequest.method;
    // Called from the base constructor (registerBuiltinFeatures): no fields of ours exist yet.
    if (isContentFeature && !(feature instanceof TextDocumentContentFileSystemFeature)) {
      super.registerFeature(new TextDocumentContentFileSystemFeature(this));
      return;
    }
    super.registerFeature(feature);
  }
}
