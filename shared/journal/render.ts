/**
 * Renders a journal (or the reason it cannot be read) as the text of the decoded
 * read-only view and of `handoff-journal show`. Pure and deterministic for the same
 * inputs and clock. Also returns which line holds which field, for diagnostics,
 * hovers and lenses.
 */
import type { DecodeResult, FieldRanges } from './codec/types';
import { FIELDS, PHASES, type FieldName, type Journal, type ProcessInfo } from './model';
import { PHASE_INFO } from './phaseInfo';
import { formatAge, cleanText } from '../util';
import type { Finding } from './findings';
import type { FileState, HistoryEntry } from './history';
import { formatUuid, isNilUuid, uuidVariant, uuidVersion } from './uuid';

export interface RenderInput {
  path: string;
  file: FileState;
  decoded?: DecodeResult;
  findings: Finding[];
  now: number;
  process?: (pid: number) => ProcessInfo;
  /** Observed phase history; omitted (CLI) when there is none to show. */
  history?: HistoryEntry[];
  /** Hex dump section. */
  raw: boolean;
}

/** `lastChange`: the newest history entry, where a transition finding belongs. */
export type LineKey = FieldName | 'header' | 'status' | 'error' | 'findings' | 'history' | 'lastChange' | 'raw' | 'tmp';

export interface Rendered {
  text: string;
  /** 0-based line of each field / section that exists in the text. */
  lines: Partial<Record<LineKey, number>>;
}

const LABEL_WIDTH = 20;

function row(label: string, value: string): string {
  return `${label.padEnd(LABEL_WIDTH)}${value}`;
}

export function hex(b: Uint8Array, start = 0, end = b.length): string {
  const out: string[] = [];
  for (let i = start; i < end; i++) out.push((b[i] as number).toString(16).padStart(2, '0'));
  return out.join(' ');
}

const DATE_LIMIT_MS = 8_640_000_000_000_000n;

export function isoTime(ms: bigint): string {
  // Date covers +-8.64e15 ms; beyond that (either way) there is no calendar reading, and
  // toISOString would throw.
  if (ms > DATE_LIMIT_MS || ms < -DATE_LIMIT_MS) return 'beyond the representable date range';
  return new Date(Number(ms)).toISOString();
}

function describeProcess(pid: number, proc: ((pid: number) => ProcessInfo) | undefined): string {
  if (pid === 0) return 'no process';
  if (!proc) return 'liveness unknown (no /proc)';
  const p = proc(pid);
  return p.running ? `running${p.command ? `: ${p.command}` : ''}` : 'not running on this host';
}

/** The human reading of one field, without line breaks. */
export function fieldReading(name: FieldName, j: Partial<Journal>, now: number, proc?: (pid: number) => ProcessInfo): string {
  switch (name) {
    case 'handoff_id': {
      const id = j.handoff_id;
      if (!id) return '';
      const kind = isNilUuid(id)
        ? 'nil UUID'
        : `UUID v${uuidVersion(id)}${uuidVersion(id) === 4 ? ' (random)' : ''}, ${uuidVariant(id)} variant`;
      return `${formatUuid(id)}  ${kind}`;
    }
    case 'phase': {
      const p = j.phase;
      if (!p) return '';
      return `${p} (${PHASES.indexOf(p)}/5)  ${PHASE_INFO[p].meaning} Next: ${PHASE_INFO[p].next}`;
    }
    case 'incumbent_pid':
      return j.incumbent_pid === undefined
        ? ''
        : `${j.incumbent_pid}  ${describeProcess(j.incumbent_pid, proc)} (the reference supervisor records its own pid here)`;
    case 'successor_pid':
      if (j.successor_pid === undefined) return '';
      return j.successor_pid === null
        ? 'None  (the reference supervisor always writes Some)'
        : `Some(${j.successor_pid})  ${describeProcess(j.successor_pid, proc)}`;
    case 'started_at_unix_ms': {
      const t = j.started_at_unix_ms;
      if (t === undefined) return '';
      return `${t}  ${isoTime(t)} (${formatAge(now - Number(t))})`;
    }
  }
}

function fieldRows(out: string[], lines: Rendered['lines'], j: Partial<Journal>, input: RenderInput): void {
  for (const f of FIELDS) {
    if (j[f] === undefined) continue;
    lines[f] = out.length;
    out.push(row(f, fieldReading(f, j, input.now, input.process)));
  }
}

