/**
 * `handoff-journal log`: the supervisor's log lines of one handoff (from journald, a
 * journal file or a log file), with a summary: its steps, the journal phase each left,
 * durations, the outcome and findings. Log text is printed with escape sequences made
 * visible; colour, when on, is ours (the gutter and severities), never the log's.
 */
import { formatUuid, parseUuid, type Phase } from '../shared/journal';
import { inspect, inspectOptions } from '../shared/journal/node';
import { findHandoffLog, type HandoffLogRequest, type HandoffLogResult, type LogSourceFailure } from '../shared/supervisorLog/node';
import { diskContradiction, renderHandoffLog, streamNote } from '../shared/supervisorLog';
import { EXIT } from './args';
import { colourSeverities, type Output } from './output';
import { jsonText, sudoCliLine, visibleText } from '../shared/util';

export interface LogOptions {
  file?: string;
  id?: string;
  logFile?: string;
  journalFile?: string;
  journalDir?: string;
  json: boolean;
}

interface Target {
  id: string;
  pid?: number;
  startedAtMs?: number;
  phase?: Phase;
}

/** The handoff to look for: from a journal FILE (id, supervisor pid, start) or --id. */
async function target(o: LogOptions, out: Output): Promise<Target | number> {
  if (o.file === undefined) return { id: formatUuid(parseUuid(o.id ?? '') as Uint8Array) };
  const ins = await inspect(o.file, inspectOptions({ now: Date.now() }));
  if (ins.file.state === 'missing') {
    out.error(`no journal at ${o.file}: no handoff in flight. Give the handoff id with --id UUID instead.`);
    return EXIT.io;
  }
  if (ins.file.state === 'error') return (out.error(ins.file.message), EXIT.io);
  if (!ins.decoded?.ok) return (out.error(`${o.file} does not decode as a journal: ${ins.decoded?.message ?? ''}`), EXIT.undecodable);
  const j = ins.decoded.journal;
  return { id: formatUuid(j.handoff_id), pid: j.incumbent_pid, startedAtMs: Number(j.started_at_unix_ms), phase: j.phase };
}

function request(t: Target, o: LogOptions): HandoffLogRequest {
  if (o.logFile !== undefined) return { id: t.id, journald: false, logFile: o.logFile };
  return {
    id: t.id,
    ...(t.pid !== undefined ? { pid: t.pid } : {}),
    ...(t.startedAtMs !== undefined ? { startedAtMs: t.startedAtMs } : {}),
    journald: {
      ...(o.journalFile !== undefined ? { file: o.journalFile } : {}),
      ...(o.journalDir !== undefined ? { directory: o.journalDir } : {}),
    },
  };
}

function exitFor(f: LogSourceFailure): number {
  return f.reason === 'no-lines' || f.reason === 'rotated' ? EXIT.noLines : EXIT.io;
}

function failed(r: Extract<HandoffLogResult, { ok: false }>, t: Target, o: LogOptions, argv: string[], out: Output): number {
  const f = r.failure;
  if (o.json) {
    const error = { reason: f.reason, message: f.message, command: f.command ?? null, sudoCommand: f.sudoCommand ?? null };
    out.stdout(jsonText({ id: t.id, source: null, outcome: null, events: [], findings: [], lines: [], error }) + '\n');
  }
  out.error(visibleText(f.message));
  if (f.sudoCommand) out.error(`to read it as root: ${sudoCliLine(argv)}`);
  return exitFor(f);
}

function diskRow(t: Target, o: LogOptions, logPhase: Phase | null | undefined): string[] {
  if (t.phase === undefined || o.file === undefined) return [];
  const agrees =
    logPhase === t.phase ? 'as the log implies' : `the log implies ${logPhase === null ? 'no journal' : (logPhase ?? 'nothing')}`;
  return [`${'on disk'.padEnd(12)}${t.phase} in ${visibleText(o.file)} (${agrees})`];
}

/** Our colour on our marks: the `!` gutter and the severities (the log's own escapes never pass). */
function colour(text: string): string {
  return colourSeverities(text.replace(/^! /gm, '\x1b[31m!\x1b[0m '));
}

function json(r: Extract<HandoffLogResult, { ok: true }>, rendered: ReturnType<typeof renderHandoffLog>, extra: Extras): string {
  const s = r.summary;
  return (
    jsonText({
      id: s.id,
      source: {
        kind: r.source.source,
        description: r.source.sourceDescription,
        command: r.source.command ?? null,
        truncated: r.source.truncated,
        notes: extra.notes,
      },
      outcome: s.outcome,
      sentence: s.sentence,
      contradiction: extra.contradiction ?? null,
      diskAtEnd: s.diskAtEnd ?? null,
      durations: s.durations,
      events: s.events.map((e, i) => ({ ...e, docLine: rendered.eventLines[i] })),
      findings: s.findings.map((f, i) => ({ ...f, docLine: rendered.findingLines[i] })),
      lines: r.selection.lines.map((l) => ({
        index: l.line.index,
        role: l.role,
        attribution: l.attribution,
        text: visibleText(l.line.raw),
      })),
      error: null,
    }) + '\n'
  );
}

/** What the output says besides the log: notes on the read (cut short, the shared stream) and a contradiction with the journal on disk. */
interface Extras {
  notes: string[];
  contradiction?: string;
}

function extras(r: Extract<HandoffLogResult, { ok: true }>, t: Target): Extras {
  const disk = t.phase !== undefined ? { id: t.id, phase: t.phase } : undefined;
  const contradiction = diskContradiction(r.summary, disk);
  return { notes: [...r.source.notes, streamNote(r.source.source)], ...(contradiction !== undefined ? { contradiction } : {}) };
}

export async function logCommand(o: LogOptions, argv: string[], out: Output): Promise<number> {
  const t = await target(o, out);
  if (typeof t === 'number') return t;
  const r = await findHandoffLog(request(t, o));
  if (!r.ok) return failed(r, t, o, argv, out);
  const x = extras(r, t);
  const rendered = renderHandoffLog(r.selection, r.summary, { summary: 'bottom', source: r.source.sourceDescription, ...x });
  if (o.json) out.stdout(json(r, rendered, x));
  else {
    const text = [...rendered.lines, ...diskRow(t, o, r.summary.diskAtEnd)].join('\n') + '\n';
    out.stdout(out.color ? colour(text) : text);
  }
  return EXIT.ok;
}
