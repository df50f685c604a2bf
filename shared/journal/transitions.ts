/**
 * Phase-transition rules of the reference supervisor (`perform_handoff` in the Rust
 * handoff crate, summarised in journal-semantics.md). Within one handoff_id the phase
 * only moves forward along Negotiating -> Draining -> Sealing -> AwaitingReady ->
 * Committed, with ResumingAfterAbort reachable from Sealing or AwaitingReady. Pure.
 */
import { CODES, type Code } from './findings';
import { formatUuid } from './uuid';
import { PHASES, type Journal, type Phase } from './model';

/**
 * What it means to observe `row` and then `column` for the same handoff_id.
 * - `same`: no phase change.
 * - `step`: a step the supervisor makes.
 * - `jump`: forward along legal steps, with phases in between not observed (a file
 *   watcher can coalesce writes milliseconds apart).
 * - `backward`: the phase moved back; the supervisor never does this.
 * - `after-terminal`: Committed / ResumingAfterAbort are only ever followed by deletion.
 */
export type TransitionKind = 'same' | 'step' | 'jump' | 'backward' | 'after-terminal';

// prettier-ignore
export const TRANSITION_TABLE: Readonly<Record<Phase, Readonly<Record<Phase, TransitionKind>>>> = {
  //              Negotiating       Draining          Sealing           AwaitingReady     Committed         ResumingAfterAbort
  Negotiating:        { Negotiating: 'same',           Draining: 'step',           Sealing: 'jump',            AwaitingReady: 'jump',      Committed: 'jump',          ResumingAfterAbort: 'jump' },
  Draining:           { Negotiating: 'backward',       Draining: 'same',           Sealing: 'step',            AwaitingReady: 'jump',      Committed: 'jump',          ResumingAfterAbort: 'jump' },
  Sealing:            { Negotiating: 'backward',       Draining: 'backward',       Sealing: 'same',            AwaitingReady: 'step',      Committed: 'jump',          ResumingAfterAbort: 'step' },
  AwaitingReady:      { Negotiating: 'backward',       Draining: 'backward',       Sealing: 'backward',        AwaitingReady: 'same',      Committed: 'step',          ResumingAfterAbort: 'step' },
  Committed:          { Negotiating: 'after-terminal', Draining: 'after-terminal', Sealing: 'after-terminal',  AwaitingReady: 'after-terminal', Committed: 'same',     ResumingAfterAbort: 'after-terminal' },
  ResumingAfterAbort: { Negotiating: 'after-terminal', Draining: 'after-terminal', Sealing: 'after-terminal',  AwaitingReady: 'after-terminal', Committed: 'after-terminal', ResumingAfterAbort: 'same' },
};

export const TERMINAL_PHASES: readonly Phase[] = ['Committed', 'ResumingAfterAbort'];

export function isTerminal(p: Phase): boolean {
  return TERMINAL_PHASES.includes(p);
}

/** The legal single steps out of a phase (edges of the state machine). */
export function legalSteps(from: Phase): Phase[] {
  return PHASES.filter((to) => TRANSITION_TABLE[from][to] === 'step');
}

/** The phases skipped by a forward jump (the shortest legal path's inner phases). */
export function skippedPhases(from: Phase, to: Phase): Phase[] {
  const prev = new Map<Phase, Phase>();
  const queue: Phase[] = [from];
  while (queue.length > 0) {
    const p = queue.shift() as Phase;
    for (const n of legalSteps(p)) {
      if (!prev.has(n) && n !== from) {
        prev.set(n, p);
        queue.push(n);
      }
    }
  }
  const path: Phase[] = [];
  for (let p = prev.get(to); p !== undefined && p !== from; p = prev.get(p)) path.unshift(p);
  return path;
}

/**
 * The one legality rule for a proposed reset, used by the repair module (CLI and
 * server), the client's phase picker and the diagram: `legal` needs no Force.
 * - a new handoff (fresh id) is legal only at Negotiating: the supervisor writes it first;
 * - within one handoff: rewriting the same phase, a step or a forward jump are legal;
 *   moving backward, or anything after Committed / ResumingAfterAbort, needs Force.
 */
export interface ResetJudgement {
  legal: boolean;
  /** A short label: "current", "next step", "skips Draining", "illegal: backward", ... */
  label: string;
  /** A sentence saying why. */
  reason: string;
}

