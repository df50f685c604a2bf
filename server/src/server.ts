/**
 * Wires the LSP handlers to the features. Logic lives in the feature modules; this file
 * only routes requests and pushes updates (diagnostics, content refresh, state).
 */
import { TextDocumentSyncKind, type Connection, type InitializeResult } from 'vscode-languageserver';
import { describeDiagram, renderDiagram } from '../../shared/diagram';
import { inspect } from '../../shared/node/inspect';
import {
  DiagramRequest,
  JournalStateNotification,
  ListJournalsRequest,
  normalizeSettings,
  SERVER_COMMAND_IDS,
  SCHEME,
  LOG_SCHEME,
  type DiagramParams,
  type DiagramResult,
  type ListJournalsParams,
  type ListJournalsResult,
  type ServerSettings,
} from '../../shared/protocol';
import { executeCommand } from './commands';
import type { ServerDeps } from './deps';
import { codeActions, codeLenses, documentSymbols, hover } from './features';
import { JournalStore, type TrackedJournal } from './journalStore';
import { UndoStore } from './undo';
import { logLenses, LogViews, type LogView } from './logViews';
import { uriToPath } from './uris';
import { expandGlobs } from '../../shared/node/globWalk';
import { SupervisorRegistry } from './supervisors';
import { diagramInput, journalState, renderView, type View } from './view';

