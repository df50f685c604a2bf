/**
 * `handoff-journal trigger --json`: one object saying what came of a trigger (outcome,
 * class, handoff id, reason, the phases seen in the journal with their times, the reply
 * line), written by the CLI and read back by the editor after Retry as Sudo… (it runs
 * the CLI as root with --json). The reader checks every field: the text comes from
 * another process. Pure.
 */
import { isPhase, type Phase } from '../journal';
import { jsonText } from '../util';
import { describeTriggerReply, type ParsedTriggerReply } from './triggerReply';
import { outcomeHandoffId, triggerClass, type TriggerClass, type TriggerOutcome, type TriggerOutcomeKind } from './triggerOutcome';

/** One phase seen on disk while the handoff ran; `phase: null` is "no journal" (deleted). */
export interface PhaseSeen {
  phase: Phase | null;
  /** Milliseconds since the line was sent. */
  at_ms: number;
  handoff_id: string | null;
}

export interface TriggerReport {
  config: string;
  service: string;
  /** The line sent, without its newline. */
  line: string;
  outcome: TriggerOutcomeKind;
  class: TriggerClass;
  handoff_id: string | null;
  /** Why it did not commit: the abort reason, or what the supervisor refused. */
  reason: string | null;
  /** The sentence that says what to do. */
  message: string;
  /** The supervisor's reply line as written, or null when none came. */
  reply: string | null;
  elapsed_ms: number;
  journal: string | null;
  phases: PhaseSeen[];
}

const TRANSPORT_KINDS = ['timeout', 'permission-denied', 'no-socket', 'not-listening', 'unreachable'];

/** The reason field: an abort's reason, else what went wrong in a few words. */
export function reasonOf(o: TriggerOutcome): string | null {
  if (o.kind === 'committed') return null;
  if (o.kind === 'aborted') return o.reason;
  if (TRANSPORT_KINDS.includes(o.kind)) return o.kind;
  return describeTriggerReply(o as ParsedTriggerReply);
}

export function triggerReport(
  o: TriggerOutcome,
  r: Omit<TriggerReport, 'outcome' | 'class' | 'handoff_id' | 'reason'> & { handoff_id?: string | null },
): TriggerReport {
  return {
    outcome: o.kind,
    class: triggerClass(o),
    handoff_id: outcomeHandoffId(o) ?? r.handoff_id ?? null,
    reason: reasonOf(o),
    message: r.message,
    reply: r.reply,
    elapsed_ms: r.elapsed_ms,
    phases: r.phases,
    config: r.config,
    service: r.service,
    journal: r.journal,
    line: r.line,
  };
}

/** The report as one line of JSON (C1, bidi and separators escaped). */
export function triggerReportText(r: TriggerReport): string {
  return `${jsonText(r)}\n`;
}

const CLASSES: readonly string[] = ['committed', 'failed', 'refused', 'unreachable', 'no-answer'];
const str = (v: unknown): v is string => typeof v === 'string';
const strOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

function phasesOf(v: unknown): PhaseSeen[] | undefined {
  if (!Array.isArray(v) || v.length > 1000) return undefined;
  const out: PhaseSeen[] = [];
  for (const p of v as unknown[]) {
    const o = p as Record<string, unknown>;
    if (typeof p !== 'object' || p === null || typeof o.at_ms !== 'number' || !strOrNull(o.handoff_id)) return undefined;
    if (!(o.phase === null || (str(o.phase) && isPhase(o.phase)))) return undefined;
    out.push({ phase: o.phase, at_ms: o.at_ms, handoff_id: o.handoff_id });
  }
  return out;
}

/** The report in a CLI's stdout (the last line that is one), or undefined. */
export function parseTriggerReport(stdout: string): TriggerReport | undefined {
  const lines = stdout
    .slice(-256 * 1024)
    .split('\n')
    .filter((l) => l.startsWith('{'));
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(lines[lines.length - 1] ?? '') as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const phases = phasesOf(o.phases);
  const fields = [o.config, o.service, o.line, o.outcome, o.message];
  if (!fields.every(str) || !str(o.class) || !CLASSES.includes(o.class) || phases === undefined) return undefined;
  if (![o.handoff_id, o.reason, o.reply, o.journal].every(strOrNull) || typeof o.elapsed_ms !== 'number') return undefined;
  return { ...(o as unknown as TriggerReport), phases };
}
