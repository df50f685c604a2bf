/**
 * Pure logic behind the client's pickers and messages: which resets are legal from the
 * current phase and why, and the texts of confirmations. No `vscode` import, so it is
 * unit-tested directly.
 */
import { PHASES, type Phase, PHASE_INFO, judgeReset } from '../../shared/journal';

export interface PhaseChoice {
  phase: Phase;
  legal: boolean;
  /** Short label suffix: "current", "next step", "skips Draining", "illegal: backward". */
  verdict: string;
  /** A sentence saying why. */
  reason: string;
}

/** Each of the six phases as a reset target from `current` (same handoff id), or for a new handoff. */
export function phaseChoices(current: Phase | undefined, newId: boolean): PhaseChoice[] {
  return PHASES.map((phase): PhaseChoice => {
    const j = judgeReset(current, phase, newId);
    return { phase, legal: j.legal, verdict: j.label, reason: j.reason };
  });
}

export function phaseDetail(phase: Phase): string {
  return PHASE_INFO[phase].meaning;
}

export interface ResetPlan {
  path: string;
  from: Phase | undefined;
  to: Phase;
  newId: boolean;
  now: boolean;
}

export function resetConfirmation(p: ResetPlan): string {
  const extras = [p.newId ? 'a new random handoff_id' : '', p.now ? 'started_at set to now' : ''].filter(Boolean);
  return `Reset ${p.path}: ${p.from ?? '?'} -> ${p.to}${extras.length ? `, with ${extras.join(' and ')}` : ''}?`;
}

export function resetDetail(p: ResetPlan): string {
  return `The journal is rewritten atomically (temp file, fsync, rename, fsync of the directory) in its own encoding. The previous bytes are kept so Undo Last Change can restore them.\n\nAfter: ${PHASE_INFO[p.to].meaning}`;
}

export function forceConfirmation(action: string, reason: string): string {
  return `${action} is refused: ${reason}\n\nForce it anyway?`;
}

export function deleteConfirmation(path: string, phase: Phase | undefined): string {
  return `Delete the journal ${path}${phase ? ` (phase ${phase})` : ''}?`;
}

export const DELETE_DETAIL =
  'A supervisor that restarts finds no journal and treats it as "no handoff in flight". A leftover temp file next to it is removed too. Undo Last Change restores the bytes.';