export function startServer(connection: Connection, deps: ServerDeps): void {
  let settings: ServerSettings = normalizeSettings({});
  let canRefresh = false;
  let canRefreshLenses = false;
  let pullDiagnostics = false;
  const views = new Map<string, View>();
  const openDocs = new Set<string>();

  const publish = (j: TrackedJournal): View => {
    const proc = settings.livenessChecks ? deps.processTable() : undefined;
    const view = renderView(j, deps.now(), proc);
    views.set(j.path, view);
    // Clients that pull diagnostics ask for them after they applied the new text; pushed
    // diagnostics can land before VS Code has diffed the refreshed text in, and be shifted.
    if (!pullDiagnostics) void connection.sendDiagnostics({ uri: j.virtualUri, diagnostics: view.diagnostics });
    const state = journalState(j.path, j.inspection, view.findings);
    void connection.sendNotification(JournalStateNotification, state);
    return view;
  };

  const registry = new SupervisorRegistry();
  const store = new JournalStore(
    deps,
    () => settings,
    (j) => {
      publish(j);
      if (canRefresh) void connection.workspace.textDocumentContent.refresh(j.virtualUri).catch(() => undefined);
    },
    (path) => registry.limitsFor(path),
  );
  const undo = new UndoStore(() => settings.storagePath ?? deps.defaultStorageDir);
  const logs = new LogViews(store, registry, () => settings);
  const logDocs = new Map<string, LogView>();

  /** The log view of a `handoff-journal-log:` URI, computed once per request of its text. */
  const logView = async (uri: string): Promise<LogView | undefined> => {
    const path = uriToPath(uri);
    if (!path) return undefined;
    const id = new URL(uri).searchParams.get('id') ?? undefined;
    const v = await logs.view(path, id);
    logDocs.set(uri, v);
    // The log's events joined the journal's history: redraw its view and diagram.
    await store.refresh(path, true);
    if (!pullDiagnostics) void connection.sendDiagnostics({ uri, diagnostics: v.diagnostics });
    return v;
  };

  /** The tracked journal and its current view for a URI, tracking it on first use. */
  const viewFor = async (uri: string): Promise<{ j: TrackedJournal; view: View } | undefined> => {
    if (uri.startsWith(`${LOG_SCHEME}:`)) return undefined;
    const path = uriToPath(uri);
    if (!path) return undefined;
    const j = await store.track(path, uri.startsWith(`${SCHEME}:`) ? uri : undefined);
    return { j, view: views.get(path) ?? publish(j) };
  };

  connection.onInitialize((params): InitializeResult => {
    settings = normalizeSettings(params.initializationOptions);
    canRefresh = params.capabilities.workspace?.textDocumentContent !== undefined;
    canRefreshLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    pullDiagnostics = params.capabilities.textDocument?.diagnostic !== undefined;
    return {
      capabilities: {
        // Full change events tell us (and the client's diagnostic pull) when VS Code has applied a refreshed view.
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Full },
        workspace: { textDocumentContent: { schemes: [SCHEME, LOG_SCHEME] } },
        hoverProvider: true,
        ...(pullDiagnostics
          ? { diagnosticProvider: { identifier: 'handoff-journal', interFileDependencies: false, workspaceDiagnostics: false } }
          : {}),
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        documentSymbolProvider: true,
        executeCommandProvider: { commands: SERVER_COMMAND_IDS },
      },
      serverInfo: { name: 'handoff-journal', version: '0.1.0' },
    };
  });

  connection.workspace.textDocumentContent.on(async ({ uri }) => {
    if (uri.startsWith(`${LOG_SCHEME}:`)) return { text: (await logView(uri))?.text ?? `Not a local file: ${uri}\n` };
    const v = await viewFor(uri);
    return { text: v ? v.view.rendered.text : `Not a local file: ${uri}\n` };
  });

  connection.languages.diagnostics.on(async ({ textDocument }) => {
    if (textDocument.uri.startsWith(`${LOG_SCHEME}:`)) return { kind: 'full', items: logDocs.get(textDocument.uri)?.diagnostics ?? [] };
    const v = await viewFor(textDocument.uri);
    return { kind: 'full', items: v ? v.view.diagnostics : [] };
  });

  connection.onDidOpenTextDocument(async ({ textDocument }) => {
    if (textDocument.uri.startsWith(`${LOG_SCHEME}:`)) {
      const v = logDocs.get(textDocument.uri);
      if (v && !pullDiagnostics) void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: v.diagnostics });
      return;
    }
    if (!textDocument.uri.startsWith(`${SCHEME}:`)) return;
    openDocs.add(textDocument.uri);
    // viewFor rendered the view if it had none; push clients get its diagnostics under
    // the URI this document was opened with (pull clients ask on open).
    const v = await viewFor(textDocument.uri);
    if (v && !pullDiagnostics) void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: v.view.diagnostics });
  });

  connection.onDidCloseTextDocument(({ textDocument }) => {
    if (textDocument.uri.startsWith(`${LOG_SCHEME}:`)) {
      logDocs.delete(textDocument.uri);
      void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
      return;
    }
    openDocs.delete(textDocument.uri);
    const path = uriToPath(textDocument.uri);
    if (!path) return;
    void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
    if (![...openDocs].some((u) => uriToPath(u) === path)) {
      store.untrack(path);
      views.delete(path);
    }
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    for (const c of changes) {
      const path = uriToPath(c.uri);
      if (!path) continue;
      store.schedule(path, true);
      store.schedule(path.replace(/\.bin\.tmp$/, '.bin'));
    }
  });

  connection.onDidChangeConfiguration(({ settings: s }) => {
    const section = (s as { handoffJournal?: unknown } | null)?.handoffJournal ?? s;
    const wasTrusted = settings.trusted;
    settings = normalizeSettings(section, settings);
    // Lenses that change files appear or go with workspace trust.
    if (wasTrusted !== settings.trusted && canRefreshLenses)
      void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    void registry.discover(settings.configGlobs).then(() => store.revalidateAll());
  });

  connection.onHover(async ({ textDocument, position }) => {
    const v = await viewFor(textDocument.uri);
    return v ? hover(v.j, v.view, position) : null;
  });
  connection.onCodeLens(async ({ textDocument }) => {
    if (textDocument.uri.startsWith(`${LOG_SCHEME}:`)) return logLenses(textDocument.uri, logDocs.get(textDocument.uri));
    const v = await viewFor(textDocument.uri);
    return v ? codeLenses(v.j, v.view, settings.trusted) : [];
  });
  connection.onCodeAction(async ({ textDocument, context }) => {
    const v = await viewFor(textDocument.uri);
    return v && settings.trusted ? codeActions(v.j, context.diagnostics) : [];
  });
  connection.onDocumentSymbol(async ({ textDocument }) => {
    const v = await viewFor(textDocument.uri);
    return v ? documentSymbols(v.view) : [];
  });
  connection.onInitialized(() => void registry.discover(settings.configGlobs).then(() => store.revalidateAll()));
  connection.onExecuteCommand(({ command, arguments: args }) =>
    executeCommand(command, args ?? [], {
      store,
      undo,
      deps,
      registry,
      settings: () => settings,
      refreshLog: async (uri) => {
        if (canRefresh) await connection.workspace.textDocumentContent.refresh(uri).catch(() => undefined);
      },
    }),
  );
  connection.onRequest(ListJournalsRequest, async (p: ListJournalsParams): Promise<ListJournalsResult> => {
    const patterns = Array.isArray(p?.patterns) ? p.patterns.filter((x: unknown): x is string => typeof x === 'string') : [];
    const { paths, truncated, cutShort } = await expandGlobs(patterns, typeof p?.limit === 'number' ? p.limit : 10_000);
    const proc = settings.livenessChecks ? deps.processTable() : undefined;
    const configGlobs = Array.isArray(p?.configGlobs)
      ? p.configGlobs.filter((x: unknown): x is string => typeof x === 'string')
      : settings.configGlobs;
    await registry.discover(configGlobs);
    const base = { encoding: settings.encoding, now: deps.now(), skewMs: 60_000, ...(proc ? { process: proc } : {}) };
    const opts = (path: string): Parameters<typeof inspect>[1] => ({
      ...base,
      deadlineMs: settings.staleDeadlineSeconds * 1000,
      ...registry.limitsFor(path),
    });
    const journals = [];
    // Sequential in small batches: bounded memory and file descriptors for fleet-sized hosts.
    for (let i = 0; i < paths.length; i += 64) {
      const batch = await Promise.all(
        paths.slice(i, i + 64).map(async (path) => {
          // A tracked journal is re-read too (and republished if it changed): a watch can
          // lag behind a directory that was replaced.
          const tracked = store.get(path) ? await store.refresh(path) : undefined;
          if (tracked) return journalState(path, tracked.inspection, views.get(path)?.findings ?? tracked.inspection.findings);
          const ins = await inspect(path, opts(path));
          return journalState(path, ins, ins.findings);
        }),
      );
      journals.push(...batch);
    }
    // Candidates from literal patterns that turned out not to exist are not journals.
    const services = await registry.services(base);
    return {
      journals: journals.filter((j) => j.state !== 'missing' || store.get(uriToPath(j.uri) ?? '') !== undefined),
      services,
      truncated,
      ...(cutShort ? { cutShort } : {}),
    };
  });
  connection.onRequest(DiagramRequest, async (p: DiagramParams): Promise<DiagramResult> => {
    const v = await viewFor(String(p?.uri));
    if (!v) return { svg: '', description: `Not a local file: ${String(p?.uri)}` };
    const input = diagramInput(v.j, v.view);
    return { svg: renderDiagram(input, deps.now(), false), description: describeDiagram(input), phase: input.phase ?? undefined };
  });
  connection.onShutdown(() => store.dispose());
  connection.listen();
}
