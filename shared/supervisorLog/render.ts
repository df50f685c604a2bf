/**
 * Plain text of one handoff's log for a read-only document or a terminal: one line
 * per log line (escape sequences made visible, never passed through), a gutter that
 * marks errors and aborts (`!`) and daemon output (`|`), and a summary; with the
 * document line of every log line, event and finding so diagnostics can be placed. Pure.
 */
import type { Phase } from '../journal';
import { visibleText } from '../util';
import type { HandoffEvent, HandoffSelection, HandoffSummary } from './handoff';
import { formatSeconds } from '../util';

export interface RenderLogOptions {
  /** Where the summary goes: before the lines (a document), after them (the CLI), or nowhere. */
  summary?: 'top' | 'bottom' | 'none';
  /** One line naming the log source, e.g. `journald: journalctl --file x _PID=7170`. */
  source?: string;
  /** Sentences about the read (what was cut short, who shares the stream), one `note` row each. */
  notes?: readonly string[];
  /** A sentence marked `!` under the outcome: the journal on disk contradicts it (trust.ts `diskContradiction`). */
  contradiction?: string;
}

export interface RenderedHandoffLog {
  text: string;
  lines: string[];
  /** Document line (0-based) of each selected log line, by log index. */
  lineOf: Map<number, number>;
  /** Document line of each `summary.events[i]`. */
  eventLines: number[];
  /** Document line of each `summary.findings[i]`. */
  findingLines: number[];
}

export const GUTTER = { mark: '! ', daemon: '| ', plain: '  ' } as const;
const LABEL = 12;

function clock(ms: number | undefined): string {
  return ms === undefined ? '--:--:--.---' : new Date(ms).toISOString().slice(11, 23);
}

function phase(p: Phase | null | undefined): string {
  return p === null ? 'no journal' : (p ?? 'unknown');
}

function journalColumn(e: HandoffEvent): string {
  return [...e.disk.passing, phase(e.disk.after)].join(' → ');
}

const STEP_EVENTS = new Set([
  'prepare',
  'drained',
  'seal',
  'seal_complete',
  'ready',
  'commit',
  'abort',
  'resume',
  'found-prior-state',
  'resumed-prior-journal',
  'supervisor-running',
  'gave-up',
]);

/** The summary block: outcome, journal at the end, durations, steps, findings. */
export function renderSummary(s: HandoffSummary, source?: string, extra: Pick<RenderLogOptions, 'notes' | 'contradiction'> = {}): string[] {
  const row = (k: string, v: string): string => `${k.padEnd(LABEL)}${visibleText(v)}`;
  const out = [row('handoff', s.id)];
  if (source !== undefined) out.push(row('source', source));
  for (const n of extra.notes ?? []) out.push(row('note', n));
  out.push(row('outcome', s.sentence));
  if (extra.contradiction !== undefined) out.push(`! ${visibleText(extra.contradiction)}`);
  out.push(row('journal', `${phase(s.diskAtEnd)} (what the log implies is on disk at its end)`));
  const d = s.durations;
  const parts = [
    d.drainSeconds !== undefined ? `drain ${formatSeconds(d.drainSeconds)}` : '',
    d.sealSeconds !== undefined ? `seal ${formatSeconds(d.sealSeconds)}` : '',
    d.beginToReadySeconds !== undefined ? `begin→ready ${formatSeconds(d.beginToReadySeconds)}` : '',
    d.totalSeconds !== undefined ? `total ${formatSeconds(d.totalSeconds)}` : '',
  ].filter((x) => x !== '');
  if (parts.length > 0) out.push(row('durations', parts.join(', ')));
  if (s.drainGraceMs !== undefined || s.deadlineMs !== undefined)
    out.push(
      row(
        'limits',
        `drain grace ${(s.drainGraceMs ?? NaN) / 1000} s, deadline ${((s.deadlineMs ?? NaN) / 1000).toFixed(1)} s left at prepare`,
      ),
    );
  out.push('steps');
  for (const e of s.events.filter((x) => STEP_EVENTS.has(x.kind))) {
    const took = e.seconds !== undefined ? formatSeconds(e.seconds) : '';
    out.push(`  ${clock(e.unixMs)}  ${e.name.padEnd(22)} ${took.padEnd(10)} journal: ${journalColumn(e)}`);
  }
  if (s.findings.length > 0) {
    out.push('findings');
    for (const f of s.findings) out.push(`  ${f.severity.padEnd(12)}${f.code}  ${visibleText(f.message)}`);
  }
  return out;
}

function marked(summary: HandoffSummary): Set<number> {
  return new Set(summary.findings.filter((f) => f.severity !== 'information').map((f) => f.line));
}

/** Renders the selected lines (and the summary) as text with line maps. */
export function renderHandoffLog(sel: HandoffSelection, summary: HandoffSummary, opts: RenderLogOptions = {}): RenderedHandoffLog {
  const where = opts.summary ?? 'top';
  const lines: string[] = [];
  if (where === 'top') lines.push(...renderSummary(summary, opts.source, opts), '', 'log');
  const lineOf = new Map<number, number>();
  const marks = marked(summary);
  let previous: { index: number; kind: string } | undefined;
  for (const { line, role } of sel.lines) {
    if (previous !== undefined && line.index > previous.index + 1)
      lines.push(`  … ${line.index - previous.index - 1} lines not about this handoff …`);
    if (line.kind === 'output' && previous?.kind !== 'output') lines.push('  -- daemon output (not the supervisor) --');
    const gutter = marks.has(line.index) ? GUTTER.mark : role === 'daemon-output' ? GUTTER.daemon : GUTTER.plain;
    lineOf.set(line.index, lines.length);
    lines.push(gutter + visibleText(line.raw) + (line.cut ? ` … [${line.cut} characters cut]` : ''));
    previous = line;
  }
  if (where === 'bottom') lines.push('', ...renderSummary(summary, opts.source, opts));
  const at = (index: number): number => lineOf.get(index) ?? 0;
  return {
    text: lines.join('\n') + '\n',
    lines,
    lineOf,
    eventLines: summary.events.map((e) => at(e.index)),
    findingLines: summary.findings.map((f) => at(f.line)),
  };
}
