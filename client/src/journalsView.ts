/**
 * The "Handoff Journals" tree: one row per supervisor service found from its TOML config
 * (even when idle or with journaling off), then every other journal found under
 * `handoffJournal.files.searchPaths`, each with its phase, age and a warning badge when
 * there are findings. The server finds, reads and decodes (`handoffJournal/listJournals`).
 * Each service has a History child: its handoffs from the supervisor's log (historyTree.ts).
 */
import * as vscode from 'vscode';
import { ListJournalsRequest, type JournalStateParams, type ServiceInfo } from '../../shared/protocol';
import { expandSearchPaths, readConfig } from './config';
import type { Ctx } from './ctx';
import { allowedBinariesText, allowedUidsText, serviceName } from '../../shared/supervisor';
import { shortAge, cleanText } from '../../shared/util';
import { HistoryItem } from './historyTree';

function stateText(s: JournalStateParams | undefined): string {
  if (!s) return '';
  const what = s.state === 'decoded' ? (s.phase ?? '') : s.state === 'missing' ? 'idle (no journal)' : s.state;
  return [what, shortAge(s.startedAt, Date.now())].filter(Boolean).join(' · ');
}

function icon(s: JournalStateParams | undefined): vscode.ThemeIcon {
  if (!s || s.state === 'missing') return new vscode.ThemeIcon('circle-outline');
  if (s.state === 'undecodable' || s.state === 'unreadable' || s.errors > 0)
    return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  if (s.warnings > 0) return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  if (s.phase === 'Committed') return new vscode.ThemeIcon('pass');
  if (s.phase === 'ResumingAfterAbort') return new vscode.ThemeIcon('debug-restart');
  return new vscode.ThemeIcon('sync');
}

export class JournalItem extends vscode.TreeItem {
  constructor(
    readonly uri: vscode.Uri,
    readonly state: JournalStateParams,
  ) {
    super(cleanText(serviceName({ journal: uri.fsPath })), vscode.TreeItemCollapsibleState.None);
    this.description = stateText(state);
    const findings = state.errors + state.warnings;
    this.tooltip = `${cleanText(uri.fsPath)}\n${stateText(state)}${findings ? `\n${state.errors} errors, ${state.warnings} warnings` : ''}${state.tmpExists ? '\nleftover temp file' : ''}`;
    this.iconPath = icon(state);
    this.contextValue = `journal-${state.state}${state.tmpExists ? '-tmp' : ''}`;
    this.resourceUri = uri;
    this.command = { command: 'handoffJournal.openDecoded', title: 'Open Decoded View', arguments: [uri] };
  }
}

export class ServiceItem extends vscode.TreeItem {
  readonly uri: vscode.Uri | undefined;
  constructor(readonly service: ServiceInfo) {
    // A service with a usable config has a History child (its handoffs from the supervisor's log).
    super(cleanText(service.name), service.error ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed);
    const s = service;
    this.id = `service\u0000${s.config}`;
    this.uri = s.journal ? vscode.Uri.file(s.journal) : undefined;
    this.description = s.error ? 'invalid config' : s.journal ? stateText(s.state) : 'journaling off';
    this.iconPath = s.error ? new vscode.ThemeIcon('error') : s.journal ? icon(s.state) : new vscode.ThemeIcon('circle-slash');
    // Config values are data: one sanitiser per tooltip line.
    this.tooltip = (
      s.error
        ? [s.config, s.error]
        : [
            `${s.name} (supervisor config ${s.config})`,
            `journal: ${s.journal ?? 'off (no `journal` key)'}`,
            `binary: ${s.binary}`,
            `listeners: ${s.listeners.map((l) => `${l.name} ${l.addr}`).join(', ') || 'none'}`,
            `deadline ${s.deadlineSecs} s, drain grace ${s.drainGraceSecs} s`,
            `control socket: ${s.control.summary}`,
            `trigger socket: ${s.trigger.summary}`,
            `allowed uids: ${allowedUidsText(s.allowedUids)}`,
            `allowed binaries: ${allowedBinariesText(s.allowedBinaries)}`,
            ...(s.versionNote ? [s.versionNote] : []),
          ]
    )
      .map(cleanText)
      .join('\n');
    this.contextValue = `service-${s.error ? 'invalid' : s.journal ? 'journal' : 'nojournal'}${s.state ? ` journal-${s.state.state}${s.state.tmpExists ? '-tmp' : ''}` : ''}`;
    if (this.uri) this.command = { command: 'handoffJournal.openDecoded', title: 'Open Decoded View', arguments: [this.uri] };
  }
}

type Item = JournalItem | ServiceItem;
type Node = Item | HistoryItem | vscode.TreeItem;

