/**
 * Time helpers shared by every side: the one place that splits a duration into days,
 * hours, minutes and seconds, and the few ways the product prints one (an age in a
 * message or the view, a short age in the status bar, a duration on the diagram, a
 * step's duration from the supervisor's log). Also `clampDelay`: Node's timers hold at
 * most 2^31-1 ms (about 24.8 days) and fire at once (after 1 ms) for anything larger,
 * so an unclamped `deadline_secs = 18446744073709551615` would give up immediately
 * instead of waiting. Pure.
 */

/** The longest delay `setTimeout` honours. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A finite, non-negative delay that `setTimeout` honours as given. */
export function clampDelay(ms: number): number {
  if (Number.isNaN(ms) || ms <= 0) return 0;
  return Math.min(ms, MAX_TIMER_MS);
}

const UNITS = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
] as const;

export type TimeUnit = (typeof UNITS)[number][0];

export interface UnitCount {
  unit: TimeUnit;
  n: number;
}

/** Whole days, hours, minutes and seconds in a duration (its absolute value, floored), largest first. */
export function splitDuration(ms: number): UnitCount[] {
  let s = Number.isFinite(ms) ? Math.floor(Math.abs(ms) / 1000) : 0;
  return UNITS.map(([unit, size]) => {
    const n = Math.floor(s / size);
    s -= n * size;
    return { unit, n };
  });
}

/**
 * `count` units from the largest that is not zero (seconds at least): "3d 4h", "2h 10m",
 * "1m 05s", "59s". Minutes and seconds after a larger unit get two digits, clock-like.
 */
function units(ms: number, count: number): string {
  const parts = splitDuration(ms);
  const largest = parts.findIndex((p) => p.n > 0);
  const from = largest < 0 ? parts.length - 1 : largest;
  return parts
    .slice(from, from + count)
    .map((p, i) => `${i > 0 && (p.unit === 'm' || p.unit === 's') ? String(p.n).padStart(2, '0') : p.n}${p.unit}`)
    .join(' ');
}

/** The age of something `ms` ago (negative: in the future), for messages and the view: "10s ago", "1109d 3h ago", "in 2m 00s". */
export function formatAge(ms: number): string {
  const text = units(ms, 2);
  return ms < 0 ? `in ${text}` : `${text} ago`;
}

/** A one-unit age of a unix-ms timestamp, for the status bar and the Journals view: "3m ago", "" when unknown. */
export function shortAge(startedAt: number | undefined, now: number): string {
  if (startedAt === undefined || !Number.isFinite(startedAt)) return '';
  // Rounded, so a journal written a few hundred ms "ahead" of this clock reads "0s ago".
  const ms = Math.round((now - startedAt) / 1000) * 1000;
  return ms < 0 ? 'in the future' : `${units(ms, 1)} ago`;
}

/** A duration for people, on the diagram: 3 ms, 2.1 s, 1m 05s, 2h 10m, 3d 4h. */
export function formatDuration(ms: number): string {
  const v = Math.max(0, ms);
  if (v < 1000) return `${Math.round(v)} ms`;
  if (v < 60_000) return `${(Math.floor(v / 100) / 10).toFixed(1)} s`;
  return units(v, 2);
}

/** A step's duration from the supervisor's log (seconds, as it logs them): 18.8 ms, 2.35 s, then as `formatDuration`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${(seconds * 1000).toFixed(1)} ms`;
  return seconds < 60 ? `${seconds.toFixed(2)} s` : formatDuration(seconds * 1000);
}

const RELATIVE_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A time given on the command line (`--since`, `--until`), as unix ms: `now`, `today`,
 * `yesterday` (local midnight), `@UNIX_SECONDS`, `-2h` or `2h ago` (s, m, h, d, w), or a
 * date and time `2026-12-02`, `2026-12-02 18:48[:14]`, `2026-12-02T18:48:14Z` (local time
 * without a zone, as journalctl reads it). Undefined when it is none of these.
 */
export function parseTimeArg(s: string, now: number): number | undefined {
  const t = s.trim().toLowerCase();
  if (t === 'now') return now;
  if (t === 'today' || t === 'yesterday') {
    const d = new Date(now);
    return new Date(d.getFullYear(), d.getMonth(), d.getDate() - (t === 'yesterday' ? 1 : 0)).getTime();
  }
  const unix = /^@(\d{1,12})(?:\.(\d{1,6}))?$/.exec(t);
  if (unix) return Number(unix[1]) * 1000 + Math.floor(Number(`0.${unix[2] ?? '0'}`) * 1000);
  const rel = /^-?(\d{1,9})\s?([smhdw])(?:\s+ago)?$/.exec(t);
  if (rel && (t.startsWith('-') || t.endsWith('ago'))) return now - Number(rel[1]) * (RELATIVE_MS[rel[2] as string] as number);
  const m = /^(\d{4})-(\d\d)-(\d\d)(?:[t ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?)?(z|[+-]\d\d:?\d\d)?$/.exec(t);
  if (!m) return undefined;
  const n = (i: number): number => Number(m[i] ?? 0);
  const ms = Number(((m[7] ?? '') + '000').slice(0, 3));
  const zone = m[8];
  if (zone === undefined) {
    const d = new Date(n(1), n(2) - 1, n(3), n(4), n(5), n(6), ms);
    return d.getMonth() === n(2) - 1 ? d.getTime() : undefined;
  }
  const offset = zone === 'z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2))) * 60_000;
  const utc = Date.UTC(n(1), n(2) - 1, n(3), n(4), n(5), n(6), ms);
  return new Date(utc).getUTCMonth() === n(2) - 1 ? utc - offset : undefined;
}