export function judgeReset(current: Phase | undefined, target: Phase, newHandoff: boolean): ResetJudgement {
  if (newHandoff || current === undefined) {
    return target === 'Negotiating'
      ? { legal: true, label: 'starts a new handoff', reason: 'A new handoff always starts at Negotiating.' }
      : {
          legal: false,
          label: 'illegal: a new handoff starts at Negotiating',
          reason: 'The supervisor writes Negotiating first for every new handoff_id.',
        };
  }
  switch (TRANSITION_TABLE[current][target]) {
    case 'same':
      return { legal: true, label: 'current', reason: 'Rewrites the same phase (no change).' };
    case 'step':
      return { legal: true, label: 'next step', reason: `The supervisor moves ${current} -> ${target}.` };
    case 'jump':
      return {
        legal: true,
        label: `skips ${skippedPhases(current, target).join(', ')}`,
        reason: 'Forward along the protocol, skipping phases.',
      };
    case 'backward':
      return { legal: false, label: 'illegal: backward', reason: `The supervisor never moves back from ${current}.` };
    case 'after-terminal':
      return {
        legal: false,
        label: `illegal: after ${current}`,
        reason: `After ${current} the supervisor only deletes the journal or starts a new handoff.`,
      };
  }
}

export type ObservedState = Journal | null;

/**
 * How an observed change reads, in the transition check and in every history entry
 * (watcher, log and trigger reply): nothing to say, a legal move, a note, a violation.
 */
export type Verdict = 'none' | 'ok' | 'info' | 'error';

export interface TransitionCheck {
  verdict: Verdict;
  /** Diagnostic code when the verdict is info or error. */
  code?: Code;
  message: string;
}

/** A change that is a finding: its verdict follows the code's severity in the code table. */
function flagged(code: Code, message: string): TransitionCheck {
  return { verdict: CODES[code].severity === 'error' ? 'error' : 'info', code, message };
}

function sameIdentity(a: Journal, b: Journal): string[] {
  const changed: string[] = [];
  if (a.incumbent_pid !== b.incumbent_pid) changed.push(`incumbent_pid ${a.incumbent_pid} -> ${b.incumbent_pid}`);
  if (a.successor_pid !== b.successor_pid) changed.push(`successor_pid ${a.successor_pid ?? 'None'} -> ${b.successor_pid ?? 'None'}`);
  if (a.started_at_unix_ms !== b.started_at_unix_ms) changed.push(`started_at_unix_ms ${a.started_at_unix_ms} -> ${b.started_at_unix_ms}`);
  return changed;
}

function sameId(a: Journal, b: Journal): boolean {
  return a.handoff_id.every((x, i) => x === b.handoff_id[i]);
}

/** Judges one observed change of a journal file (null = no journal on disk). */
export function checkTransition(before: ObservedState, after: ObservedState): TransitionCheck {
  if (before === null && after === null) return { verdict: 'none', message: 'still no journal' };
  if (after === null) {
    return { verdict: 'ok', message: `journal deleted after ${before?.phase}: the handoff ended or the supervisor restarted` };
  }
  if (before === null || !sameId(before, after)) {
    const what =
      before === null
        ? 'a new journal appeared'
        : `a new handoff ${formatUuid(after.handoff_id)} replaced ${formatUuid(before.handoff_id)} (${before.phase})`;
    if (after.phase === 'Negotiating') return { verdict: 'ok', message: `${what} at Negotiating` };
    // The real supervisor keeps Negotiating on disk for about a millisecond when the old
    // process has nothing to drain (journal-semantics.md, "Observed with the real
    // supervisor"): a watcher first sees such a handoff later. Not a violation.
    const unseen = ['Negotiating', ...skippedPhases('Negotiating', after.phase)];
    return flagged(
      'HJ073',
      `${what}, first observed at ${after.phase}: ${unseen.join(', ')} not observed. The supervisor writes Negotiating first; a quick phase lasts a millisecond or two and can reach a file watcher together with the next.`,
    );
  }
  const changed = sameIdentity(before, after);
  if (changed.length > 0) {
    return flagged(
      'HJ072',
      `within handoff ${formatUuid(after.handoff_id)} ${changed.join(', ')}: the supervisor never changes these during one handoff.`,
    );
  }
  const kind = TRANSITION_TABLE[before.phase][after.phase];
  switch (kind) {
    case 'same':
      return { verdict: 'none', message: `rewritten at ${after.phase}` };
    case 'step':
      return { verdict: 'ok', message: `${before.phase} -> ${after.phase}` };
    case 'jump':
      return flagged(
        'HJ070',
        `${before.phase} -> ${after.phase}: intermediate phases not observed (${skippedPhases(before.phase, after.phase).join(', ')}); writes milliseconds apart can reach a file watcher as one change.`,
      );
    case 'backward':
      return flagged(
        'HJ071',
        `${before.phase} -> ${after.phase} moves backward within one handoff: the supervisor only moves forward. Another writer or a manual edit changed this journal.`,
      );
    case 'after-terminal':
      return flagged(
        'HJ074',
        `${before.phase} -> ${after.phase}: after ${before.phase} the supervisor only deletes the journal or starts a new handoff.`,
      );
  }
}