/** State changes come in bursts (a handoff writes its journal several times within milliseconds): redraw at most this often. */
const REDRAW_MS = 300;

export class JournalsView implements vscode.TreeDataProvider<Node> {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private items: Item[] = [];
  services: ServiceInfo[] = [];
  private view: vscode.TreeView<Node> | undefined;
  private scanning: Promise<void> | undefined;
  private redraw: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: Ctx) {}

  attach(view: vscode.TreeView<Node>): void {
    this.view = view;
    this.ctx.push(
      view,
      this.emitter,
      view.onDidChangeVisibility((e) => e.visible && void this.rescan()),
      this.ctx.onDidChangeState((s) => this.update(s)),
      { dispose: () => clearTimeout(this.redraw) },
    );
    if (view.visible) void this.rescan();
  }

  getTreeItem(e: Node): vscode.TreeItem {
    return e;
  }

  getChildren(e?: Node): Node[] | Promise<Node[]> {
    if (e === undefined) return this.items;
    if (e instanceof ServiceItem && !e.service.error) return [new HistoryItem(e.service)];
    if (e instanceof HistoryItem) return e.children(this.ctx);
    return [];
  }

  /** Finds services and journals again (with progress in the view). */
  rescan(): Promise<void> {
    if (this.scanning) return this.scanning;
    const run = async (): Promise<void> => {
      try {
        await vscode.window.withProgress({ location: { viewId: 'handoffJournal.journals' }, title: 'Scanning for journals' }, () =>
          this.scan(),
        );
      } catch (e) {
        this.ctx.log.error(`scan failed: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        this.scanning = undefined;
      }
    };
    this.scanning = run();
    return this.scanning;
  }

  private async scan(): Promise<void> {
    const cfg = readConfig();
    const client = await this.ctx.client();
    const patterns = expandSearchPaths(cfg.searchPaths);
    const configGlobs = expandSearchPaths(cfg.configGlobs);
    const r = await client.sendRequest(ListJournalsRequest, { patterns, configGlobs });
    this.ctx.log.info(
      `scan: ${r.journals.length} journals under ${patterns.join(', ')}; ${r.services.length} supervisor configs under ${configGlobs.join(', ')}`,
    );
    this.services = r.services;
    const covered = new Set(r.services.map((s) => s.journal).filter(Boolean));
    const journals = r.journals.filter((s) => !covered.has(vscode.Uri.parse(s.uri).fsPath));
    this.items = [...r.services.map((s) => new ServiceItem(s)), ...journals.map((s) => new JournalItem(vscode.Uri.parse(s.uri), s))];
    if (this.view) {
      const bad = this.items.filter((i) => {
        const s = i instanceof ServiceItem ? i.service.state : i.state;
        return s !== undefined && s.errors + s.warnings > 0;
      }).length;
      this.view.badge = bad > 0 ? { value: bad, tooltip: `${bad} journal${bad === 1 ? '' : 's'} with findings` } : undefined;
      this.view.message = r.truncated ? `${r.cutShort ?? 'search cut short'}: not every journal is listed.` : undefined;
    }
    this.emitter.fire();
  }

  private update(s: JournalStateParams): void {
    const path = vscode.Uri.parse(s.uri).fsPath;
    const i = this.items.findIndex((x) => x.uri?.fsPath === path);
    if (i < 0) return;
    const old = this.items[i] as Item;
    this.items[i] = old instanceof ServiceItem ? new ServiceItem({ ...old.service, state: s }) : new JournalItem(old.uri, s);
    this.redraw ??= setTimeout(() => {
      this.redraw = undefined;
      this.emitter.fire();
    }, REDRAW_MS);
  }
}

export function registerJournalsView(ctx: Ctx): JournalsView {
  const provider = new JournalsView(ctx);
  provider.attach(vscode.window.createTreeView('handoffJournal.journals', { treeDataProvider: provider, showCollapseAll: true }));
  // Journals and supervisor configs that appear or go in the workspace update the view
  // (debounced: a handoff writes its journal several times a second).
  let timer: NodeJS.Timeout | undefined;
  const soon = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void provider.rescan(), 500);
  };
  for (const glob of ['**/state.bin', '**/*.toml']) {
    const w = vscode.workspace.createFileSystemWatcher(glob, false, true, false);
    ctx.push(w, w.onDidCreate(soon), w.onDidDelete(soon));
  }
  ctx.push(
    vscode.commands.registerCommand('handoffJournal.refreshJournals', () => provider.rescan()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('handoffJournal.files') || e.affectsConfiguration('handoffJournal.supervisor')) soon();
    }),
    { dispose: () => clearTimeout(timer) },
  );
  return provider;
}
