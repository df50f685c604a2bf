/**
 * The journal model: mirrors `StateJournal` and `Phase` in `src/state.rs` of the
 * Rust `handoff` crate (beyondoss/handoff; docs/journal-semantics.md summarises it). Pure: no I/O.
 */

/** The six phases, in Rust declaration order (the postcard variant index). */
export const PHASES = ['Negotiating', 'Draining', 'Sealing', 'AwaitingReady', 'Committed', 'ResumingAfterAbort'] as const;

export type Phase = (typeof PHASES)[number];

/** Mirrors `StateJournal`. Field names and order are serde's. */
export interface Journal {
  /** `HandoffId(uuid::Uuid)`: 16 raw bytes in RFC order. */
  handoff_id: Uint8Array;
  phase: Phase;
  /** u32. The reference supervisor writes its own pid here. */
  incumbent_pid: number;
  /** `Option<u32>`: null is `None`. */
  successor_pid: number | null;
  /** u64 unix milliseconds; a bigint so values above 2^53 stay exact. */
  started_at_unix_ms: bigint;
}

export const U32_MAX = 0xffff_ffff;
export const U64_MAX = (1n << 64n) - 1n;

/** The encodings a journal can be written in. */
export const ENCODINGS = ['postcard', 'msgpack', 'msgpack-named', 'json'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** Field names in serde order. */
export const FIELDS = ['handoff_id', 'phase', 'incumbent_pid', 'successor_pid', 'started_at_unix_ms'] as const;
export type FieldName = (typeof FIELDS)[number];

export function isPhase(value: string): value is Phase {
  return (PHASES as readonly string[]).includes(value);
}

export function phaseIndex(phase: Phase): number {
  return PHASES.indexOf(phase);
}

/** Finds a phase by name, case-insensitively, for command-line and UI input. */
export function parsePhaseName(input: string): Phase | undefined {
  const wanted = input.replace(/[-_\s]/g, '').toLowerCase();
  return PHASES.find((p) => p.toLowerCase() === wanted);
}

export function isU32(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= U32_MAX;
}

/**
 * The nine-variant `Phase` of an earlier development version of the crate: the same
 * record otherwise (and a `write_atomic` without fsync). Its indices 0..5 read as valid
 * current phases and cannot be told apart; 6..8, and the names it alone had, can.
 */
export const LEGACY_PHASES = [
  'Idle',
  'Negotiating',
  'Draining',
  'Sealing',
  'Beginning',
  'AwaitingReady',
  'Committed',
  'Aborting',
  'ResumingAfterAbort',
] as const;

const LEGACY_ONLY = new Set<string>(LEGACY_PHASES.filter((p) => !isPhase(p)));

/**
 * What an unknown phase meant in the nine-variant development version, as a sentence
 * to append to the decode error; empty when it says nothing (indices 0..5, other names).
 */
export function legacyPhaseNote(phase: number | string): string {
  const name =
    typeof phase === 'number' ? (phase >= PHASES.length ? LEGACY_PHASES[phase] : undefined) : LEGACY_ONLY.has(phase) ? phase : undefined;
  if (name === undefined) return '';
  const where = typeof phase === 'number' ? `index ${phase} was ${name}` : `${name} was a phase`;
  return ` In the nine-variant Phase of an earlier development version of the handoff crate (${LEGACY_PHASES.join(', ')}) ${where}: that version probably wrote this file (it also did not fsync its writes).`;
}

/** What the process table says about a pid: running (with its command) or not; undefined = cannot tell. */
export interface ProcessInfo {
  running: boolean;
  command?: string;
}
