/**
 * Time helpers shared by every side. `clampDelay` bounds a timer taken from a config or
 * a setting: Node's timers hold at most 2^31-1 ms (about 24.8 days) and fire at once
 * (after 1 ms) for anything larger, so an unclamped `deadline_secs = 18446744073709551615`
 * would give up immediately instead of waiting. Pure.
 */

/** The longest delay `setTimeout` honours. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A finite, non-negative delay that `setTimeout` honours as given. */
export function clampDelay(ms: number): number {
  if (Number.isNaN(ms) || ms <= 0) return 0;
  return Math.min(ms, MAX_TIMER_MS);
}