function rawSection(out: string[], b: Uint8Array, ranges: FieldRanges, consumed: number | undefined): void {
  out.push('', 'Raw bytes (offset [start, end) field: hex)');
  for (const f of FIELDS) {
    const r = ranges[f];
    if (!r) continue;
    const more = r.end - r.start > 24 ? ' …' : '';
    out.push(`  [${r.start}, ${r.end})`.padEnd(14) + `${f.padEnd(LABEL_WIDTH)}${hex(b, r.start, Math.min(r.end, r.start + 24))}${more}`);
  }
  if (consumed !== undefined && consumed < b.length) {
    out.push(
      `  [${consumed}, ${b.length})`.padEnd(14) +
        `${'trailing'.padEnd(LABEL_WIDTH)}${hex(b, consumed, Math.min(b.length, consumed + 24))}${b.length - consumed > 24 ? ' …' : ''}`,
    );
  }
  out.push('');
  for (let i = 0; i < b.length; i += 16) {
    const chunk = b.subarray(i, Math.min(i + 16, b.length));
    const ascii = Array.from(chunk, (c) => (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.')).join('');
    out.push(`  ${i.toString(16).padStart(4, '0')}  ${hex(chunk).padEnd(48)} ${ascii}`);
  }
}

type Lines = Rendered['lines'];

/** The file's part of the view: no journal, why it cannot be read, or its fields (and raw bytes). */
function fileSection(out: string[], lines: Lines, input: RenderInput): void {
  const f = input.file;
  lines.status = out.length;
  if (f.state === 'missing') {
    out.push(row('status', 'no journal: no handoff in flight'));
    if (f.note) out.push(row('', f.note));
    out.push('', 'The supervisor writes this file during a handoff and deletes it when the handoff ends; its absence is the normal state.');
    return;
  }
  if (f.state === 'error') {
    out.push(row('status', 'cannot read'));
    lines.error = out.length;
    out.push(row('error', f.message));
    return;
  }
  const d = input.decoded;
  out.push(row('encoding', `${d ? d.encoding : 'unknown'}, ${f.bytes.length} byte${f.bytes.length === 1 ? '' : 's'}`));
  lines.status = out.length;
  const counts = countFindings(input.findings);
  out.push(row('status', `${d?.ok ? 'decoded' : 'cannot decode'}${counts ? ` (${counts})` : ''}`), '');
  if (d && !d.ok) {
    lines.error = out.length;
    out.push(row('error', d.message));
    if (Object.keys(d.partial).length > 0) out.push('', 'Fields read before the error:');
    fieldRows(out, lines, d.partial, input);
  } else if (d) fieldRows(out, lines, d.journal, input);
  if (input.raw) {
    lines.raw = out.length + 1;
    rawSection(out, f.bytes, d ? d.ranges : {}, d?.ok ? d.consumed : undefined);
  }
}

function findingsSection(out: string[], lines: Lines, findings: Finding[]): void {
  if (findings.length === 0) return;
  out.push('');
  lines.findings = out.length;
  out.push('Findings');
  for (const x of findings) {
    if (x.field === 'tmp') lines.tmp = out.length;
    out.push(`  ${x.severity.padEnd(12)}${x.code}  ${x.message}`);
  }
}

function historySection(out: string[], lines: Lines, history: HistoryEntry[] | undefined): void {
  if (!history || history.length === 0) return;
  out.push('');
  lines.history = out.length;
  out.push('History (changes observed while the file was watched; [log] and [reply]: what the supervisor said)');
  for (const h of history) {
    // A transition finding belongs on the newest change the watcher saw.
    if ((h.source ?? 'watch') === 'watch') lines.lastChange = out.length;
    const mark = h.verdict === 'error' ? 'ERROR ' : h.verdict === 'info' ? 'note  ' : '      ';
    const from = h.source === 'log' ? '[log] ' : h.source === 'reply' ? '[reply] ' : '';
    out.push(`  ${new Date(h.at).toISOString()}  ${historyLabel(h).padEnd(19)} ${mark}${from}${h.message}`);
  }
}

export function render(input: RenderInput): Rendered {
  const out: string[] = [row('Handoff journal', input.path)];
  const lines: Lines = { header: 0 };
  fileSection(out, lines, input);
  findingsSection(out, lines, input.findings);
  historySection(out, lines, input.history);
  // Every line goes through the one sanitiser: a path, a process name or a message can
  // carry a newline or an escape sequence, and must not add, hide or move a line.
  return { text: out.map(cleanText).join('\n') + '\n', lines };
}

function countFindings(fs: Finding[]): string {
  const n = (s: string): number => fs.filter((f) => f.severity === s).length;
  const parts: string[] = [];
  for (const [s, label] of [
    ['error', 'error'],
    ['warning', 'warning'],
    ['information', 'note'],
  ] as const) {
    const c = n(s);
    if (c > 0) parts.push(`${c} ${label}${c === 1 ? '' : 's'}`);
  }
  return parts.join(', ');
}

/** The state a history entry shows: its phase, `(undecodable)`, or `(no journal)`. */
export function historyLabel(h: HistoryEntry): string {
  return h.phase ?? (h.label ? `(${h.label})` : '(no journal)');
}
