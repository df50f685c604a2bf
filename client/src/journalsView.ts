/**
 * The "Handoff Journals" tree: every journal found under `handoffJournal.files.searchPaths`,
 * one row per service with its phase, age and a warning badge when there are findings.
 * The server does the finding and decoding (`handoffJournal/listJournals`).
 */
import * as vscode from 'vscode';
import { ListJournalsRequest, type JournalStateParams, type ListJournalsResult } from '../../shared/protocol';
import { expandSearchPaths, readConfig } from './config';
import type { Ctx } from './ctx';
import { serviceName, shortAge } from './pickItems';

export class JournalItem extends vscode.TreeItem {
  constructor(
    readonly uri: vscode.Uri,
    readonly state: JournalStateParams,
  ) {
    super(serviceName(uri.fsPath), vscode.TreeItemCollapsibleState.None);
    const s = state;
    const what = s.state === 'decoded' ? (s.phase ?? '') : s.state === 'missing' ? 'no journal' : s.state;
    this.description = [what, shortAge(s.startedAt, Date.now())].filter(Boolean).join(' · ');
    const findings = s.errors + s.warnings;
    this.tooltip = new vscode.MarkdownString(undefined, false);
    this.tooltip.appendText(
      `${uri.fsPath}\n${what}${findings ? `\n${s.errors} errors, ${s.warnings} warnings` : ''}${s.tmpExists ? '\nleftover temp file' : ''}`,
    );
    this.iconPath = icon(s);
    this.contextValue = `journal-${s.state}${s.tmpExists ? '-tmp' : ''}`;
    this.resourceUri = uri;
    this.command = { command: 'handoffJournal.openDecoded', title: 'Open Decoded View', arguments: [uri] };
  }
}

function icon(s: JournalStateParams): vscode.ThemeIcon {
  if (s.state === 'undecodable' || s.state === 'unreadable' || s.errors > 0)
    return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  if (s.warnings > 0) return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  if (s.phase === 'Committed') return new vscode.ThemeIcon('pass');
  if (s.phase === 'ResumingAfterAbort') return new vscode.ThemeIcon('debug-restart');
  return new vscode.ThemeIcon('sync');
}

export class JournalsView implements vscode.TreeDataProvider<JournalItem> {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private items: JournalItem[] = [];
  private view: vscode.TreeView<JournalItem> | undefined;
  private scanning: Promise<void> | undefined;

  constructor(private readonly ctx: Ctx) {}

  attach(view: vscode.TreeView<JournalItem>): void {
    this.view = view;
    this.ctx.push(
      view,
      this.emitter,
      view.onDidChangeVisibility((e) => e.visible && void this.rescan()),
      this.ctx.onDidChangeState((s) => this.update(s)),
    );
    if (view.visible) void this.rescan();
  }

  getTreeItem(e: JournalItem): JournalItem {
    return e;
  }

  getChildren(): JournalItem[] {
    return this.items;
  }

  /** Finds journals again (with progress in the view). */
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
    const patterns = expandSearchPaths(readConfig().searchPaths);
    const client = await this.ctx.client();
    const r = (await client.sendRequest(ListJournalsRequest, { patterns })) as ListJournalsResult;
    this.items = r.journals.map((s) => new JournalItem(vscode.Uri.parse(s.uri), s));
    if (this.view) {
      const bad = r.journals.filter((s) => s.errors + s.warnings > 0).length;
      this.view.badge = bad > 0 ? { value: bad, tooltip: `${bad} journal${bad === 1 ? '' : 's'} with findings` } : undefined;
      this.view.message = r.truncated ? 'Only the first 10,000 journals are listed.' : undefined;
    }
    this.emitter.fire();
  }

  private update(s: JournalStateParams): void {
    const i = this.items.findIndex((x) => x.state.uri === s.uri);
    if (i < 0) return;
    this.items[i] = new JournalItem(this.items[i]!.uri, s);
    this.emitter.fire();
  }
}

export function registerJournalsView(ctx: Ctx): void {
  const provider = new JournalsView(ctx);
  provider.attach(vscode.window.createTreeView('handoffJournal.journals', { treeDataProvider: provider, showCollapseAll: false }));
  ctx.push(vscode.commands.registerCommand('handoffJournal.refreshJournals', () => provider.rescan()));
}
