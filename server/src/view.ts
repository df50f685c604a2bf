/**
 * The decoded view of a tracked journal: its text (from the shared renderer) and the
 * diagnostics placed on the lines they concern. Pure over a `TrackedJournal`.
 */
import { Diagnostic, DiagnosticSeverity, type Range } from 'vscode-languageserver';
import {
  render,
  type Rendered,
  type LineKey,
  decodeJournal,
  encodeJournal,
  DEFAULT_DEADLINE_MS,
  DEFAULT_SKEW_MS,
  validate,
  type Finding,
  type ProcessInfo,
  codeInfo,
  formatUuid,
} from '../../shared/journal';
import type { DiagramInput } from '../../shared/diagram';
import type { Inspection } from '../../shared/journal/node';
import type { JournalStateParams } from '../../shared/protocol';
import { pathToFileUri } from './uris';
import { cleanText } from '../../shared/util';
import type { TrackedJournal } from './journalStore';

export interface View {
  rendered: Rendered;
  findings: Finding[];
  diagnostics: Diagnostic[];
}

export function allFindings(j: TrackedJournal): Finding[] {
  const out = j.transitionFinding ? [...j.inspection.findings, j.transitionFinding] : [...j.inspection.findings];
  // The log's reason belongs to the journal while it still holds that handoff (or is gone).
  const d = j.inspection.decoded;
  const log = j.logFindings;
  if (log && (j.inspection.file.state === 'missing' || (d?.ok && formatUuid(d.journal.handoff_id) === log.handoffId)))
    out.push(...log.findings);
  return out;
}

export function renderView(j: TrackedJournal, now: number, process?: (pid: number) => ProcessInfo): View {
  const findings = allFindings(j);
  const ins = j.inspection;
  const rendered = render({
    path: j.path,
    file: ins.file,
    findings,
    now,
    raw: true,
    history: j.history,
    ...(ins.decoded ? { decoded: ins.decoded } : {}),
    ...(process ? { process } : {}),
  });
  return { rendered, findings, diagnostics: findings.map((f) => toDiagnostic(f, rendered)) };
}

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
} as const;

export function lineRange(text: string, line: number): Range {
  const l = text.split('\n')[line] ?? '';
  return { start: { line, character: 0 }, end: { line, character: l.length } };
}

function lineFor(f: Finding, r: Rendered): number {
  const keys: LineKey[] = [];
  // A finding about the whole file (the code table says which) sits on the error line.
  if (codeInfo(f.code).wholeFile) keys.push('error');
  if (f.field) keys.push(f.field === 'file' ? 'error' : f.field === 'history' ? 'lastChange' : f.field);
  keys.push('status', 'header');
  for (const k of keys) {
    const line = r.lines[k];
    if (line !== undefined) return line;
  }
  return 0;
}

/** A finding as a diagnostic on one line of a document's text. */
export function diagnosticAt(text: string, line: number, f: Finding): Diagnostic {
  return Diagnostic.create(lineRange(text, line), cleanText(f.message), SEVERITY[f.severity], f.code, 'handoff-journal');
}

export function toDiagnostic(f: Finding, r: Rendered): Diagnostic {
  const d = diagnosticAt(r.text, lineFor(f, r), f);
  if (f.fix) d.data = { fix: f.fix };
  return d;
}

/** The summary the client shows in the status bar and the Journals view. */
export function journalState(path: string, ins: Inspection, findings: Finding[], realPath?: string): JournalStateParams {
  const d = ins.decoded;
  return {
    uri: pathToFileUri(path),
    ...(realPath !== undefined ? { realPath } : {}),
    state: ins.file.state === 'missing' ? 'missing' : ins.file.state === 'error' ? 'unreadable' : d?.ok ? 'decoded' : 'undecodable',
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    tmpExists: ins.tmpExists,
    ...(d?.ok ? { phase: d.journal.phase, startedAt: Number(d.journal.started_at_unix_ms) } : {}),
  };
}

/** What the state-machine diagram shows for a tracked journal. */
export function diagramInput(j: TrackedJournal, view: View): DiagramInput {
  const ins = j.inspection;
  const phase = ins.file.state === 'missing' ? null : ins.decoded?.ok ? ins.decoded.journal.phase : undefined;
  return { phase, history: j.history, findings: view.findings, title: j.path };
}

/**
 * Runs the first request's code once at start-up, off the critical path: decoding,
 * validating and rendering a journal, and its diagnostics. The first decoded view a user
 * opens then costs what the next ones do (JIT-compiled), not a cold start.
 */
export function warmUp(now: number): void {
  const bytes = encodeJournal(
    { handoff_id: new Uint8Array(16).fill(0x42), phase: 'Sealing', incumbent_pid: 1, successor_pid: 2, started_at_unix_ms: BigInt(now) },
    'postcard',
  );
  const decoded = decodeJournal(bytes);
  const findings = validate(decoded, { now, deadlineMs: DEFAULT_DEADLINE_MS, skewMs: DEFAULT_SKEW_MS });
  const rendered = render({ path: '/warm-up/state.bin', file: { state: 'ok', bytes }, decoded, findings, now, raw: true, history: [] });
  findings.forEach((f) => toDiagnostic(f, rendered));
}
