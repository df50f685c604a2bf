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

/**
 * A path as a prompt names it: with the file it really is (from the server, symlinks
 * resolved) when that is another path, so a change is never confirmed for a name that
 * hides where it lands.
 */
export function shownPath(path: string, realPath?: string): string {
  return realPath !== undefined && realPath !== path ? `${path} (resolves to ${realPath})` : path;
}

export interface ResetPlan {
  path: string;
  /** The file the path really is, when another (from the server). */
  realPath?: string;
  from: Phase | undefined;
  to: Phase;
  newId: boolean;
  now: boolean;
}

export function resetConfirmation(p: ResetPlan): string {
  const extras = [p.newId ? 'a new random handoff_id' : '', p.now ? 'started_at set to now' : ''].filter(Boolean);
  return `Reset ${shownPath(p.path, p.realPath)}: ${p.from ?? '?'} -> ${p.to}${extras.length ? `, with ${extras.join(' and ')}` : ''}?`;
}

export function resetDetail(p: ResetPlan): string {
  return `The journal is rewritten atomically (temp file, fsync, rename, fsync of the directory) in its own encoding. The previous bytes are kept so Undo Last Change can restore them.\n\nAfter: ${PHASE_INFO[p.to].meaning}`;
}

export function forceConfirmation(action: string, reason: string, realPath?: string): string {
  const lands = realPath !== undefined ? `\n\nThe file it changes is ${realPath} (the path resolves there).` : '';
  return `${action} is refused: ${reason}${lands}\n\nForce it anyway?`;
}

export function deleteConfirmation(path: string, phase: Phase | undefined, realPath?: string): string {
  return `Delete the journal ${shownPath(path, realPath)}${phase ? ` (phase ${phase})` : ''}?`;
}

/** The error of a change refused for permission, before Retry as Sudo… (which acts on the real path as root). */
export function sudoOfferText(message: string, realPath?: string): string {
  return realPath !== undefined ? `${message} As root it changes ${realPath} (the path resolves there).` : message;
}

export const DELETE_DETAIL =
  'A supervisor that restarts finds no journal and treats it as "no handoff in flight". A leftover temp file next to it is removed too. Undo Last Change restores the bytes.';
