/**
 * The journal model: mirrors `StateJournal` and `Phase` in `src/state.rs` of the
 * Rust `handoff` crate (see `../shared/seed/state.rs.txt`). Pure: no I/O.
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

export function isU64(n: bigint): boolean {
  return n >= 0n && n <= U64_MAX;
}

/** Throws a RangeError when a value could not have come from the Rust struct. */
export function assertJournal(j: Journal): void {
  if (j.handoff_id.length !== 16) throw new RangeError('handoff_id must be 16 bytes');
  if (!isPhase(j.phase)) throw new RangeError(`unknown phase ${String(j.phase)}`);
  if (!isU32(j.incumbent_pid)) throw new RangeError('incumbent_pid must be a u32');
  if (j.successor_pid !== null && !isU32(j.successor_pid)) {
    throw new RangeError('successor_pid must be a u32 or null');
  }
  if (!isU64(j.started_at_unix_ms)) throw new RangeError('started_at_unix_ms must be a u64');
}
