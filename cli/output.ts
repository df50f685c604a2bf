/** Text, JSON and SVG output of the CLI, and the stdout/stderr seam. */
import { journalToJsonText, render, type HistoryEntry, type ProcessInfo } from '../shared/journal';
import { renderDiagram } from '../shared/diagram';
import type { Inspection } from '../shared/journal/node';
import { cleanText, escapeJsonText } from '../shared/util';

export interface Output {
  stdout(s: string): void;
  stdoutBytes(b: Uint8Array): void;
  /** Our own text for stderr (help, usage), written as it is. */
  stderr(s: string): void;
  /** One error line, `handoff-journal: <message>`: the message names paths and values, so it is sanitised into one line. */
  error(message: string): void;
  color: boolean;
}

export function processOutput(): Output {
  return {
    stdout: (s) => void process.stdout.write(s),
    stdoutBytes: (b) => void process.stdout.write(b),
    stderr: (s) => void process.stderr.write(s),
    // Messages name paths, link targets and config values: nothing in them may drive
    // the terminal or start a line of its own.
    error: (m) => void process.stderr.write(`handoff-journal: ${cleanText(m)}\n`),
    color: process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb',
  };
}

const SGR: Record<string, string> = { error: '31', warning: '33', information: '36' };

/** Colours the severity word of finding rows (`  error ...`): our colour, on our own text. */
export function colourSeverities(text: string): string {
  return text.replace(/^( {2})(error|warning|information)\b/gm, (_m, sp: string, sev: string) => `${sp}\x1b[${SGR[sev]}m${sev}\x1b[0m`);
}

export function showText(
  ins: Inspection,
  o: { raw: boolean; now: number; process: ((pid: number) => ProcessInfo) | undefined },
  out: Output,
): void {
  const { text } = render({
    path: ins.path,
    file: ins.file,
    findings: ins.findings,
    now: o.now,
    raw: o.raw,
    ...(ins.decoded ? { decoded: ins.decoded } : {}),
    ...(o.process ? { process: o.process } : {}),
  });
  out.stdout(out.color ? colourSeverities(text) : text);
}

/**
 * One JSON object. `journal` uses serde_json's field names and order and exact
 * integers, so it is spliced in as text rather than passed through JSON.stringify.
 */
export function showJson(ins: Inspection, folder?: { journals: string[] }): string {
  const head = {
    path: ins.path,
    encoding: ins.decoded?.encoding ?? null,
    size: ins.file.state === 'ok' ? ins.file.bytes.length : null,
  };
  const findings = ins.findings.map((f) => ({ severity: f.severity, code: f.code, message: f.message }));
  let journal = 'null';
  let error: unknown = null;
  if (ins.decoded?.ok) journal = journalToJsonText(ins.decoded.journal);
  else if (ins.decoded) error = { kind: ins.decoded.kind, offset: ins.decoded.offset, message: ins.decoded.message };
  else if (ins.file.state === 'missing')
    error = {
      kind: 'missing',
      offset: null,
      message: `no journal at ${ins.path}: no handoff in flight${ins.file.note ? ` (${ins.file.note})` : ''}`,
    };
  else if (folder && ins.fileError) error = { kind: 'directory', offset: null, message: ins.fileError.message, journals: folder.journals };
  else if (ins.fileError) error = { kind: ins.fileError.kind, offset: null, message: ins.fileError.message };
  const h = JSON.stringify(head);
  // jsonText's escaping over the whole text: C1 controls, bidi and separators from paths and messages become \u escapes.
  return escapeJsonText(
    `${h.slice(0, -1)},"journal":${journal},"findings":${JSON.stringify(findings)},"error":${JSON.stringify(error)}}\n`,
  );
}

/** The state-machine diagram as a standalone SVG (one observation: now, saying what was seen). */
export function showSvg(ins: Inspection, now: number): string {
  const d = ins.decoded;
  const phase = ins.file.state === 'missing' ? null : d?.ok ? d.journal.phase : undefined;
  const seen: Pick<HistoryEntry, 'message' | 'label'> =
    ins.file.state === 'missing'
      ? { message: 'no journal: no handoff in flight' }
      : ins.file.state === 'error'
        ? { label: 'unreadable', message: `unreadable: ${ins.file.message}` }
        : d && !d.ok
          ? { label: 'undecodable', message: `undecodable: ${d.message}` }
          : { message: 'observed by handoff-journal show' };
  const history: HistoryEntry[] = [{ at: now, phase: phase ?? null, verdict: phase === undefined ? 'error' : 'none', ...seen }];
  return `${renderDiagram({ phase, title: ins.path, findings: ins.findings, history }, now)}\n`;
}
