/**
 * The History child of each service in the Journals view: its recent handoffs, read from
 * the supervisor's log by the server (`handoffJournal/handoffHistory`), newest first. A
 * committed handoff shows its total time; a failed one the error icon and its reason. A
 * click opens that handoff's supervisor log (the `handoff-journal-log:` view). Log text
 * (reasons, ids) is data: it goes through the one sanitiser, never into markup.
 */
import * as vscode from 'vscode';
import { HandoffHistoryRequest, type HandoffHistoryItem, type HandoffHistoryResult, type ServiceInfo } from '../../shared/protocol';
import { cleanText, formatSeconds, shortAge } from '../../shared/util';
import type { Ctx } from './ctx';

/** Where a service's journal is by convention when its config keeps none (the log view needs a path). */
const conventionalJournal = (service: string): string => `/var/lib/beyond/handoff/${service}/state.bin`;

function outcomeText(h: HandoffHistoryItem): string {
  if (h.outcome === 'committed') return `committed${h.totalSeconds !== null ? ` in ${formatSeconds(h.totalSeconds)}` : ''}`;
  const kind = h.sealFailure ? 'seal failure' : h.rolledBack ? 'aborted, rolled back' : h.outcome;
  return `${kind}: ${h.reason ?? ''}`;
}

function times(h: HandoffHistoryItem): string[] {
  const t = (label: string, v: number | null): string[] => (v === null ? [] : [`${label} ${formatSeconds(v)}`]);
  return [
    ...t('total', h.totalSeconds),
    ...t('drain', h.drainSeconds),
    ...t('seal', h.sealSeconds),
    ...t('begin to ready', h.beginToReadySeconds),
  ];
}

export class HandoffItem extends vscode.TreeItem {
  /** For `handoffJournal.showLog`: the journal and this handoff. */
  readonly uri: vscode.Uri;
  readonly handoffId: string;
  constructor(
    journal: string,
    readonly handoff: HandoffHistoryItem,
  ) {
    super(cleanText(outcomeText(handoff)), vscode.TreeItemCollapsibleState.None);
    const h = handoff;
    this.uri = vscode.Uri.file(journal);
    this.handoffId = h.id;
    this.id = `handoff\u0000${journal}\u0000${h.id}`;
    const when = h.start !== null ? new Date(h.start) : undefined;
    this.description = [when ? shortAge(h.start ?? undefined, Date.now()) : '', h.id.slice(0, 8)].filter(Boolean).join(' · ');
    const failed = h.outcome !== 'committed';
    this.iconPath = failed ? new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')) : new vscode.ThemeIcon('pass');
    this.tooltip = [`handoff ${h.id}`, when ? `started ${when.toISOString()}` : 'start not logged', outcomeText(h), ...times(h)]
      .map(cleanText)
      .join('\n');
    this.contextValue = `handoff-${h.outcome}`;
    this.command = {
      command: 'handoffJournal.showLog',
      title: 'Show Supervisor Log for This Handoff',
      arguments: [{ uri: this.uri, handoffId: h.id }],
    };
  }
}

/** A line that is not a handoff: nothing yet, or why the log could not be read. */
export class HistoryNote extends vscode.TreeItem {
  constructor(text: string, icon: string) {
    super(cleanText(text), vscode.TreeItemCollapsibleState.None);
    this.iconPath = new vscode.ThemeIcon(icon);
    this.tooltip = cleanText(text);
    this.contextValue = 'history-note';
  }
}

export class HistoryItem extends vscode.TreeItem {
  constructor(readonly service: ServiceInfo) {
    super('History', vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `history\u0000${service.config}`;
    this.iconPath = new vscode.ThemeIcon('history');
    this.description = 'from the supervisor’s log';
    this.tooltip = cleanText(
      `${service.name}: the handoffs its supervisor's log shows (journald, or handoffJournal.supervisor.logFiles), newest first`,
    );
    this.contextValue = 'history';
  }

  /** Asks the server (which reads on in the log and joins it into the journal's history). */
  async children(ctx: Ctx): Promise<vscode.TreeItem[]> {
    let r: HandoffHistoryResult;
    try {
      const client = await ctx.client();
      r = await client.sendRequest(HandoffHistoryRequest, { config: this.service.config, limit: 50 });
    } catch (e) {
      return [new HistoryNote(`cannot ask the server: ${e instanceof Error ? e.message : String(e)}`, 'warning')];
    }
    const journal = r.journal ?? this.service.journal ?? conventionalJournal(this.service.name);
    const items: vscode.TreeItem[] = r.handoffs.map((h) => new HandoffItem(journal, h));
    if (r.error !== undefined) items.push(new HistoryNote(r.error, 'warning'));
    else if (items.length === 0) items.push(new HistoryNote('no handoff in the supervisor’s log (last 24 hours)', 'info'));
    return items;
  }
}
