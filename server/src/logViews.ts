/**
 * "Show Supervisor Log for This Handoff": the supervisor's own log lines for a journal's
 * handoff, as a read-only document (`handoff-journal-log:` URIs) with its findings as
 * diagnostics. The log is looked up where the supervisor writes it, in this order:
 * journald (by the journal's `incumbent_pid`, the supervisor's own pid, and its unit),
 * a log file per service from settings, a command from settings (trusted workspaces
 * only). Opening the view joins its events into the journal's observed history, so the
 * decoded view and the diagram tell one story; reading its text only reads.
 */
import { type ServerSettings, ClientCommands, toFileUri } from '../../shared/protocol';
import { Command, type CodeLens, type Diagnostic } from 'vscode-languageserver';
import { type HistoryEntry, codeInfo, formatUuid, type Finding } from '../../shared/journal';
import { renderHandoffLog, type HandoffSummary } from '../../shared/supervisorLog';
import { cleanText, shellLine } from '../../shared/util';
import { findHandoffLog, type HandoffLogRequest, type HandoffLogResult } from '../../shared/supervisorLog/node';
import type { JournalStore, TrackedJournal } from './journalStore';
import type { SupervisorRegistry } from './supervisors';
import { diagnosticAt } from './view';

export interface LogView {
  text: string;
  diagnostics: Diagnostic[];
  /** The handoff the view is about, when one could be named. */
  handoffId?: string;
  /** The source failure, for the client to offer the sudo command. */
  sudoCommand?: string;
  /** What the log said, for `join` (server-side only). */
  summary?: HandoffSummary;
}

/** The handoff a journal is about: its decoded id, else the last id it was seen with. */
function currentId(j: TrackedJournal): string | undefined {
  const d = j.inspection.decoded;
  if (d?.ok) return formatUuid(d.journal.handoff_id);
  return [...j.history].reverse().find((h) => h.handoffId)?.handoffId;
}

function substitute(argv: readonly string[], vars: Record<string, string>): string[] {
  return argv.map((a) => a.replace(/\$\{(handoffId|pid|service|journal)\}/g, (_m, k: string) => vars[k] ?? ''));
}

/** The log's events as history entries: each at its own time, with the phase it left on disk. */
export function logHistory(summary: HandoffSummary): HistoryEntry[] {
  return summary.events
    .filter((e) => e.unixMs !== undefined)
    .map((e) => ({
      at: e.unixMs as number,
      phase: e.disk.after ?? null,
      label: e.name,
      verdict: e.level === 'ERROR' ? 'error' : e.kind === 'abort' ? 'info' : 'none',
      message: `${e.name}: ${e.message}`,
      handoffId: summary.id,
      source: 'log',
    }));
}

/** The log's telling findings (abort reason, errors, log ends mid-handoff) for the decoded view. */
export function logFindings(summary: HandoffSummary): Finding[] {
  return summary.findings
    .filter((f) => codeInfo(f.code).journalView)
    .map((f) => ({ severity: f.severity, code: f.code, field: 'history', message: `supervisor log: ${f.message}` }));
}

export class LogViews {
  constructor(
    private readonly store: JournalStore,
    private readonly registry: SupervisorRegistry,
    private readonly settings: () => ServerSettings,
  ) {}

  /** What to ask for the handoff `id` (default: the journal's own) of the journal at `path`. */
  private request(j: TrackedJournal, id: string): HandoffLogRequest {
    const s = this.settings();
    const d = j.inspection.decoded;
    const own = d?.ok && formatUuid(d.journal.handoff_id) === id ? d.journal : undefined;
    const service = this.registry.serviceOf(j.path);
    const logFile = Object.hasOwn(s.logFiles, service) ? s.logFiles[service] : undefined;
    const vars = { handoffId: id, pid: own ? String(own.incumbent_pid) : '', service, journal: j.path };
    return {
      id,
      ...(own ? { pid: own.incumbent_pid, startedAtMs: Number(own.started_at_unix_ms) } : {}),
      ...(logFile ? { logFile } : {}),
      // A command from settings runs only where the workspace is trusted.
      ...(s.trusted && s.logCommand.length > 0 ? { command: substitute(s.logCommand, vars) } : {}),
    };
  }

  /** The log view of `path`'s handoff `id` (default: the journal's current or last one). */
  async view(path: string, id?: string): Promise<LogView> {
    const j = await this.store.track(path);
    const handoff = id?.toLowerCase() ?? currentId(j);
    if (!handoff) {
      return {
        text: `Supervisor log of ${cleanText(path)}\n\nNo handoff to look up: there is no journal, and none was seen while the file was watched. Open the log from a trigger reply, or run: handoff-journal log --id UUID\n`,
        diagnostics: [],
      };
    }
    const r = await findHandoffLog(this.request(j, handoff));
    return { ...render(path, handoff, r), ...(r.ok ? { summary: r.summary } : {}) };
  }

  /**
   * Joins what a log view read into its journal's history and findings: the explicit step
   * taken when the client opens the view (reading its text changes nothing).
   */
  join(path: string, v: LogView): boolean {
    if (!v.summary || v.handoffId === undefined) return false;
    this.store.addHistory(path, logHistory(v.summary));
    this.store.setLogFindings(path, v.handoffId, logFindings(v.summary));
    return true;
  }
}

/** On a log view the user may not read (not in systemd-journal/adm): read it through sudo. */
export function logLenses(uri: string, v: LogView | undefined): CodeLens[] {
  if (!v?.sudoCommand) return [];
  const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return [
    {
      range: top,
      command: Command.create('Retry as Sudo… (read the log in a terminal)', ClientCommands.showLogWithSudo, toFileUri(uri), v.handoffId),
    },
  ];
}

function render(path: string, id: string, r: HandoffLogResult): LogView {
  if (!r.ok) {
    const f = r.failure;
    const sudo = f.sudoCommand ? shellLine(f.sudoCommand) : undefined;
    const lines = [
      `Supervisor log of handoff ${id}`,
      `journal             ${cleanText(path)}`,
      '',
      `No log lines for this handoff: ${cleanText(f.message)}`,
      ...(sudo ? ['', `To read it as root: ${sudo}`] : []),
      '',
      'Sources tried, in order:',
      ...r.tried.map((t) => `  ${t.source.padEnd(9)} ${t.reason}: ${cleanText(t.message)}`),
      '',
      'Set handoffJournal.supervisor.logFiles (a log file per service) or handoffJournal.supervisor.logCommand if the supervisor logs elsewhere.',
    ];
    return { text: `${lines.map(cleanText).join('\n')}\n`, diagnostics: [], handoffId: id, ...(sudo ? { sudoCommand: sudo } : {}) };
  }
  const doc = renderHandoffLog(r.selection, r.summary, { summary: 'top', source: r.source.sourceDescription });
  const diagnostics = r.summary.findings.map((f, i) => diagnosticAt(doc.text, doc.findingLines[i] ?? 0, f));
  return { text: doc.text, diagnostics, handoffId: id };
}
