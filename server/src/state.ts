/**
 * The language server's state, shared by its handler modules: the settings and what the
 * client can do, the journals it tracks (with their rendered views), the supervisor
 * configs, undo records and supervisor-log views. Publishing a view (diagnostics, the
 * journal-state notification, a content refresh) happens here and nowhere else.
 */
import { normalizeSettings, type ServerSettings, isLogUri, JournalStateNotification, SCHEME } from '../../shared/protocol';
import type { Connection } from 'vscode-languageserver';
import { livenessTable, type ServerDeps } from './deps';
import { JournalStore, type TrackedJournal } from './journalStore';
import { LogViews, type LogView } from './logViews';
import { HandoffHistories } from './handoffHistory';
import { SupervisorRegistry } from './supervisors';
import { UndoStore } from './commands/undoStore';
import { uriToPath } from './uris';
import { journalState, renderView, type View } from './view';

/** What the client said it can do, from `initialize`. */
export interface ClientCaps {
  /** `workspace/textDocumentContent/refresh`. */
  refreshContent: boolean;
  /** `workspace/codeLens/refresh`. */
  refreshLenses: boolean;
  /** Pull diagnostics (`textDocument/diagnostic`); otherwise they are pushed. */
  pullDiagnostics: boolean;
}

/**
 * The handoff id of a log view's URI (`?id=<uuid>`). VS Code writes the query with its `=`
 * encoded (`?id%3D<uuid>`), other clients plainly: both are read. Not checked here.
 */
export function logViewId(uri: string): string | undefined {
  let query = '';
  try {
    query = decodeURIComponent(new URL(uri).search.slice(1));
  } catch {
    return undefined;
  }
  // Any value is passed on: the log view checks that it is a UUID and says so when not.
  return query.startsWith('id=') ? query.slice(3) : undefined;
}

export class ServerState {
  settings: ServerSettings = normalizeSettings({});
  caps: ClientCaps = { refreshContent: false, refreshLenses: false, pullDiagnostics: false };
  readonly views = new Map<string, View>();
  readonly openDocs = new Set<string>();
  readonly logDocs = new Map<string, LogView>();
  readonly registry = new SupervisorRegistry();
  readonly store: JournalStore;
  readonly undo: UndoStore;
  readonly logs: LogViews;
  readonly histories: HandoffHistories;

  constructor(
    readonly connection: Connection,
    readonly deps: ServerDeps,
  ) {
    this.store = new JournalStore(
      deps,
      () => this.settings,
      (j, _changed, disk) => {
        this.publish(j);
        if (this.caps.refreshContent) void this.connection.workspace.textDocumentContent.refresh(j.virtualUri).catch(() => undefined);
        // A change on disk: the supervisor's log says which handoffs ran (joined in a moment).
        if (disk) this.histories.schedule(j.path);
      },
      (path) => this.registry.limitsFor(path),
    );
    this.undo = new UndoStore(() => this.settings.storagePath ?? deps.defaultStorageDir);
    this.logs = new LogViews(this.store, this.registry, () => this.settings);
    this.histories = new HandoffHistories(
      this.registry,
      this.store,
      () => this.settings,
      () => deps.now(),
      () => livenessTable(this.deps, this.settings),
      (path) => this.store.notify(path),
    );
  }

  /** Renders a journal's view, pushes its diagnostics (to push clients) and its state. */
  publish(j: TrackedJournal): View {
    const proc = livenessTable(this.deps, this.settings);
    const view = renderView(j, this.deps.now(), proc);
    this.views.set(j.path, view);
    // Clients that pull diagnostics ask for them after they applied the new text; pushed
    // diagnostics can land before VS Code has diffed the refreshed text in, and be shifted.
    this.pushDiagnostics(j.virtualUri, view);
    void this.connection.sendNotification(JournalStateNotification, journalState(j.path, j.inspection, view.findings, j.realPath));
    return view;
  }

  pushDiagnostics(uri: string, v: { diagnostics: View['diagnostics'] }): void {
    if (!this.caps.pullDiagnostics) void this.connection.sendDiagnostics({ uri, diagnostics: v.diagnostics });
  }

  /** The tracked journal and its current view for a decoded-view or file URI, tracking it on first use. */
  async viewFor(uri: string): Promise<{ j: TrackedJournal; view: View } | undefined> {
    if (isLogUri(uri)) return undefined;
    const path = uriToPath(uri);
    if (!path) return undefined;
    const j = await this.store.track(path, uri.startsWith(`${SCHEME}:`) ? uri : undefined);
    return { j, view: this.views.get(path) ?? this.publish(j) };
  }

  /**
   * The log view of a `handoff-journal-log:` URI: the log is read again for every request
   * of its text. A read: it changes no journal's history, findings or view (only this
   * document's own diagnostics are kept, for the pull that follows).
   */
  async logView(uri: string): Promise<LogView | undefined> {
    const path = uriToPath(uri);
    if (!path) return undefined;
    const v = await this.logs.view(path, logViewId(uri));
    this.logDocs.set(uri, v);
    this.pushDiagnostics(uri, v);
    return v;
  }

  /**
   * Joins the log of a log view's handoff into its journal's history and findings, then
   * redraws the journal's view and diagram: the explicit step after opening a log view.
   */
  async joinLog(uri: string): Promise<boolean> {
    const path = uriToPath(uri);
    if (!path) return false;
    const joined = await this.logs.join(path, logViewId(uri), isLogUri(uri) ? this.logDocs.get(uri) : undefined);
    if (joined) this.store.notify(path);
    return joined;
  }

  /** Asks the client to fetch a log view again. */
  async refreshLog(uri: string): Promise<void> {
    if (this.caps.refreshContent) await this.connection.workspace.textDocumentContent.refresh(uri).catch(() => undefined);
  }

  /** Finds the supervisor configs again, then re-validates every journal against them. */
  async rediscover(globs = this.settings.configGlobs): Promise<void> {
    await this.registry.discover(globs);
    await this.store.revalidateAll();
  }
}
