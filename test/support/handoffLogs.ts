/**
 * Many handoffs in the reference supervisor's real log format (the lines of
 * simulatorLog.ts, byte for byte as tracing writes them), with the truth about each:
 * committed, aborted after Begin and rolled back, seal failures, and supervisors killed
 * mid-handoff then restarted over the journal. Durations come from a seeded generator,
 * spread from about a millisecond to tens of seconds, so the truth can be compared with
 * what the records, the counters and Prometheus's histogram_quantile make of the lines.
 */
import { randomUUID } from 'node:crypto';
import { eventLines, restartLines, supervisorRunning, type LogEvent } from './simulatorLog';
import type { ExportEntry } from './journalExport';

export type Plan = 'commit' | 'abort' | 'seal-failure' | 'killed';

export interface Truth {
  id: string;
  plan: Plan;
  startMs: number;
  drainSeconds: number;
  sealSeconds: number | null;
  beginToReadySeconds: number | null;
  totalSeconds: number | null;
}

export interface TimedLine {
  text: string;
  atMs: number;
}

/** A small deterministic generator (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Log-uniform between lo and hi seconds, rounded to whole nanoseconds as Rust prints them. */
function logUniform(rand: () => number, lo: number, hi: number): number {
  return Math.round(Math.exp(Math.log(lo) + rand() * (Math.log(hi) - Math.log(lo))) * 1e9) / 1e9;
}

const EVENTS: Record<Plan, LogEvent[]> = {
  commit: ['prepare', 'drained', 'seal', 'seal_complete', 'ready', 'commit'],
  abort: ['prepare', 'drained', 'seal', 'seal_complete', 'abort-before-commit', 'resume'],
  'seal-failure': ['prepare', 'drained', 'seal', 'seal-failed'],
  killed: ['prepare', 'drained', 'seal', 'supervisor-lost'],
};

export interface GenerateOptions {
  n: number;
  seed: number;
  /** Unix ms of the first handoff. */
  startMs: number;
  /** Which plan the i-th handoff follows. */
  plan: (i: number) => Plan;
  binary?: string;
  trigger: string;
}

/** The lines (each at its own time) and the truth of `n` handoffs, one every few seconds. */
export function generateHandoffs(o: GenerateOptions): { lines: TimedLine[]; truths: Truth[] } {
  const rand = seeded(o.seed);
  const lines: TimedLine[] = [];
  const truths: Truth[] = [];
  let pid = 5000;
  let at = o.startMs;
  const emit = (text: string): void => void lines.push({ text, atMs: at });
  emit(supervisorRunning(o.binary ?? '/usr/local/bin/kv-daemon', pid, o.trigger, new Date(at)));
  for (let i = 0; i < o.n; i++) {
    at += 1000 + Math.floor(rand() * 4000);
    const plan = o.plan(i);
    const drain = logUniform(rand, 0.0005, 2);
    const seal = plan === 'commit' || plan === 'abort' ? logUniform(rand, 0.0005, 5) : null;
    const ready = plan === 'commit' ? logUniform(rand, 0.0005, 20) : null;
    const total = plan === 'commit' ? Math.round((drain + (seal ?? 0) + (ready ?? 0) + logUniform(rand, 0.001, 0.02)) * 1e9) / 1e9 : null;
    const t: Truth = {
      id: randomUUID(),
      plan,
      startMs: at + 1,
      drainSeconds: drain,
      sealSeconds: seal,
      beginToReadySeconds: ready,
      totalSeconds: total,
    };
    truths.push(t);
    const secondsOf: Record<string, number> = { drained: drain, seal_complete: seal ?? 0, ready: ready ?? 0, commit: total ?? 0 };
    for (const e of EVENTS[plan]) {
      at += 1;
      const ctx = {
        id: t.id,
        successorPid: ++pid,
        drainGraceMs: 25_000,
        deadlineMs: 60_000,
        at: new Date(at),
        seconds: () => secondsOf[e] ?? 0,
      };
      for (const text of eventLines(e, ctx)) emit(text);
    }
    if (plan === 'killed') {
      at += 500;
      for (const text of restartLines(t.id, 'Draining', new Date(at))) emit(text);
      emit(supervisorRunning(o.binary ?? '/usr/local/bin/kv-daemon', ++pid, o.trigger, new Date(at)));
    }
  }
  return { lines, truths };
}

/** The lines as journald entries of one unit (each line its own entry, as journald stores a stream). */
export function journalEntries(lines: readonly TimedLine[], pid: number, unit: string): ExportEntry[] {
  let last = 0n;
  return lines.map((l) => {
    const us = BigInt(l.atMs) * 1000n;
    last = us > last ? us : last + 1n;
    return { message: l.text, realtimeUs: last, pid, unit };
  });
}
