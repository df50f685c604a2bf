/**
 * Hovers, code lenses, quick fixes and document symbols on the decoded view. Each takes
 * the tracked journal and its rendered view and returns LSP types.
 */
import {
  CodeActionKind,
  Command,
  type CodeAction,
  type CodeLens,
  DocumentSymbol,
  MarkupKind,
  SymbolKind,
  type Diagnostic,
  type Hover,
  type Position,
} from 'vscode-languageserver';
import { type DecodeResult, FIELDS, type FieldName, type Phase, ON_RESTART, PHASE_INFO, hex } from '../../shared/journal';
import { ClientCommands } from '../../shared/protocol';
import type { TrackedJournal } from './journalStore';
import { pathToFileUri } from './uris';
import { cleanText } from '../../shared/util';
import { lineRange, type View } from './view';

const FIELD_DOC: Record<FieldName, string> = {
  handoff_id: 'A fresh random (v4) UUID per handoff (`HandoffId(uuid::Uuid)`), postcard-encoded as length 16 + 16 raw bytes.',
  phase: 'The last acknowledged protocol step (`Phase`), postcard-encoded as the variant index.',
  incumbent_pid:
    'A u32. The reference supervisor fills it with its own process id (`std::process::id()`), which is the incumbent only when the supervisor embeds it.',
  successor_pid: '`Option<u32>`: the new process N. The reference supervisor always writes `Some`.',
  started_at_unix_ms: 'A u64: wall-clock unix milliseconds when the handoff began. Never changes within one handoff.',
};

/** Escapes text from a journal (or a path) for Markdown, so nothing in it is interpreted. */
export function escapeMarkdown(s: string): string {
  return cleanText(s).replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) => `\\${c}`);
}

function fieldAt(view: View, line: number): FieldName | undefined {
  return FIELDS.find((f) => view.rendered.lines[f] === line);
}

function rawBytes(d: DecodeResult | undefined, bytes: Uint8Array | undefined, f: FieldName): string {
  const r = d?.ranges[f];
  if (!r || !bytes) return '';
  return `\n\nBytes \`[${r.start}, ${r.end})\`: \`${hex(bytes, r.start, Math.min(r.end, r.start + 48))}${r.end - r.start > 48 ? ' …' : ''}\` (${d?.encoding})`;
}

export function hover(j: TrackedJournal, view: View, pos: Position): Hover | null {
  const f = fieldAt(view, pos.line);
  const ins = j.inspection;
  const bytes = ins.file.state === 'ok' ? ins.file.bytes : undefined;
  const range = lineRange(view.rendered.text, pos.line);
  if (f) {
    let value = `**\`${f}\`**: ${FIELD_DOC[f]}${rawBytes(ins.decoded, bytes, f)}`;
    const phase = ins.decoded?.ok ? ins.decoded.journal.phase : (ins.decoded?.partial.phase as Phase | undefined);
    if (f === 'phase' && phase) {
      const info = PHASE_INFO[phase];
      value += `\n\n**${phase}**: ${info.meaning}\n\n**Next, in a running handoff:** ${info.next}\n\n**After a supervisor restart:** ${ON_RESTART}`;
    }
    return { contents: { kind: MarkupKind.Markdown, value }, range };
  }
  const finding = view.findings.find((_x, i) => view.diagnostics[i]?.range.start.line === pos.line);
  if (finding)
    return {
      contents: { kind: MarkupKind.Markdown, value: `**${finding.code}** (${finding.severity}): ${escapeMarkdown(finding.message)}` },
      range,
    };
  return null;
}

/** Lenses on the first line; the ones that change files only where the workspace is trusted. */
export function codeLenses(j: TrackedJournal, view: View, trusted = true): CodeLens[] {
  const uri = pathToFileUri(j.path);
  const top = lineRange(view.rendered.text, 0);
  const lenses: CodeLens[] = [];
  if (j.inspection.file.state === 'ok') {
    if (trusted && j.inspection.decoded?.ok)
      lenses.push({ range: top, command: Command.create('Reset phase…', ClientCommands.resetPhase, uri) });
    if (trusted) lenses.push({ range: top, command: Command.create('Delete journal', ClientCommands.deleteJournal, uri) });
    lenses.push({ range: top, command: Command.create('Show raw bytes', ClientCommands.showRawBytes, uri) });
  }
  lenses.push({ range: top, command: Command.create('Show diagram', ClientCommands.showDiagram, uri) });
  lenses.push({ range: top, command: Command.create('Show supervisor log', ClientCommands.showLog, uri) });
  // A journal this user cannot read (a root-only folder): show it through sudo instead.
  if (j.inspection.fileError?.kind === 'permission')
    lenses.unshift({ range: top, command: Command.create('Show with sudo in Terminal', ClientCommands.showWithSudo, uri) });
  if (trusted && j.inspection.tmpExists)
    lenses.push({ range: top, command: Command.create('Delete leftover temp file', ClientCommands.deleteTmpFile, uri) });
  return lenses;
}

export function codeActions(j: TrackedJournal, diagnostics: Diagnostic[]): CodeAction[] {
  const uri = pathToFileUri(j.path);
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    const fix = (d.data as { fix?: string } | undefined)?.fix;
    if (fix === 'delete-tmp') {
      out.push({
        title: 'Delete the leftover temp file',
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: true,
        command: Command.create('Delete the leftover temp file', ClientCommands.deleteTmpFile, uri),
      });
    } else if (fix === 'delete-journal') {
      out.push({
        title: 'Delete this journal…',
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        command: Command.create('Delete this journal…', ClientCommands.deleteJournal, uri),
      });
    }
  }
  return out;
}

export function documentSymbols(view: View): DocumentSymbol[] {
  const text = view.rendered.text;
  const out: DocumentSymbol[] = [];
  for (const f of FIELDS) {
    const line = view.rendered.lines[f];
    if (line === undefined) continue;
    const r = lineRange(text, line);
    const detail = (text.split('\n')[line] ?? '').slice(20).split('  ')[0] ?? '';
    out.push(DocumentSymbol.create(f, detail, SymbolKind.Field, r, { start: r.start, end: { line, character: f.length } }));
  }
  for (const [key, name] of [
    ['findings', 'Findings'],
    ['history', 'History'],
    ['raw', 'Raw bytes'],
  ] as const) {
    const line = view.rendered.lines[key];
    if (line !== undefined) out.push(DocumentSymbol.create(name, '', SymbolKind.Namespace, lineRange(text, line), lineRange(text, line)));
  }
  return out;
}
