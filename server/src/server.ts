/**
 * Wires the LSP handlers to the server's modules: `initialize` and settings here, the
 * documents (documents.ts), language features (languageFeatures.ts), custom requests
 * (requests.ts) and commands (commands.ts). State lives in a `ServerState`; the outside
 * world (clock, /proc, watches) comes in through `deps`.
 */
import { normalizeSettings, LOG_SCHEME, SCHEME, SERVER_COMMAND_IDS } from '../../shared/protocol';
import { TextDocumentSyncKind, type Connection, type InitializeParams, type InitializeResult } from 'vscode-languageserver';
import { executeCommand } from './commands';
import type { ServerDeps } from './deps';
import { registerDocuments } from './documents';
import { registerLanguageFeatures } from './languageFeatures';
import { registerRequests } from './requests';
import { ServerState } from './state';
import { warmUp } from './view';
import { version } from '../../package.json';

function initialize(s: ServerState, params: InitializeParams): InitializeResult {
  s.settings = normalizeSettings(params.initializationOptions);
  s.caps = {
    refreshContent: params.capabilities.workspace?.textDocumentContent !== undefined,
    refreshLenses: params.capabilities.workspace?.codeLens?.refreshSupport === true,
    pullDiagnostics: params.capabilities.textDocument?.diagnostic !== undefined,
  };
  return {
    capabilities: {
      // Full change events tell us (and the client's diagnostic pull) when VS Code has applied a refreshed view.
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Full },
      workspace: { textDocumentContent: { schemes: [SCHEME, LOG_SCHEME] } },
      hoverProvider: true,
      ...(s.caps.pullDiagnostics
        ? { diagnosticProvider: { identifier: 'handoff-journal', interFileDependencies: false, workspaceDiagnostics: false } }
        : {}),
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      documentSymbolProvider: true,
      executeCommandProvider: { commands: SERVER_COMMAND_IDS },
    },
    // The extension's version (package.json, inlined by the bundler), shared with the CLI and the .deb.
    serverInfo: { name: 'handoff-journal', version },
  };
}

function changeSettings(s: ServerState, raw: unknown): void {
  const section = (raw as { handoffJournal?: unknown } | null)?.handoffJournal ?? raw;
  const wasTrusted = s.settings.trusted;
  s.settings = normalizeSettings(section, s.settings);
  // Lenses that change files appear or go with workspace trust.
  if (wasTrusted !== s.settings.trusted && s.caps.refreshLenses)
    void s.connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  void s.rediscover();
}

export function startServer(connection: Connection, deps: ServerDeps): void {
  const s = new ServerState(connection, deps);
  connection.onInitialize((params) => initialize(s, params));
  connection.onInitialized(() => {
    setImmediate(() => warmUp(deps.now()));
    void s.rediscover();
  });
  connection.onDidChangeConfiguration(({ settings }) => changeSettings(s, settings));
  registerDocuments(connection, s);
  registerLanguageFeatures(connection, s);
  registerRequests(connection, s);
  connection.onExecuteCommand(({ command, arguments: args }) =>
    executeCommand(command, args ?? [], {
      store: s.store,
      registry: s.registry,
      undo: s.undo,
      deps: s.deps,
      settings: () => s.settings,
      refreshLog: (uri) => s.refreshLog(uri),
      joinLog: (uri) => s.joinLog(uri),
    }),
  );
  connection.onShutdown(() => (s.histories.dispose(), s.store.dispose()));
  connection.listen();
}
